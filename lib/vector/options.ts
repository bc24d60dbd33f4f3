/**
 * Nested option blocks shared by several Vector components, under Vector's own option names
 * (Vector 0.57). Only what is rendered into the config lives here; behaviour lives in the
 * component kinds.
 */

/** The smallest `max_size` Vector accepts for a disk buffer (bytes). */
export const MIN_DISK_BUFFER_BYTES = 268_435_488;

/**
 * A condition: a VRL boolean expression, or a typed condition object.
 * @see https://vector.dev/docs/reference/configuration/transforms/filter/#condition
 */
export type Condition =
  | string
  | { readonly type: 'vrl' | 'datadog_search'; readonly source: string }
  | { readonly type: 'is_log' | 'is_metric' | 'is_trace' };

export type WhenFull = 'block' | 'drop_newest';

/** An in-memory buffer in front of a sink. */
export interface MemoryBuffer {
  readonly type: 'memory';
  /** Events held before the sink applies back-pressure. @default 500 */
  readonly max_events?: number;
  /** @default 'block' */
  readonly when_full?: WhenFull;
}

/** A disk buffer in front of a sink. Survives restarts when `data_dir` is on a persistent volume. */
export interface DiskBuffer {
  readonly type: 'disk';
  /** Size in bytes; at least {@link MIN_DISK_BUFFER_BYTES} (268435488). */
  readonly max_size: number;
  /** @default 'block' */
  readonly when_full?: WhenFull;
}

/** A sink's buffer: one stage, or a list of stages (memory first, overflowing to disk). */
export type BufferOptions = MemoryBuffer | DiskBuffer | readonly (MemoryBuffer | DiskBuffer)[];

/** Batching of a sink's requests. */
export interface BatchOptions {
  /** @default depends on the sink */
  readonly max_bytes?: number;
  /** @default depends on the sink */
  readonly max_events?: number;
  /** Longest time a partial batch waits before it is sent (seconds). @default 1 */
  readonly timeout_secs?: number;
}

/** Request behaviour of an HTTP-based sink. */
export interface RequestOptions {
  /** @default 'adaptive' */
  readonly concurrency?: 'adaptive' | 'none' | number;
  /** @default 1 */
  readonly rate_limit_duration_secs?: number;
  /** @default unlimited */
  readonly rate_limit_num?: number;
  /** @default unlimited */
  readonly retry_attempts?: number;
  /** @default 1 */
  readonly retry_initial_backoff_secs?: number;
  /** @default 30 */
  readonly retry_max_duration_secs?: number;
  /** @default 60 */
  readonly timeout_secs?: number;
}

/** TLS for a client (sink) or server (source) connection. Paths are files inside the container. */
export interface TlsOptions {
  /** Server side only: turn TLS on for a listening source. @default false */
  readonly enabled?: boolean;
  readonly ca_file?: string;
  readonly crt_file?: string;
  readonly key_file?: string;
  readonly key_pass?: string;
  readonly server_name?: string;
  /**
   * Client: verify the server's certificate. Server: require and verify client certificates
   * (mTLS); a listening source does not verify clients unless this is true.
   * @default true for clients, false for servers
   */
  readonly verify_certificate?: boolean;
  /** @default true */
  readonly verify_hostname?: boolean;
  readonly alpn_protocols?: readonly string[];
}

export type TimestampFormat = 'rfc3339' | 'unix' | 'unix_float' | 'unix_ms' | 'unix_ns' | 'unix_us';

interface EncodingCommon {
  readonly except_fields?: readonly string[];
  readonly only_fields?: readonly string[];
  readonly timestamp_format?: TimestampFormat;
}

/** How a sink serializes events. */
export type EncodingOptions = EncodingCommon &
  (
    | {
        readonly codec: 'json';
        readonly json?: { readonly pretty?: boolean };
        readonly metric_tag_values?: 'full' | 'single';
      }
    | { readonly codec: 'text'; readonly metric_tag_values?: 'full' | 'single' }
    | { readonly codec: 'raw_message' | 'logfmt' | 'native' | 'native_json' }
  );

/** Codecs a sink's `encoding.codec` can take in this model, with the event types each can encode. */
export const ENCODING_EVENT_TYPES = {
  json: ['logs', 'metrics', 'traces'],
  text: ['logs', 'metrics'],
  raw_message: ['logs'],
  logfmt: ['logs'],
  native: ['logs', 'metrics', 'traces'],
  native_json: ['logs', 'metrics', 'traces'],
} as const;

/** How a source decodes the bytes it reads. */
export type DecodingOptions =
  | { readonly codec: 'bytes' | 'native' | 'native_json' | 'influxdb' }
  | { readonly codec: 'json'; readonly json?: { readonly lossy?: boolean } }
  | { readonly codec: 'vrl'; readonly vrl: { readonly source: string; readonly timezone?: string } };

/** Codecs a source's `decoding.codec` can take in this model, with the event types each produces. */
export const DECODING_EVENT_TYPES = {
  bytes: ['logs'],
  json: ['logs'],
  vrl: ['logs'],
  influxdb: ['metrics'],
  native: ['logs', 'metrics', 'traces'],
  native_json: ['logs', 'metrics', 'traces'],
} as const;

/** How a byte stream is split into frames. */
export type FramingOptions =
  | { readonly method: 'bytes' | 'newline_delimited' | 'octet_counting' | 'varint_length_delimited' }
  | { readonly method: 'character_delimited'; readonly character_delimited: { readonly delimiter: string } };

/**
 * HTTP authentication. Put credentials in a secret backend and reference them as
 * `SECRET[backend.key]`; never inline them.
 */
export type HttpAuthOptions =
  | { readonly strategy: 'basic'; readonly user: string; readonly password: string }
  | { readonly strategy: 'bearer'; readonly token: string };

/** AWS credentials; without any, the default provider chain (IRSA, instance profile) is used. */
export interface AwsAuthOptions {
  readonly access_key_id?: string;
  readonly secret_access_key?: string;
  readonly assume_role?: string;
  readonly external_id?: string;
  readonly credentials_file?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly session_name?: string;
  readonly load_timeout_secs?: number;
}

export type CompressionAlgorithm = 'gzip' | 'none' | 'snappy' | 'zlib' | 'zstd';

/** End-to-end acknowledgements for one sink. */
export interface AcknowledgementsOptions {
  readonly enabled: boolean;
}

/** Options every sink takes. */
export interface SinkCommonOptions {
  readonly buffer?: BufferOptions;
  /** @default true */
  readonly healthcheck?: boolean | { readonly enabled: boolean };
  readonly acknowledgements?: AcknowledgementsOptions;
}
