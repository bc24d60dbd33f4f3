import { ALL_EVENT_TYPES, type EventType } from '../event-types';
import {
  type AwsAuthOptions,
  type BatchOptions,
  type CompressionAlgorithm,
  ENCODING_EVENT_TYPES,
  type EncodingOptions,
  type FramingOptions,
  type HttpAuthOptions,
  type RequestOptions,
  type SinkCommonOptions,
  type TlsOptions,
} from '../options';
import { type ComponentKind, type ComponentOptions, defineKind, optionNamesOf } from './kind';

interface SinkBase extends SinkCommonOptions {
  /** Ids (or `id.output`) of the components this sink reads. */
  readonly inputs: readonly string[];
}

/** Sends events to other Vector instances (a `vector` source) over gRPC. */
export interface VectorSink extends SinkBase {
  readonly type: 'vector';
  /** Where to send: `endpoints` are `http(s)://host:port` URLs; several are load-balanced. */
  readonly routing?: {
    readonly endpoints: readonly string[];
    /** @default 'load_balance' */
    readonly strategy?: 'load_balance' | 'failover' | 'failover_primary';
    readonly health?: { readonly retry_initial_backoff_secs?: number; readonly retry_max_duration_secs?: number };
  };
  /**
   * `host:port` of one downstream Vector.
   * @deprecated since Vector 0.57: use `routing.endpoints`.
   */
  readonly address?: string;
  /** @default '2' */
  readonly version?: '2';
  /** @default false */
  readonly compression?: boolean | 'gzip' | 'none' | 'zstd';
  readonly batch?: BatchOptions;
  readonly request?: RequestOptions;
  readonly tls?: TlsOptions;
  readonly keepalive?: { readonly interval_secs?: number; readonly timeout_secs?: number };
}

/** Pushes log events to Grafana Loki. */
export interface LokiSink extends SinkBase {
  readonly type: 'loki';
  /** Base URL, e.g. `http://loki-gateway.monitoring.svc:80`. */
  readonly endpoint: string;
  readonly encoding: EncodingOptions;
  /** Stream labels; values may be templates such as `{{ kubernetes.pod_namespace }}`. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly structured_metadata?: Readonly<Record<string, string>>;
  readonly tenant_id?: string;
  /** @default '/loki/api/v1/push' */
  readonly path?: string;
  /** @default 'accept' */
  readonly out_of_order_action?: 'accept' | 'drop' | 'rewrite_timestamp';
  readonly remove_label_fields?: boolean;
  readonly remove_structured_metadata_fields?: boolean;
  readonly remove_timestamp?: boolean;
  /** @default 'snappy' */
  readonly compression?: CompressionAlgorithm;
  readonly auth?: HttpAuthOptions;
  readonly batch?: BatchOptions;
  readonly request?: RequestOptions;
  readonly tls?: TlsOptions;
  /**
   * Vector 0.57 refuses a template with no literal prefix (a label value of just `{{ field }}`)
   * unless this is true. Loki label values are not paths, so it is safe to set for them.
   * @default false
   */
  readonly dangerously_allow_unconfined_template_resolution?: boolean;
}

/** Pushes metrics with the Prometheus remote-write protocol. */
export interface PrometheusRemoteWriteSink extends SinkBase {
  readonly type: 'prometheus_remote_write';
  /** Full URL, e.g. `http://prometheus:9090/api/v1/write`. */
  readonly endpoint: string;
  readonly default_namespace?: string;
  readonly tenant_id?: string;
  readonly auth?: HttpAuthOptions;
  /** @default 'snappy' */
  readonly compression?: 'snappy' | 'gzip' | 'zstd';
  readonly buckets?: readonly number[];
  readonly quantiles?: readonly number[];
  readonly batch?: BatchOptions;
  readonly request?: RequestOptions;
  readonly tls?: TlsOptions;
  /** @default false */
  readonly dangerously_allow_unconfined_template_resolution?: boolean;
}

/** Serves metrics for Prometheus to scrape. */
export interface PrometheusExporterSink extends SinkBase {
  readonly type: 'prometheus_exporter';
  /** @default '0.0.0.0:9598' */
  readonly address?: string;
  readonly default_namespace?: string;
  /** Metrics not updated for this long are no longer exposed (seconds). @default 60 */
  readonly flush_period_secs?: number;
  /** @default false */
  readonly suppress_timestamp?: boolean;
  readonly distributions_as_summaries?: boolean;
  readonly buckets?: readonly number[];
  readonly quantiles?: readonly number[];
  readonly tls?: TlsOptions;
  readonly auth?: HttpAuthOptions;
}

/** Writes batches of events as objects to S3 (or an S3-compatible store). */
export interface AwsS3Sink extends SinkBase {
  readonly type: 'aws_s3';
  readonly bucket: string;
  readonly encoding: EncodingOptions;
  readonly region?: string;
  /** For S3-compatible stores, e.g. `https://fsn1.your-objectstorage.com`. */
  readonly endpoint?: string;
  /** @default 'date=%F' */
  readonly key_prefix?: string;
  /** @default 'gzip' */
  readonly compression?: CompressionAlgorithm;
  readonly framing?: FramingOptions;
  readonly filename_time_format?: string;
  readonly filename_append_uuid?: boolean;
  readonly filename_extension?: string;
  readonly force_path_style?: boolean;
  readonly storage_class?: string;
  readonly server_side_encryption?: 'AES256' | 'aws:kms';
  readonly ssekms_key_id?: string;
  readonly acl?: string;
  readonly content_type?: string;
  readonly auth?: AwsAuthOptions;
  readonly batch?: BatchOptions;
  readonly request?: RequestOptions;
  readonly tls?: TlsOptions;
  readonly dangerously_allow_unconfined_template_resolution?: boolean;
}

/** Sends log events to AWS CloudWatch Logs. */
export interface AwsCloudwatchLogsSink extends SinkBase {
  readonly type: 'aws_cloudwatch_logs';
  readonly group_name: string;
  readonly stream_name: string;
  readonly encoding: EncodingOptions;
  readonly region?: string;
  readonly endpoint?: string;
  /** @default true */
  readonly create_missing_group?: boolean;
  /** @default true */
  readonly create_missing_stream?: boolean;
  readonly compression?: CompressionAlgorithm;
  readonly auth?: AwsAuthOptions;
  readonly batch?: BatchOptions;
  readonly request?: RequestOptions;
  readonly tls?: TlsOptions;
  readonly dangerously_allow_unconfined_template_resolution?: boolean;
}

/** Prints events to stdout or stderr. */
export interface ConsoleSink extends SinkBase {
  readonly type: 'console';
  readonly encoding: EncodingOptions;
  /** @default 'stdout' */
  readonly target?: 'stdout' | 'stderr';
}

/** Discards events (for tests and benchmarks). */
export interface BlackholeSink extends SinkBase {
  readonly type: 'blackhole';
  /** @default 1 */
  readonly print_interval_secs?: number;
  readonly rate?: number;
}

export type SinkSpec =
  | VectorSink
  | LokiSink
  | PrometheusRemoteWriteSink
  | PrometheusExporterSink
  | AwsS3Sink
  | AwsCloudwatchLogsSink
  | ConsoleSink
  | BlackholeSink;

/** Sinks that, since Vector 0.57, refuse a template with no literal prefix (the list of its upgrade guide). */
export const CONFINED_TEMPLATE_SINKS: ReadonlySet<string> = new Set([
  'aws_s3',
  'azure_blob',
  'gcp_cloud_storage',
  'webhdfs',
  'file',
  'elasticsearch',
  'kafka',
  'http',
  'axiom',
  'opentelemetry',
  'splunk_hec_logs',
  'splunk_hec_metrics',
  'humio_logs',
  'humio_metrics',
  'loki',
  'clickhouse',
  'doris',
  'redis',
  'amqp',
  'pulsar',
  'mqtt',
  'nats',
  'greptimedb_logs',
  'aws_cloudwatch_logs',
  'gcp_stackdriver_logs',
  'prometheus_remote_write',
]);

const COMMON = ['buffer', 'healthcheck', 'acknowledgements'] as const;
const sink = (def: Parameters<typeof defineKind>[1]) => defineKind('sink', def);

/** A sink with an `encoding` accepts what both the sink and its codec can carry. */
const acceptsWithCodec =
  (sinkAccepts: readonly EventType[]) =>
  (o: ComponentOptions): readonly EventType[] => {
    const codec = (o.encoding as EncodingOptions | undefined)?.codec;
    const codecTypes: readonly EventType[] | undefined = codec ? ENCODING_EVENT_TYPES[codec] : undefined;
    return codecTypes ? sinkAccepts.filter((t) => codecTypes.includes(t)) : sinkAccepts;
  };

function checkVectorSink(o: ComponentOptions): string[] {
  const routing = o.routing as VectorSink['routing'];
  if (routing === undefined && o.address === undefined) {
    return ['give `routing.endpoints` (the downstream Vector URLs)'];
  }
  if (routing !== undefined && o.address !== undefined) {
    return ['give `routing.endpoints` or the deprecated `address`, not both'];
  }
  if (routing !== undefined && (!Array.isArray(routing.endpoints) || routing.endpoints.length === 0)) {
    return ['`routing.endpoints` is empty: give at least one `https://host:port` URL'];
  }
  return [];
}

const nonEmpty =
  (...names: string[]) =>
  (o: ComponentOptions): string[] =>
    names.filter((n) => typeof o[n] === 'string' && (o[n] as string).trim() === '').map((n) => `\`${n}\` is empty`);

export const SINK_KINDS: readonly ComponentKind[] = [
  sink({
    type: 'vector',
    optionNames: optionNamesOf<VectorSink>()([
      ...COMMON,
      'routing',
      'address',
      'version',
      'compression',
      'batch',
      'request',
      'tls',
      'keepalive',
    ]),
    accepts: ALL_EVENT_TYPES,
    check: checkVectorSink,
  }),
  sink({
    type: 'loki',
    optionNames: optionNamesOf<LokiSink>()([
      ...COMMON,
      'endpoint',
      'encoding',
      'labels',
      'structured_metadata',
      'tenant_id',
      'path',
      'out_of_order_action',
      'remove_label_fields',
      'remove_structured_metadata_fields',
      'remove_timestamp',
      'compression',
      'auth',
      'batch',
      'request',
      'tls',
      'dangerously_allow_unconfined_template_resolution',
    ]),
    required: ['endpoint', 'encoding'],
    accepts: acceptsWithCodec(['logs']),
    check: nonEmpty('endpoint'),
  }),
  sink({
    type: 'prometheus_remote_write',
    optionNames: optionNamesOf<PrometheusRemoteWriteSink>()([
      ...COMMON,
      'endpoint',
      'default_namespace',
      'tenant_id',
      'auth',
      'compression',
      'buckets',
      'quantiles',
      'batch',
      'request',
      'tls',
      'dangerously_allow_unconfined_template_resolution',
    ]),
    required: ['endpoint'],
    accepts: ['metrics'],
    check: nonEmpty('endpoint'),
  }),
  sink({
    type: 'prometheus_exporter',
    optionNames: optionNamesOf<PrometheusExporterSink>()([
      ...COMMON,
      'address',
      'default_namespace',
      'flush_period_secs',
      'suppress_timestamp',
      'distributions_as_summaries',
      'buckets',
      'quantiles',
      'tls',
      'auth',
    ]),
    accepts: ['metrics'],
    // Vector binds its default address when none is given, so it takes the port all the same.
    listenAddress: (o) => (o.address as string | undefined) ?? '0.0.0.0:9598',
  }),
  sink({
    type: 'aws_s3',
    optionNames: optionNamesOf<AwsS3Sink>()([
      ...COMMON,
      'bucket',
      'encoding',
      'region',
      'endpoint',
      'key_prefix',
      'compression',
      'framing',
      'filename_time_format',
      'filename_append_uuid',
      'filename_extension',
      'force_path_style',
      'storage_class',
      'server_side_encryption',
      'ssekms_key_id',
      'acl',
      'content_type',
      'auth',
      'batch',
      'request',
      'tls',
      'dangerously_allow_unconfined_template_resolution',
    ]),
    required: ['bucket', 'encoding'],
    accepts: acceptsWithCodec(ALL_EVENT_TYPES),
    check: nonEmpty('bucket'),
  }),
  sink({
    type: 'aws_cloudwatch_logs',
    optionNames: optionNamesOf<AwsCloudwatchLogsSink>()([
      ...COMMON,
      'group_name',
      'stream_name',
      'encoding',
      'region',
      'endpoint',
      'create_missing_group',
      'create_missing_stream',
      'compression',
      'auth',
      'batch',
      'request',
      'tls',
      'dangerously_allow_unconfined_template_resolution',
    ]),
    required: ['group_name', 'stream_name', 'encoding'],
    accepts: acceptsWithCodec(['logs']),
    check: nonEmpty('group_name', 'stream_name'),
  }),
  sink({
    type: 'console',
    optionNames: optionNamesOf<ConsoleSink>()([...COMMON, 'encoding', 'target']),
    required: ['encoding'],
    accepts: acceptsWithCodec(ALL_EVENT_TYPES),
  }),
  sink({
    type: 'blackhole',
    optionNames: optionNamesOf<BlackholeSink>()([...COMMON, 'print_interval_secs', 'rate']),
    accepts: ALL_EVENT_TYPES,
  }),
];
