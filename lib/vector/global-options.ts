import type { AwsAuthOptions } from './options';

/**
 * A secret backend. Values are referenced anywhere in the config as `SECRET[<backend>.<key>]`,
 * so credentials stay in Kubernetes Secrets and out of the ConfigMap.
 */
export type SecretBackend =
  /** One file per key in a directory, e.g. a mounted Secret. */
  | { readonly type: 'directory'; readonly path: string; readonly remove_trailing_whitespace?: boolean }
  /** A JSON file of key/value pairs. */
  | { readonly type: 'file'; readonly path: string }
  | { readonly type: 'exec'; readonly command: readonly string[]; readonly timeout?: number }
  | {
      readonly type: 'aws_secrets_manager';
      readonly secret_id: string;
      readonly region?: string;
      readonly endpoint?: string;
      readonly auth?: AwsAuthOptions;
    };

/** Vector's top-level options. */
export interface GlobalOptions {
  /** Where sources keep checkpoints and disk buffers live. @default '/var/lib/vector/' */
  readonly data_dir?: string;
  /** The API serves `GET /health` for probes. @default disabled; address '127.0.0.1:8686' */
  readonly api?: { readonly enabled: boolean; readonly address?: string };
  /** End-to-end acknowledgements for every sink. @default disabled */
  readonly acknowledgements?: { readonly enabled: boolean };
  /** Secret backends by name. */
  readonly secret?: Readonly<Record<string, SecretBackend>>;
  /** Drop metrics not updated for this long (seconds). @default never */
  readonly expire_metrics_secs?: number;
}

/** The address the API binds when it is enabled without one. */
export const DEFAULT_API_ADDRESS = '127.0.0.1:8686';
