import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { VectorAggregator, type VectorAggregatorProps } from '../../lib/aggregator';
import { vectorReference } from '../../lib/vector/reference/reference';
import { thrownMessage } from '../helpers/errors';

/** The Vector release the shared reference describes: the one the image must be pinned to. */
export const REFERENCE_VECTOR_VERSION: string = vectorReference().vectorVersion;

export const LOKI_ENDPOINT = 'http://loki-gateway.monitoring.svc:80';
export const REMOTE_WRITE_ENDPOINT = 'http://prometheus.monitoring.svc:9090/api/v1/write';

/** The props every aggregator needs; everything else is left to its default. */
export const REQUIRED_PROPS: VectorAggregatorProps = {
  loki: { endpoint: LOKI_ENDPOINT },
  metrics: { remoteWrite: { endpoint: REMOTE_WRITE_ENDPOINT } },
};

/** Construct path of the aggregator in {@link newAggregator}; every prop error starts with it. */
export const AGGREGATOR_PATH = 'monitoring/Aggregator';

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly [key: string]: unknown;
}

/** The parts of a pod spec the tests read, as synthesized JSON. */
export interface PodSpecJson {
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly terminationGracePeriodSeconds?: number;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly securityContext?: Record<string, unknown>;
  readonly affinity?: {
    readonly podAntiAffinity?: {
      readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly {
        readonly labelSelector: { readonly matchLabels: Record<string, string> };
        readonly topologyKey: string;
      }[];
      readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly unknown[];
    };
  };
  readonly containers: readonly ContainerJson[];
  readonly initContainers?: readonly ContainerJson[];
  readonly volumes?: readonly VolumeJson[];
}

export interface ContainerJson {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: string;
  readonly args?: readonly string[];
  readonly ports?: readonly { readonly name: string; readonly containerPort: number; readonly hostPort?: number }[];
  readonly livenessProbe?: ProbeJson;
  readonly readinessProbe?: ProbeJson;
  readonly resources?: {
    readonly requests?: Record<string, string>;
    readonly limits?: Record<string, string>;
  };
  readonly securityContext?: {
    readonly allowPrivilegeEscalation?: boolean;
    readonly privileged?: boolean;
    readonly readOnlyRootFilesystem?: boolean;
    readonly runAsNonRoot?: boolean;
    readonly runAsUser?: number;
    readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
    readonly seccompProfile?: { readonly type: string };
  };
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}

export interface ProbeJson {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
}

export interface VolumeJson {
  readonly name: string;
  readonly [source: string]: unknown;
}

export interface PodTemplateJson {
  readonly metadata: { readonly labels: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: PodSpecJson;
}

export interface Synthesized {
  readonly aggregator: VectorAggregator;
  readonly manifests: readonly Manifest[];
}

/** A fresh app and chart named `monitoring`, and the aggregator `Aggregator` in it. */
export function newAggregator(props: Partial<VectorAggregatorProps> = {}): {
  readonly chart: Chart;
  readonly aggregator: VectorAggregator;
} {
  const chart = new Chart(Testing.app(), 'monitoring');
  const aggregator = new VectorAggregator(chart, 'Aggregator', { ...REQUIRED_PROPS, ...props });
  return { chart, aggregator };
}

/** Builds an aggregator, lets `configure` change it (e.g. add components), and synthesizes its chart. */
export function synthAggregator(
  props: Partial<VectorAggregatorProps> = {},
  configure: (aggregator: VectorAggregator) => void = () => undefined,
): Synthesized & { readonly chart: Chart } {
  const { chart, aggregator } = newAggregator(props);
  configure(aggregator);
  return { chart, aggregator, manifests: Testing.synth(chart) as Manifest[] };
}

/** The one object of this kind (and name, when given); fails loudly when there is not exactly one. */
export function only(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** The StatefulSet or Deployment that runs the aggregators. */
export function workload(manifests: readonly Manifest[]): Manifest {
  const found = manifests.filter((m) => m.kind === 'StatefulSet' || m.kind === 'Deployment');
  if (found.length !== 1) throw new Error(`expected one StatefulSet or Deployment, found ${found.length}`);
  return found[0];
}

export function podTemplate(manifests: readonly Manifest[]): PodTemplateJson {
  return (workload(manifests).spec as { template: PodTemplateJson }).template;
}

export function vectorContainer(manifests: readonly Manifest[]): ContainerJson {
  const container = podTemplate(manifests).spec.containers.find((c) => c.name === 'vector');
  if (!container) throw new Error('no container named vector');
  return container;
}

/** The rendered Vector config text from the ConfigMap. */
export function configText(manifests: readonly Manifest[]): string {
  const text = only(manifests, 'ConfigMap').data?.['vector.yaml'];
  if (typeof text !== 'string') throw new Error('ConfigMap has no vector.yaml');
  return text;
}

/** A Vector config as parsed YAML, typed loosely for assertions. */
export interface VectorConfigJson {
  readonly data_dir?: string;
  readonly api?: { readonly enabled: boolean; readonly address: string };
  readonly secret?: Record<string, Record<string, unknown>>;
  readonly sources: Record<string, Record<string, unknown>>;
  readonly transforms?: Record<string, Record<string, unknown> & { readonly inputs: readonly string[] }>;
  readonly sinks: Record<string, Record<string, unknown> & { readonly inputs: readonly string[] }>;
}

export function vectorConfig(manifests: readonly Manifest[]): VectorConfigJson {
  return parse(configText(manifests)) as VectorConfigJson;
}

/** Runs the constructor and returns the message it throws, or fails when it does not throw. */
export function constructionError(props: Partial<VectorAggregatorProps>): string {
  return thrownMessage(() => newAggregator(props), `expected the props ${JSON.stringify(props)} to be rejected`);
}
