import { TLS_FILES } from '../k8s/tls';
import type { HeartbeatLineSource } from '../k8s/heartbeat-line';
import { DELIVERY_FIELDS, LINE_HASH_FIELD } from '../k8s/log-fields';
import { allowUnconfinedTemplates, templatesConfined, VECTOR_VERSION, VectorPipeline } from '../vector';
import { addHeartbeatCounter } from './heartbeat-counter';

/** Component ids of the aggregator's default pipeline, for wiring user components to it. */
export const AGGREGATOR_IDS = {
  agents: 'agents',
  internalMetrics: 'vector_metrics',
  byType: 'by_type',
  dedupe: 'dedupe',
  heartbeatEvents: 'heartbeat_events',
  heartbeatCounter: 'heartbeat_counter',
  heartbeatMeasure: 'heartbeat_measure',
  heartbeatMeasures: 'heartbeat_measures',
  heartbeatMetrics: 'heartbeat_metrics',
  collectorMarker: 'collector_marker',
  loki: 'loki',
  metrics: 'metrics_out',
  selfMetrics: 'self_metrics',
} as const;

export { DELIVERY_FIELDS };

export const LOKI_AUTH_DIR = '/var/run/secrets/vector/loki';
export const REMOTE_WRITE_AUTH_DIR = '/var/run/secrets/vector/remote-write';

/**
 * Loki stream labels: each is a field the agents set on every event, and each has a bounded set of values, so the
 * number of streams stays about clusters x namespaces x containers x severities whatever the pod churn.
 */
export const LOKI_LABELS = ['cluster', 'environment', 'namespace', 'container', 'severity'] as const;

/**
 * Fields sent as Loki structured metadata rather than labels: one value per pod or node, so as labels they would start
 * new streams with every rollout. Queried after the stream selector: `{namespace="x"} | pod="y"`.
 */
export const LOKI_STRUCTURED_METADATA = ['pod', 'node'] as const;

/**
 * The Loki label that sets the lines of a migrating cluster (`markedClusters`) apart from another collector's copies of
 * the same lines: Promtail's, while both run. Promtail's streams lack it, so `{cluster="c", collector="vector"}` is
 * Vector's copy and `{cluster="c", collector!="vector"}` Promtail's.
 */
export const COLLECTOR_LABEL = { name: 'collector', value: 'vector' } as const;

/** The event field the marker writes, expanded into labels by the loki sink's `"*"` key and not part of the line. */
const EXTRA_LABELS_FIELD = 'loki_extra_labels';

export interface NamespaceSampling {
  readonly namespace: string;
  /** Keep 1 event in `rate`. */
  readonly rate: number;
}

export interface AggregatorPipelineOptions {
  readonly dataDir: string;
  readonly vectorPort: number;
  readonly apiPort: number;
  readonly metricsPort: number;
  readonly maxConnectionAgeSecs: number;
  /** Require client certificates signed by the CA in the mounted Secret. */
  readonly tls: boolean;
  readonly dedupe: false | { readonly fields: readonly string[]; readonly cacheEvents: number };
  readonly sampling: readonly NamespaceSampling[];
  /** Clusters whose lines get the Loki label {@link COLLECTOR_LABEL}; none: no marker transform. */
  readonly markedClusters: readonly string[];
  readonly loki: {
    readonly endpoint: string;
    readonly tenantId?: string;
    readonly bearerToken: boolean;
    readonly bufferBytes: number;
  };
  readonly metrics:
    | { readonly kind: 'remote_write'; readonly endpoint: string; readonly bearerToken: boolean }
    | { readonly kind: 'exporter'; readonly port: number };
  /** Count LogHeartbeat lines per cluster into `vector_heartbeat_total{cluster}`, served on `port`. */
  readonly heartbeat:
    | false
    | { readonly intervalSeconds: number; readonly sources: readonly HeartbeatLineSource[]; readonly port: number };
}

/**
 * End-to-end acknowledgements on the aggregators' delivering sinks: the `vector` source (which can acknowledge, unlike
 * the agents' `kubernetes_logs`) then answers an agent only once every copy of its batch is in a disk buffer or
 * delivered, so an aggregator killed in between makes the agent send it again from its own disk buffer.
 */
const ACKNOWLEDGED = { enabled: true } as const;

/** `sample_kube_system` for `kube-system`: ids may not contain '.', and '-' reads badly in VRL-adjacent names. */
export const sampleId = (namespace: string) => `sample_${namespace.replace(/[^A-Za-z0-9]/g, '_')}`;

/**
 * Sets {@link EXTRA_LABELS_FIELD} on every line: the marker label for the clusters given, else an empty object (a
 * missing field would be a template error on every line, counted in component_errors_total).
 */
export function collectorMarkerVrl(clusters: readonly string[]): string {
  return [
    `.${EXTRA_LABELS_FIELD} = {}`,
    `if includes(${JSON.stringify(clusters)}, .cluster) {`,
    `  .${EXTRA_LABELS_FIELD} = { ${JSON.stringify(COLLECTOR_LABEL.name)}: ${JSON.stringify(COLLECTOR_LABEL.value)} }`,
    '}',
    '',
  ].join('\n');
}

/**
 * The aggregator's default pipeline: events from the agents, split by type; logs deduplicated,
 * sampled in the noisy namespaces and pushed to Loki through a disk buffer; heartbeat lines
 * counted per cluster on their own exporter port; metrics to remote write or an exporter;
 * Vector's own metrics on their own exporter port.
 */
export function buildAggregatorPipeline(o: AggregatorPipelineOptions): VectorPipeline {
  const ids = AGGREGATOR_IDS;
  const pipeline = new VectorPipeline({
    global: { data_dir: o.dataDir, api: { enabled: true, address: `0.0.0.0:${o.apiPort}` } },
  });

  pipeline.addSource(
    ids.agents,
    {
      type: 'vector',
      address: `0.0.0.0:${o.vectorPort}`,
      version: '2',
      keepalive: { max_connection_age_secs: o.maxConnectionAgeSecs },
      // mTLS: a listening source verifies no client unless verify_certificate is true.
      ...(o.tls ? { tls: { enabled: true, ...TLS_FILES, verify_certificate: true } } : {}),
    },
    {
      comment: [
        `Agents hold one HTTP/2 connection each, which an L4 load balancer never moves: closing it after`,
        `${o.maxConnectionAgeSecs} s makes every agent reconnect and spreads them over the replicas again.`,
      ].join('\n'),
    },
  );
  pipeline.addTransform(ids.byType, {
    type: 'route',
    inputs: [ids.agents],
    route: { logs: { type: 'is_log' }, metrics: { type: 'is_metric' } },
  });
  if (o.heartbeat) {
    // From the route, not the dedupe: a dedupe on fields of your own (dedupeFields) could take a pod's heartbeat lines
    // for one. A heartbeat delivered twice counts twice, which still says the cluster's pipeline works.
    addHeartbeatCounter(pipeline, {
      inputs: [`${ids.byType}.logs`],
      intervalSeconds: o.heartbeat.intervalSeconds,
      sources: o.heartbeat.sources,
      exporterAddress: `0.0.0.0:${o.heartbeat.port}`,
      ids: {
        filter: ids.heartbeatEvents,
        counter: ids.heartbeatCounter,
        exporter: ids.heartbeatMetrics,
        measure: ids.heartbeatMeasure,
        measures: ids.heartbeatMeasures,
      },
    });
  }

  let logs: string = `${ids.byType}.logs`;
  if (o.dedupe) {
    pipeline.addTransform(ids.dedupe, {
      type: 'dedupe',
      inputs: [logs],
      fields: { match: [...o.dedupe.fields] },
      cache: { num_events: o.dedupe.cacheEvents },
    });
    logs = ids.dedupe;
  }
  for (const s of o.sampling) {
    const id = sampleId(s.namespace);
    pipeline.addTransform(
      id,
      { type: 'sample', inputs: [logs], rate: s.rate, exclude: `.namespace != ${JSON.stringify(s.namespace)}` },
      { comment: `Keeps 1 in ${s.rate} events of namespace ${s.namespace}; every other event passes untouched.` },
    );
    logs = id;
  }
  if (o.markedClusters.length > 0) {
    pipeline.addTransform(
      ids.collectorMarker,
      { type: 'remap', inputs: [logs], source: collectorMarkerVrl(o.markedClusters) },
      {
        comment: [
          `Lines of ${o.markedClusters.join(', ')} get the Loki label ${COLLECTOR_LABEL.name}="${COLLECTOR_LABEL.value}": another collector`,
          '(Promtail) still ships them too, and its copies lack the label. Every other line gets no extra label.',
        ].join('\n'),
      },
    );
    logs = ids.collectorMarker;
  }

  if (o.loki.bearerToken) {
    pipeline.addSecretBackend('loki', { type: 'directory', path: LOKI_AUTH_DIR, remove_trailing_whitespace: true });
  }
  pipeline.addSink(
    ids.loki,
    {
      type: 'loki',
      inputs: [logs],
      endpoint: o.loki.endpoint,
      ...(o.loki.tenantId ? { tenant_id: o.loki.tenantId } : {}),
      ...(o.loki.bearerToken ? { auth: { strategy: 'bearer', token: 'SECRET[loki.token]' } } : {}),
      // The digest is for the dedupe above, not for anyone reading the line in Loki.
      encoding: {
        codec: 'json',
        except_fields: [LINE_HASH_FIELD, ...(o.markedClusters.length > 0 ? [EXTRA_LABELS_FIELD] : [])],
      },
      compression: 'gzip',
      labels: {
        ...Object.fromEntries(LOKI_LABELS.map((l) => [l, `{{ ${l} }}`])),
        // "*" expands the field's object into labels, one per key: none for the empty object.
        ...(o.markedClusters.length > 0 ? { '*': `{{ ${EXTRA_LABELS_FIELD} }}` } : {}),
      },
      structured_metadata: Object.fromEntries(LOKI_STRUCTURED_METADATA.map((f) => [f, `{{ ${f} }}`])),
      ...allowUnconfinedTemplates(),
      buffer: { type: 'disk', max_size: o.loki.bufferBytes, when_full: 'block' },
      acknowledgements: ACKNOWLEDGED,
    },
    {
      comment: [
        `Labels are the low-cardinality fields (${LOKI_LABELS.join(', ')}); ${LOKI_STRUCTURED_METADATA.join(' and ')} change with`,
        'every rollout, so they go to structured metadata: query them as {namespace="x"} | pod="y".',
        ...(templatesConfined()
          ? [
              `Values are whole-field templates such as "{{ namespace }}", which Vector ${VECTOR_VERSION} refuses unless`,
              'unconfined templates are allowed. Loki labels are not paths, so that is safe here.',
            ]
          : []),
        'Acknowledged: the vector source answers an agent only once its batch is in this disk buffer.',
      ].join('\n'),
    },
  );

  const metricsIn = `${ids.byType}.metrics`;
  if (o.metrics.kind === 'remote_write') {
    if (o.metrics.bearerToken) {
      pipeline.addSecretBackend('remote_write', {
        type: 'directory',
        path: REMOTE_WRITE_AUTH_DIR,
        remove_trailing_whitespace: true,
      });
    }
    pipeline.addSink(ids.metrics, {
      type: 'prometheus_remote_write',
      inputs: [metricsIn],
      endpoint: o.metrics.endpoint,
      ...(o.metrics.bearerToken ? { auth: { strategy: 'bearer', token: 'SECRET[remote_write.token]' } } : {}),
      // In memory, so the agent gets its answer only once Prometheus has the batch.
      acknowledgements: ACKNOWLEDGED,
    });
  } else {
    pipeline.addSink(ids.metrics, {
      type: 'prometheus_exporter',
      inputs: [metricsIn],
      address: `0.0.0.0:${o.metrics.port}`,
    });
  }

  pipeline.addSource(ids.internalMetrics, { type: 'internal_metrics' });
  pipeline.addSink(ids.selfMetrics, {
    type: 'prometheus_exporter',
    inputs: [ids.internalMetrics],
    address: `0.0.0.0:${o.metricsPort}`,
  });
  return pipeline;
}
