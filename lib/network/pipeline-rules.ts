import type { IConstruct } from 'constructs';
import { propError } from '../k8s/prop-errors';
import type { PipelineComponent } from '../vector/component';
import {
  type ComponentDestination,
  connectionsOf,
  listenersOfComponent,
  type UnplaceableEndpoint,
} from '../vector/endpoints';
import type { VectorPipeline } from '../vector/pipeline';
import {
  type CidrPeer,
  checkPeer,
  checkRule,
  checkServiceDestination,
  clusterServiceNamespace,
  isCidrPeer,
  matchesDnsName,
  type NetworkPeer,
  type NetworkPort,
  type NetworkRule,
  type PodPeer,
  type ServicePods,
} from './peers';

/**
 * Where one component a user added to a pipeline connects: pods behind an in-cluster Service, or addresses outside the
 * cluster, as for the built-in destinations (`loki`, `remoteWrite`), and optionally the ports.
 */
export type EgressDestination = (ServicePods | CidrPeer) & {
  /**
   * The ports to open instead of those the component's options name: for what Vector learns only when it runs (Kafka
   * brokers other than the bootstrap servers, an endpoint given as a template or a secret, a type whose endpoints the
   * policies do not know). With pods, give either this or `targetPort`.
   * @default the ports of the component's endpoints (the pods' `targetPort` when given)
   */
  readonly ports?: readonly NetworkPort[];
};

/** A host and port the construct's own rules admit. */
export interface BuiltInEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Pods the policies know by their DNS names, so that a component connecting to one of those names needs no prop. */
export interface KnownPods {
  readonly dnsNames: readonly string[];
  readonly pods: PodPeer;
  readonly port: number;
  /** Construct path, for messages. */
  readonly path: string;
}

/** One workload's pipeline, and what of it the construct's own rules already admit. */
export interface PipelineWorkload {
  /** The workload's construct path, e.g. `cluster/agent`. */
  readonly path: string;
  readonly pipeline: VectorPipeline;
  /** Per component label (`sinks.to_aggregators`): the endpoints its built-in rule admits, or `any` for all. */
  readonly builtInEgress: ReadonlyMap<string, readonly BuiltInEndpoint[] | 'any'>;
  /** Per component label (`sinks.self_metrics`): the port its built-in ingress rule (or deliberate absence) covers. */
  readonly builtInListeners: ReadonlyMap<string, number | undefined>;
  /** Whether the workload's policy admits the API server already. */
  readonly apiServer: boolean;
  readonly knownPods: readonly KnownPods[];
}

export interface ComponentProps {
  readonly egress: Readonly<Record<string, EgressDestination>>;
  readonly ingress: Readonly<Record<string, readonly NetworkPeer[]>>;
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number } | undefined;
}

export interface ComponentRules {
  readonly egress: NetworkRule[];
  readonly ingress: NetworkRule[];
  /** Ids of `egress` and `ingress` entries used. */
  readonly usedEgress: ReadonlySet<string>;
  readonly usedIngress: ReadonlySet<string>;
}

const EGRESS_SHAPES =
  'give the pods behind it as { namespace, podLabels?, targetPort? }, or its addresses outside the cluster as ' +
  '{ cidrs }, either with ports? to open other ports than its endpoints name';

/** Every `egress` entry checked in full (the caller may not be type-checked). */
export function checkEgressProp(
  scope: IConstruct,
  egress: Readonly<Record<string, EgressDestination>> | undefined,
): Readonly<Record<string, EgressDestination>> {
  if (egress === undefined) return {};
  if (typeof egress !== 'object' || egress === null || Array.isArray(egress)) {
    throw propError(scope, 'egress', egress, `give an object of component id: destination; for each, ${EGRESS_SHAPES}`);
  }
  const checked: Record<string, EgressDestination> = {};
  for (const [id, entry] of Object.entries(egress)) {
    const prop = `egress.${id}`;
    const peer = checkServiceDestination(scope, prop, entry);
    let ports: NetworkPort[] | undefined;
    if (entry.ports !== undefined) {
      if (!isCidrPeer(peer) && (peer as ServicePods).targetPort !== undefined) {
        throw propError(
          scope,
          `${prop}.targetPort`,
          (peer as ServicePods).targetPort,
          'give targetPort or ports, not both',
        );
      }
      // The rule's checks, with a stand-in peer: the ports are what is checked here.
      ports = [...checkRule(scope, prop, { peers: [{ cidrs: ['0.0.0.0/32'] }], ports: entry.ports }).ports];
    }
    checked[id] = { ...peer, ...(ports ? { ports } : {}) } as EgressDestination;
  }
  return checked;
}

/** Every `ingress` entry checked in full: a list of peers, `[]` for nobody. */
export function checkIngressProp(
  scope: IConstruct,
  ingress: Readonly<Record<string, readonly NetworkPeer[]>> | undefined,
): Readonly<Record<string, readonly NetworkPeer[]>> {
  if (ingress === undefined) return {};
  const shape =
    'give an object of component id: a list of peers ({ namespace, podLabels? } or { cidrs }), [] for nobody';
  if (typeof ingress !== 'object' || ingress === null || Array.isArray(ingress)) {
    throw propError(scope, 'ingress', ingress, shape);
  }
  const checked: Record<string, readonly NetworkPeer[]> = {};
  for (const [id, peers] of Object.entries(ingress)) {
    if (!Array.isArray(peers)) throw propError(scope, `ingress.${id}`, peers, shape);
    checked[id] = peers.map((p: NetworkPeer, i) => checkPeer(scope, `ingress.${id}[${i}]`, p));
  }
  return checked;
}

const hostKey = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();

function coveredBy(builtIn: readonly BuiltInEndpoint[] | 'any' | undefined, d: ComponentDestination): boolean {
  if (builtIn === undefined) return false;
  if (builtIn === 'any') return true;
  return (
    d.host !== undefined && builtIn.some((e) => hostKey(e.host) === hostKey(d.host as string) && e.port === d.port)
  );
}

function uniquePorts(destinations: readonly { port: number; protocol: 'TCP' | 'UDP' }[]): NetworkPort[] {
  const seen = new Map<string, NetworkPort>();
  for (const d of destinations) {
    seen.set(
      `${d.protocol}/${d.port}`,
      d.protocol === 'TCP' ? { port: d.port } : { port: d.port, protocol: d.protocol },
    );
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol ?? 'TCP').localeCompare(b.protocol ?? 'TCP'));
}

const describeUnplaceable = (u: UnplaceableEndpoint) =>
  u.value === undefined
    ? `an endpoint the policies cannot read (${u.reason})`
    : `${u.option} ${JSON.stringify(u.value)} (${u.reason})`;

const verb = (c: PipelineComponent) => (c.class === 'sink' ? 'sends to' : 'connects to');

/**
 * The rules the components of one pipeline need beyond what the construct's own rules admit: egress for every sink and
 * scrape source (from its endpoint options), the API server for `kubernetes_logs`, ingress for every component that
 * listens. Each component that cannot be placed adds a message to `problems` naming it and the prop that fixes it.
 */
export function componentRules(
  scope: IConstruct,
  workload: PipelineWorkload,
  props: ComponentProps,
  problems: string[],
): ComponentRules {
  const egress: NetworkRule[] = [];
  const ingress: NetworkRule[] = [];
  const usedEgress = new Set<string>();
  const usedIngress = new Set<string>();
  const problem = (prop: string, value: unknown, text: string) =>
    problems.push(propError(scope, prop, value, text).message);
  let apiServerAdded = workload.apiServer;

  for (const c of workload.pipeline.allComponents) {
    const conn = connectionsOf(c);
    const label = conn.component;
    const who = `${label} (${c.type}) of ${workload.path}`;
    if (conn.kubernetesApi && !apiServerAdded) {
      if (props.apiServer) {
        egress.push({ peers: [{ cidrs: props.apiServer.cidrs }], ports: [{ port: props.apiServer.port }] });
        apiServerAdded = true;
      } else {
        problem(
          'apiServer',
          undefined,
          `${who} watches the API server: give the addresses and port of the default/kubernetes endpoints`,
        );
      }
    }
    const builtIn = workload.builtInEgress.get(label);
    const destinations = conn.destinations.filter((d) => !coveredBy(builtIn, d));
    const unplaceable = builtIn === 'any' ? [] : conn.unplaceable;
    if (destinations.length > 0 || unplaceable.length > 0) {
      const entry = props.egress[c.id];
      if (entry) usedEgress.add(c.id);
      const rules = entry
        ? declaredEgress(c, who, entry, destinations, unplaceable, problem)
        : placedEgress(c, who, workload, destinations, unplaceable, problem);
      egress.push(...rules);
    }

    const listens = listenersOfComponent(c);
    const open = listens.addresses.filter(
      (a) => !workload.builtInListeners.has(label) || workload.builtInListeners.get(label) !== a.port,
    );
    if (listens.unplaceable.length > 0 && !workload.builtInListeners.has(label)) {
      problem(
        `ingress.${c.id}`,
        props.ingress[c.id],
        `${who} listens on ${listens.unplaceable.map(describeUnplaceable).join(', ')}, whose port the policies ` +
          'cannot know: give a literal host:port in its options',
      );
    }
    if (open.length === 0) continue;
    const peers = props.ingress[c.id];
    const shown = open.map((a) => `${a.address}${a.protocol === 'UDP' ? '/UDP' : ''}`).join(', ');
    if (peers === undefined) {
      problem(
        `ingress.${c.id}`,
        undefined,
        `${who} listens on ${shown}, which no policy admits: give who may connect as a list of ` +
          '{ namespace, podLabels? } or { cidrs }, or [] for nobody',
      );
      continue;
    }
    usedIngress.add(c.id);
    if (peers.length > 0) ingress.push({ peers, ports: uniquePorts(open) });
  }
  return { egress, ingress, usedEgress, usedIngress };
}

type Problem = (prop: string, value: unknown, text: string) => void;

/** The rule for a component whose destination the `egress` prop declares. */
function declaredEgress(
  c: PipelineComponent,
  who: string,
  entry: EgressDestination,
  destinations: readonly ComponentDestination[],
  unplaceable: readonly UnplaceableEndpoint[],
  problem: Problem,
): NetworkRule[] {
  const prop = `egress.${c.id}`;
  if (unplaceable.length > 0 && entry.ports === undefined) {
    problem(
      `${prop}.ports`,
      undefined,
      `${who} ${verb(c)} ${unplaceable.map(describeUnplaceable).join(', ')}, whose port the policies cannot know: ` +
        'give the ports it connects to',
    );
    return [];
  }
  if (isCidrPeer(entry)) {
    const inCluster = destinations.find((d) => d.host !== undefined && clusterServiceNamespace(d.host) !== undefined);
    if (inCluster) {
      problem(
        `${prop}.cidrs`,
        entry.cidrs,
        `${inCluster.target} is an in-cluster Service, and policies see the pods behind it: give them as ` +
          `{ namespace: "${clusterServiceNamespace(inCluster.host as string)}", podLabels }`,
      );
      return [];
    }
    return [{ peers: [{ cidrs: entry.cidrs }], ports: entry.ports ?? uniquePorts(destinations) }];
  }
  for (const d of destinations) {
    const namespace = d.host === undefined ? undefined : clusterServiceNamespace(d.host);
    if (namespace !== undefined && namespace !== entry.namespace) {
      problem(`${prop}.namespace`, entry.namespace, `${d.target} is a Service in namespace "${namespace}"`);
      return [];
    }
  }
  const pods: PodPeer = { namespace: entry.namespace, ...(entry.podLabels ? { podLabels: entry.podLabels } : {}) };
  const ports =
    entry.ports ??
    (entry.targetPort !== undefined
      ? uniquePorts(destinations.map((d) => ({ ...d, port: entry.targetPort as number })))
      : uniquePorts(destinations));
  return [{ peers: [pods], ports }];
}

/** The rules for a component no prop declares: only destinations the policies know the pods of can be placed. */
function placedEgress(
  c: PipelineComponent,
  who: string,
  workload: PipelineWorkload,
  destinations: readonly ComponentDestination[],
  unplaceable: readonly UnplaceableEndpoint[],
  problem: Problem,
): NetworkRule[] {
  const prop = `egress.${c.id}`;
  const rules: NetworkRule[] = [];
  const unplaced: ComponentDestination[] = [];
  for (const d of destinations) {
    const known = workload.knownPods.find((k) => d.host !== undefined && matchesDnsName(k.dnsNames, d.host));
    if (!known) {
      unplaced.push(d);
    } else if (known.port !== d.port) {
      problem(prop, undefined, `${who} ${verb(c)} ${d.target}, but ${known.path} listens on port ${known.port}`);
    } else {
      rules.push({ peers: [known.pods], ports: [{ port: known.port }] });
    }
  }
  if (unplaced.length === 0 && unplaceable.length === 0) return rules;
  const targets = [...unplaced.map((d) => d.target), ...unplaceable.map(describeUnplaceable)].join(', ');
  const namespaces = [
    ...new Set(unplaced.map((d) => (d.host === undefined ? undefined : clusterServiceNamespace(d.host)))),
  ];
  let advice: string;
  if (unplaceable.length > 0) {
    advice = 'give where it leads and the ports it uses as { cidrs, ports } or { namespace, podLabels?, ports }';
  } else if (namespaces.length === 1 && namespaces[0] !== undefined) {
    advice =
      'the policies see the pods behind an in-cluster Service: give them as ' +
      `{ namespace: "${namespaces[0]}", podLabels, targetPort? }`;
  } else if (namespaces.every((n) => n === undefined)) {
    advice = 'NetworkPolicy cannot match DNS names: give the addresses it resolves to as { cidrs }';
  } else {
    advice = EGRESS_SHAPES;
  }
  problem(prop, undefined, `${who} ${verb(c)} ${targets}, which no policy admits; ${advice}`);
  return [];
}
