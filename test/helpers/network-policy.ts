/**
 * A small evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics, for tests that ask "is this
 * connection allowed?" of synthesized policies instead of comparing their YAML.
 *
 * What it implements, after https://kubernetes.io/docs/concepts/services-networking/network-policies/:
 * - a pod is isolated for ingress (egress) when a policy in its namespace selects it and lists `Ingress` (`Egress`) in
 *   `policyTypes` (which defaults to `Ingress`, plus `Egress` when the policy has an `egress` section);
 * - a connection is allowed when the source may send (not isolated for egress, or some egress rule of a policy
 *   selecting it matches the destination and port) and the destination may receive (same, for ingress); endpoints
 *   outside the cluster (`{ ip }`) have no side to check;
 * - a rule without `from`/`to` (or with an empty list) matches every peer, and without `ports` every port;
 * - a peer's `namespaceSelector` and `podSelector` together are AND, separate peers are OR; a `podSelector` alone
 *   means pods of the policy's own namespace; `ipBlock` with `except`, IPv4 and IPv6;
 * - ports: `protocol` defaults to TCP, `endPort` makes a range.
 *
 * What it leaves out: named ports (it throws), and what Kubernetes leaves to the network plugin: `ipBlock` never
 * matches a pod here, connections are seen after Service translation (give pod endpoints, not Service IPs), and the
 * node's own traffic to its pods (probes), which is always allowed, is not modelled.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface LabelSelectorJson {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

export interface PolicyPeerJson {
  readonly podSelector?: LabelSelectorJson;
  readonly namespaceSelector?: LabelSelectorJson;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface PolicyPortJson {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}

export interface NetworkPolicyJson {
  readonly apiVersion: string;
  readonly kind: 'NetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly podSelector: LabelSelectorJson;
    readonly policyTypes?: readonly ('Ingress' | 'Egress')[];
    readonly ingress?: readonly {
      readonly from?: readonly PolicyPeerJson[];
      readonly ports?: readonly PolicyPortJson[];
    }[];
    readonly egress?: readonly {
      readonly to?: readonly PolicyPeerJson[];
      readonly ports?: readonly PolicyPortJson[];
    }[];
  };
}

/** A pod, by namespace and labels. */
export interface PodEndpoint {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** An address outside the cluster. */
export interface IpEndpoint {
  readonly ip: string;
}

export type Endpoint = PodEndpoint | IpEndpoint;

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** The destination port, after Service translation. */
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** One side's verdict: not isolated, or isolated and allowed by these policies (none: denied). */
export type SideVerdict =
  { readonly isolated: false } | { readonly isolated: true; readonly allowedBy: readonly string[] };

export interface Verdict {
  readonly allowed: boolean;
  /** The source's egress; undefined for an address outside the cluster. */
  readonly egress: SideVerdict | undefined;
  /** The destination's ingress; undefined for an address outside the cluster. */
  readonly ingress: SideVerdict | undefined;
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export class NetworkPolicyEvaluator {
  readonly policies: readonly NetworkPolicyJson[];

  /**
   * @param objects synthesized manifests; only the NetworkPolicies among them count
   * @param namespaceLabels labels of namespaces beyond `kubernetes.io/metadata.name`, which every namespace has
   */
  constructor(
    objects: readonly unknown[],
    private readonly namespaceLabels: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
  ) {
    this.policies = objects.filter(
      (o): o is NetworkPolicyJson =>
        typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'NetworkPolicy',
    );
  }

  isAllowed(connection: Connection): boolean {
    return this.evaluate(connection).allowed;
  }

  evaluate(connection: Connection): Verdict {
    const egress = isPod(connection.from) ? this.side(connection.from, 'Egress', connection) : undefined;
    const ingress = isPod(connection.to) ? this.side(connection.to, 'Ingress', connection) : undefined;
    const sideAllows = (v: SideVerdict | undefined) => v === undefined || !v.isolated || v.allowedBy.length > 0;
    return { allowed: sideAllows(egress) && sideAllows(ingress), egress, ingress };
  }

  /** The policies that select `pod` (in its namespace, by its labels), in order. */
  selecting(pod: PodEndpoint): NetworkPolicyJson[] {
    return this.policies.filter(
      (p) => (p.metadata.namespace ?? 'default') === pod.namespace && matches(p.spec.podSelector, pod.podLabels),
    );
  }

  private side(pod: PodEndpoint, type: 'Ingress' | 'Egress', c: Connection): SideVerdict {
    const isolating = this.selecting(pod).filter((p) => policyTypes(p).includes(type));
    if (isolating.length === 0) return { isolated: false };
    const peer = type === 'Ingress' ? c.from : c.to;
    const allowedBy = isolating.filter((policy) => {
      const namespace = policy.metadata.namespace ?? 'default';
      const rules =
        type === 'Ingress'
          ? (policy.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
          : (policy.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      return rules.some(
        (r) =>
          (r.peers === undefined ||
            r.peers.length === 0 ||
            r.peers.some((p) => this.peerMatches(p, namespace, peer))) &&
          (r.ports === undefined || r.ports.length === 0 || r.ports.some((p) => portMatches(p, c))),
      );
    });
    return {
      isolated: true,
      allowedBy: allowedBy.map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`),
    };
  }

  private peerMatches(peer: PolicyPeerJson, policyNamespace: string, endpoint: Endpoint): boolean {
    const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
    if (selectors === (peer.ipBlock !== undefined)) {
      throw new Error(`invalid peer ${JSON.stringify(peer)}: give ipBlock, or podSelector and/or namespaceSelector`);
    }
    if (peer.ipBlock) {
      if (isPod(endpoint)) return false;
      const { cidr, except = [] } = peer.ipBlock;
      return inCidr(endpoint.ip, cidr) && !except.some((e) => inCidr(endpoint.ip, e));
    }
    if (!isPod(endpoint)) return false;
    if (peer.namespaceSelector !== undefined) {
      return (
        matches(peer.namespaceSelector, this.labelsOf(endpoint.namespace)) &&
        (peer.podSelector === undefined || matches(peer.podSelector, endpoint.podLabels))
      );
    }
    return endpoint.namespace === policyNamespace && matches(peer.podSelector ?? {}, endpoint.podLabels);
  }

  private labelsOf(namespace: string): Record<string, string> {
    return { ...this.namespaceLabels[namespace], [NAMESPACE_NAME_LABEL]: namespace };
  }
}

/** `from -> to:port/protocol`, for messages. */
export function describeConnection(c: Connection): string {
  const endpoint = (e: Endpoint) =>
    isPod(e)
      ? `${e.namespace}/{${Object.entries(e.podLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}}`
      : e.ip;
  return `${endpoint(c.from)} -> ${endpoint(c.to)}:${c.port}/${c.protocol ?? 'TCP'}`;
}

function isPod(e: Endpoint): e is PodEndpoint {
  return 'namespace' in e;
}

function policyTypes(p: NetworkPolicyJson): readonly string[] {
  return p.spec.policyTypes ?? ['Ingress', ...(p.spec.egress ? ['Egress'] : [])];
}

/** Label selector semantics: every `matchLabels` entry and every expression must hold; `{}` selects everything. */
export function matches(selector: LabelSelectorJson, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  return (
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => has(k) && labels[k] === v) &&
    (selector.matchExpressions ?? []).every((e) => {
      switch (e.operator) {
        case 'In':
          return has(e.key) && (e.values ?? []).includes(labels[e.key]);
        case 'NotIn':
          return !has(e.key) || !(e.values ?? []).includes(labels[e.key]);
        case 'Exists':
          return has(e.key);
        case 'DoesNotExist':
          return !has(e.key);
        default:
          throw new Error(`unknown selector operator ${JSON.stringify(e.operator)}`);
      }
    })
  );
}

function portMatches(p: PolicyPortJson, c: Connection): boolean {
  if ((p.protocol ?? 'TCP') !== (c.protocol ?? 'TCP')) return false;
  if (p.port === undefined) {
    if (p.endPort !== undefined) throw new Error(`invalid port ${JSON.stringify(p)}: endPort needs a numeric port`);
    return true;
  }
  if (typeof p.port === 'string') throw new Error(`named port ${JSON.stringify(p.port)}: not supported here`);
  if (p.endPort === undefined) return c.port === p.port;
  if (p.endPort < p.port) throw new Error(`invalid port ${JSON.stringify(p)}: endPort below port`);
  return c.port >= p.port && c.port <= p.endPort;
}

interface ParsedIp {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseIp(ip: string): ParsedIp {
  if (isIPv4(ip)) return { bits: 32, value: ip.split('.').reduce((acc, o) => (acc << 8n) + BigInt(o), 0n) };
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    // An embedded IPv4 address (e.g. ::ffff:192.0.2.1) is the last two groups.
    const v4 = parseIp(dotted[1]).value;
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return { bits: 128, value: all.reduce((acc, g) => (acc << 16n) + BigInt(`0x${g}`), 0n) };
}

/** Whether `ip` is in `cidr`; an address of the other family never is. */
export function inCidr(ip: string, cidr: string): boolean {
  const [network, prefixText] = cidr.split('/');
  const net = parseIp(network);
  const addr = parseIp(ip);
  const prefix = BigInt(prefixText ?? net.bits);
  if (net.bits !== addr.bits) return false;
  const shift = BigInt(net.bits) - prefix;
  return addr.value >> shift === net.value >> shift;
}
