import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AGENT_IDS } from '../agent/agent-pipeline';
import type { VectorAgent } from '../agent/vector-agent';
import { AGGREGATOR_IDS } from '../aggregator/aggregator-pipeline';
import type { VectorAggregator } from '../aggregator/vector-aggregator';
import { commonLabels } from '../k8s/labels';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, checkPort, propError } from '../k8s/prop-errors';
import {
  checkCidrs,
  checkLabels,
  checkPeer,
  checkRule,
  checkServiceDestination,
  clusterServiceNamespace,
  DNS_PORT,
  isCidrPeer,
  KUBE_DNS,
  matchesDnsName,
  type NetworkPeer,
  type NetworkPort,
  type NetworkRule,
  renderPeer,
  renderPorts,
  type ServiceDestination,
} from './peers';
import {
  checkEgressProp,
  checkIngressProp,
  type BuiltInEndpoint,
  type ComponentRules,
  componentRules,
  type EgressDestination,
  type PipelineWorkload,
} from './pipeline-rules';
import { unusedEntryProblems } from './unused-entries';
import type { NetworkPolicyWorkload } from './workload-policy';

/**
 * The Kubernetes API server as NetworkPolicy sees it. Policies match a connection after the `kubernetes` Service has
 * translated it, so these are the addresses and port of that Service's endpoints
 * (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`), not its ClusterIP and port 443.
 */
export interface ApiServerEndpoint {
  /** The endpoint addresses, as CIDRs, e.g. `["10.0.0.2/32", "10.0.0.3/32"]`. At least one. */
  readonly cidrs: readonly string[];
  /** The endpoint port: 6443 on kubeadm clusters, 443 on many managed ones. */
  readonly port: number;
}

export interface VectorNetworkPoliciesProps {
  /**
   * The agents to allow exactly what they use. It must not run with `hostNetwork`: NetworkPolicy does not apply there.
   * @default no agent policy
   */
  readonly agent?: VectorAgent;
  /** The aggregators to allow exactly what they use. @default no aggregator policy */
  readonly aggregator?: VectorAggregator;
  /**
   * Who scrapes the agents' and aggregators' metrics: usually `{ namespace: 'monitoring' }`, narrowed by the
   * Prometheus pods' labels. `false` lets nobody scrape them.
   */
  readonly prometheus: NetworkPeer | false;
  /** The API server, which the agent's `kubernetes_logs` source watches. @default none; required with an agent */
  readonly apiServer?: ApiServerEndpoint;
  /**
   * The node addresses, where the agent scrapes each kubelet (port 10250).
   * @default none; required when the agent scrapes the kubelet
   */
  readonly nodeCidrs?: readonly string[];
  /**
   * The addresses the agent's aggregator endpoints resolve to when they are outside this cluster (e.g. the aggregators'
   * load balancer in the monitoring cluster); the ports are the endpoints'. An endpoint that is a Service name of the
   * `aggregator` given here needs none: its pods are selected instead.
   * @default none; required when the agent ships to an endpoint outside this cluster
   */
  readonly aggregatorCidrs?: readonly string[];
  /**
   * Where the agent's and the aggregator's remote-write URLs lead; the port is the URL's.
   * @default none; required when either writes metrics remotely
   */
  readonly remoteWrite?: ServiceDestination;
  /**
   * Who may send to the aggregators' `vector` port from outside this cluster: the source addresses the aggregator pods
   * see, i.e. the source clusters' egress (NAT) addresses when the load balancer keeps client addresses, otherwise the
   * load balancer's or the nodes' own. `[]` when only an agent given here sends.
   * @default none; required with an aggregator
   */
  readonly sourceClusterCidrs?: readonly string[];
  /** Where the aggregator's Loki URL leads; the port is the URL's. @default none; required with an aggregator */
  readonly loki?: ServiceDestination;
  /**
   * Cluster DNS. A CIDR peer fits node-local DNS caches, e.g. `{ cidrs: ['169.254.20.10/32'] }`.
   * @default the kube-system pods labelled `k8s-app: kube-dns`
   */
  readonly dns?: NetworkPeer;
  /**
   * Namespaces that get a `default-deny` policy (all ingress and egress of every pod). Only namespaces nothing else
   * runs in: pods the policies here do not know would lose every connection.
   * Workloads added with `ownsNamespace` (see {@link VectorNetworkPolicies.addWorkload}) add theirs as well.
   * @default the namespaces the agent and aggregator create (`createNamespace`)
   */
  readonly defaultDenyNamespaces?: readonly string[];
  /**
   * Where the components you add to the agent's or the aggregator's pipeline connect, by component id: the pods
   * behind an in-cluster Service (`{ namespace, podLabels?, targetPort? }`), or the addresses outside the cluster
   * (`{ cidrs }`), as for `loki` and `remoteWrite`; the ports are those of the component's endpoint options (a URL's
   * port, or its scheme's: http 80, https 443), unless `ports` is given. Every sink and scrape source of the final
   * pipelines (components added after this construct included) that connects somewhere the built-in rules do not
   * admit needs an entry; one connecting to the `aggregator` given here by a Service name does not. Synth fails
   * naming the component and this prop when one is missing, and for an entry no such component uses. An id
   * present in both pipelines uses the same entry.
   * @default none
   */
  readonly egress?: Readonly<Record<string, EgressDestination>>;
  /**
   * Who may connect to the components you add that listen (e.g. an `http_server` or `syslog` source), by component id:
   * a list of peers, `[]` for nobody; the ports are the components' listen addresses'. Synth fails when one is missing.
   * @default none
   */
  readonly ingress?: Readonly<Record<string, readonly NetworkPeer[]>>;
  /** `app.kubernetes.io/instance` of the policies. @default 'vector-network-policies' */
  readonly name?: string;
}

/** The name of the default-deny policy in each namespace. */
export const DEFAULT_DENY_POLICY = 'default-deny';

interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Least-privilege NetworkPolicies for the Vector workloads of one cluster: a default-deny in each namespace they own,
 * and per workload a policy allowing only what its wiring uses. Ports come from the constructs (the agent's aggregator
 * endpoints, the aggregator's `vectorPort`, every `metricsPort`, the Loki and remote-write URLs), so changing a port
 * changes the policy. NetworkPolicy cannot match DNS names, so everything outside the cluster is given as CIDRs.
 * Other workloads join with {@link addWorkload}, e.g. `addWorkload(heartbeat.networkPolicy({ from }))`.
 */
export class VectorNetworkPolicies extends Construct {
  private readonly labels: Record<string, string>;
  private readonly dns: NetworkPeer;
  private readonly apiServer: ApiServerEndpoint | undefined;
  /** `<namespace>/<name>` of every policy, so that no two share a name. */
  private readonly policies = new Set<string>();
  private readonly defaultDenied = new Set<string>();
  private readonly egressProp: Readonly<Record<string, EgressDestination>>;
  private readonly ingressProp: Readonly<Record<string, readonly NetworkPeer[]>>;
  /** The agent's and the aggregator's pipelines, read at synth, so components added later are covered. */
  private readonly pipelines: PipelineWorkload[] = [];

  constructor(scope: Construct, id: string, props: VectorNetworkPoliciesProps) {
    super(scope, id);
    const name = checkDnsLabel(this, 'name', props.name ?? 'vector-network-policies');
    this.labels = commonLabels({ name: 'vector', instance: name, component: 'network-policy' });
    this.dns = checkPeer(this, 'dns', props.dns ?? KUBE_DNS);
    this.apiServer = props.apiServer && {
      cidrs: checkCidrs(this, 'apiServer.cidrs', props.apiServer.cidrs),
      port: checkPort(this, 'apiServer.port', props.apiServer.port),
    };
    const p = this.resolveProps(props);
    this.egressProp = checkEgressProp(this, props.egress);
    this.ingressProp = checkIngressProp(this, props.ingress);
    const { agent, aggregator } = props;
    this.node.addValidation({ validate: () => this.derive().problems });

    const owned = [agent, aggregator].flatMap((w) => (w?.ownsNamespace ? [w.namespace] : []));
    for (const [i, namespace] of (props.defaultDenyNamespaces ?? owned).entries()) {
      this.addDefaultDeny(checkDnsLabel(this, `defaultDenyNamespaces[${i}]`, namespace));
    }
    const agentShipsInCluster = agent ? this.addAgent(agent, aggregator, p) : false;
    if (aggregator) this.addAggregator(aggregator, agentShipsInCluster ? agent : undefined, p);
  }

  /** Denies all ingress and egress of every pod in `namespace` that no other policy allows. Idempotent. */
  addDefaultDeny(namespace: string): void {
    checkDnsLabel(this, 'namespace', namespace);
    if (this.defaultDenied.has(namespace)) return;
    const key = `${namespace}/${DEFAULT_DENY_POLICY}`;
    if (this.policies.has(key)) {
      throw propError(
        this,
        'namespace',
        namespace,
        `a workload's policy there is named "${DEFAULT_DENY_POLICY}" already`,
      );
    }
    this.defaultDenied.add(namespace);
    this.policies.add(key);
    new k8s.KubeNetworkPolicy(this, `DefaultDeny.${namespace}`, {
      metadata: { name: DEFAULT_DENY_POLICY, namespace, labels: { ...this.labels } },
      // Both types and no rule: every pod of the namespace is isolated both ways until a policy allows something.
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
  }

  /**
   * A policy for one more workload (e.g. a heartbeat) that isolates its pods both ways and allows only the given
   * rules, plus DNS and the API server when asked for. With `ownsNamespace` it adds the namespace's default-deny too
   * (once, however many workloads share the namespace). The heartbeat constructs describe themselves with
   * `networkPolicy()`.
   */
  addWorkload(workload: NetworkPolicyWorkload): void {
    this.addPolicy(workload);
  }

  /** `addWorkload`, plus rules computed at synth from a pipeline (`derived`). */
  private addPolicy(workload: NetworkPolicyWorkload, derived?: () => ComponentRules): void {
    const name = checkDnsSubdomain(this, 'workload.name', workload.name);
    const namespace = checkDnsLabel(this, 'workload.namespace', workload.namespace);
    const selector = checkLabels(this, 'workload.selectorLabels', workload.selectorLabels);
    if (Object.keys(selector).length === 0) {
      throw propError(
        this,
        'workload.selectorLabels',
        selector,
        "give the labels of the workload's pods: an empty selector would select every pod of the namespace",
      );
    }
    const key = `${namespace}/${name}`;
    if (this.policies.has(key)) {
      throw propError(this, 'workload.name', name, `namespace "${namespace}" has a policy of that name already`);
    }
    if (workload.ownsNamespace && name === DEFAULT_DENY_POLICY) {
      throw propError(
        this,
        'workload.name',
        name,
        `the default-deny that ownsNamespace adds to namespace "${namespace}" has that name: name the policy after the workload`,
      );
    }
    if (workload.apiServer && !this.apiServer) {
      throw propError(
        this,
        'apiServer',
        undefined,
        `workload "${name}" talks to the API server: give its endpoint addresses and port`,
      );
    }
    const ingress = (workload.ingress ?? []).map((r, i) => checkRule(this, `workload.ingress[${i}]`, r));
    const egress: NetworkRule[] = [
      ...(workload.dns
        ? [
            {
              peers: [this.dns],
              // TCP too: answers over 512 bytes (many records, DNSSEC) are retried over TCP.
              ports: [
                { port: DNS_PORT, protocol: 'UDP' as const },
                { port: DNS_PORT, protocol: 'TCP' as const },
              ],
            },
          ]
        : []),
      ...(workload.apiServer && this.apiServer
        ? [{ peers: [{ cidrs: this.apiServer.cidrs }], ports: [{ port: this.apiServer.port }] }]
        : []),
      ...(workload.egress ?? []).map((r, i) => checkRule(this, `workload.egress[${i}]`, r)),
    ];
    if (workload.ownsNamespace) this.addDefaultDeny(namespace);
    this.policies.add(key);
    const spec = (extra?: ComponentRules): k8s.NetworkPolicySpec => {
      const allIngress = [...ingress, ...(extra?.ingress ?? [])];
      const allEgress = [...egress, ...(extra?.egress ?? [])];
      const rule = (r: NetworkRule) => ({ peers: r.peers.flatMap(renderPeer), ports: renderPorts(r.ports) });
      return {
        podSelector: { matchLabels: { ...selector } },
        // Both types, so the pods are isolated both ways even with no rule (and no namespace default-deny).
        policyTypes: ['Ingress', 'Egress'],
        ...(allIngress.length > 0
          ? { ingress: allIngress.map(rule).map((r) => ({ from: r.peers, ports: r.ports })) }
          : {}),
        ...(allEgress.length > 0 ? { egress: allEgress.map(rule).map((r) => ({ to: r.peers, ports: r.ports })) } : {}),
      };
    };
    new k8s.KubeNetworkPolicy(this, `${namespace}.${name}`, {
      metadata: { name, namespace, labels: { ...this.labels } },
      // Lazily for a pipeline's workload: its components are read when the chart is synthesized.
      spec: derived ? Lazy.any({ produce: () => spec(derived()) }) : spec(),
    });
  }

  /**
   * The rules of every pipeline's components, and every problem: a component no rule can place, an `egress` or
   * `ingress` entry no component uses.
   */
  private derive(): { readonly rules: ReadonlyMap<PipelineWorkload, ComponentRules>; readonly problems: string[] } {
    const problems: string[] = [];
    const rules = new Map<PipelineWorkload, ComponentRules>();
    const props = { egress: this.egressProp, ingress: this.ingressProp, apiServer: this.apiServer };
    for (const w of this.pipelines) rules.set(w, componentRules(this, w, props, problems));
    problems.push(...unusedEntryProblems(this, this.pipelines, [...rules.values()], props));
    return { rules, problems };
  }

  /** The derived rules of one pipeline's workload; throws every problem (validation reports them first). */
  private rulesOf(workload: PipelineWorkload): ComponentRules {
    const { rules, problems } = this.derive();
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return rules.get(workload) as ComponentRules;
  }

  private resolveProps(props: VectorNetworkPoliciesProps) {
    if (props.prometheus === undefined) {
      throw propError(
        this,
        'prometheus',
        undefined,
        'give the Prometheus that scrapes Vector ({ namespace, podLabels? } or { cidrs }), ' +
          'or false to let nobody scrape',
      );
    }
    const sources = props.sourceClusterCidrs;
    if (sources !== undefined && !Array.isArray(sources)) {
      throw propError(this, 'sourceClusterCidrs', sources, 'give a list of CIDR blocks, e.g. ["198.51.100.0/24"]');
    }
    return {
      prometheus: props.prometheus === false ? undefined : checkPeer(this, 'prometheus', props.prometheus),
      nodeCidrs: props.nodeCidrs && checkCidrs(this, 'nodeCidrs', props.nodeCidrs),
      aggregatorCidrs: props.aggregatorCidrs && checkCidrs(this, 'aggregatorCidrs', props.aggregatorCidrs),
      remoteWrite: props.remoteWrite && checkServiceDestination(this, 'remoteWrite', props.remoteWrite),
      sourceClusterCidrs: sources && [
        ...new Set(sources.map((c, i) => checkCidr(this, `sourceClusterCidrs[${i}]`, c))),
      ],
      loki: props.loki && checkServiceDestination(this, 'loki', props.loki),
    };
  }

  /** The agent's policy; returns whether it ships to `aggregator` inside the cluster. */
  private addAgent(
    agent: VectorAgent,
    aggregator: VectorAggregator | undefined,
    p: ReturnType<VectorNetworkPolicies['resolveProps']>,
  ): boolean {
    if (agent.hostNetwork) {
      throw propError(
        this,
        'agent',
        agent.node.path,
        'the agent runs with hostNetwork, where NetworkPolicy does not apply: leave it out, and allow its node ' +
          'addresses where it connects (e.g. in sourceClusterCidrs)',
      );
    }
    if (!this.apiServer) {
      throw propError(
        this,
        'apiServer',
        undefined,
        "the agent's kubernetes_logs source watches the API server: give the addresses and port of the " +
          'default/kubernetes endpoints ' +
          '(kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)',
      );
    }
    const egress: NetworkRule[] = [];
    if (agent.kubeletPort !== undefined) {
      if (!p.nodeCidrs) {
        throw propError(
          this,
          'nodeCidrs',
          undefined,
          `the agent scrapes the kubelet of every node on port ${agent.kubeletPort}: give the node addresses as CIDRs`,
        );
      }
      egress.push({ peers: [{ cidrs: p.nodeCidrs }], ports: [{ port: agent.kubeletPort }] });
    }

    let shipsInCluster = false;
    const outside: Endpoint[] = [];
    for (const [i, endpoint] of agent.aggregatorEndpoints.entries()) {
      const target = `${endpoint.host}:${endpoint.port}`;
      if (aggregator && matchesDnsName(aggregator.clusterDnsNames, endpoint.host)) {
        if (endpoint.port !== aggregator.vectorPort) {
          throw propError(
            this,
            `agent.aggregatorEndpoints[${i}]`,
            target,
            `the aggregator ${aggregator.node.path} listens on port ${aggregator.vectorPort}`,
          );
        }
        shipsInCluster = true;
      } else if (clusterServiceNamespace(endpoint.host) !== undefined) {
        throw propError(
          this,
          'aggregator',
          aggregator?.node.path,
          `the agent ships to the in-cluster Service ${target}: give the VectorAggregator behind it, whose pods the ` +
            'policies select (they see pod addresses, not the Service)',
        );
      } else {
        outside.push(endpoint);
      }
    }
    if (shipsInCluster && aggregator) {
      egress.push({
        peers: [{ namespace: aggregator.namespace, podLabels: aggregator.selectorLabels }],
        ports: [{ port: aggregator.vectorPort }],
      });
    }
    if (outside.length > 0) {
      if (!p.aggregatorCidrs) {
        throw propError(
          this,
          'aggregatorCidrs',
          undefined,
          `the agent ships to ${outside.map((e) => `${e.host}:${e.port}`).join(', ')}, outside this cluster; ` +
            'NetworkPolicy cannot match DNS names: give the addresses it resolves to as CIDRs',
        );
      }
      egress.push({ peers: [{ cidrs: p.aggregatorCidrs }], ports: uniquePorts(outside) });
    }
    if (agent.remoteWriteEndpoint) {
      egress.push(this.destination('remoteWrite', p.remoteWrite, agent.remoteWriteEndpoint, 'the agent'));
    }

    const workload: PipelineWorkload = {
      path: agent.node.path,
      pipeline: agent.pipeline,
      builtInEgress: new Map<string, readonly BuiltInEndpoint[] | 'any'>([
        // The policy always admits the API server; the kubelet scrape's endpoint is the node's IP, from nodeCidrs.
        [`sources.${AGENT_IDS.kubernetesLogs}`, 'any'],
        ...(agent.kubeletPort !== undefined ? [[`sources.${AGENT_IDS.kubeletMetrics}`, 'any'] as const] : []),
        [`sinks.${AGENT_IDS.toAggregators}`, agent.aggregatorEndpoints],
        [`sinks.${AGENT_IDS.remoteWrite}`, agent.remoteWriteEndpoint ? [agent.remoteWriteEndpoint] : []],
      ]),
      builtInListeners: new Map([[`sinks.${AGENT_IDS.selfMetrics}`, agent.metricsPort]]),
      apiServer: true,
      knownPods: aggregator
        ? [
            {
              dnsNames: aggregator.clusterDnsNames,
              pods: { namespace: aggregator.namespace, podLabels: aggregator.selectorLabels },
              port: aggregator.vectorPort,
              path: aggregator.node.path,
            },
          ]
        : [],
    };
    this.pipelines.push(workload);
    this.addPolicy(
      {
        name: agent.name,
        namespace: agent.namespace,
        selectorLabels: agent.selectorLabels,
        // Only Prometheus, on the metrics port. The kubelet's probes of the API port need no rule: a node may always
        // reach its own pods.
        ingress: p.prometheus ? [{ peers: [p.prometheus], ports: [{ port: agent.metricsPort }] }] : [],
        dns: true,
        apiServer: true,
        egress,
      },
      () => this.rulesOf(workload),
    );
    return shipsInCluster;
  }

  private addAggregator(
    aggregator: VectorAggregator,
    inClusterAgent: VectorAgent | undefined,
    p: ReturnType<VectorNetworkPolicies['resolveProps']>,
  ): void {
    if (!p.sourceClusterCidrs) {
      throw propError(
        this,
        'sourceClusterCidrs',
        undefined,
        'give the addresses agents of other clusters connect from, as the aggregator pods see them, or [] when only ' +
          'the agent given here sends',
      );
    }
    const senders: NetworkPeer[] = [];
    if (p.sourceClusterCidrs.length > 0) senders.push({ cidrs: p.sourceClusterCidrs });
    if (inClusterAgent) senders.push({ namespace: inClusterAgent.namespace, podLabels: inClusterAgent.selectorLabels });
    const ingress: NetworkRule[] = [];
    if (senders.length > 0) ingress.push({ peers: senders, ports: [{ port: aggregator.vectorPort }] });
    if (p.prometheus) {
      const scraped: NetworkPort[] = [{ port: aggregator.metricsPort }];
      if (aggregator.exporterPort !== undefined) scraped.push({ port: aggregator.exporterPort });
      if (aggregator.heartbeatPort !== undefined) scraped.push({ port: aggregator.heartbeatPort });
      ingress.push({ peers: [p.prometheus], ports: scraped });
    }

    const egress = [this.destination('loki', p.loki, aggregator.lokiEndpoint, 'the aggregator')];
    if (aggregator.remoteWriteEndpoint) {
      egress.push(this.destination('remoteWrite', p.remoteWrite, aggregator.remoteWriteEndpoint, 'the aggregator'));
    }
    const workload: PipelineWorkload = {
      path: aggregator.node.path,
      pipeline: aggregator.pipeline,
      builtInEgress: new Map<string, readonly BuiltInEndpoint[] | 'any'>([
        [`sinks.${AGGREGATOR_IDS.loki}`, [aggregator.lokiEndpoint]],
        [`sinks.${AGGREGATOR_IDS.metrics}`, aggregator.remoteWriteEndpoint ? [aggregator.remoteWriteEndpoint] : []],
      ]),
      builtInListeners: new Map([
        [`sources.${AGGREGATOR_IDS.agents}`, aggregator.vectorPort],
        [`sinks.${AGGREGATOR_IDS.selfMetrics}`, aggregator.metricsPort],
        [`sinks.${AGGREGATOR_IDS.metrics}`, aggregator.exporterPort],
        [`sinks.${AGGREGATOR_IDS.heartbeatMetrics}`, aggregator.heartbeatPort],
      ]),
      apiServer: false,
      knownPods: [],
    };
    this.pipelines.push(workload);
    // Nothing reaches the API port (the kubelet's probes need no rule) and the pods never call the API server.
    this.addPolicy(
      {
        name: aggregator.name,
        namespace: aggregator.namespace,
        selectorLabels: aggregator.selectorLabels,
        ingress,
        dns: true,
        egress,
      },
      () => this.rulesOf(workload),
    );
  }

  /** The egress rule to what a URL leads to, on the URL's port (or the pods' own, behind a Service). */
  private destination(
    prop: string,
    peer: ServiceDestination | undefined,
    endpoint: Endpoint,
    who: string,
  ): NetworkRule {
    const target = `${endpoint.host}:${endpoint.port}`;
    if (!peer) {
      throw propError(
        this,
        prop,
        undefined,
        `${who} connects to ${target}: give the pods behind it as { namespace, podLabels, targetPort? }, or its ` +
          'addresses outside the cluster as { cidrs }',
      );
    }
    const serviceNamespace = clusterServiceNamespace(endpoint.host);
    if (isCidrPeer(peer)) {
      if (serviceNamespace !== undefined) {
        throw propError(
          this,
          `${prop}.cidrs`,
          peer.cidrs,
          `${target} is an in-cluster Service, and policies see the pods behind it: give them as ` +
            `{ namespace: "${serviceNamespace}", podLabels }`,
        );
      }
      return { peers: [peer], ports: [{ port: endpoint.port }] };
    }
    if (serviceNamespace !== undefined && serviceNamespace !== peer.namespace) {
      throw propError(
        this,
        `${prop}.namespace`,
        peer.namespace,
        `${target} is a Service in namespace "${serviceNamespace}"`,
      );
    }
    const pods = { namespace: peer.namespace, ...(peer.podLabels ? { podLabels: peer.podLabels } : {}) };
    return { peers: [pods], ports: [{ port: peer.targetPort ?? endpoint.port }] };
  }
}

function uniquePorts(endpoints: readonly Endpoint[]): NetworkPort[] {
  return [...new Set(endpoints.map((e) => e.port))].sort((a, b) => a - b).map((port) => ({ port }));
}
