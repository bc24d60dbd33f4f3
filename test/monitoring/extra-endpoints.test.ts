/**
 * `MonitoredWorkload.extraEndpoints`: further ports of a workload's pods that VectorMonitoring scrapes beside Vector's
 * own metrics, such as the aggregator's heartbeat counter, whose `cluster` label must survive the scrape.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VectorAggregator } from '../../lib/aggregator';
import { VectorMonitoring } from '../../lib/monitoring';
import type { MonitoredEndpoint, MonitoredWorkload } from '../../lib/monitoring/monitored-workload';
import { expectValidChart } from '../helpers/k8s-schema';
import { AGENT, AGGREGATOR, CLUSTER, manifestOf, monitoring } from './fixtures';
import { thrownMessage } from '../helpers/errors';

interface Endpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly honorLabels?: boolean;
  readonly relabelings: Record<string, unknown>[];
}

const HEARTBEAT: MonitoredEndpoint = { portName: 'heartbeat', path: '/metrics', honorLabels: true };
const WITH_HEARTBEAT: MonitoredWorkload = { ...AGGREGATOR, extraEndpoints: [HEARTBEAT] };

const endpointsOf = (targets: readonly MonitoredWorkload[], name = 'vector-aggregator'): Endpoint[] =>
  manifestOf(monitoring({ targets }).chart, 'PodMonitor', name).spec?.podMetricsEndpoints as Endpoint[];

function errorOf(targets: readonly MonitoredWorkload[]): string {
  return thrownMessage(() => monitoring({ targets }), 'expected VectorMonitoring to reject its targets');
}

describe('extraEndpoints', () => {
  it('scrapes each extra port after the metrics port, with honorLabels and without the workload label', () => {
    const [metrics, heartbeat, ...rest] = endpointsOf([AGENT, WITH_HEARTBEAT]);
    expect(rest).toEqual([]);
    expect(metrics).toEqual(endpointsOf([AGENT, AGGREGATOR])[0]);
    expect(heartbeat).toEqual({
      port: 'heartbeat',
      path: '/metrics',
      interval: '30s',
      honorLabels: true,
      relabelings: [
        { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' },
        { targetLabel: 'cluster', replacement: CLUSTER, action: 'replace' },
        { targetLabel: 'role', replacement: 'aggregator', action: 'replace' },
      ],
    });
  });

  it('keeps the metrics endpoint relabelling the workload, and honorLabels off there', () => {
    const [metrics] = endpointsOf([WITH_HEARTBEAT]);
    expect(metrics.honorLabels).toBeUndefined();
    expect(metrics.relabelings).toContainEqual({
      targetLabel: 'workload',
      replacement: 'vector-aggregator',
      action: 'replace',
    });
  });

  it('writes no honorLabels for an endpoint that does not ask for it, and follows its port and path', () => {
    const target = { ...AGGREGATOR, extraEndpoints: [{ portName: 'extra', path: '/stats', honorLabels: false }] };
    const extra = endpointsOf([target])[1];
    expect([extra.port, extra.path, extra.honorLabels]).toEqual(['extra', '/stats', undefined]);
  });

  it('scrapes only the metrics port of a target without extraEndpoints', () => {
    expect(endpointsOf([AGENT], 'vector-agent')).toHaveLength(1);
  });

  it('leaves the alerts alone: a second `up` per pod must not page twice for one pod down', () => {
    const rules = (targets: MonitoredWorkload[]) =>
      manifestOf(monitoring({ targets }).chart, 'PrometheusRule').spec?.groups;
    expect(rules([AGENT, WITH_HEARTBEAT])).toEqual(rules([AGENT, AGGREGATOR]));
  });

  it("scrapes a real VectorAggregator's heartbeat port, and the objects pass the CRD schemas", () => {
    const chart = new Chart(Testing.app(), 'monitoring');
    const aggregator = new VectorAggregator(chart, 'aggregator', {
      loki: { endpoint: 'http://loki-gateway.monitoring.svc:80' },
      metrics: { remoteWrite: { endpoint: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write' } },
    });
    new VectorMonitoring(chart, 'monitoring', {
      targets: [aggregator.monitoringTarget],
      namespace: 'monitoring',
      cluster: CLUSTER,
    });
    const endpoints = manifestOf(chart, 'PodMonitor', 'vector-aggregator').spec?.podMetricsEndpoints as Endpoint[];
    expect(endpoints.map((e) => [e.port, e.honorLabels ?? false])).toEqual([
      ['metrics', false],
      ['heartbeat', true],
    ]);
    expectValidChart(chart);
  });

  it.each<[string, unknown, string]>([
    [
      'a bad port name',
      [{ ...HEARTBEAT, portName: 'heartbeat-metrics' }],
      'invalid targets[0].extraEndpoints[0].portName "heartbeat-metrics": must be a container port name (at most 15 ' +
        "lowercase alphanumerics and '-', with at least one letter)",
    ],
    [
      'a relative path',
      [{ ...HEARTBEAT, path: 'metrics' }],
      'invalid targets[0].extraEndpoints[0].path "metrics": must be an HTTP path starting with \'/\', without spaces, ' +
        'query or fragment',
    ],
    [
      'honorLabels that is not a boolean',
      [{ ...HEARTBEAT, honorLabels: 'yes' }],
      'invalid targets[0].extraEndpoints[0].honorLabels "yes": must be true or false',
    ],
    [
      'the metrics port again',
      [{ ...HEARTBEAT, portName: 'metrics' }],
      'invalid targets[0].extraEndpoints[0].portName "metrics": the port is scraped already; each port is scraped once',
    ],
    [
      'a port twice',
      [HEARTBEAT, HEARTBEAT],
      'invalid targets[0].extraEndpoints[1].portName "heartbeat": the port is scraped already; each port is scraped once',
    ],
    [
      'not a list',
      HEARTBEAT,
      'invalid targets[0].extraEndpoints {"portName":"heartbeat","path":"/metrics","honorLabels":true}: must be a list ' +
        'of { portName, path, honorLabels }',
    ],
  ])('refuses %s', (_case, extraEndpoints, message) => {
    const target = { ...AGGREGATOR, extraEndpoints } as unknown as MonitoredWorkload;
    expect(errorOf([target])).toBe(`test/monitoring: ${message}`);
  });
});
