import type { SecretStoreRef } from '../k8s/external-secrets';
import type { DistributedTlsSecret, IssuedClientCertificate, VectorPki } from '../pki';
import type { MonitoringCluster, SourceCluster } from './inventory';

/** What a source cluster pulls with External Secrets, and from which store of its own. */
export interface CertificatePull {
  /** What the monitoring cluster pushes for it: the CA Secret, or its client certificate. */
  readonly from: DistributedTlsSecret;
  /** The source cluster's store over the same backend. */
  readonly secretStore: SecretStoreRef;
  /** @default the push's */
  readonly refreshInterval?: string;
}

/** What the monitoring cluster provides one source cluster for its agents' client certificate. */
export interface SourceCertificate {
  /** The CA Secret's name, which a `VectorClientPki` there reads (its copy has the same name). */
  readonly caSecretName: string;
  /** The client certificate issued in the monitoring cluster, with `clientCertificateIssuer: monitoringCluster`. */
  readonly issued?: IssuedClientCertificate;
  /** What it pulls with External Secrets; undefined when the material is copied by hand. */
  readonly pull?: CertificatePull;
}

/**
 * Whether a source cluster pulls its certificate material with External Secrets: when the monitoring cluster it ships
 * to distributes (`certificateDistribution`) and it does not opt out with `method: manual`.
 */
export function pullsCertificates(source: SourceCluster, shipsTo: MonitoringCluster | undefined): boolean {
  return shipsTo?.certificateDistribution !== undefined && source.certificateDistribution?.method !== 'manual';
}

/** The store's keys start with this unless the inventory says otherwise: one monitoring cluster's never meet another's. */
export const defaultRemoteKeyPrefix = (monitoringCluster: string): string => `vector-fleet-${monitoringCluster}-`;

/**
 * Issues and pushes, in the monitoring cluster's PKI, what each source cluster that ships there needs: a client
 * certificate for those whose `clientCertificateIssuer` is `monitoringCluster`, pushed when they pull; the CA Secret,
 * pushed once, only when a source cluster that issues its own certificates pulls it, so the CA key leaves the
 * monitoring cluster only for a cluster that signs with it.
 */
export function provideSourceCertificates(
  pki: VectorPki,
  monitoring: MonitoringCluster,
  sources: readonly SourceCluster[],
): ReadonlyMap<string, SourceCertificate> {
  const distribution = monitoring.certificateDistribution;
  const options = distribution && {
    secretStore: distribution.secretStore,
    remoteKeyPrefix: distribution.remoteKeyPrefix ?? defaultRemoteKeyPrefix(monitoring.name),
    refreshInterval: distribution.refreshInterval,
  };
  let ca: DistributedTlsSecret | undefined;
  const provided = new Map<string, SourceCertificate>();
  for (const source of sources) {
    const own = source.certificateDistribution?.method === 'manual' ? undefined : source.certificateDistribution;
    const issued =
      source.clientCertificateIssuer === 'monitoringCluster' ? pki.addClientCertificate(source.name) : undefined;
    let pull: CertificatePull | undefined;
    if (options && pullsCertificates(source, monitoring)) {
      const from = issued ? pki.pushClientCertificate(issued, options) : (ca ??= pki.pushCaSecret(options));
      pull = { from, secretStore: own?.secretStore ?? options.secretStore, refreshInterval: own?.refreshInterval };
    }
    provided.set(source.name, { caSecretName: pki.caSecretName, issued, pull });
  }
  return provided;
}
