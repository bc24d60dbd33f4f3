import { ApiObject, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import type { NamedMetadata } from './prometheus-operator';

/*
 * Hand-typed L1 classes for the Flux kinds this library writes: GitRepository (source.toolkit.fluxcd.io/v1) and
 * Kustomization (kustomize.toolkit.fluxcd.io/v1). `cdk8s import` would generate them from the CRDs but needs the
 * internet; only the fields we use are typed (names as in Flux's CRDs), and the tests validate every synthesized object
 * against the CRD schemas (@kubernetes-models/flux-cd).
 */

/** The Git reference a GitRepository checks out; Flux takes the most specific one given. */
export interface GitRepositoryRef {
  /** @default 'master' when no reference is given at all (Flux's default) */
  readonly branch?: string;
  /** @default none */
  readonly tag?: string;
  /** @default none */
  readonly commit?: string;
}

export interface GitRepositorySpec {
  /** `http://`, `https://` or `ssh://` URL of the repository. */
  readonly url: string;
  /** How often Flux fetches the repository, as a Go duration. */
  readonly interval: string;
  /** @default the `master` branch */
  readonly ref?: GitRepositoryRef;
  /** A Secret in the GitRepository's namespace with the credentials (basic auth, token or SSH key). @default none */
  readonly secretRef?: { readonly name: string };
  /** @default '60s' */
  readonly timeout?: string;
}

/** A Flux source that a Kustomization builds from. */
export interface SourceReference {
  readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket';
  readonly name: string;
  /** @default the Kustomization's namespace */
  readonly namespace?: string;
}

/** A Kustomization that must be Ready (and at the same revision of a shared source) before this one applies. */
export interface KustomizationDependency {
  readonly name: string;
  /** @default the Kustomization's namespace */
  readonly namespace?: string;
}

/** Where a Kustomization applies: the cluster of a kubeconfig held in a Secret of the Kustomization's namespace. */
export interface KubeConfigReference {
  readonly secretRef: {
    readonly name: string;
    /** @default 'value' or 'value.yaml', whichever the Secret has */
    readonly key?: string;
  };
}

export interface KustomizationSpec {
  /** How often Flux applies the folder again, correcting drift, as a Go duration. */
  readonly interval: string;
  /** Delete the objects that are no longer in the folder, and all of them when the Kustomization is deleted. */
  readonly prune: boolean;
  readonly sourceRef: SourceReference;
  /** The folder in the source, from its root. @default the source's root */
  readonly path?: string;
  /** @default none */
  readonly dependsOn?: readonly KustomizationDependency[];
  /** @default the cluster Flux runs in */
  readonly kubeConfig?: KubeConfigReference;
  /** Be Ready only when every applied object is (kstatus health checks). @default false */
  readonly wait?: boolean;
  /** For building, applying and health checking, as a Go duration. @default the interval */
  readonly timeout?: string;
  /** After a failure, as a Go duration. @default the interval */
  readonly retryInterval?: string;
}

export interface GitRepositoryProps {
  readonly metadata: NamedMetadata;
  readonly spec: GitRepositorySpec;
}

export interface KustomizationProps {
  readonly metadata: NamedMetadata;
  readonly spec: KustomizationSpec;
}

function requireName(kind: string, metadata: NamedMetadata): void {
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new Error(`${kind}: metadata.name is required (this library writes no generated names)`);
  }
}

/** A Git repository that Flux's source-controller fetches and serves as an artifact to Kustomizations. */
export class GitRepository extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' };

  constructor(scope: Construct, id: string, props: GitRepositoryProps) {
    requireName(GitRepository.GVK.kind, props.metadata);
    super(scope, id, { ...GitRepository.GVK, metadata: props.metadata, spec: props.spec });
  }
}

/** A folder of a Flux source that Flux's kustomize-controller builds and applies to a cluster. */
export class FluxKustomization extends ApiObject {
  public static readonly GVK: GroupVersionKind = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
  };

  constructor(scope: Construct, id: string, props: KustomizationProps) {
    requireName(FluxKustomization.GVK.kind, props.metadata);
    super(scope, id, { ...FluxKustomization.GVK, metadata: props.metadata, spec: props.spec });
  }
}
