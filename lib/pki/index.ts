// mTLS between agents and aggregators on cert-manager: the CA and server side, and the client side.
export type { CertificateLifetime } from './lifetime';
export { VectorClientPki, type VectorClientPkiProps } from './vector-client-pki';
export {
  type CaCertificateOptions,
  DEFAULT_CLUSTER_RESOURCE_NAMESPACE,
  type InClusterClientOptions,
  type IssuedClientCertificate,
  type PkiSecretPushOptions,
  type PkiServer,
  VectorPki,
  type VectorPkiProps,
} from './vector-pki';
export {
  CA_ISSUER_KEYS,
  type DistributedTlsSecret,
  remoteProperty,
  type TlsSecretKey,
  TlsSecretPull,
  type TlsSecretPullProps,
  TlsSecretPush,
  type TlsSecretPushProps,
  WORKLOAD_TLS_KEYS,
} from './tls-secret-distribution';
export {
  CERTIFICATE_EXPIRATION_METRIC,
  CERTIFICATE_EXPIRING_ALERT_NAME,
  CertificateExpiryAlert,
  type CertificateExpiryAlertProps,
  certificateExpiringRule,
  certificatesIn,
  type WatchedCertificate,
} from './certificate-expiry-alert';
