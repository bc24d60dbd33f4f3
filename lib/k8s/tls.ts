import type { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import type { VectorSink } from '../vector/components/sinks';
import { checkDnsLabel, checkDnsSubdomain, propError } from './prop-errors';

/** Where a workload's certificate Secret is mounted (read-only). */
export const TLS_DIR = '/var/run/secrets/vector/tls';
const TLS_VOLUME = 'tls';

/**
 * The annotation Stakater Reloader watches: it restarts the workload when a listed Secret changes.
 * Vector reads certificate files only at start, so a renewed certificate needs a restart.
 */
export const RELOADER_ANNOTATION = 'secret.reloader.stakater.com/reload';

/** TLS for a Vector workload, from a Secret in its namespace with `tls.crt`, `tls.key` and `ca.crt` (as cert-manager writes it). */
export interface WorkloadTls {
  /** The Secret, e.g. the `secretName` of a cert-manager Certificate. */
  readonly secretName: string;
  /**
   * The namespace the Secret lives in (`VectorPki.serverTls` and `VectorClientPki.clientTls` give it). Pods mount
   * Secrets of their own namespace only, so the workload refuses any other.
   * @default the workload's namespace
   */
  readonly namespace?: string;
  /**
   * Restart the pods when the Secret changes, through a Stakater Reloader annotation on the
   * workload (Reloader must run in the cluster). Without it, renewed certificates take effect
   * only at the next restart: keep `renewBefore` well ahead of expiry.
   * @default false
   */
  readonly restartOnRenewal?: boolean;
}

/** The certificate, key and CA paths in the container, under Vector's option names. */
export const TLS_FILES = {
  ca_file: `${TLS_DIR}/ca.crt`,
  crt_file: `${TLS_DIR}/tls.crt`,
  key_file: `${TLS_DIR}/tls.key`,
} as const;

/**
 * The `vector` sink to the aggregators, as every shipping workload (the agents, the events collector) writes it: the
 * endpoints as `https://` URLs with mTLS (verify the aggregators' certificate and name, present the workload's client
 * certificate from the mounted Secret), or `http://` without TLS; zstd-compressed.
 */
export function aggregatorSink(inputs: readonly string[], endpoints: readonly string[], tls: boolean): VectorSink {
  return {
    type: 'vector',
    inputs: [...inputs],
    routing: { endpoints: endpoints.map((e) => `${tls ? 'https' : 'http'}://${e}`) },
    ...(tls ? { tls: { ...TLS_FILES, verify_certificate: true, verify_hostname: true } } : {}),
    compression: 'zstd',
  };
}

/** The Secret's name, and its namespace against the workload's: a pod waits forever for a Secret it cannot mount. */
export function checkWorkloadTls(
  scope: IConstruct,
  prop: string,
  tls: WorkloadTls | undefined,
  workloadNamespace: string,
): WorkloadTls | undefined {
  if (!tls) return tls;
  checkDnsSubdomain(scope, `${prop}.secretName`, tls.secretName);
  if (tls.namespace !== undefined && tls.namespace !== workloadNamespace) {
    checkDnsLabel(scope, `${prop}.namespace`, tls.namespace);
    throw propError(
      scope,
      `${prop}.namespace`,
      tls.namespace,
      `the Secret ${JSON.stringify(tls.secretName)} is in namespace ${JSON.stringify(tls.namespace)}, but the ` +
        `workload runs in ${JSON.stringify(workloadNamespace)} and its pods can mount Secrets of that namespace ` +
        `only (they would wait for it forever): create the PKI in the workload's namespace ` +
        `(namespace: ${JSON.stringify(workloadNamespace)})`,
    );
  }
  return tls;
}

export function tlsVolume(tls: WorkloadTls): k8s.Volume {
  return {
    name: TLS_VOLUME,
    secret: {
      secretName: tls.secretName,
      items: [
        { key: 'ca.crt', path: 'ca.crt' },
        { key: 'tls.crt', path: 'tls.crt' },
        { key: 'tls.key', path: 'tls.key' },
      ],
    },
  };
}

export const tlsVolumeMount: k8s.VolumeMount = { name: TLS_VOLUME, mountPath: TLS_DIR, readOnly: true };

/** Workload annotations that restart it on certificate renewal, when asked for. */
export function reloaderAnnotations(tls: WorkloadTls | undefined): Record<string, string> {
  return tls?.restartOnRenewal ? { [RELOADER_ANNOTATION]: tls.secretName } : {};
}
