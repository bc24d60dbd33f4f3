import { ApiObject, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import type { NamedMetadata } from './prometheus-operator';

/*
 * Hand-typed L1 classes for the cert-manager kinds this library writes (cert-manager.io/v1).
 * `cdk8s import` would generate them from the CRDs but needs the internet; only the fields we use are typed (names and
 * enums as in cert-manager's CRDs), and the tests validate every synthesized object against the CRD schemas
 * (@kubernetes-models/cert-manager).
 */

/** An X.509 key usage or extended key usage, as cert-manager spells it. */
export type KeyUsage =
  | 'signing'
  | 'digital signature'
  | 'content commitment'
  | 'key encipherment'
  | 'key agreement'
  | 'data encipherment'
  | 'cert sign'
  | 'crl sign'
  | 'encipher only'
  | 'decipher only'
  | 'any'
  | 'server auth'
  | 'client auth'
  | 'code signing'
  | 'email protection'
  | 's/mime'
  | 'ipsec end system'
  | 'ipsec tunnel'
  | 'ipsec user'
  | 'timestamping'
  | 'ocsp signing'
  | 'microsoft sgc'
  | 'netscape sgc';

/** The issuer that signs a Certificate. */
export interface IssuerRef {
  readonly name: string;
  /** `Issuer` looks in the Certificate's own namespace. @default 'Issuer' */
  readonly kind?: 'Issuer' | 'ClusterIssuer';
  /** @default 'cert-manager.io' */
  readonly group?: string;
}

/** How the Certificate's private key is made. */
export interface CertificatePrivateKey {
  /** @default 'RSA' */
  readonly algorithm?: 'RSA' | 'ECDSA' | 'Ed25519';
  /** RSA: 2048, 4096 or 8192; ECDSA: 256, 384 or 521. @default 2048 for RSA, 256 for ECDSA */
  readonly size?: number;
  /** @default 'PKCS1' */
  readonly encoding?: 'PKCS1' | 'PKCS8';
  /**
   * `Always` makes a new key at every issuance; `Never` keeps the key in the Secret.
   * @default 'Always' from cert-manager 1.18, 'Never' before
   */
  readonly rotationPolicy?: 'Never' | 'Always';
}

/** Parts of the X.509 subject. */
export interface CertificateSubject {
  /** @default none */
  readonly organizations?: readonly string[];
  /** @default none */
  readonly organizationalUnits?: readonly string[];
}

/** Labels and annotations cert-manager puts on the Secret it writes. */
export interface SecretTemplate {
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface CertificateSpec {
  /** The Secret cert-manager writes `tls.crt`, `tls.key` and `ca.crt` into, in the Certificate's namespace. */
  readonly secretName: string;
  readonly issuerRef: IssuerRef;
  /** At most 64 characters. @default none */
  readonly commonName?: string;
  /** @default none */
  readonly dnsNames?: readonly string[];
  /** @default none */
  readonly uris?: readonly string[];
  /** @default none */
  readonly ipAddresses?: readonly string[];
  /** @default none */
  readonly subject?: CertificateSubject;
  /** Go duration, at least `1h`. @default '2160h' (90 days) */
  readonly duration?: string;
  /** Go duration, at least `5m` and below `duration`. @default a third of the duration */
  readonly renewBefore?: string;
  /** A CA certificate; cert-manager adds the `cert sign` usage. @default false */
  readonly isCA?: boolean;
  /** @default ['digital signature', 'key encipherment', 'server auth'] */
  readonly usages?: readonly KeyUsage[];
  /** @default RSA 2048 */
  readonly privateKey?: CertificatePrivateKey;
  /** @default none */
  readonly secretTemplate?: SecretTemplate;
  /** CertificateRequests kept per Certificate. @default all */
  readonly revisionHistoryLimit?: number;
}

/** Signs with the key of the certificate being requested: only useful to bootstrap a CA. */
export interface SelfSignedIssuerSpec {
  /** @default none */
  readonly crlDistributionPoints?: readonly string[];
}

/** Signs with the CA certificate and key (`tls.crt`, `tls.key`) of a Secret. */
export interface CaIssuerSpec {
  /** In the Issuer's namespace; for a ClusterIssuer, in cert-manager's cluster resource namespace. */
  readonly secretName: string;
  /** @default none */
  readonly crlDistributionPoints?: readonly string[];
  /** @default none */
  readonly ocspServers?: readonly string[];
}

/** The one kind of issuer this is. */
export type IssuerSpec = { readonly selfSigned: SelfSignedIssuerSpec } | { readonly ca: CaIssuerSpec };

export interface CertificateProps {
  readonly metadata: NamedMetadata;
  readonly spec: CertificateSpec;
}

export interface IssuerProps {
  readonly metadata: NamedMetadata;
  readonly spec: IssuerSpec;
}

function requireName(kind: string, metadata: NamedMetadata): void {
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new Error(`${kind}: metadata.name is required (this library writes no generated names)`);
  }
}

/** An X.509 certificate cert-manager keeps issued and renewed in a Secret. */
export class Certificate extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' };

  constructor(scope: Construct, id: string, props: CertificateProps) {
    requireName(Certificate.GVK.kind, props.metadata);
    super(scope, id, { ...Certificate.GVK, metadata: props.metadata, spec: props.spec });
  }
}

/** Signs Certificates in its own namespace. */
export class Issuer extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'Issuer' };

  constructor(scope: Construct, id: string, props: IssuerProps) {
    requireName(Issuer.GVK.kind, props.metadata);
    super(scope, id, { ...Issuer.GVK, metadata: props.metadata, spec: props.spec });
  }
}

/** Signs Certificates in every namespace. */
export class ClusterIssuer extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer' };

  constructor(scope: Construct, id: string, props: IssuerProps) {
    requireName(ClusterIssuer.GVK.kind, props.metadata);
    super(scope, id, { ...ClusterIssuer.GVK, metadata: props.metadata, spec: props.spec });
  }
}
