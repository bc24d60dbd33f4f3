import { Construct } from 'constructs';
import { FluxKustomization, GitRepository } from '../k8s/flux';
import { commonLabels } from '../k8s/labels';
import { checkDnsLabel, checkDnsSubdomain, propError } from '../k8s/prop-errors';

/** The Git repository Flux fetches the synthesized folders from. */
export interface FluxRepository {
  /** `https://`, `http://` or `ssh://` URL, e.g. `ssh://git@github.com/example/fleet.git`. */
  readonly url: string;
  /** What to follow: a branch or a tag. @default { branch: 'main' } */
  readonly ref?: { readonly branch: string } | { readonly tag: string };
  /**
   * A Secret in the delivery namespace with the repository's credentials (`username`/`password`, or `identity` and
   * `known_hosts` for SSH), which you create; a public repository needs none.
   * @default none
   */
  readonly secretName?: string;
}

/** One cluster the delivery applies a folder to. */
export interface FluxDeliveryCluster {
  /** The cluster's name: its folder `<path>/<name>/` and its Kustomization `vector-fleet-<name>`. */
  readonly name: string;
  /** Clusters whose Kustomizations must be Ready, at the same Git revision, before this one applies. @default none */
  readonly dependsOn?: readonly string[];
  /**
   * The cluster Flux runs in: applied with Flux's own ServiceAccount rather than a kubeconfig. Every other cluster is
   * reached through the kubeconfig in the Secret `<name>-kubeconfig` (key `value` or `value.yaml`, the Cluster API
   * convention) in the delivery namespace.
   * @default false
   */
  readonly local?: boolean;
}

export interface FluxFleetDeliveryProps {
  readonly repository: FluxRepository;
  /** The folder of the repository that holds one folder per cluster, from its root, e.g. `dist`. */
  readonly path: string;
  /** The clusters, in the order their Kustomizations are written. At least one. */
  readonly clusters: readonly FluxDeliveryCluster[];
  /**
   * The folder under {@link path} that holds these objects: a Kustomization `vector-fleet` keeps it applied from Git
   * too, so that a cluster added to or removed from the inventory is delivered without another `kubectl apply`.
   * `false`: nothing manages the delivery objects but you.
   * @default false
   */
  readonly selfFolder?: string | false;
  /** Where Flux runs: the GitRepository, the Kustomizations and the kubeconfig Secrets. @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux fetches the repository, as a Go duration. @default '1m' */
  readonly fetchInterval?: string;
  /** How often every cluster's folder is applied again, correcting drift, as a Go duration. @default '10m' */
  readonly interval?: string;
  /** How long applying a folder and waiting for its objects to be ready may take, as a Go duration. @default '10m' */
  readonly timeout?: string;
}

/** The name of the GitRepository and of the Kustomization that applies the delivery folder itself. */
export const FLUX_DELIVERY_NAME = 'vector-fleet';
export const DEFAULT_FLUX_NAMESPACE = 'flux-system';
/** The kubeconfig Secret of a cluster, as Cluster API names it. */
export const kubeConfigSecretName = (cluster: string) => `${cluster}-kubeconfig`;
/** The Flux Kustomization that applies a cluster's folder. */
export const clusterKustomizationName = (cluster: string) => `${FLUX_DELIVERY_NAME}-${cluster}`;

/** Flux's duration pattern (the CRDs' `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`). */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
/** The GitRepository CRD's URL pattern. */
export const GIT_URL = /^(http|https|ssh):\/\/.+$/;

const LABELS = commonLabels({ name: FLUX_DELIVERY_NAME, instance: FLUX_DELIVERY_NAME, component: 'delivery' });

/**
 * GitOps delivery of a fleet with Flux, from the cluster Flux runs in: one GitRepository, and one Kustomization per
 * cluster that applies `<path>/<cluster>/` to that cluster (through its kubeconfig Secret) and waits until every object
 * is ready. A cluster's `dependsOn` makes Flux hold its Kustomization until the ones it names are Ready and have
 * applied the same Git revision, on the first rollout and on every later commit: that is what orders the fleet.
 */
export class FluxFleetDelivery extends Construct {
  readonly namespace: string;
  /** The Kustomization of each cluster, by cluster name. */
  readonly kustomizations: ReadonlyMap<string, FluxKustomization>;

  constructor(scope: Construct, id: string, props: FluxFleetDeliveryProps) {
    super(scope, id);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? DEFAULT_FLUX_NAMESPACE);
    const duration = (prop: string, value: string) => {
      if (!GO_DURATION.test(value))
        throw propError(this, prop, value, 'use a Go duration such as "30s", "10m" or "1h"');
      return value;
    };
    const fetchInterval = duration('fetchInterval', props.fetchInterval ?? '1m');
    const interval = duration('interval', props.interval ?? '10m');
    const timeout = duration('timeout', props.timeout ?? '10m');
    const { repository } = props;
    if (!GIT_URL.test(repository.url)) {
      throw propError(
        this,
        'repository.url',
        repository.url,
        'use an https://, http:// or ssh:// URL (Flux reads no other)',
      );
    }
    const ref = repository.ref ?? { branch: 'main' };
    const [refKind, refValue] = Object.entries(ref)[0] ?? [];
    if (Object.keys(ref).length !== 1 || (refKind !== 'branch' && refKind !== 'tag') || !refValue) {
      throw propError(this, 'repository.ref', ref, 'give { branch: <name> } or { tag: <name> }');
    }
    if (repository.secretName !== undefined) checkDnsSubdomain(this, 'repository.secretName', repository.secretName);
    const path = checkPath(this, 'path', props.path);
    if (props.clusters.length === 0) throw propError(this, 'clusters', [], 'give at least one cluster');
    const names = new Set<string>();
    for (const cluster of props.clusters) {
      checkDnsLabel(this, 'clusters[].name', cluster.name);
      if (names.has(cluster.name)) throw propError(this, 'clusters[].name', cluster.name, 'each cluster once');
      names.add(cluster.name);
    }
    if (props.clusters.filter((c) => c.local).length > 1) {
      const local = props.clusters.filter((c) => c.local).map((c) => c.name);
      throw propError(this, 'clusters[].local', local, 'Flux runs in one cluster: mark one cluster local at most');
    }
    for (const cluster of props.clusters) {
      for (const dependency of cluster.dependsOn ?? []) {
        if (!names.has(dependency) || dependency === cluster.name) {
          throw propError(
            this,
            `clusters "${cluster.name}" dependsOn`,
            dependency,
            `name another of ${[...names].join(', ')}`,
          );
        }
      }
    }
    checkAcyclic(this, props.clusters);

    const metadata = (name: string) => ({ name, namespace: this.namespace, labels: LABELS });
    const source = new GitRepository(this, 'repository', {
      metadata: metadata(FLUX_DELIVERY_NAME),
      spec: {
        url: repository.url,
        interval: fetchInterval,
        ref,
        ...(repository.secretName !== undefined ? { secretRef: { name: repository.secretName } } : {}),
      },
    });
    const sourceRef = { kind: 'GitRepository' as const, name: source.name };
    if (props.selfFolder) {
      // Applies this very folder, so that the objects below follow the inventory from Git once bootstrapped.
      new FluxKustomization(this, 'self', {
        metadata: metadata(FLUX_DELIVERY_NAME),
        spec: {
          interval,
          prune: true,
          sourceRef,
          path: `./${path}/${checkPath(this, 'selfFolder', props.selfFolder)}`,
        },
      });
    }
    const kustomizations = new Map<string, FluxKustomization>();
    for (const cluster of props.clusters) {
      const dependsOn = (cluster.dependsOn ?? []).map((name) => ({ name: clusterKustomizationName(name) }));
      kustomizations.set(
        cluster.name,
        new FluxKustomization(this, `cluster-${cluster.name}`, {
          metadata: metadata(clusterKustomizationName(cluster.name)),
          spec: {
            interval,
            retryInterval: '1m',
            timeout,
            prune: true,
            // Ready only once every object is ready: what the clusters that depend on this one wait for.
            wait: true,
            sourceRef,
            path: `./${path}/${cluster.name}`,
            ...(dependsOn.length > 0 ? { dependsOn } : {}),
            ...(cluster.local ? {} : { kubeConfig: { secretRef: { name: kubeConfigSecretName(cluster.name) } } }),
          },
        }),
      );
    }
    this.kustomizations = kustomizations;
  }
}

/** A repository folder as Flux paths need it: `dist`, `deploy/dist`; a leading `./` and trailing `/` are dropped. */
export function repositoryPathProblem(value: string): string | undefined {
  const parts = normalizeRepositoryPath(value).split('/');
  const relative = parts.every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\'));
  return relative
    ? undefined
    : 'use a folder of the repository, relative to its root, such as "dist": no leading "/", no "." or ".." parts';
}

/** `./dist/` → `dist`. */
export const normalizeRepositoryPath = (value: string) => value.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

function checkPath(scope: Construct, prop: string, value: string): string {
  const problem = repositoryPathProblem(value);
  if (problem) throw propError(scope, prop, value, problem);
  return normalizeRepositoryPath(value);
}

function checkAcyclic(scope: Construct, clusters: readonly FluxDeliveryCluster[]): void {
  const edges = new Map(clusters.map((c) => [c.name, c.dependsOn ?? []]));
  const done = new Set<string>();
  const visit = (name: string, trail: readonly string[]): void => {
    if (trail.includes(name)) {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      throw propError(scope, 'clusters[].dependsOn', cycle.join(' -> '), 'dependencies must not form a cycle');
    }
    if (done.has(name)) return;
    for (const next of edges.get(name) ?? []) visit(next, [...trail, name]);
    done.add(name);
  };
  for (const cluster of clusters) visit(cluster.name, []);
}
