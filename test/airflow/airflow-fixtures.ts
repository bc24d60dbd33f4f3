/**
 * What the Airflow tests share: an AirflowVectorPodTemplate in a chart of its own, synthesized, checked against the
 * Kubernetes schemas (the ConfigMaps and the Pod inside `pod_template_file.yaml`), and remembered, so that each test
 * file sends every Vector config it produced to the shared validator in one process.
 */
import { type App, Chart, Testing, Yaml } from 'cdk8s';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { parse } from 'yaml';
import {
  AirflowVectorPodTemplate,
  type AirflowVectorPodTemplateProps,
  HELM_VALUES_KEY,
  POD_TEMPLATE_FILE_KEY,
} from '../../lib/airflow';
import { expectValidManifests } from '../helpers/k8s-schema';
import { ConfigRecorder } from '../helpers/vector-reference';
import { thrownMessage } from '../helpers/errors';

/** The chart id and the construct id of every fixture: error messages start with this path. */
export const TEMPLATE_PATH = 'test/airflow';
export const CLUSTER = { name: 'dev', environment: 'development', region: 'fsn1' } as const;
export const AIRFLOW_IMAGE = 'apache/airflow:2.10.5';
export const LOKI_URL = 'http://loki-gateway.monitoring.svc:80';

export const MINIMAL_PROPS: AirflowVectorPodTemplateProps = {
  cluster: CLUSTER,
  airflowImage: AIRFLOW_IMAGE,
  loki: { endpoint: LOKI_URL },
};

export type Container = IContainer;
export type PodSpec = IPodSpec;

/** A Vector component as the rendered YAML has it. */
export interface RenderedComponent {
  readonly type: string;
  readonly inputs?: readonly string[];
  readonly [option: string]: unknown;
}

export interface RenderedConfig {
  readonly data_dir?: string;
  readonly api?: unknown;
  readonly secret?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly sources?: Readonly<Record<string, RenderedComponent>>;
  readonly transforms?: Readonly<Record<string, RenderedComponent>>;
  readonly sinks?: Readonly<Record<string, RenderedComponent>>;
}

export interface SynthesizedTemplate {
  readonly template: AirflowVectorPodTemplate;
  readonly manifests: readonly IConfigMap[];
  /** The chart as `cdk8s synth` writes it. */
  readonly yaml: string;
  /** The ConfigMap with the scripts and the Vector config. */
  readonly config: IConfigMap;
  /** The ConfigMap with the pod template file and the Helm values. */
  readonly podTemplateConfig: IConfigMap;
  readonly podTemplateText: string;
  readonly helmValuesText: string;
  readonly vectorConfigText: string;
  readonly vectorConfig: RenderedConfig;
  /** `pod_template_file.yaml`, parsed. */
  readonly pod: IPod;
  readonly spec: PodSpec;
  readonly base: Container;
  /** The Vector sidecar, wherever the mode puts it. */
  readonly sidecar: Container;
}

/** A chart holding one template, the props merged over {@link MINIMAL_PROPS}. Throws what the constructor throws. */
export function newTemplate(props: Partial<AirflowVectorPodTemplateProps> = {}): {
  readonly app: App;
  readonly chart: Chart;
  readonly template: AirflowVectorPodTemplate;
} {
  // Testing.app() writes to a temporary directory, never to dist/.
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const template = new AirflowVectorPodTemplate(chart, 'airflow', { ...MINIMAL_PROPS, ...props });
  return { app, chart, template };
}

/** The message of the error the constructor throws for these props (typed loosely on purpose). */
export function constructionError(props: Readonly<Record<string, unknown>>): string {
  return thrownMessage(
    () => newTemplate(props as unknown as Partial<AirflowVectorPodTemplateProps>),
    `no error for ${JSON.stringify(props)}`,
  );
}

const recorded = new ConfigRecorder('airflow');

/** Synthesizes the chart, fails on any schema problem (the Pod in the file included), and records the YAML. */
export function synthesize(chart: Chart, template: AirflowVectorPodTemplate): SynthesizedTemplate {
  const manifests = chart.toJson() as IConfigMap[];
  const yaml = Yaml.stringify(...manifests);
  recorded.record(yaml);
  const byName = (name: string) => {
    const found = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata?.name === name);
    if (!found) throw new Error(`no ConfigMap ${name}`);
    return found;
  };
  const config = byName(template.configMapName);
  const podTemplateConfig = byName(template.podTemplateConfigMapName);
  const text = (cm: IConfigMap, key: string) => {
    const value = cm.data?.[key];
    if (value === undefined) throw new Error(`ConfigMap ${cm.metadata?.name} has no ${key}`);
    return value;
  };
  const podTemplateText = text(podTemplateConfig, POD_TEMPLATE_FILE_KEY);
  const pod = parse(podTemplateText) as IPod;
  expectValidManifests([...manifests, pod]);
  const spec = pod.spec as PodSpec;
  const base = spec.containers[0];
  const sidecar = [...spec.containers, ...(spec.initContainers ?? [])].find((c) => c.name === 'vector');
  if (!sidecar) throw new Error('the pod template has no vector container');
  const vectorConfigText = text(config, 'vector.yaml');
  return {
    template,
    manifests,
    yaml,
    config,
    podTemplateConfig,
    podTemplateText,
    helmValuesText: text(podTemplateConfig, HELM_VALUES_KEY),
    vectorConfigText,
    vectorConfig: parse(vectorConfigText) as RenderedConfig,
    pod,
    spec,
    base,
    sidecar,
  };
}

/** {@link newTemplate}, then `customize` (e.g. adding components to `template.pipeline`), then {@link synthesize}. */
export function synthTemplate(
  props: Partial<AirflowVectorPodTemplateProps> = {},
  customize?: (template: AirflowVectorPodTemplate) => void,
): SynthesizedTemplate {
  const { chart, template } = newTemplate(props);
  customize?.(template);
  return synthesize(chart, template);
}

/** Sends every chart synthesized so far in this file to the shared Vector validator, in one process. */
export function expectRecordedConfigsAccepted(): void {
  recorded.expectAllAccepted();
}

export { downwardApiEnv } from '../helpers/containers';

/** `name: value` of the container's plain env entries. */
export function plainEnv(container: Container): Record<string, string | undefined> {
  return Object.fromEntries((container.env ?? []).filter((e) => !e.valueFrom).map((e) => [e.name, e.value]));
}
