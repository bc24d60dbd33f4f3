import { type ClusterIdentity, vrlString } from '../k8s/cluster';
import { LINE_HASH_FIELD } from '../k8s/log-fields';
import { aggregatorSink } from '../k8s/tls';
import { VectorPipeline } from '../vector';

/** Component ids of the events pipeline. */
export const EVENTS_IDS = {
  exporter: 'event_exporter',
  enrich: 'enrich_events',
  toAggregators: 'to_aggregators',
} as const;

/** The `file` value of every event: with `stream` it stands where `kubernetes_logs` puts the log file it read. */
export const EVENTS_FILE = 'kubernetes-events';
/** The `stream` value of every event. */
export const EVENTS_STREAM = 'events';

export interface EventsPipelineOptions {
  readonly cluster: ClusterIdentity;
  readonly dataDir: string;
  readonly apiPort: number;
  /** Port on 127.0.0.1 where the exporter in the same pod posts each event. */
  readonly receiverPort: number;
  readonly endpoints: readonly string[];
  readonly tls: boolean;
}

/**
 * The VRL that turns one event the exporter posted (a core/v1 Event as JSON) into a log event the aggregators take like
 * the agents' lines: the cluster identity, the involved object's namespace, kind and name as flat fields, a severity,
 * the event's own time, and the dedupe fields (`file`, `stream`, `line_hash`) that name one delivery of one event.
 */
export function enrichEventsVrl(cluster: ClusterIdentity): string {
  return [
    `.cluster = ${vrlString(cluster.name)}`,
    `.environment = ${vrlString(cluster.environment)}`,
    `.region = ${vrlString(cluster.region)}`,
    'object_namespace = string(.involvedObject.namespace) ?? ""',
    '.object_kind = string(.involvedObject.kind) ?? ""',
    '.object_name = string(.involvedObject.name) ?? ""',
    '.object_namespace = object_namespace',
    "# The Loki stream and per-namespace sampling go by `namespace`: the involved object's, empty for a Node.",
    '.namespace = object_namespace',
    '.severity = if .type == "Warning" { "warning" } else { "info" }',
    `.file = ${vrlString(EVENTS_FILE)}`,
    `.stream = ${vrlString(EVENTS_STREAM)}`,
    '# One version of one event: a count update gets a new resourceVersion (a new line), a re-sent one does not.',
    'uid = string(.metadata.uid) ?? ""',
    'version = string(.metadata.resourceVersion) ?? ""',
    `.${LINE_HASH_FIELD} = seahash(uid + "/" + version)`,
    "# The event's last occurrence rather than the receive time, so a re-sent event equals the first delivery.",
    'when = .lastTimestamp || .eventTime || .firstTimestamp',
    'if is_string(when) {',
    '  .timestamp = parse_timestamp(when, "%+") ?? .timestamp',
    '}',
    '.message = string(.message) ?? ""',
    'del(.metadata.managedFields)',
    '',
  ].join('\n');
}

/**
 * The Vector side of `KubernetesEvents`: `http_server` on loopback for the exporter's webhook, the enrichment and a
 * `vector` sink over mTLS to the aggregators, like the agents'.
 */
export function buildEventsPipeline(o: EventsPipelineOptions): VectorPipeline {
  const ids = EVENTS_IDS;
  const pipeline = new VectorPipeline({
    global: { data_dir: o.dataDir, api: { enabled: true, address: `0.0.0.0:${o.apiPort}` } },
  });
  pipeline.addSource(
    ids.exporter,
    {
      type: 'http_server',
      address: `127.0.0.1:${o.receiverPort}`,
      method: 'POST',
      decoding: { codec: 'json' },
    },
    { comment: 'The event exporter in the same pod posts each event here; loopback only, nothing else can reach it.' },
  );
  pipeline.addTransform(ids.enrich, { type: 'remap', inputs: [ids.exporter], source: enrichEventsVrl(o.cluster) });
  // mTLS as the agents: the aggregators' certificate and name verified, the cluster's client certificate presented.
  pipeline.addSink(ids.toAggregators, aggregatorSink([ids.enrich], o.endpoints, o.tls));
  return pipeline;
}
