import type { IConstruct } from 'constructs';
import type { CertificatePrivateKey, KeyUsage } from '../k8s/cert-manager';
import { commonLabels } from '../k8s/labels';
import { propError } from '../k8s/prop-errors';
import { DEFAULT_VECTOR_NAMESPACE } from '../k8s/vector-workload';
import type { ResolvedLifetime } from './lifetime';

/** The labels of every PKI object. */
export const PKI_LABELS: Readonly<Record<string, string>> = commonLabels({
  name: 'vector',
  instance: 'vector-pki',
  component: 'pki',
});

/**
 * ECDSA P-256 for every key: as strong as RSA 3072 for TLS, small and fast, and supported by the
 * OpenSSL that Vector uses. A new key at every issuance, so a leaked key dies with its certificate.
 */
export const LEAF_PRIVATE_KEY: CertificatePrivateKey = { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' };

/*
 * Key usages. cert-manager's default adds `key encipherment`, which only means something for RSA
 * key transport: an ECDSA key can sign but not encrypt, and RFC 8813 section 3 (updating RFC 5480)
 * says an id-ecPublicKey certificate MUST NOT assert keyEncipherment or dataEncipherment. TLS with
 * ECDSA needs `digital signature` (the handshake signature) plus the extended usage of the side.
 */
export const SERVER_USAGES: readonly KeyUsage[] = ['server auth', 'digital signature'];
export const CLIENT_USAGES: readonly KeyUsage[] = ['client auth', 'digital signature'];
/** The CA signs certificates (and, by RFC 5280's advice, CRLs), nothing else. */
export const CA_USAGES: readonly KeyUsage[] = ['cert sign', 'crl sign'];

/** 90 days, renewed 30 days ahead: a month in which a planned restart picks the new certificate up. */
export const LEAF_LIFETIME: ResolvedLifetime = { duration: '2160h', renewBefore: '720h' };

/** CertificateRequests kept per Certificate: enough to debug the last issuances; cert-manager keeps all by default. */
export const REVISION_HISTORY_LIMIT = 3;

/** The namespace both Vector constructs default to. */
export const DEFAULT_NAMESPACE = DEFAULT_VECTOR_NAMESPACE;
/** The CA Secret's name, the same in the monitoring cluster and in its copies in the source clusters. */
export const DEFAULT_CA_SECRET = 'vector-ca';
/** The CA Issuer's name in every cluster. */
export const DEFAULT_CA_ISSUER = 'vector-ca';

const DNS_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS subject alternative name: lowercase labels of at most 63 characters, a wildcard only as the whole first label. */
export function checkDnsName(scope: IConstruct, prop: string, value: string): string {
  const labelsFit = typeof value === 'string' && value.split('.').every((label) => label.length <= 63);
  if (typeof value !== 'string' || value.length > 253 || !labelsFit || !DNS_NAME.test(value)) {
    throw propError(
      scope,
      prop,
      value,
      'use a lowercase DNS name of letters, digits, "-" and ".", e.g. "vector.example.com", optionally starting with "*."',
    );
  }
  return value;
}

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,49}[a-z0-9])?$/;

/** A cluster name that fits the common name `vector-agent.<cluster>` (at most 64 characters) and a Secret name. */
export function checkClientClusterName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !CLUSTER_NAME.test(value)) {
    throw propError(
      scope,
      prop,
      value,
      'use 1 to 51 lowercase letters, digits and "-", starting and ending with a letter or digit (the common name "vector-agent.<cluster>" has at most 64 characters)',
    );
  }
  return value;
}

/** The common name of a cluster's agent certificate: who is connecting, in the aggregator's TLS logs. */
export function agentCommonName(clusterName: string): string {
  return `vector-agent.${clusterName}`;
}
