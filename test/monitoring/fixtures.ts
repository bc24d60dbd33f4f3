import { Testing, type Chart } from 'cdk8s';
import type { MonitoredWorkload } from '../../lib/monitoring/monitored-workload';
import { VectorMonitoring, type VectorMonitoringProps } from '../../lib/monitoring/vector-monitoring';

/** The agent DaemonSet, as VectorAgent describes itself. */
export const AGENT: MonitoredWorkload = {
  role: 'agent',
  namespace: 'vector-system',
  workloadKind: 'DaemonSet',
  workloadName: 'vector-agent',
  containerName: 'vector',
  selectorLabels: {
    'app.kubernetes.io/name': 'vector',
    'app.kubernetes.io/instance': 'vector-agent',
    'app.kubernetes.io/component': 'agent',
  },
  metricsPortName: 'metrics',
  metricsPath: '/metrics',
};

/** Stateful aggregators (disk buffers on PVCs). */
export const AGGREGATOR: MonitoredWorkload = {
  role: 'aggregator',
  namespace: 'vector-system',
  workloadKind: 'StatefulSet',
  workloadName: 'vector-aggregator',
  containerName: 'vector',
  selectorLabels: {
    'app.kubernetes.io/name': 'vector',
    'app.kubernetes.io/instance': 'vector-aggregator',
    'app.kubernetes.io/component': 'aggregator',
  },
  metricsPortName: 'metrics',
  metricsPath: '/metrics',
};

/** Stateless aggregators (a Deployment) of a second fleet in another namespace. */
export const EDGE_AGGREGATOR: MonitoredWorkload = {
  role: 'aggregator',
  namespace: 'vector-edge',
  workloadKind: 'Deployment',
  workloadName: 'vector-edge-aggregator',
  containerName: 'vector',
  selectorLabels: {
    'app.kubernetes.io/name': 'vector',
    'app.kubernetes.io/instance': 'vector-edge-aggregator',
    'app.kubernetes.io/component': 'aggregator',
  },
  metricsPortName: 'metrics',
  metricsPath: '/metrics',
};

export const CLUSTER = 'prod-eu-1';

export const BASE_PROPS: VectorMonitoringProps = {
  targets: [AGENT, AGGREGATOR],
  namespace: 'monitoring',
  cluster: CLUSTER,
};

/** A chart holding one VectorMonitoring built from BASE_PROPS plus `overrides`. */
export function monitoring(overrides: Partial<VectorMonitoringProps> = {}): {
  chart: Chart;
  construct: VectorMonitoring;
} {
  const chart = Testing.chart();
  const construct = new VectorMonitoring(chart, 'monitoring', { ...BASE_PROPS, ...overrides });
  return { chart, construct };
}

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
}

export function manifests(chart: Chart): Manifest[] {
  return chart.toJson() as Manifest[];
}

export function manifestOf(chart: Chart, kind: string, name?: string): Manifest {
  const found = manifests(chart).filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}
