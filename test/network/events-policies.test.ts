/**
 * The Kubernetes events collector's NetworkPolicy, from the real construct (`networkPolicy()`) applied with
 * `VectorNetworkPolicies.addWorkload` beside the agents, judged by the evaluator: the flows it needs are allowed, their
 * neighbours denied.
 */
import { describe, expect, it } from 'vitest';
import { KubernetesEvents } from '../../lib/events';
import { expectValidChart } from '../helpers/k8s-schema';
import type { PodEndpoint } from '../helpers/network-policy';
import { AGGREGATOR_LB_CIDRS, API_SERVER, PODS, sourceCluster, synth, tcp, udp } from './network-fixtures';

const API = { ip: '172.16.0.10' };
const AGGREGATOR_LB = { ip: AGGREGATOR_LB_CIDRS[0].replace('/32', '') };
const ARBITRARY_IP = { ip: '93.184.216.34' };

function eventsCluster() {
  const fixture = sourceCluster();
  const events = new KubernetesEvents(fixture.chart, 'events', {
    cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
    aggregator: { endpoints: ['vector.monitoring.example.com:6000'] },
  });
  fixture.policies.addWorkload(events.networkPolicy({ aggregatorCidrs: AGGREGATOR_LB_CIDRS }));
  const s = synth(fixture);
  const deployment = (
    s.manifests as unknown as {
      kind: string;
      metadata: { name: string; namespace: string };
      spec: { template: { metadata: { labels: Record<string, string> } } };
    }[]
  ).find((m) => m.kind === 'Deployment' && m.metadata.name === events.name);
  if (!deployment) throw new Error('no events Deployment');
  const pod: PodEndpoint = {
    namespace: deployment.metadata.namespace,
    podLabels: deployment.spec.template.metadata.labels,
  };
  return { fixture, events, s, pod };
}

describe('KubernetesEvents network policy', () => {
  it('may reach the API server, the cluster DNS and the aggregators on their vector port', () => {
    const { s, pod } = eventsCluster();
    expect(API_SERVER.cidrs).toContain('172.16.0.10/32');
    s.expectAllowed(
      tcp(pod, API, API_SERVER.port),
      tcp(pod, AGGREGATOR_LB, 6000),
      udp(pod, PODS.kubeDns, 53),
      tcp(pod, PODS.kubeDns, 53),
    );
  });

  it('may reach nothing else: other ports of the same addresses, other addresses, other pods', () => {
    const { s, pod } = eventsCluster();
    s.expectDenied(
      tcp(pod, AGGREGATOR_LB, 443),
      tcp(pod, API, 10250),
      tcp(pod, ARBITRARY_IP, 6000),
      tcp(pod, ARBITRARY_IP, 443),
      tcp(pod, PODS.prometheus, 9090),
      tcp(pod, PODS.web, 80),
    );
  });

  it('is reached by nobody: Prometheus, the agents and a stray pod of its namespace are refused on every port', () => {
    const { s, pod } = eventsCluster();
    const agent = s.agentPod;
    if (!agent) throw new Error('no agent pod');
    s.expectDenied(
      tcp(PODS.prometheus, pod, 2112),
      tcp(PODS.prometheus, pod, 8686),
      tcp(agent, pod, 8080),
      tcp(PODS.stray, pod, 8080),
      tcp(PODS.web, pod, 2112),
    );
  });

  it('its policy and the rest of the chart are schema-valid', () => {
    expectValidChart(eventsCluster().fixture.chart);
  });
});
