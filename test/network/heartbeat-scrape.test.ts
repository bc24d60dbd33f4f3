/**
 * The aggregator's heartbeat counter is scraped by Prometheus through the aggregator's ingress policy: the port comes
 * from `aggregator.heartbeatPort`, so moving or turning off the counter moves or closes the rule with it.
 */
import { describe, expect, it } from 'vitest';
import type { PodEndpoint } from '../helpers/network-policy';
import { monitoringCluster, PODS, synth, tcp } from './network-fixtures';

const SOURCE_NAT = { ip: '192.0.2.5' };

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('fixture without this workload');
  return value;
}

describe('heartbeat counter scrape', () => {
  it('Prometheus may reach the heartbeat port (9599 by default); nobody else may', () => {
    const s = synth(monitoringCluster());
    const aggregator = defined(s.aggregatorPod);
    const agent = defined(s.agentPod);
    expect(s.policies.length).toBeGreaterThan(0);
    s.expectAllowed(tcp(PODS.prometheus, aggregator, 9599));
    s.expectDenied(
      tcp(PODS.grafana, aggregator, 9599),
      tcp(PODS.web, aggregator, 9599),
      tcp(PODS.stray, aggregator, 9599),
      tcp(SOURCE_NAT, aggregator, 9599),
      tcp(agent, aggregator, 9599),
      // The neighbouring ports stay closed.
      tcp(PODS.prometheus, aggregator, 9600),
      tcp(PODS.prometheus, aggregator, 9597),
    );
  });

  it('follows heartbeat.port', () => {
    const s = synth(monitoringCluster({ heartbeat: { port: 9700 } }));
    const aggregator = defined(s.aggregatorPod);
    s.expectAllowed(tcp(PODS.prometheus, aggregator, 9700));
    s.expectDenied(tcp(PODS.prometheus, aggregator, 9599), tcp(PODS.grafana, aggregator, 9700));
  });

  it('opens no heartbeat port with heartbeat: false, and keeps the metrics port open', () => {
    const s = synth(monitoringCluster({ heartbeat: false }));
    const aggregator: PodEndpoint = defined(s.aggregatorPod);
    s.expectDenied(tcp(PODS.prometheus, aggregator, 9599));
    s.expectAllowed(tcp(PODS.prometheus, aggregator, 9598));
  });

  it('keeps the heartbeat port beside the forwarded-metrics exporter port', () => {
    const s = synth(monitoringCluster({ metrics: { exporter: { port: 9090 } } }, false));
    const aggregator = defined(s.aggregatorPod);
    s.expectAllowed(
      tcp(PODS.prometheus, aggregator, 9598),
      tcp(PODS.prometheus, aggregator, 9090),
      tcp(PODS.prometheus, aggregator, 9599),
    );
    s.expectDenied(tcp(PODS.grafana, aggregator, 9599), tcp(PODS.grafana, aggregator, 9090));
  });
});
