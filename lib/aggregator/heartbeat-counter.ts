import { vrlString } from '../k8s/cluster';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  HEARTBEAT_COUNTER,
  HEARTBEAT_LAG,
  HEARTBEAT_MESSAGE,
  HEARTBEAT_METRIC,
  HEARTBEAT_SENT,
  HEARTBEAT_SEQ_FIELD,
  type HeartbeatLineSource,
  logHeartbeatLineSource,
} from '../k8s/heartbeat-line';
import {
  type ComponentNotes,
  type FilterTransform,
  type LogToMetricTransform,
  parseAddress,
  type PrometheusExporterSink,
  type RemapTransform,
  type VectorPipeline,
} from '../vector';

export {
  HEARTBEAT_COUNTER,
  HEARTBEAT_LAG,
  HEARTBEAT_METRIC,
  HEARTBEAT_SENT,
  type HeartbeatLineSource,
  logHeartbeatLineSource,
};
/** The heartbeat exporter's port: beside the aggregator's own metrics on 9598. */
export const DEFAULT_HEARTBEAT_EXPORTER_PORT = 9599;
/** @default of `HeartbeatCounterOptions.exporterAddress`. */
export const DEFAULT_HEARTBEAT_EXPORTER_ADDRESS = `0.0.0.0:${DEFAULT_HEARTBEAT_EXPORTER_PORT}`;
/** The shortest `flush_period_secs` the exporter gets, whatever the interval. */
export const MIN_HEARTBEAT_FLUSH_PERIOD_SECS = 600;
/**
 * Bucket bounds (seconds) of the heartbeat lag histogram: from a healthy second to a day-old backlog. The alert uses
 * the mean (`_sum` / `_count`), the buckets serve dashboards.
 */
export const HEARTBEAT_LAG_BUCKETS: readonly number[] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];
/** Where `heartbeat_measure` puts a heartbeat's lag (seconds) and sequence number for `heartbeat_measures`. */
export const HEARTBEAT_MEASURE_FIELDS = { lag: 'heartbeat_lag_seconds', seq: 'heartbeat_seq' } as const;

/** Component ids of the heartbeat counter. */
export interface HeartbeatComponentIds {
  /** @default 'heartbeat_events' */
  readonly filter: string;
  /** @default 'heartbeat_counter' */
  readonly counter: string;
  /** @default 'heartbeat_metrics' */
  readonly exporter: string;
  /** The remap computing each heartbeat's lag and reading its sequence number. @default 'heartbeat_measure' */
  readonly measure: string;
  /** The `log_to_metric` with the lag histogram and the sent counter. @default 'heartbeat_measures' */
  readonly measures: string;
}

export interface HeartbeatCounterOptions {
  /**
   * The outputs whose log events are searched for heartbeats, e.g. `['by_type.logs']`. Read them before any `dedupe`
   * whose fields are yours: every heartbeat line of a pod has the same cluster, namespace, pod, container and message,
   * so a dedupe on those fields drops all but the first and the counter would stop although the cluster beats.
   */
  readonly inputs: readonly string[];
  /** The `LogHeartbeat`'s interval in seconds; sets the exporter's flush period. @default 120 */
  readonly intervalSeconds?: number;
  /**
   * The `LogHeartbeat`s whose lines count: their namespace and pod labels (`LogHeartbeat.lineSource`), matched against
   * what Vector's `kubernetes_logs` says of the pod, so the same line printed by any other pod is not counted.
   * @default the default `LogHeartbeat`'s: namespace `logging`, name `vector-heartbeat`
   */
  readonly sources?: readonly HeartbeatLineSource[];
  /** Where the exporter listens: a port of its own, so its flush period touches nothing else. @default '0.0.0.0:9599' */
  readonly exporterAddress?: string;
  /** @default see `HeartbeatComponentIds` */
  readonly ids?: Partial<HeartbeatComponentIds>;
}

/** One component: its id, its typed spec (for `pipeline.addTransform` / `addSink`) and a comment. */
export interface HeartbeatComponent<T> {
  readonly id: string;
  readonly spec: T;
  readonly notes: ComponentNotes;
}

/** The aggregator side of the log heartbeat: select heartbeat events, count them per cluster, serve the counter. */
export interface HeartbeatCounterComponents {
  readonly filter: HeartbeatComponent<FilterTransform>;
  readonly counter: HeartbeatComponent<LogToMetricTransform>;
  /** Lag (receive time minus send time) and sequence number of each heartbeat with a `seq`. */
  readonly measure: HeartbeatComponent<RemapTransform>;
  /** `vector_heartbeat_lag_seconds` (histogram) and `vector_heartbeat_sent_total`, per cluster and heartbeat pod. */
  readonly measures: HeartbeatComponent<LogToMetricTransform>;
  readonly exporter: HeartbeatComponent<PrometheusExporterSink>;
  /** The exporter's port, for the container port, Service, scrape config and network policy. */
  readonly exporterPort: number;
  /** `vector_heartbeat_total` */
  readonly metric: string;
}

/**
 * The `heartbeat_measure` program. The agents keep a JSON line's own `timestamp` (the send time) as
 * `.line_fields.timestamp`, parsed; Vector's `.timestamp` (the container runtime's write time, the same second) stands
 * in when it is missing. A line without a whole `seq` from 1 (an emitter older than `seq`) is dropped here, as
 * `log_to_metric` makes all metrics of an event or none and counts a missing field as an error; the heartbeat counter
 * beside it still counts that line.
 */
export function heartbeatMeasureVrl(): string {
  const f = HEARTBEAT_MEASURE_FIELDS;
  return [
    `seq = .${HEARTBEAT_SEQ_FIELD}`,
    'if !is_integer(seq) || int!(seq) < 1 { abort }',
    'sent = .line_fields.timestamp',
    'if !is_timestamp(sent) { sent = .timestamp }',
    'if !is_timestamp(sent) { abort }',
    '# Seconds from sending to this aggregator; a node clock ahead of ours gives 0, not a negative lag.',
    'lag = to_float(now()) - to_float(timestamp!(sent))',
    'if lag < 0.0 { lag = 0.0 }',
    `.${f.lag} = lag`,
    `.${f.seq} = seq`,
    '',
  ].join('\n');
}

const COMPONENT_ID = /^[A-Za-z0-9_-]+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function invalid(prop: string, value: unknown, allowed: string): Error {
  return new Error(`heartbeatCounterComponents: invalid ${prop} ${JSON.stringify(value) ?? String(value)}: ${allowed}`);
}

/**
 * The VRL condition that selects heartbeat lines: the heartbeat's JSON fields as the agents parse them, from a pod
 * of one of `sources` by Vector's own metadata (`.kubernetes`, which the agents never let a line change).
 */
export function heartbeatCondition(sources: readonly HeartbeatLineSource[] = [logHeartbeatLineSource()]): string {
  const fromSource = (s: HeartbeatLineSource) =>
    [
      `.kubernetes.pod_namespace == ${vrlString(s.namespace)}`,
      ...Object.entries(s.podLabels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `.kubernetes.pod_labels.${vrlString(key)} == ${vrlString(value)}`),
    ].join(' && ');
  const distinct = [...new Map(sources.map((s) => [fromSource(s), s])).keys()].sort();
  return [
    '.heartbeat == true',
    `.message == ${vrlString(HEARTBEAT_MESSAGE)}`,
    // The agents set .cluster on every event; without it the counter would carry no cluster tag.
    'is_string(.cluster)',
    distinct.length === 1 ? distinct[0] : `(${distinct.map((d) => `(${d})`).join(' || ')})`,
  ].join(' && ');
}

function checkSources(sources: unknown): readonly HeartbeatLineSource[] {
  if (!Array.isArray(sources) || sources.length === 0) {
    throw invalid('sources', sources, 'name at least one LogHeartbeat by its lineSource');
  }
  for (const [i, s] of (sources as unknown[]).entries()) {
    const source = s as Partial<HeartbeatLineSource> | null;
    if (typeof source?.namespace !== 'string' || !NAMESPACE.test(source.namespace)) {
      throw invalid(`sources[${i}].namespace`, source?.namespace, 'use a Kubernetes namespace name');
    }
    const labels = source.podLabels;
    const entries = typeof labels === 'object' && labels !== null ? Object.entries(labels) : [];
    if (entries.length === 0 || entries.some(([k, v]) => !LABEL_KEY.test(k) || typeof v !== 'string')) {
      throw invalid(
        `sources[${i}].podLabels`,
        labels,
        "give the heartbeat pods' selector labels: at least one, label keys with string values",
      );
    }
  }
  return sources as readonly HeartbeatLineSource[];
}

/**
 * The three components that turn heartbeat log lines into `vector_heartbeat_total{cluster="…"}` on an aggregator:
 * a `filter` on the heartbeat lines, a `log_to_metric` counter tagged with the event's cluster, and a
 * `prometheus_exporter` whose `flush_period_secs` (max(600, 5 × interval)) keeps a quiet cluster's series exposed
 * long enough for the alert to see it stop growing, with `suppress_timestamp` so every scrape is a fresh sample.
 */
export function heartbeatCounterComponents(options: HeartbeatCounterOptions): HeartbeatCounterComponents {
  const interval = options.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  if (!Number.isInteger(interval) || interval < 1 || interval > 86_400) {
    throw invalid('intervalSeconds', interval, 'use a whole number of seconds from 1 to 86400');
  }
  if (!Array.isArray(options.inputs) || options.inputs.length === 0) {
    throw invalid('inputs', options.inputs, "name at least one output carrying the agents' log events");
  }
  const sources = checkSources(options.sources ?? [logHeartbeatLineSource()]);
  const ids: HeartbeatComponentIds = {
    filter: 'heartbeat_events',
    counter: 'heartbeat_counter',
    exporter: 'heartbeat_metrics',
    measure: 'heartbeat_measure',
    measures: 'heartbeat_measures',
    ...options.ids,
  };
  for (const [key, id] of Object.entries(ids)) {
    if (typeof id !== 'string' || !COMPONENT_ID.test(id)) {
      throw invalid(`ids.${key}`, id, "use letters, digits, '_' and '-'");
    }
  }
  if (new Set(Object.values(ids)).size !== 5) throw invalid('ids', ids, 'give five different ids');
  const address = options.exporterAddress ?? DEFAULT_HEARTBEAT_EXPORTER_ADDRESS;
  const parsed = typeof address === 'string' ? parseAddress(address) : undefined;
  if (typeof address !== 'string' || !parsed) {
    throw invalid('exporterAddress', address, 'use host:port, e.g. "0.0.0.0:9599"');
  }
  const flushPeriodSecs = Math.max(MIN_HEARTBEAT_FLUSH_PERIOD_SECS, 5 * interval);
  // Not `pod`: a scrape's own `pod` target label (the aggregator's) would rename it to `exported_pod`.
  const measureTags = {
    [HEARTBEAT_COUNTER.tag]: `{{ ${HEARTBEAT_COUNTER.tag} }}`,
    [HEARTBEAT_LAG.podTag]: '{{ kubernetes.pod_name }}',
  };

  return {
    filter: {
      id: ids.filter,
      spec: { type: 'filter', inputs: [...options.inputs], condition: heartbeatCondition(sources) },
      notes: {
        comment: [
          'LogHeartbeat lines: one per cluster every interval, counted below. Only those of the heartbeat pods, by',
          "Vector's kubernetes metadata: the same line printed by any other pod is not counted.",
        ].join('\n'),
      },
    },
    counter: {
      id: ids.counter,
      spec: {
        type: 'log_to_metric',
        inputs: [ids.filter],
        metrics: [
          {
            type: 'counter',
            field: 'heartbeat',
            name: HEARTBEAT_COUNTER.name,
            namespace: HEARTBEAT_COUNTER.namespace,
            // A whole-field template is fine here: template confinement (Vector 0.57) applies to sinks only.
            tags: { [HEARTBEAT_COUNTER.tag]: `{{ ${HEARTBEAT_COUNTER.tag} }}` },
          },
        ],
      },
      notes: { comment: `${HEARTBEAT_METRIC}{cluster}: grows by one per heartbeat line of the cluster.` },
    },
    measure: {
      id: ids.measure,
      spec: { type: 'remap', inputs: [ids.filter], source: heartbeatMeasureVrl() },
      notes: {
        comment: [
          "Each heartbeat's lag (now minus its send time) and its sequence number, for loss and latency. Lines",
          'without a seq (an older emitter) are dropped here only; the counter above counts them.',
        ].join('\n'),
      },
    },
    measures: {
      id: ids.measures,
      spec: {
        type: 'log_to_metric',
        inputs: [ids.measure],
        metrics: [
          {
            type: 'histogram',
            field: HEARTBEAT_MEASURE_FIELDS.lag,
            name: HEARTBEAT_LAG.name,
            namespace: HEARTBEAT_COUNTER.namespace,
            tags: measureTags,
          },
          {
            // The pod's own count of lines sent: an absolute counter, which restarts (a reset) with the container.
            type: 'counter',
            field: HEARTBEAT_MEASURE_FIELDS.seq,
            increment_by_value: true,
            kind: 'absolute',
            name: HEARTBEAT_SENT.name,
            namespace: HEARTBEAT_COUNTER.namespace,
            tags: measureTags,
          },
        ],
      },
      notes: {
        comment: [
          `${HEARTBEAT_COUNTER.namespace}_${HEARTBEAT_LAG.name}{cluster,${HEARTBEAT_LAG.podTag}}: lag histogram, its _count the lines`,
          `received; ${HEARTBEAT_COUNTER.namespace}_${HEARTBEAT_SENT.name}: the last seq seen, the lines sent.`,
        ].join('\n'),
      },
    },
    exporter: {
      id: ids.exporter,
      spec: {
        type: 'prometheus_exporter',
        inputs: [ids.counter, ids.measures],
        address,
        flush_period_secs: flushPeriodSecs,
        suppress_timestamp: true,
        buckets: [...HEARTBEAT_LAG_BUCKETS],
      },
      notes: {
        comment: [
          `Keeps a cluster's counter exposed for ${flushPeriodSecs} s after its last heartbeat (every ${interval} s), so`,
          "the alert sees it stop growing; without timestamps each scrape is a new sample, not the last event's time.",
        ].join('\n'),
      },
    },
    exporterPort: parsed.port,
    metric: HEARTBEAT_METRIC,
  };
}

/** Adds the heartbeat counter to a pipeline (e.g. an aggregator's) and returns what was added. */
export function addHeartbeatCounter(
  pipeline: VectorPipeline,
  options: HeartbeatCounterOptions,
): HeartbeatCounterComponents {
  const c = heartbeatCounterComponents(options);
  pipeline
    .addTransform(c.filter.id, c.filter.spec, c.filter.notes)
    .addTransform(c.counter.id, c.counter.spec, c.counter.notes)
    .addTransform(c.measure.id, c.measure.spec, c.measure.notes)
    .addTransform(c.measures.id, c.measures.spec, c.measures.notes)
    .addSink(c.exporter.id, c.exporter.spec, c.exporter.notes);
  return c;
}
