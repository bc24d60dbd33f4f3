import { selectorLabels } from './labels';

// What the log heartbeat's emitter (lib/heartbeat) and its counter (lib/aggregator) both know of the heartbeat line,
// here so that neither feature imports the other.

/** The `message` of every heartbeat line; the aggregators' heartbeat filter matches it exactly. */
export const HEARTBEAT_MESSAGE = 'Vector heartbeat - logging pipeline active';
/** The `source` of every heartbeat line. */
export const HEARTBEAT_SOURCE = 'heartbeat-container';
/**
 * The field of every heartbeat line that counts the emitting container's lines from 1 (a restart starts again at 1).
 * Not a reserved field: the agents keep it as it is, at the top level of the event.
 */
export const HEARTBEAT_SEQ_FIELD = 'seq';
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
 * The lag histogram the aggregators keep per cluster and heartbeat pod: `vector_heartbeat_lag_seconds_{bucket,sum,count}`,
 * seconds from a line's send time to its arrival at an aggregator; its `_count` is the lines received.
 */
export const HEARTBEAT_LAG = { name: 'heartbeat_lag_seconds', podTag: 'heartbeat_pod' } as const;
/** `vector_heartbeat_lag_seconds`: the histogram's base name. */
export const HEARTBEAT_LAG_METRIC = `${HEARTBEAT_COUNTER.namespace}_${HEARTBEAT_LAG.name}`;
/**
 * The lines a heartbeat pod has sent, as its last `seq` seen by an aggregator says: `vector_heartbeat_sent_total`,
 * per cluster and heartbeat pod, an absolute counter that resets when the container restarts.
 */
export const HEARTBEAT_SENT = { name: 'heartbeat_sent_total' } as const;
/** `vector_heartbeat_sent_total` */
export const HEARTBEAT_SENT_METRIC = `${HEARTBEAT_COUNTER.namespace}_${HEARTBEAT_SENT.name}`;

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
