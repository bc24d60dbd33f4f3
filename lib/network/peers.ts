import { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { checkCidr, checkDnsLabel, checkPort, propError } from '../k8s/prop-errors';

/** Pods in one namespace, optionally narrowed by their labels. */
export interface PodPeer {
  /** The namespace, matched by its `kubernetes.io/metadata.name` label (set by the API server on every namespace). */
  readonly namespace: string;
  /** Labels the pods must carry. @default every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/**
 * Addresses outside the pod network. NetworkPolicy cannot match DNS names, and what it matches for cluster-internal
 * addresses (pods, Service IPs) depends on the network plugin, so use this only for what lives outside the cluster.
 */
export interface CidrPeer {
  /** CIDR blocks, e.g. `["203.0.113.10/32"]`. At least one. */
  readonly cidrs: readonly string[];
}

/** Whom a rule allows: pods by namespace and labels, or outside addresses. */
export type NetworkPeer = PodPeer | CidrPeer;

/** Pods behind a Service that a workload connects to by URL. */
export interface ServicePods extends PodPeer {
  /**
   * The port the pods listen on. Policies see connections after the Service has translated them, so when the Service
   * maps another port (e.g. `loki-gateway` port 80 to container port 8080) give the container's here.
   * @default the port of the URL the workload connects to
   */
  readonly targetPort?: number;
}

/** Where a workload connects to by URL: the pods behind an in-cluster Service, or outside addresses. */
export type ServiceDestination = ServicePods | CidrPeer;

/** One port (or range) a rule opens. */
export interface NetworkPort {
  /** A port from 1 to 65535. */
  readonly port: number;
  /** The last port of a range starting at `port`. @default only `port` */
  readonly endPort?: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Allows connections with any of `peers` on any of `ports`. */
export interface NetworkRule {
  /** Who may connect (ingress) or be connected to (egress). At least one. */
  readonly peers: readonly NetworkPeer[];
  /** The ports, on the destination's side. At least one: a rule without ports would open every port. */
  readonly ports: readonly NetworkPort[];
}

/** DNS, which every workload resolving a name needs. */
export const DNS_PORT = 53;
/** Where cluster DNS runs on kubeadm, EKS, GKE and AKS alike: the CoreDNS pods behind the `kube-dns` Service. */
export const KUBE_DNS: PodPeer = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
/** The label the API server puts on every namespace (Kubernetes 1.22+), holding its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label keys and values as Kubernetes accepts them in a selector. */
export function checkLabels(
  scope: IConstruct,
  prop: string,
  labels: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw propError(scope, prop, labels, 'give labels as an object of key: value strings');
  }
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    const name = key.slice(slash + 1);
    const keyOk =
      name.length <= 63 &&
      LABEL_NAME.test(name) &&
      (prefix === undefined || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)));
    if (!keyOk) {
      throw propError(
        scope,
        `${prop} key`,
        key,
        'a label key is an optional DNS-subdomain prefix and "/", then a name',
      );
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      throw propError(
        scope,
        `${prop}["${key}"]`,
        value,
        'a label value has at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric',
      );
    }
  }
  return labels;
}

/** At least one CIDR, each valid; duplicates dropped. */
export function checkCidrs(scope: IConstruct, prop: string, cidrs: readonly string[] | undefined): string[] {
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    throw propError(scope, prop, cidrs, 'give at least one CIDR block, e.g. ["203.0.113.10/32"]');
  }
  return [...new Set(cidrs.map((c, i) => checkCidr(scope, `${prop}[${i}]`, c)))];
}

export function isCidrPeer(peer: NetworkPeer): peer is CidrPeer {
  return 'cidrs' in peer;
}

/** A peer of either kind, checked in full (the caller may not be type-checked). */
export function checkPeer(scope: IConstruct, prop: string, peer: NetworkPeer): NetworkPeer {
  const shape = 'give { namespace, podLabels? } for pods, or { cidrs } for addresses outside the cluster';
  if (typeof peer !== 'object' || peer === null) throw propError(scope, prop, peer, shape);
  const hasCidrs = 'cidrs' in peer;
  const hasNamespace = 'namespace' in peer;
  if (hasCidrs === hasNamespace) throw propError(scope, prop, peer, shape);
  if (isCidrPeer(peer)) return { cidrs: checkCidrs(scope, `${prop}.cidrs`, peer.cidrs) };
  checkDnsLabel(scope, `${prop}.namespace`, peer.namespace);
  checkLabels(scope, `${prop}.podLabels`, peer.podLabels ?? {});
  return peer;
}

export function checkServiceDestination(scope: IConstruct, prop: string, peer: ServiceDestination): ServiceDestination {
  const checked = checkPeer(scope, prop, peer);
  if (!isCidrPeer(checked) && 'targetPort' in peer && peer.targetPort !== undefined) {
    checkPort(scope, `${prop}.targetPort`, peer.targetPort);
  }
  return isCidrPeer(checked) ? checked : peer;
}

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

export function checkRule(scope: IConstruct, prop: string, rule: NetworkRule): NetworkRule {
  if (!Array.isArray(rule?.peers) || rule.peers.length === 0) {
    throw propError(scope, `${prop}.peers`, rule?.peers, 'give at least one peer: an empty list would allow everyone');
  }
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) {
    throw propError(scope, `${prop}.ports`, rule.ports, 'give at least one port: an empty list would open every port');
  }
  const peers = rule.peers.map((p, i) => checkPeer(scope, `${prop}.peers[${i}]`, p));
  for (const [i, p] of rule.ports.entries()) {
    checkPort(scope, `${prop}.ports[${i}].port`, p?.port);
    if (p.endPort !== undefined) {
      checkPort(scope, `${prop}.ports[${i}].endPort`, p.endPort);
      if (p.endPort < p.port) {
        throw propError(scope, `${prop}.ports[${i}].endPort`, p.endPort, `must be at least port (${p.port})`);
      }
    }
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) {
      throw propError(scope, `${prop}.ports[${i}].protocol`, p.protocol, 'use "TCP", "UDP" or "SCTP"');
    }
  }
  return { peers, ports: rule.ports };
}

/** The policy peers for one peer: one ipBlock per CIDR, or one namespace (AND pod) selector. */
export function renderPeer(peer: NetworkPeer): k8s.NetworkPolicyPeer[] {
  if (isCidrPeer(peer)) return peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const labels = peer.podLabels ?? {};
  return [
    {
      // Both selectors in one peer: pods with these labels AND in this namespace (two peers would mean OR).
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
      ...(Object.keys(labels).length > 0 ? { podSelector: { matchLabels: { ...labels } } } : {}),
    },
  ];
}

export function renderPorts(ports: readonly NetworkPort[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({
    port: k8s.IntOrString.fromNumber(p.port),
    ...(p.endPort !== undefined && p.endPort !== p.port ? { endPort: p.endPort } : {}),
    // Written out although TCP is the default, so a reader sees exactly what is open.
    protocol: p.protocol ?? 'TCP',
  }));
}

/** The namespace of an in-cluster Service or pod name (`<svc>.<namespace>.svc[.<cluster domain>]`), if it is one. */
export function clusterServiceNamespace(host: string): string | undefined {
  return /^(?:[a-z0-9-]+\.)+?([a-z0-9-]+)\.svc(?:\.[a-z0-9.-]+)?$/.exec(host)?.[1];
}

/** Whether `host` is one of `names`, where `*.x` stands for any one DNS label before `.x`. */
export function matchesDnsName(names: readonly string[], host: string): boolean {
  return names.some((name) => {
    if (!name.startsWith('*.')) return name === host;
    const suffix = name.slice(1);
    const first = host.slice(0, host.length - suffix.length);
    return host.endsWith(suffix) && first.length > 0 && !first.includes('.');
  });
}
