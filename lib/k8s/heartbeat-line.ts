import { selectorLabels } from './labels';

// What the log heartbeat's emitter (lib/heartbeat) and its counter (lib/aggregator) both know of the heartbeat line,
// here so that neither feature imports the other.

/** The `message` of every heartbeat line; the aggregators' heartbeat filter matches it exactly. */
export const HEARTBEAT_MESSAGE = 'Vector heartbeat - logging pipeline active';
/** The `source` of every heartbeat line. */
export const HEARTBEAT_SOURCE = 'heartbeat-container';
/** @default of `LogHeartbeatProps.intervalSeconds`. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 120;
/** @default of `LogHeartbeatProps.namespace`. */
export const DEFAULT_LOG_HEARTBEAT_NAMESPACE = 'logging';
/** @default of `LogHeartbeatProps.name`. */
export const DEFAULT_LOG_HEARTBEAT_NAME = 'vector-heartbeat';

/** The counter the aggregators keep per cluster: `<namespace>_<name>` as Prometheus sees it. */
export const HEARTBEAT_COUNTER = { namespace: 'vector', name: 'heartbeat_total', tag: 'cluster' } as const;
/** `vector_heartbeat_total{cluster="…"}`: what `HeartbeatAlert` watches. */
export const HEARTBEAT_METRIC = `${HEARTBEAT_COUNTER.namespace}_${HEARTBEAT_COUNTER.name}`;

/**
 * Where heartbeat lines really come from: the namespace and pod labels of a `LogHeartbeat`'s pods, as Vector's
 * `kubernetes_logs` reports them (`.kubernetes.pod_namespace`, `.kubernetes.pod_labels`), which no log line can set.
 */
export interface HeartbeatLineSource {
  readonly namespace: string;
  /** Labels every heartbeat pod has (its selector labels); a pod's other labels do not matter. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The labels that select a `LogHeartbeat`'s pods, from its name: the construct computes its own with this. */
export function logHeartbeatSelectorLabels(name: string): Record<string, string> {
  return selectorLabels({ name: 'vector-heartbeat', instance: name, component: 'log-heartbeat' });
}

/** The source of a `LogHeartbeat`'s lines with this namespace and name (by default, the default `LogHeartbeat`'s). */
export function logHeartbeatLineSource(
  namespace: string = DEFAULT_LOG_HEARTBEAT_NAMESPACE,
  name: string = DEFAULT_LOG_HEARTBEAT_NAME,
): HeartbeatLineSource {
  return { namespace, podLabels: logHeartbeatSelectorLabels(name) };
}
