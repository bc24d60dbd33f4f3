// mTLS between agents and aggregators on cert-manager: the CA and server side, and the client side.
export type { CertificateLifetime } from './lifetime';
export { VectorClientPki, type VectorClientPkiProps } from './vector-client-pki';
export {
  type CaCertificateOptions,
  DEFAULT_CLUSTER_RESOURCE_NAMESPACE,
  type InClusterClientOptions,
  type IssuedClientCertificate,
  type PkiServer,
  VectorPki,
  type VectorPkiProps,
} from './vector-pki';
