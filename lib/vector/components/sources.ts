import { ALL_EVENT_TYPES } from '../event-types';
import type { DecodingOptions, FramingOptions, HttpAuthOptions, TlsOptions } from '../options';
import { DECODING_EVENT_TYPES } from '../options';
import { type ComponentKind, defineKind, optionNamesOf } from './kind';

/** Reads the logs of every container on the node from `/var/log/pods`, enriched from the API server. */
export interface KubernetesLogsSource {
  readonly type: 'kubernetes_logs';
  /** Node whose pods are read; Vector reads `VECTOR_SELF_NODE_NAME` when unset. @default the node it runs on */
  readonly self_node_name?: string;
  /** Files not to read, as globs over `/var/log/pods/...` paths. */
  readonly exclude_paths_glob_patterns?: readonly string[];
  /** Only these files, as globs. @default all of `/var/log/pods/**` */
  readonly include_paths_glob_patterns?: readonly string[];
  /** Label selector narrowing the pods read, e.g. `vector.dev/exclude!=true`. */
  readonly extra_label_selector?: string;
  readonly extra_field_selector?: string;
  readonly extra_namespace_label_selector?: string;
  /** How often files are rescanned (ms). Short-lived pods can vanish between scans. @default 60000 */
  readonly glob_minimum_cooldown_ms?: number;
  /** Pods deleted this long ago still have their files read (ms). @default 60000 */
  readonly delay_deletion_ms?: number;
  /** @default 32768 */
  readonly max_line_bytes?: number;
  readonly max_read_bytes?: number;
  /** Files older than this are skipped (seconds). */
  readonly ignore_older_secs?: number;
  /** @default 'beginning' */
  readonly read_from?: 'beginning' | 'end';
  readonly oldest_first?: boolean;
  readonly rotate_wait_secs?: number;
  /** Serve pod metadata from the API server's watch cache, lighter on the API server. @default false */
  readonly use_apiserver_cache?: boolean;
  readonly data_dir?: string;
  /** @default true */
  readonly auto_partial_merge?: boolean;
  /** @default true */
  readonly insert_namespace_fields?: boolean;
  readonly kube_config_file?: string;
  readonly timezone?: string;
  /** Where pod metadata is written in each event. @default `.kubernetes.*` */
  readonly pod_annotation_fields?: Readonly<Record<string, string>>;
  readonly namespace_annotation_fields?: Readonly<Record<string, string>>;
  readonly node_annotation_fields?: Readonly<Record<string, string>>;
}

/** Tails files. */
export interface FileSource {
  readonly type: 'file';
  /** Globs of the files to read. */
  readonly include: readonly string[];
  readonly exclude?: readonly string[];
  /** @default 'beginning' */
  readonly read_from?: 'beginning' | 'end';
  readonly ignore_older_secs?: number;
  /** @default 1000 */
  readonly glob_minimum_cooldown_ms?: number;
  readonly data_dir?: string;
  readonly max_line_bytes?: number;
  readonly remove_after_secs?: number;
  /** @default 'file' */
  readonly file_key?: string;
  readonly host_key?: string;
  readonly line_delimiter?: string;
  readonly oldest_first?: boolean;
  readonly ignore_checkpoints?: boolean;
  readonly rotate_wait_secs?: number;
  readonly fingerprint?:
    | { readonly strategy: 'checksum'; readonly lines?: number; readonly ignored_header_bytes?: number }
    | { readonly strategy: 'device_and_inode' };
}

/** Reads standard input; Vector shuts down gracefully when it reaches EOF. */
export interface StdinSource {
  readonly type: 'stdin';
  /** @default { codec: 'bytes' } (one log event per line) */
  readonly decoding?: DecodingOptions;
  /** @default { method: 'newline_delimited' } */
  readonly framing?: FramingOptions;
  readonly host_key?: string;
  readonly max_length?: number;
}

export type HostMetricsCollector =
  | 'cgroups'
  | 'cpu'
  | 'disk'
  | 'filesystem'
  | 'host'
  | 'load'
  | 'memory'
  | 'network'
  | 'process'
  | 'tcp'
  | 'temperature';

interface IncludeExclude {
  readonly includes?: readonly string[];
  readonly excludes?: readonly string[];
}

/** Metrics of the host: CPU, memory, disk, filesystem, network, load. */
export interface HostMetricsSource {
  readonly type: 'host_metrics';
  /** @default cpu, disk, filesystem, load, host, memory, network (and cgroups on Linux) */
  readonly collectors?: readonly HostMetricsCollector[];
  /** Metric name prefix. @default 'host' */
  readonly namespace?: string;
  /** @default 15 */
  readonly scrape_interval_secs?: number;
  readonly cgroups?: { readonly base?: string; readonly levels?: number; readonly groups?: IncludeExclude };
  readonly disk?: { readonly devices?: IncludeExclude };
  readonly filesystem?: {
    readonly devices?: IncludeExclude;
    readonly filesystems?: IncludeExclude;
    readonly mountpoints?: IncludeExclude;
  };
  readonly network?: { readonly devices?: IncludeExclude };
  readonly process?: { readonly processes?: IncludeExclude };
}

/** Vector's own metrics (`vector_component_*`, `vector_buffer_*`). */
export interface InternalMetricsSource {
  readonly type: 'internal_metrics';
  /** @default 'vector' */
  readonly namespace?: string;
  /** @default 1.0 */
  readonly scrape_interval_secs?: number;
  readonly tags?: { readonly host_key?: string; readonly pid_key?: string };
}

/** Scrapes Prometheus endpoints. */
export interface PrometheusScrapeSource {
  readonly type: 'prometheus_scrape';
  /** Full URLs, e.g. `https://10.0.0.1:10250/metrics/cadvisor`. */
  readonly endpoints: readonly string[];
  /** @default 15 */
  readonly scrape_interval_secs?: number;
  /** @default 5 */
  readonly scrape_timeout_secs?: number;
  readonly honor_labels?: boolean;
  readonly instance_tag?: string;
  readonly endpoint_tag?: string;
  readonly auth?: HttpAuthOptions;
  readonly tls?: TlsOptions;
  /** Extra query parameters of the scrape request. */
  readonly query?: Readonly<Record<string, string | { readonly type?: 'string' | 'vrl'; readonly value: string }>>;
}

/** Receives events from other Vector instances (the `vector` sink) over gRPC. */
export interface VectorSource {
  readonly type: 'vector';
  /** `host:port` to listen on, e.g. `0.0.0.0:6000`. */
  readonly address: string;
  /** @default '2' */
  readonly version?: '2';
  /** Closing connections after this age makes clients reconnect and so spread over replicas. */
  readonly keepalive?: { readonly max_connection_age_secs?: number; readonly max_connection_age_grace_secs?: number };
  readonly tls?: TlsOptions;
  readonly acknowledgements?: { readonly enabled: boolean };
}

/**
 * Receives events over HTTP: one event per request body (or per line, as `framing` says). Used for webhooks such as
 * the Kubernetes event exporter's.
 */
export interface HttpServerSource {
  readonly type: 'http_server';
  /** `host:port` to listen on, e.g. `127.0.0.1:8080`. */
  readonly address: string;
  /** @default 'POST' */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Only requests to this path are accepted (see `strict_path`). @default '/' */
  readonly path?: string;
  /** @default true */
  readonly strict_path?: boolean;
  /** @default { codec: 'bytes' } */
  readonly decoding?: DecodingOptions;
  readonly framing?: FramingOptions;
  readonly headers?: readonly string[];
  readonly tls?: TlsOptions;
  readonly acknowledgements?: { readonly enabled: boolean };
}

/**
 * Reads the systemd journal by running `journalctl` (so the image must have it: the `-debian` Vector images do,
 * the `-distroless-*` ones do not). Events carry the journal's fields (`_SYSTEMD_UNIT`, `PRIORITY`, ...) with
 * `message` and `host`.
 */
export interface JournaldSource {
  readonly type: 'journald';
  /** Only these units, e.g. `kubelet.service` (a name without a dot gets `.service`). @default every unit */
  readonly include_units?: readonly string[];
  /** @default none */
  readonly exclude_units?: readonly string[];
  /** Only entries with these field values, e.g. `{ _TRANSPORT: ['kernel'] }`. @default every entry */
  readonly include_matches?: Readonly<Record<string, readonly string[]>>;
  /** @default none */
  readonly exclude_matches?: Readonly<Record<string, readonly string[]>>;
  /** Only entries of the current boot. @default true */
  readonly current_boot_only?: boolean;
  /** Only entries written after Vector started. @default false */
  readonly since_now?: boolean;
  /** Keep the `__CURSOR` field, the entry's unique position in the journal. @default false */
  readonly emit_cursor?: boolean;
  /** Entries read per checkpoint. @default 16 */
  readonly batch_size?: number;
  /** @default the global `data_dir` */
  readonly data_dir?: string;
  /** The journal directory `journalctl` reads. @default journalctl's own: `/var/log/journal` and `/run/log/journal` */
  readonly journal_directory?: string;
  readonly journal_namespace?: string;
  /** @default `journalctl` from `PATH` */
  readonly journalctl_path?: string;
  /** @default none */
  readonly extra_args?: readonly string[];
}

export type SourceSpec =
  | HttpServerSource
  | KubernetesLogsSource
  | JournaldSource
  | FileSource
  | StdinSource
  | HostMetricsSource
  | InternalMetricsSource
  | PrometheusScrapeSource
  | VectorSource;

const source = (def: Parameters<typeof defineKind>[1]) => defineKind('source', def);

export const SOURCE_KINDS: readonly ComponentKind[] = [
  source({
    type: 'kubernetes_logs',
    optionNames: optionNamesOf<KubernetesLogsSource>()([
      'self_node_name',
      'exclude_paths_glob_patterns',
      'include_paths_glob_patterns',
      'extra_label_selector',
      'extra_field_selector',
      'extra_namespace_label_selector',
      'glob_minimum_cooldown_ms',
      'delay_deletion_ms',
      'max_line_bytes',
      'max_read_bytes',
      'ignore_older_secs',
      'read_from',
      'oldest_first',
      'rotate_wait_secs',
      'use_apiserver_cache',
      'data_dir',
      'auto_partial_merge',
      'insert_namespace_fields',
      'kube_config_file',
      'timezone',
      'pod_annotation_fields',
      'namespace_annotation_fields',
      'node_annotation_fields',
    ]),
    optionHints: {
      exclude_paths: 'the option is `exclude_paths_glob_patterns`',
      include_paths: 'the option is `include_paths_glob_patterns`',
    },
    emits: ['logs'],
  }),
  source({
    type: 'journald',
    optionNames: optionNamesOf<JournaldSource>()([
      'include_units',
      'exclude_units',
      'include_matches',
      'exclude_matches',
      'current_boot_only',
      'since_now',
      'emit_cursor',
      'batch_size',
      'data_dir',
      'journal_directory',
      'journal_namespace',
      'journalctl_path',
      'extra_args',
    ]),
    optionHints: {
      units: 'the option is `include_units`',
      directory: 'the option is `journal_directory`',
    },
    emits: ['logs'],
  }),
  source({
    type: 'file',
    optionNames: optionNamesOf<FileSource>()([
      'include',
      'exclude',
      'read_from',
      'ignore_older_secs',
      'glob_minimum_cooldown_ms',
      'data_dir',
      'max_line_bytes',
      'remove_after_secs',
      'file_key',
      'host_key',
      'line_delimiter',
      'oldest_first',
      'ignore_checkpoints',
      'rotate_wait_secs',
      'fingerprint',
    ]),
    required: ['include'],
    emits: ['logs'],
  }),
  source({
    type: 'stdin',
    optionNames: optionNamesOf<StdinSource>()(['decoding', 'framing', 'host_key', 'max_length']),
    emits: (o) => {
      const codec = (o.decoding as DecodingOptions | undefined)?.codec ?? 'bytes';
      return DECODING_EVENT_TYPES[codec] ?? ALL_EVENT_TYPES;
    },
  }),
  source({
    type: 'host_metrics',
    optionNames: optionNamesOf<HostMetricsSource>()([
      'collectors',
      'namespace',
      'scrape_interval_secs',
      'cgroups',
      'disk',
      'filesystem',
      'network',
      'process',
    ]),
    emits: ['metrics'],
  }),
  source({
    type: 'internal_metrics',
    optionNames: optionNamesOf<InternalMetricsSource>()(['namespace', 'scrape_interval_secs', 'tags']),
    emits: ['metrics'],
  }),
  source({
    type: 'prometheus_scrape',
    optionNames: optionNamesOf<PrometheusScrapeSource>()([
      'endpoints',
      'scrape_interval_secs',
      'scrape_timeout_secs',
      'honor_labels',
      'instance_tag',
      'endpoint_tag',
      'auth',
      'tls',
      'query',
    ]),
    required: ['endpoints'],
    emits: ['metrics'],
    check: (o) =>
      Array.isArray(o.endpoints) && o.endpoints.length === 0 ? ['`endpoints` is empty: give at least one URL'] : [],
  }),
  source({
    type: 'http_server',
    optionNames: optionNamesOf<HttpServerSource>()([
      'address',
      'method',
      'path',
      'strict_path',
      'decoding',
      'framing',
      'headers',
      'tls',
      'acknowledgements',
    ]),
    required: ['address'],
    emits: (o) => {
      const codec = (o.decoding as DecodingOptions | undefined)?.codec ?? 'bytes';
      return DECODING_EVENT_TYPES[codec] ?? ALL_EVENT_TYPES;
    },
    listenAddress: (o) => o.address as string | undefined,
  }),
  source({
    type: 'vector',
    optionNames: optionNamesOf<VectorSource>()(['address', 'version', 'keepalive', 'tls', 'acknowledgements']),
    required: ['address'],
    emits: ALL_EVENT_TYPES,
    listenAddress: (o) => o.address as string | undefined,
    check: (o) => {
      const tls = o.tls as TlsOptions | undefined;
      const problems: string[] = [];
      if (tls?.enabled && (!tls.crt_file || !tls.key_file)) {
        problems.push('`tls.enabled` needs `tls.crt_file` and `tls.key_file`: the server presents a certificate');
      }
      if (tls?.verify_certificate && !tls.ca_file) {
        problems.push('`tls.verify_certificate` needs `tls.ca_file`: the CA that signs the client certificates');
      }
      return problems;
    },
  }),
];
