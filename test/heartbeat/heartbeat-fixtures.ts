/**
 * What the heartbeat tests share: a construct in a chart of its own, synthesized and checked against the Kubernetes
 * (and prometheus-operator) schemas on every synth, and small accessors for the objects.
 */
import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { expectValidManifests } from '../helpers/k8s-schema';
import { thrownMessage } from '../helpers/errors';

/** The chart id of every fixture: error messages start with `test/<construct id>`. */
export const CHART = 'test';

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

export type DeploymentSpec = NonNullable<IDeployment['spec']>;
export type PodSpec = NonNullable<DeploymentSpec['template']['spec']>;
export type Container = PodSpec['containers'][number];

export interface Synth<T> {
  readonly construct: T;
  readonly manifests: readonly Manifest[];
  /** The one object of this kind (and name); throws when there is not exactly one. */
  one(kind: string, name?: string): Manifest;
  all(kind: string): Manifest[];
  readonly deployment: DeploymentSpec;
  readonly pod: PodSpec;
  readonly container: Container;
}

/** Builds the construct in a fresh chart, synthesizes it and validates every object against its schema. */
export function synth<T extends Construct>(build: (chart: Construct) => T): Synth<T> {
  const chart = Testing.chart();
  const construct = build(chart);
  const manifests = chart.toJson() as Manifest[];
  expectValidManifests(manifests);
  const all = (kind: string) => manifests.filter((m) => m.kind === kind);
  const one = (kind: string, name?: string) => {
    const found = all(kind).filter((m) => name === undefined || m.metadata.name === name);
    if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
    return found[0];
  };
  const deployments = all('Deployment');
  const deployment = (deployments[0]?.spec ?? {}) as DeploymentSpec;
  const pod = (deployment.template?.spec ?? { containers: [] }) as PodSpec;
  return { construct, manifests, one, all, deployment, pod, container: pod.containers[0] };
}

/** The message a construction throws, or a failure when it does not throw. */
export function constructionError(build: (chart: Construct) => unknown): string {
  return thrownMessage(() => build(Testing.chart()), 'expected the construction to throw');
}

/** `kind/name` of every object, in output order. */
export const kindsAndNames = (manifests: readonly Manifest[]) =>
  manifests.map((m) => `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`);

/** The restricted container security context every heartbeat container gets. */
export const restrictedContainer = (uid: number) => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  seccompProfile: { type: 'RuntimeDefault' },
});

export const restrictedPod = (uid: number) => ({
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  fsGroup: uid,
  seccompProfile: { type: 'RuntimeDefault' },
});

export const RESTRICTED_NAMESPACE_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

/** No object carries a `cdk8s.io/*` label or annotation, anywhere. */
export function expectNoCdk8sLabels(manifests: readonly Manifest[]): void {
  const text = JSON.stringify(manifests);
  if (text.includes('cdk8s.io/')) throw new Error('a cdk8s.io/ label or annotation leaked into the output');
}
