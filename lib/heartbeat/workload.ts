import { k8s } from 'cdk8s-plus-28';
import type { Construct, IConstruct } from 'constructs';
import { checkDnsLabel, checkDnsSubdomain, propError } from '../k8s/prop-errors';
import { sharedNamespace } from '../k8s/namespace';
import type { SecretKeyRef } from '../k8s/vector-workload';
// Types only, from files that import nothing of lib/heartbeat: the heartbeats describe their own policy, and
// VectorNetworkPolicies (which never imports the heartbeats) applies it.
import type { NetworkPeer } from '../network/peers';
import type { NetworkPolicyWorkload } from '../network/workload-policy';

/*
 * What the three heartbeat workloads share: their namespace (Pod Security "restricted"), names that are also Service
 * names, the version label taken from a pinned image tag, and Secret references.
 */

/** The name of the HTTP servers' container port, which their Service and probes use. */
export const HTTP_PORT_NAME = 'http';

/** The ClusterIP Service in front of an HTTP server's pods, on the server's own port number. */
export function httpServerService(
  scope: Construct,
  metadata: k8s.ObjectMeta,
  selectorLabels: Readonly<Record<string, string>>,
  port: number,
): void {
  new k8s.KubeService(scope, 'Service', {
    metadata,
    spec: {
      type: 'ClusterIP',
      selector: { ...selectorLabels },
      ports: [{ name: HTTP_PORT_NAME, port, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP' }],
    },
  });
}

/** A namespace that enforces (and warns and audits at) Pod Security "restricted". */
export function restrictedNamespace(
  scope: Construct,
  name: string,
  labels: Readonly<Record<string, string>>,
  extraLabels: Readonly<Record<string, string>> = {},
): k8s.KubeNamespace {
  return sharedNamespace(scope, name, 'restricted', labels, extraLabels);
}

/** A name that also names a Service: a DNS-1035 label (a letter first, at most 63 characters). */
export function checkServiceName(scope: IConstruct, prop: string, value: string): string {
  checkDnsLabel(scope, prop, value);
  if (!/^[a-z]/.test(value)) {
    throw propError(scope, prop, value, 'start with a letter: it also names a Service (a DNS-1035 label)');
  }
  return value;
}

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The tag of a pinned image, for `app.kubernetes.io/version`; undefined for digests and tags no label can hold. */
export function imageVersion(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  if (lastSegment.includes('@')) return undefined;
  const tag = lastSegment.split(':')[1];
  return tag !== undefined && LABEL_VALUE.test(tag) ? tag : undefined;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A `{ name, key }` Secret reference; anything else (a literal string included) is refused. */
export function checkSecretKeyRef(scope: IConstruct, prop: string, ref: SecretKeyRef): SecretKeyRef {
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
    throw propError(
      scope,
      prop,
      typeof ref === 'string' ? '(a literal value, not shown)' : ref,
      'reference a Secret as { name, key }; a literal value would be written into the manifests',
    );
  }
  checkDnsSubdomain(scope, `${prop}.name`, ref.name);
  if (typeof ref.key !== 'string' || !SECRET_KEY.test(ref.key) || ref.key.length > 253) {
    throw propError(scope, `${prop}.key`, ref.key, 'a Secret key: letters, digits, "-", "_" and "."');
  }
  return ref;
}

/** Who may reach a heartbeat server (`HttpHeartbeat`, `DeploymentStatusApi`): see their `networkPolicy`. */
export interface ServerNetworkPolicyOptions {
  /**
   * Who may connect to the server's port: usually the ingress controller's pods, e.g.
   * `[{ namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }]`, or addresses outside
   * the cluster as `{ cidrs }`. At least one: a server nobody may reach answers no heartbeat, so `[]` is refused.
   */
  readonly from: readonly NetworkPeer[];
}

/** The server pods a policy describes. */
interface PolicyServer {
  readonly name: string;
  readonly namespace: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly port: number;
  readonly ownsNamespace: boolean;
}

/**
 * The policy of a server: its port from `options.from` and nothing else in, plus what `egress` allows out (nothing by
 * default). The peers are checked in full by `VectorNetworkPolicies.addWorkload`.
 */
export function serverNetworkPolicy(
  scope: IConstruct,
  server: PolicyServer,
  options: ServerNetworkPolicyOptions,
  egress: Pick<NetworkPolicyWorkload, 'apiServer' | 'dns'> = {},
): NetworkPolicyWorkload {
  const from = options?.from;
  if (!Array.isArray(from) || from.length === 0) {
    throw propError(
      scope,
      'networkPolicy.from',
      from,
      `give at least one peer that may connect to port ${server.port}, e.g. [{ namespace: "ingress-nginx" }]: ` +
        'a server nobody may reach answers no heartbeat',
    );
  }
  return {
    name: server.name,
    namespace: server.namespace,
    selectorLabels: server.selectorLabels,
    ownsNamespace: server.ownsNamespace,
    ingress: [{ peers: [...from], ports: [{ port: server.port }] }],
    ...egress,
  };
}
