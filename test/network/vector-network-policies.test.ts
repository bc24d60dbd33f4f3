/**
 * VectorNetworkPolicies, judged by what they allow: every flow the pipeline uses is allowed, and its neighbours (other
 * ports, other namespaces, other addresses, other pods) are denied, under Kubernetes' NetworkPolicy semantics.
 */
import { describe, expect, it } from 'vitest';
import { commonLabels } from '../../lib/k8s/labels';
import { DEFAULT_DENY_POLICY, KUBE_DNS } from '../../lib/network';
import { expectValidChart } from '../helpers/k8s-schema';
import type { PodEndpoint } from '../helpers/network-policy';
import {
  AGGREGATOR_LB_CIDRS,
  API_SERVER,
  monitoringCluster,
  newCluster,
  PODS,
  PROMETHEUS_PEER,
  sourceCluster,
  synth,
  tcp,
  udp,
} from './network-fixtures';

const LABELS = commonLabels({ name: 'vector', instance: 'vector-network-policies', component: 'network-policy' });
const AGENT_SELECTOR = {
  'app.kubernetes.io/name': 'vector',
  'app.kubernetes.io/instance': 'vector-agent',
  'app.kubernetes.io/component': 'agent',
};
const AGGREGATOR_SELECTOR = {
  'app.kubernetes.io/name': 'vector',
  'app.kubernetes.io/instance': 'vector-aggregator',
  'app.kubernetes.io/component': 'aggregator',
};
const ARBITRARY_IP = { ip: '93.184.216.34' };
const NODE = { ip: '10.0.0.7' };
const API = { ip: '172.16.0.10' };
const LB = { ip: '203.0.113.10' };
const PUBLIC_PROMETHEUS = { ip: '198.51.100.20' };
const SOURCE_NAT = { ip: '192.0.2.5' };

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('fixture without this workload');
  return value;
}

describe('source cluster: the agent', () => {
  const s = synth(sourceCluster());
  const agent = defined(s.agentPod);

  it('may resolve names with kube-dns over UDP and TCP port 53, and nothing else there', () => {
    s.expectAllowed(udp(agent, PODS.kubeDns, 53), tcp(agent, PODS.kubeDns, 53));
    s.expectDenied(
      udp(agent, PODS.kubeDns, 54),
      tcp(agent, PODS.kubeDns, 54),
      udp(agent, PODS.kubeDns, 5353),
      // Same namespace, other pods.
      udp(agent, PODS.kubeProxy, 53),
      // DNS elsewhere (a public resolver).
      udp(agent, { ip: '1.1.1.1' }, 53),
    );
  });

  it('may watch the API server at its endpoint addresses and port, because kubernetes_logs needs it', () => {
    s.expectAllowed(tcp(agent, API, 6443), tcp(agent, { ip: '172.16.0.11' }, 6443));
    s.expectDenied(tcp(agent, API, 443), tcp(agent, API, 10250), tcp(agent, { ip: '172.16.0.12' }, 6443));
  });

  it('may scrape the kubelet on every node, on port 10250 only', () => {
    s.expectAllowed(tcp(agent, NODE, 10250), tcp(agent, { ip: '10.0.0.254' }, 10250));
    s.expectDenied(tcp(agent, NODE, 22), tcp(agent, NODE, 10255), tcp(agent, { ip: '10.0.1.7' }, 10250));
  });

  it("may ship to the aggregators' load balancer on the endpoint's port only", () => {
    s.expectAllowed(tcp(agent, LB, 6000));
    s.expectDenied(
      tcp(agent, LB, 7000),
      tcp(agent, LB, 8686),
      tcp(agent, LB, 443),
      tcp(agent, { ip: '203.0.113.11' }, 6000),
    );
  });

  it('may push metrics to the remote-write address on the URL port only', () => {
    s.expectAllowed(tcp(agent, PUBLIC_PROMETHEUS, 443));
    s.expectDenied(tcp(agent, PUBLIC_PROMETHEUS, 80), tcp(agent, PUBLIC_PROMETHEUS, 9090));
  });

  it('may not reach anything else', () => {
    s.expectDenied(
      tcp(agent, ARBITRARY_IP, 443),
      tcp(agent, ARBITRARY_IP, 80),
      udp(agent, ARBITRARY_IP, 123),
      tcp(agent, PODS.web, 80),
      tcp(agent, PODS.prometheus, 9090),
      tcp(agent, PODS.stray, 8080),
    );
  });

  it('is scraped by Prometheus on its metrics port only, and by nobody else', () => {
    s.expectAllowed(tcp(PODS.prometheus, agent, 9598));
    s.expectDenied(
      // The API port is for the kubelet's probes, which a node may always send to its own pods.
      tcp(PODS.prometheus, agent, 8686),
      tcp(PODS.web, agent, 8686),
      tcp(PODS.web, agent, 9598),
      // The Prometheus namespace, but not the Prometheus pods.
      tcp(PODS.grafana, agent, 9598),
      tcp(ARBITRARY_IP, agent, 9598),
      tcp(NODE, agent, 9598),
      tcp(PODS.stray, agent, 9598),
      tcp(agent, agent, 9598),
    );
  });

  it('leaves every other pod of its namespace isolated both ways', () => {
    s.expectDenied(
      udp(PODS.stray, PODS.kubeDns, 53),
      tcp(PODS.stray, ARBITRARY_IP, 443),
      tcp(PODS.stray, LB, 6000),
      tcp(PODS.web, PODS.stray, 8080),
      tcp(PODS.prometheus, PODS.stray, 9598),
    );
  });

  it('leaves other namespaces alone', () => {
    s.expectAllowed(tcp(PODS.web, ARBITRARY_IP, 443), tcp(PODS.grafana, PODS.web, 80));
  });

  it('writes a default-deny and the agent policy, named, labelled and selecting the stable labels', () => {
    expect(s.policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      `vector-system/${DEFAULT_DENY_POLICY}`,
      'vector-system/vector-agent',
    ]);
    for (const p of s.policies) expect(p.metadata.labels).toEqual(LABELS);
    expect(s.policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(s.policies[1].spec.podSelector).toEqual({ matchLabels: AGENT_SELECTOR });
    expect(s.policies[1].spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('synthesizes valid objects, with no cdk8s label anywhere', () => {
    const fixture = sourceCluster();
    expect(() => expectValidChart(fixture.chart)).not.toThrow();
    expect(JSON.stringify(synth(fixture).policies)).not.toContain('cdk8s.io');
  });

  it('matches the snapshot', () => {
    expect(s.policies).toMatchSnapshot();
  });
});

describe('monitoring cluster: the aggregator, and an agent shipping to it in-cluster', () => {
  const s = synth(monitoringCluster());
  const agent = defined(s.agentPod);
  const aggregator = defined(s.aggregatorPod);

  it('accepts the vector port from the source-cluster CIDRs and from the in-cluster agent', () => {
    s.expectAllowed(
      tcp(SOURCE_NAT, aggregator, 6000),
      tcp({ ip: '192.0.2.15' }, aggregator, 6000),
      tcp({ ip: '198.51.100.127' }, aggregator, 6000),
      tcp(agent, aggregator, 6000),
    );
  });

  it('refuses the vector port from anywhere else', () => {
    s.expectDenied(
      tcp({ ip: '192.0.2.16' }, aggregator, 6000),
      tcp({ ip: '198.51.100.63' }, aggregator, 6000),
      tcp(ARBITRARY_IP, aggregator, 6000),
      tcp(PODS.web, aggregator, 6000),
      tcp(PODS.prometheus, aggregator, 6000),
      tcp(PODS.stray, aggregator, 6000),
    );
  });

  it('is not reachable on its API port from outside the namespace, nor from the source clusters', () => {
    s.expectDenied(
      tcp(PODS.web, aggregator, 8686),
      tcp(PODS.prometheus, aggregator, 8686),
      tcp(SOURCE_NAT, aggregator, 8686),
      tcp(ARBITRARY_IP, aggregator, 8686),
      tcp(agent, aggregator, 8686),
      tcp(PODS.stray, aggregator, 8686),
    );
  });

  it('is scraped by Prometheus on its metrics port only', () => {
    s.expectAllowed(tcp(PODS.prometheus, aggregator, 9598));
    s.expectDenied(
      tcp(PODS.grafana, aggregator, 9598),
      tcp(PODS.web, aggregator, 9598),
      tcp(SOURCE_NAT, aggregator, 9598),
      tcp(agent, aggregator, 9598),
    );
  });

  it('may resolve names, push to the Loki gateway pods and to Prometheus, and nothing else', () => {
    s.expectAllowed(
      udp(aggregator, PODS.kubeDns, 53),
      tcp(aggregator, PODS.kubeDns, 53),
      tcp(aggregator, PODS.lokiGateway, 8080),
      tcp(aggregator, PODS.prometheus, 9090),
    );
    s.expectDenied(
      // The Service port: policies see the pod's port after the Service.
      tcp(aggregator, PODS.lokiGateway, 80),
      tcp(aggregator, PODS.lokiWrite, 8080),
      tcp(aggregator, PODS.grafana, 9090),
      tcp(aggregator, PODS.prometheus, 9091),
      // The aggregator never calls the API server or the kubelet.
      tcp(aggregator, API, 6443),
      tcp(aggregator, NODE, 10250),
      tcp(aggregator, ARBITRARY_IP, 443),
      tcp(aggregator, LB, 6000),
      tcp(aggregator, agent, 9598),
    );
  });

  it('lets the in-cluster agent reach the aggregator pods on the vector port only, and Prometheus to write', () => {
    s.expectAllowed(tcp(agent, aggregator, 6000), tcp(agent, PODS.prometheus, 9090));
    s.expectDenied(
      tcp(agent, aggregator, 7000),
      tcp(agent, LB, 6000),
      tcp(agent, PODS.lokiGateway, 8080),
      tcp(agent, ARBITRARY_IP, 443),
    );
    s.expectAllowed(tcp(agent, API, 6443), tcp(agent, NODE, 10250), udp(agent, PODS.kubeDns, 53));
  });

  it('writes one default-deny for the shared namespace, and a policy per workload', () => {
    expect(s.policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      `vector-system/${DEFAULT_DENY_POLICY}`,
      'vector-system/vector-agent',
      'vector-system/vector-aggregator',
    ]);
    expect(s.policies[2].spec.podSelector).toEqual({ matchLabels: AGGREGATOR_SELECTOR });
  });

  it('synthesizes valid objects', () => {
    expect(() => expectValidChart(monitoringCluster().chart)).not.toThrow();
  });

  it('matches the snapshot', () => {
    expect(s.policies).toMatchSnapshot();
  });
});

describe('an aggregator on its own, in a namespace of its own, exporting forwarded metrics', () => {
  const s = synth(
    monitoringCluster(
      {
        namespace: 'vector-aggregation',
        loki: { endpoint: 'https://loki.example.com' },
        metrics: { exporter: { port: 9090 } },
      },
      false,
      {
        sourceClusterCidrs: ['192.0.2.0/24'],
        loki: { cidrs: ['198.51.100.50/32'] },
        prometheus: { namespace: 'monitoring' },
      },
    ),
  );
  const aggregator = defined(s.aggregatorPod);

  it('lets the whole Prometheus namespace scrape both metrics ports, and nothing else in', () => {
    s.expectAllowed(tcp(PODS.prometheus, aggregator, 9598), tcp(PODS.grafana, aggregator, 9090));
    s.expectDenied(tcp(PODS.prometheus, aggregator, 8686), tcp(PODS.web, aggregator, 9090));
  });

  it('pushes to Loki outside the cluster on the URL port, and writes no remote-write rule', () => {
    s.expectAllowed(tcp(aggregator, { ip: '198.51.100.50' }, 443));
    s.expectDenied(
      tcp(aggregator, { ip: '198.51.100.50' }, 80),
      tcp(aggregator, { ip: '198.51.100.51' }, 443),
      tcp(aggregator, PODS.prometheus, 9090),
    );
  });

  it('writes the default-deny in its own namespace only', () => {
    expect(s.policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      `vector-aggregation/${DEFAULT_DENY_POLICY}`,
      'vector-aggregation/vector-aggregator',
    ]);
  });
});

describe('ports follow the constructs', () => {
  it('moves the vector port for senders from outside and the in-cluster agent', () => {
    const s = synth(monitoringCluster({ vectorPort: 7000 }));
    const aggregator = defined(s.aggregatorPod);
    const agent = defined(s.agentPod);
    s.expectAllowed(tcp(SOURCE_NAT, aggregator, 7000), tcp(agent, aggregator, 7000));
    s.expectDenied(tcp(SOURCE_NAT, aggregator, 6000), tcp(agent, aggregator, 6000));
  });

  it("moves the aggregator's and the agent's metrics ports", () => {
    const s = synth(monitoringCluster({ metricsPort: 9600 }, { metricsPort: 9700 }));
    s.expectAllowed(
      tcp(PODS.prometheus, defined(s.aggregatorPod), 9600),
      tcp(PODS.prometheus, defined(s.agentPod), 9700),
    );
    s.expectDenied(
      tcp(PODS.prometheus, defined(s.aggregatorPod), 9598),
      tcp(PODS.prometheus, defined(s.agentPod), 9598),
    );
  });

  it("moves the agent's egress with its aggregator endpoint and remote-write URL", () => {
    const s = synth(
      sourceCluster({
        aggregator: { endpoints: ['vector.monitoring.example.com:7443', 'vector-2.monitoring.example.com:7444'] },
        remoteWrite: { endpoint: 'https://prometheus.monitoring.example.com:8443/api/v1/write' },
      }),
    );
    const agent = defined(s.agentPod);
    s.expectAllowed(tcp(agent, LB, 7443), tcp(agent, LB, 7444), tcp(agent, PUBLIC_PROMETHEUS, 8443));
    s.expectDenied(tcp(agent, LB, 6000), tcp(agent, LB, 7445), tcp(agent, PUBLIC_PROMETHEUS, 443));
  });

  it("moves the aggregator's Loki and remote-write egress with their URLs", () => {
    const s = synth(
      monitoringCluster(
        {
          loki: { endpoint: 'http://loki-gateway.monitoring.svc:3100' },
          metrics: { remoteWrite: { endpoint: 'http://prometheus-operated.monitoring.svc:9091/api/v1/write' } },
        },
        false,
        { loki: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'loki' } } },
      ),
    );
    const aggregator = defined(s.aggregatorPod);
    s.expectAllowed(tcp(aggregator, PODS.lokiWrite, 3100), tcp(aggregator, PODS.prometheus, 9091));
    s.expectDenied(tcp(aggregator, PODS.lokiWrite, 8080), tcp(aggregator, PODS.prometheus, 9090));
  });

  it('follows the API server port and the kubelet scrape being off', () => {
    const s = synth(sourceCluster({ kubeletMetrics: false }, { apiServer: { ...API_SERVER, port: 443 } }));
    const agent = defined(s.agentPod);
    s.expectAllowed(tcp(agent, API, 443));
    s.expectDenied(tcp(agent, API, 6443), tcp(agent, NODE, 10250));
  });

  it('drops the rules of what the agent does not use, and needs no CIDRs for them', () => {
    const s = synth(
      sourceCluster(
        { aggregator: false, kubernetesLogs: false, kubeletMetrics: false },
        { nodeCidrs: undefined, aggregatorCidrs: undefined },
      ),
    );
    const agent = defined(s.agentPod);
    s.expectAllowed(tcp(agent, API, 6443), udp(agent, PODS.kubeDns, 53), tcp(agent, PUBLIC_PROMETHEUS, 443));
    s.expectDenied(tcp(agent, LB, 6000), tcp(agent, NODE, 10250));
  });
});

describe('other props', () => {
  it('uses the DNS peer given, e.g. a node-local cache', () => {
    const s = synth(sourceCluster({}, { dns: { cidrs: ['169.254.20.10/32'] } }));
    const agent = defined(s.agentPod);
    s.expectAllowed(udp(agent, { ip: '169.254.20.10' }, 53), tcp(agent, { ip: '169.254.20.10' }, 53));
    s.expectDenied(udp(agent, PODS.kubeDns, 53));
  });

  it('defaults DNS to the kube-dns pods in kube-system', () => {
    expect(KUBE_DNS).toEqual({ namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } });
  });

  it('lets nobody scrape with prometheus: false', () => {
    const s = synth(sourceCluster({}, { prometheus: false }));
    s.expectDenied(tcp(PODS.prometheus, defined(s.agentPod), 9598));
    expect(s.policies[1].spec.ingress).toBeUndefined();
  });

  it('writes no default-deny in a namespace the workloads do not create, unless told to', () => {
    const shared = synth(sourceCluster({ namespace: 'logging', createNamespace: false }));
    expect(shared.policies.map((p) => p.metadata.name)).toEqual(['vector-agent']);
    // The agent's own policy still isolates it; the namespace's other pods are left alone.
    shared.expectDenied(tcp(defined(shared.agentPod), ARBITRARY_IP, 443));
    shared.expectAllowed(tcp({ namespace: 'logging', podLabels: { app: 'x' } }, ARBITRARY_IP, 443));

    const told = synth(
      sourceCluster({ createNamespace: false }, { defaultDenyNamespaces: ['vector-system', 'heartbeat'] }),
    );
    expect(told.policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'vector-system/default-deny',
      'heartbeat/default-deny',
      'vector-system/vector-agent',
    ]);
    const none = synth(sourceCluster({}, { defaultDenyNamespaces: [] }));
    expect(none.policies.map((p) => p.metadata.name)).toEqual(['vector-agent']);
  });

  it('names the instance label after the name prop', () => {
    const s = synth(sourceCluster({}, { name: 'fleet-policies' }));
    expect(s.policies[0].metadata.labels?.['app.kubernetes.io/instance']).toBe('fleet-policies');
  });
});

describe('addWorkload', () => {
  const heartbeat: PodEndpoint = {
    namespace: 'heartbeat',
    podLabels: { 'app.kubernetes.io/name': 'heartbeat', 'app.kubernetes.io/instance': 'http-heartbeat', extra: 'x' },
  };
  const selectorLabels = { 'app.kubernetes.io/name': 'heartbeat', 'app.kubernetes.io/instance': 'http-heartbeat' };

  it('isolates a workload both ways when it uses nothing', () => {
    const fixture = sourceCluster();
    fixture.policies.addWorkload({ name: 'log-heartbeat', namespace: 'heartbeat', selectorLabels });
    const s = synth(fixture);
    s.expectDenied(udp(heartbeat, PODS.kubeDns, 53), tcp(heartbeat, ARBITRARY_IP, 443), tcp(PODS.web, heartbeat, 8080));
    expect(s.policies.at(-1)?.spec).toEqual({
      podSelector: { matchLabels: selectorLabels },
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it('allows exactly its rules, plus DNS and the API server when asked for', () => {
    const ingressController: PodEndpoint = {
      namespace: 'ingress-nginx',
      podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
    };
    const fixture = sourceCluster();
    fixture.policies.addWorkload({
      name: 'http-heartbeat',
      namespace: 'heartbeat',
      selectorLabels,
      ingress: [
        { peers: [{ namespace: 'ingress-nginx', podLabels: ingressController.podLabels }], ports: [{ port: 8080 }] },
      ],
      egress: [
        {
          peers: [{ cidrs: ['198.51.100.0/24'] }],
          ports: [
            { port: 30000, endPort: 30010 },
            { port: 4789, protocol: 'UDP' },
          ],
        },
      ],
      dns: true,
      apiServer: true,
    });
    fixture.policies.addDefaultDeny('heartbeat');
    const s = synth(fixture);
    s.expectAllowed(
      tcp(ingressController, heartbeat, 8080),
      udp(heartbeat, PODS.kubeDns, 53),
      tcp(heartbeat, API, 6443),
      tcp(heartbeat, { ip: '198.51.100.9' }, 30005),
      udp(heartbeat, { ip: '198.51.100.9' }, 4789),
    );
    s.expectDenied(
      tcp(ingressController, heartbeat, 8081),
      tcp(PODS.web, heartbeat, 8080),
      tcp(heartbeat, { ip: '198.51.100.9' }, 30011),
      tcp(heartbeat, { ip: '198.51.100.9' }, 4789),
      tcp(heartbeat, ARBITRARY_IP, 443),
      // The namespace's default-deny covers its other pods.
      tcp({ namespace: 'heartbeat', podLabels: { run: 'debug' } }, ARBITRARY_IP, 443),
    );
    expect(() => expectValidChart(fixture.chart)).not.toThrow();
  });

  it('writes a default-deny once per namespace', () => {
    const fixture = sourceCluster();
    fixture.policies.addDefaultDeny('vector-system');
    fixture.policies.addDefaultDeny('heartbeat');
    fixture.policies.addDefaultDeny('heartbeat');
    expect(synth(fixture).policies.filter((p) => p.metadata.name === DEFAULT_DENY_POLICY)).toHaveLength(2);
  });
});

describe('the example clusters', () => {
  it('fit an agent in a namespace of its own in the monitoring cluster that ships out by the load balancer', () => {
    // An agent given the LB hostname is outside-bound even with the aggregator given: it needs the LB's CIDRs.
    const s = synth(
      newCluster({
        aggregator: {},
        agent: {
          namespace: 'vector-agents',
          aggregator: { endpoints: ['vector.monitoring.example.com:6000'] },
          remoteWrite: false,
        },
        agentInCluster: false,
        policies: {
          apiServer: API_SERVER,
          aggregatorCidrs: AGGREGATOR_LB_CIDRS,
          remoteWrite: PROMETHEUS_PEER,
          // Where the load balancer's connections come from, as the aggregator pods see them.
          sourceClusterCidrs: ['10.0.0.0/24'],
          loki: { namespace: 'monitoring' },
        },
      }),
    );
    s.expectAllowed(tcp(defined(s.agentPod), LB, 6000));
    s.expectDenied(tcp(defined(s.agentPod), defined(s.aggregatorPod), 6000));
  });
});
