import { ApiObject, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import type { NamedMetadata } from './prometheus-operator';

/*
 * Hand-typed L1 classes for the External Secrets Operator kinds this library writes: ExternalSecret
 * (external-secrets.io/v1) and PushSecret (external-secrets.io/v1alpha1, its only version up to ESO v2.9.0). Only the
 * fields we use are typed, with the names and enums of ESO's CRDs (config/crds/bases at v2.9.0); the tests validate
 * every synthesized object against those CRDs' openAPIV3Schema, unknown fields included
 * (test/fixtures/external-secrets/crd-schemas.json).
 */

/** A SecretStore (namespaced, in the object's own namespace) or a ClusterSecretStore (for every namespace). */
export type SecretStoreKind = 'SecretStore' | 'ClusterSecretStore';

/** The store an ExternalSecret reads from or a PushSecret writes to. */
export interface SecretStoreRef {
  /** A DNS subdomain. */
  readonly name: string;
  /** @default 'SecretStore' */
  readonly kind?: SecretStoreKind;
}

/** Where one key of the target Secret comes from in the provider. */
export interface ExternalSecretRemoteRef {
  /** The provider's secret. */
  readonly key: string;
  /** A field of that secret when it holds several (JSON, a Kubernetes Secret's key). @default the whole secret */
  readonly property?: string;
  /** @default 'None': the value as the provider stores it */
  readonly decodingStrategy?: 'Auto' | 'Base64' | 'Base64URL' | 'None';
  /** @default 'Default' */
  readonly conversionStrategy?: 'Default' | 'Unicode';
}

/** One key of the target Secret. */
export interface ExternalSecretData {
  /** The key in the target Secret: letters, digits, `-`, `_`, `.`. */
  readonly secretKey: string;
  readonly remoteRef: ExternalSecretRemoteRef;
}

/** The Secret an ExternalSecret writes. */
export interface ExternalSecretTarget {
  /** @default the ExternalSecret's name */
  readonly name?: string;
  /**
   * `Owner`: ESO creates the Secret (or adopts one of that name not owned by another ExternalSecret) with an
   * ownerReference, so it is deleted with the ExternalSecret.
   * @default 'Owner'
   */
  readonly creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None' | 'CreateOrMerge';
  /** What happens to the Secret when the provider has no data any more; `Retain` keeps it as it is. @default 'Retain' */
  readonly deletionPolicy?: 'Delete' | 'Merge' | 'Retain';
  /** @default none: the Secret is an Opaque one holding the fetched keys as they are */
  readonly template?: ExternalSecretTemplate;
}

/** How the target Secret is written. */
export interface ExternalSecretTemplate {
  /** The Secret's type, e.g. `kubernetes.io/tls`. @default 'Opaque' */
  readonly type?: string;
  /** @default 'v2' */
  readonly engineVersion?: 'v2';
  /** With no `data` templates, the fetched keys are written as they are. @default 'Replace' */
  readonly mergePolicy?: 'Replace' | 'Merge';
  /** Labels and annotations of the Secret (templates themselves, so no `{{`). @default none */
  readonly metadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface ExternalSecretSpec {
  readonly secretStoreRef: SecretStoreRef;
  /** A Go duration; `0s` fetches once and never again. @default '1h0m0s' */
  readonly refreshInterval?: string;
  /** `Periodic`: every `refreshInterval`. @default 'Periodic' */
  readonly refreshPolicy?: 'CreatedOnce' | 'Periodic' | 'OnChange';
  /** @default { creationPolicy: 'Owner', deletionPolicy: 'Retain' } */
  readonly target?: ExternalSecretTarget;
  /** The keys of the target Secret, one by one. */
  readonly data: readonly ExternalSecretData[];
}

/** Where one key of the pushed Secret goes in the provider. */
export interface PushSecretRemoteRef {
  /** The provider's secret. */
  readonly remoteKey: string;
  /** A field of that secret, so that several keys share one provider secret. @default the whole secret */
  readonly property?: string;
}

/** One key of the Secret to push. */
export interface PushSecretData {
  readonly match: {
    /** The key of the Kubernetes Secret. */
    readonly secretKey: string;
    readonly remoteRef: PushSecretRemoteRef;
  };
  /** @default 'None' */
  readonly conversionStrategy?: 'None' | 'ReverseUnicode';
}

export interface PushSecretSpec {
  /** The stores to push to. */
  readonly secretStoreRefs: readonly SecretStoreRef[];
  /** The Secret to push, in the PushSecret's namespace. */
  readonly selector: { readonly secret: { readonly name: string } };
  /** The keys to push; a key not listed here does not leave the cluster. */
  readonly data: readonly PushSecretData[];
  /**
   * A Go duration. The PushSecret controller does not watch the Secret it pushes: a changed Secret reaches the
   * provider at the next refresh.
   * @default '1h0m0s'
   */
  readonly refreshInterval?: string;
  /** `Replace` overwrites the provider's secret at every push; `IfNotExists` never does. @default 'Replace' */
  readonly updatePolicy?: 'Replace' | 'IfNotExists';
  /** `Delete` removes the pushed keys from the provider when the PushSecret is deleted. @default 'None' */
  readonly deletionPolicy?: 'Delete' | 'None';
}

export interface ExternalSecretProps {
  readonly metadata: NamedMetadata;
  readonly spec: ExternalSecretSpec;
}

export interface PushSecretProps {
  readonly metadata: NamedMetadata;
  readonly spec: PushSecretSpec;
}

function requireName(kind: string, metadata: NamedMetadata): void {
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new Error(`${kind}: metadata.name is required (this library writes no generated names)`);
  }
}

/** A Secret that the External Secrets Operator keeps in sync with a secret of an external store. */
export class ExternalSecret extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret' };

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    requireName(ExternalSecret.GVK.kind, props.metadata);
    super(scope, id, { ...ExternalSecret.GVK, metadata: props.metadata, spec: props.spec });
  }
}

/** Keys of a Secret that the External Secrets Operator copies into external stores. */
export class PushSecret extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'external-secrets.io/v1alpha1', kind: 'PushSecret' };

  constructor(scope: Construct, id: string, props: PushSecretProps) {
    requireName(PushSecret.GVK.kind, props.metadata);
    super(scope, id, { ...PushSecret.GVK, metadata: props.metadata, spec: props.spec });
  }
}
