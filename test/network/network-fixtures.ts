/**
 * What the network-policy tests share: a source cluster (agents shipping out through a load balancer) and a
 * monitoring cluster (aggregators, plus agents shipping to them in-cluster), each with its VectorNetworkPolicies,
 * synthesized, and the pods of the real workloads as the evaluator sees them.
 */
import { Chart, Testing } from 'cdk8s';
import { expect } from 'vitest';
import { VectorAgent, type VectorAgentProps } from '../../lib/agent';
import { VectorAggregator, type VectorAggregatorProps } from '../../lib/aggregator';
import { VectorNetworkPolicies, type VectorNetworkPoliciesProps } from '../../lib/network';
import {
  type Connection,
  describeConnection,
  type Endpoint,
  type NetworkPolicyJson,
  NetworkPolicyEvaluator,
  type PodEndpoint,
} from '../helpers/network-policy';
import { thrownMessage } from '../helpers/errors';

/** Construct path of the policies in every fixture: prop errors start with it. */
export const POLICIES_PATH = 'cluster/policies';

export const API_SERVER = { cidrs: ['172.16.0.10/32', '172.16.0.11/32'], port: 6443 } as const;
export const NODE_CIDRS = ['10.0.0.0/24'] as const;
/** The aggregators' load balancer, as the source clusters resolve `vector.monitoring.example.com`. */
export const AGGREGATOR_LB_CIDRS = ['203.0.113.10/32'] as const;
/** The source clusters' egress addresses, as the aggregator pods see them. */
export const SOURCE_CLUSTER_CIDRS = ['192.0.2.0/28', '198.51.100.64/26'] as const;
/** The public remote-write endpoint of the source clusters. */
export const PUBLIC_REMOTE_WRITE_CIDRS = ['198.51.100.20/32'] as const;

const PROMETHEUS_LABELS = { 'app.kubernetes.io/name': 'prometheus' };
export const PROMETHEUS_PEER = { namespace: 'monitoring', podLabels: PROMETHEUS_LABELS } as const;
export const LOKI_GATEWAY_LABELS = { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/component': 'gateway' };

/** Pods the policies must tell apart from the Vector workloads. */
export const PODS = {
  prometheus: { namespace: 'monitoring', podLabels: { ...PROMETHEUS_LABELS, 'operator.prometheus.io/name': 'k8s' } },
  grafana: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'grafana' } },
  lokiGateway: { namespace: 'monitoring', podLabels: LOKI_GATEWAY_LABELS },
  lokiWrite: {
    namespace: 'monitoring',
    podLabels: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/component': 'write' },
  },
  kubeDns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '5d78c9869d' } },
  kubeProxy: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-proxy' } },
  web: { namespace: 'default', podLabels: { app: 'web' } },
  /** A pod nobody declared, in the Vector namespace (a debug pod, a later workload without a policy). */
  stray: { namespace: 'vector-system', podLabels: { run: 'debug' } },
} as const satisfies Record<string, PodEndpoint>;

export const SOURCE_AGENT_PROPS: VectorAgentProps = {
  cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
  aggregator: { endpoints: ['vector.monitoring.example.com:6000'] },
  remoteWrite: { endpoint: 'https://prometheus.monitoring.example.com/api/v1/write' },
};

export const SOURCE_POLICY_PROPS: VectorNetworkPoliciesProps = {
  prometheus: PROMETHEUS_PEER,
  apiServer: API_SERVER,
  nodeCidrs: NODE_CIDRS,
  aggregatorCidrs: AGGREGATOR_LB_CIDRS,
  remoteWrite: { cidrs: PUBLIC_REMOTE_WRITE_CIDRS },
};

export const IN_CLUSTER_REMOTE_WRITE = 'http://prometheus-operated.monitoring.svc:9090/api/v1/write';

export const AGGREGATOR_PROPS: VectorAggregatorProps = {
  loki: { endpoint: 'http://loki-gateway.monitoring.svc:80' },
  metrics: { remoteWrite: { endpoint: IN_CLUSTER_REMOTE_WRITE } },
  loadBalancer: { hostname: 'vector.monitoring.example.com' },
};

export const MONITORING_POLICY_PROPS: VectorNetworkPoliciesProps = {
  prometheus: PROMETHEUS_PEER,
  apiServer: API_SERVER,
  nodeCidrs: NODE_CIDRS,
  sourceClusterCidrs: SOURCE_CLUSTER_CIDRS,
  // The loki-gateway Service maps port 80 to the gateway's 8080: policies see 8080.
  loki: { namespace: 'monitoring', podLabels: LOKI_GATEWAY_LABELS, targetPort: 8080 },
  remoteWrite: PROMETHEUS_PEER,
};

export interface PolicyFixture {
  readonly chart: Chart;
  readonly policies: VectorNetworkPolicies;
  readonly agent: VectorAgent | undefined;
  readonly aggregator: VectorAggregator | undefined;
}

/** A chart `cluster` with the workloads and `VectorNetworkPolicies` `policies`; throws what a constructor throws. */
export function newCluster(options: {
  readonly agent?: Partial<VectorAgentProps> | false;
  readonly aggregator?: Partial<VectorAggregatorProps> | false;
  /** The agent ships to the aggregator's in-cluster Service (when both exist). @default true */
  readonly agentInCluster?: boolean;
  readonly policies: Partial<VectorNetworkPoliciesProps>;
}): PolicyFixture {
  const chart = new Chart(Testing.app(), 'cluster');
  const aggregator =
    options.aggregator === false || options.aggregator === undefined
      ? undefined
      : new VectorAggregator(chart, 'aggregator', { ...AGGREGATOR_PROPS, ...options.aggregator });
  const agent =
    options.agent === false || options.agent === undefined
      ? undefined
      : new VectorAgent(chart, 'agent', {
          ...SOURCE_AGENT_PROPS,
          ...(aggregator && options.agentInCluster !== false
            ? {
                aggregator: { endpoints: [aggregator.endpoint] },
                remoteWrite: { endpoint: IN_CLUSTER_REMOTE_WRITE },
                // The aggregator creates the shared namespace.
                createNamespace: aggregator.namespace !== (options.agent.namespace ?? 'vector-system'),
              }
            : {}),
          ...options.agent,
        });
  const policies = new VectorNetworkPolicies(chart, 'policies', {
    prometheus: PROMETHEUS_PEER,
    ...options.policies,
    ...(agent ? { agent } : {}),
    ...(aggregator ? { aggregator } : {}),
  } as VectorNetworkPoliciesProps);
  return { chart, policies, agent, aggregator };
}

export const sourceCluster = (
  agent: Partial<VectorAgentProps> = {},
  policies: Partial<VectorNetworkPoliciesProps> = {},
) => newCluster({ agent, policies: { ...SOURCE_POLICY_PROPS, ...policies } });

export const monitoringCluster = (
  aggregator: Partial<VectorAggregatorProps> = {},
  agent: Partial<VectorAgentProps> | false = {},
  policies: Partial<VectorNetworkPoliciesProps> = {},
) => newCluster({ aggregator, agent, policies: { ...MONITORING_POLICY_PROPS, ...policies } });

/** The message the constructors throw (props typed loosely on purpose: untyped callers exist). */
export function constructionError(build: () => unknown): string {
  return thrownMessage(build);
}

/** The synthesized chart, its NetworkPolicies, an evaluator over them, and the Vector pods as the cluster runs them. */
export function synth(fixture: PolicyFixture) {
  const manifests = Testing.synth(fixture.chart) as { kind: string; metadata: { name: string } }[];
  const policies = manifests.filter((m): m is NetworkPolicyJson & typeof m => m.kind === 'NetworkPolicy');
  const evaluator = new NetworkPolicyEvaluator(manifests);
  return {
    manifests,
    policies,
    evaluator,
    agentPod: fixture.agent ? podOf(manifests, 'DaemonSet', fixture.agent.name) : undefined,
    aggregatorPod: fixture.aggregator
      ? podOf(manifests, fixture.aggregator.monitoringTarget.workloadKind, fixture.aggregator.name)
      : undefined,
    /** Fails, explaining each side, unless every connection is allowed. */
    expectAllowed: (...connections: Connection[]) => expectVerdicts(evaluator, connections, true),
    /** Fails, explaining each side, unless every connection is denied. */
    expectDenied: (...connections: Connection[]) => expectVerdicts(evaluator, connections, false),
  };
}

/** The pod a workload runs, with the labels of its pod template (so the policies are checked against real pods). */
function podOf(manifests: readonly unknown[], kind: string, name: string): PodEndpoint {
  const workload = (manifests as { kind: string; metadata: { name: string; namespace: string }; spec: unknown }[]).find(
    (m) => m.kind === kind && m.metadata.name === name,
  );
  if (!workload) throw new Error(`no ${kind} ${name}`);
  const template = (workload.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
  return { namespace: workload.metadata.namespace, podLabels: template.metadata.labels };
}

function expectVerdicts(evaluator: NetworkPolicyEvaluator, connections: readonly Connection[], allowed: boolean): void {
  const wrong = connections
    .map((c) => ({ c, verdict: evaluator.evaluate(c) }))
    .filter(({ verdict }) => verdict.allowed !== allowed)
    .map(({ c, verdict }) => `${describeConnection(c)}: ${JSON.stringify(verdict)}`);
  expect(wrong, `expected ${allowed ? 'allowed' : 'denied'}`).toEqual([]);
}

export const tcp = (from: Endpoint, to: Endpoint, port: number): Connection => ({ from, to, port });
export const udp = (from: Endpoint, to: Endpoint, port: number): Connection => ({ from, to, port, protocol: 'UDP' });
