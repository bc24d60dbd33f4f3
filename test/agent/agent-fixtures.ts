/**
 * What the agent tests share: a VectorAgent in a chart of its own, synthesized, checked against the
 * Kubernetes schemas, and remembered, so that each test file sends every Vector config it produced to
 * the shared validator in one process (`expectRecordedConfigsAccepted` in an `afterAll`).
 */
import { type App, Chart, Testing, Yaml } from 'cdk8s';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parse } from 'yaml';
import { VectorAgent, type VectorAgentProps } from '../../lib/agent';
import { expectValidManifests } from '../helpers/k8s-schema';
import { ConfigRecorder } from '../helpers/vector-reference';
import { vectorReference } from '../../lib/vector/reference/reference';
import { thrownMessage } from '../helpers/errors';

/** The chart id and the agent id of every fixture: error messages start with this path. */
export const AGENT_PATH = 'test/agent';

/** The Vector release of the embedded component reference (a copy of `../shared/vector-reference`): the image pins it. */
export const REFERENCE_VECTOR_VERSION: string = vectorReference().vectorVersion;

export const CLUSTER = { name: 'dev', environment: 'development', region: 'fsn1' } as const;
export const AGGREGATOR_ENDPOINT = 'vector.monitoring.example.com:6000';
export const REMOTE_WRITE_URL = 'https://prometheus.example.com/api/v1/write';
export const REMOTE_WRITE_SECRET = { name: 'remote-write', key: 'bearer-token' } as const;

/** Every part on: logs to the aggregators, host and kubelet metrics to authenticated remote write. */
export const FULL_PROPS: VectorAgentProps = {
  cluster: CLUSTER,
  aggregator: { endpoints: [AGGREGATOR_ENDPOINT] },
  remoteWrite: { endpoint: REMOTE_WRITE_URL, bearerTokenSecret: REMOTE_WRITE_SECRET },
};

export type Manifest =
  INamespace | IServiceAccount | IClusterRole | IClusterRoleBinding | ISecret | IConfigMap | IDaemonSet | IService;
export type Kind = Manifest['kind'];
export type PodTemplate = NonNullable<NonNullable<IDaemonSet['spec']>['template']>;
export type PodSpec = NonNullable<PodTemplate['spec']>;
export type Container = PodSpec['containers'][number];

/** A Vector component as the rendered YAML has it. */
export interface RenderedComponent {
  readonly type: string;
  readonly inputs?: readonly string[];
  readonly [option: string]: unknown;
}

/** The rendered `vector.yaml`, parsed. */
export interface RenderedConfig {
  readonly data_dir?: string;
  readonly api?: { readonly enabled: boolean; readonly address: string };
  readonly secret?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly sources?: Readonly<Record<string, RenderedComponent>>;
  readonly transforms?: Readonly<Record<string, RenderedComponent>>;
  readonly sinks?: Readonly<Record<string, RenderedComponent>>;
}

export interface SynthesizedAgent {
  readonly agent: VectorAgent;
  readonly manifests: readonly Manifest[];
  /** The chart as `cdk8s synth` writes it. */
  readonly yaml: string;
  /** The ConfigMap's `vector.yaml`, as written. */
  readonly configText: string;
  readonly config: RenderedConfig;
  readonly daemonSet: IDaemonSet;
  readonly podTemplate: PodTemplate;
  readonly pod: PodSpec;
  readonly container: Container;
  /** Objects of one kind, in the order synthesized. */
  all<K extends Kind>(kind: K): Extract<Manifest, { kind: K }>[];
  /** The one object of this kind; fails unless there is exactly one. */
  one<K extends Kind>(kind: K): Extract<Manifest, { kind: K }>;
}

/** A chart holding one agent, the props merged over {@link FULL_PROPS}. Throws what the constructor throws. */
export function newAgent(props: Partial<VectorAgentProps> = {}): {
  readonly app: App;
  readonly chart: Chart;
  readonly agent: VectorAgent;
} {
  // Testing.app() writes to a temporary directory, never to dist/.
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const agent = new VectorAgent(chart, 'agent', { ...FULL_PROPS, ...props });
  return { app, chart, agent };
}

/** The message of the error the constructor throws for these props (props typed loosely on purpose). */
export function constructionError(props: Readonly<Record<string, unknown>>): string {
  return thrownMessage(
    () => newAgent(props as unknown as Partial<VectorAgentProps>),
    `no error for ${JSON.stringify(props)}`,
  );
}

const recorded = new ConfigRecorder('agent');

/** Synthesizes the chart, fails on any schema problem, and records the YAML for the shared Vector validator. */
export function synthesize(chart: Chart, agent: VectorAgent): SynthesizedAgent {
  const manifests = chart.toJson() as Manifest[];
  expectValidManifests(manifests);
  const yaml = Yaml.stringify(...manifests);
  recorded.record(yaml);

  const all = <K extends Kind>(kind: K) =>
    manifests.filter((m): m is Extract<Manifest, { kind: K }> => m.kind === kind);
  const one = <K extends Kind>(kind: K) => {
    const found = all(kind);
    if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  const configText = one('ConfigMap').data?.['vector.yaml'];
  if (configText === undefined) throw new Error('the ConfigMap has no vector.yaml');
  const daemonSet = one('DaemonSet');
  const podTemplate = daemonSet.spec?.template;
  if (!podTemplate?.spec) throw new Error('the DaemonSet has no pod template');
  const [container, ...others] = podTemplate.spec.containers;
  if (!container || others.length > 0) throw new Error('the agent pod should run exactly one container');
  return {
    agent,
    manifests,
    yaml,
    configText,
    config: parse(configText) as RenderedConfig,
    daemonSet,
    podTemplate,
    pod: podTemplate.spec,
    container,
    all,
    one,
  };
}

/** {@link newAgent}, then `customize` (e.g. adding components to `agent.pipeline`), then {@link synthesize}. */
export function synthAgent(
  props: Partial<VectorAgentProps> = {},
  customize?: (agent: VectorAgent) => void,
): SynthesizedAgent {
  const { chart, agent } = newAgent(props);
  customize?.(agent);
  return synthesize(chart, agent);
}

/**
 * Sends every chart synthesized so far in this test file to the shared Vector validator, in one
 * process, and fails with the validator's own output unless each ConfigMap config passes.
 */
export function expectRecordedConfigsAccepted(): void {
  recorded.expectAllAccepted();
}

export { downwardApiEnv } from '../helpers/containers';

/** Every `${NAME}` (or `${NAME:-default}`) the text names. */
export function interpolatedNames(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((m) => m[1]);
}
