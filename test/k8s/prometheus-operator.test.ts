import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PodMonitor, PrometheusRule, ServiceMonitor } from '../../lib/k8s/prometheus-operator';
import { expectValidChart, validateManifests } from '../helpers/k8s-schema';

const relabelings = [
  { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' as const },
  { targetLabel: 'cluster', replacement: 'dev' },
];

describe('prometheus-operator L1 classes', () => {
  it('write the three kinds with exactly the fields given, valid against the CRD schemas', () => {
    const chart = Testing.chart();
    new PodMonitor(chart, 'pm', {
      metadata: { name: 'vector-agent', namespace: 'vector-system', labels: { release: 'kps' } },
      spec: {
        selector: { matchLabels: { app: 'vector' } },
        namespaceSelector: { matchNames: ['vector-system'] },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', relabelings }],
      },
    });
    new ServiceMonitor(chart, 'sm', {
      metadata: { name: 'vector-aggregator', namespace: 'vector-system' },
      spec: {
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['vector'] }] },
        endpoints: [{ port: 'metrics', scheme: 'http', scrapeTimeout: '10s', metricRelabelings: relabelings }],
        targetLabels: ['app'],
      },
    });
    new PrometheusRule(chart, 'pr', {
      metadata: { name: 'vector-alerts', namespace: 'monitoring' },
      spec: {
        groups: [
          {
            name: 'vector',
            interval: '1m',
            rules: [
              { record: 'vector:up:sum', expr: 'sum(up)' },
              { alert: 'VectorDown', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } },
            ],
          },
        ],
      },
    });
    expectValidChart(chart);
    expect(Testing.synth(chart)).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "monitoring.coreos.com/v1",
          "kind": "PodMonitor",
          "metadata": {
            "labels": {
              "release": "kps",
            },
            "name": "vector-agent",
            "namespace": "vector-system",
          },
          "spec": {
            "namespaceSelector": {
              "matchNames": [
                "vector-system",
              ],
            },
            "podMetricsEndpoints": [
              {
                "interval": "30s",
                "path": "/metrics",
                "port": "metrics",
                "relabelings": [
                  {
                    "action": "replace",
                    "sourceLabels": [
                      "__meta_kubernetes_pod_node_name",
                    ],
                    "targetLabel": "node",
                  },
                  {
                    "replacement": "dev",
                    "targetLabel": "cluster",
                  },
                ],
              },
            ],
            "selector": {
              "matchLabels": {
                "app": "vector",
              },
            },
          },
        },
        {
          "apiVersion": "monitoring.coreos.com/v1",
          "kind": "ServiceMonitor",
          "metadata": {
            "name": "vector-aggregator",
            "namespace": "vector-system",
          },
          "spec": {
            "endpoints": [
              {
                "metricRelabelings": [
                  {
                    "action": "replace",
                    "sourceLabels": [
                      "__meta_kubernetes_pod_node_name",
                    ],
                    "targetLabel": "node",
                  },
                  {
                    "replacement": "dev",
                    "targetLabel": "cluster",
                  },
                ],
                "port": "metrics",
                "scheme": "http",
                "scrapeTimeout": "10s",
              },
            ],
            "selector": {
              "matchExpressions": [
                {
                  "key": "app",
                  "operator": "In",
                  "values": [
                    "vector",
                  ],
                },
              ],
            },
            "targetLabels": [
              "app",
            ],
          },
        },
        {
          "apiVersion": "monitoring.coreos.com/v1",
          "kind": "PrometheusRule",
          "metadata": {
            "name": "vector-alerts",
            "namespace": "monitoring",
          },
          "spec": {
            "groups": [
              {
                "interval": "1m",
                "name": "vector",
                "rules": [
                  {
                    "expr": "sum(up)",
                    "record": "vector:up:sum",
                  },
                  {
                    "alert": "VectorDown",
                    "expr": "up == 0",
                    "for": "5m",
                    "labels": {
                      "severity": "critical",
                    },
                  },
                ],
              },
            ],
          },
        },
      ]
    `);
  });

  it('are caught by the schema helper when a field is wrong', () => {
    const chart = Testing.chart();
    new PodMonitor(chart, 'pm', {
      metadata: { name: 'vector-agent' },
      spec: { selector: {}, podMetricsEndpoints: [{ port: 'metrics', interval: '30 seconds' }] },
    });
    expect(validateManifests(chart.toJson()).map((p) => p.message)).toEqual([
      '/spec/podMetricsEndpoints/0/interval: must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"',
    ]);
  });

  it('require an explicit metadata.name', () => {
    const chart = Testing.chart();
    const spec = { groups: [] };
    expect(() => new PrometheusRule(chart, 'pr', { metadata: { name: '' }, spec })).toThrow(
      'PrometheusRule: metadata.name is required (this library writes no generated names)',
    );
    expect(
      () => new PodMonitor(chart, 'pm', { metadata: { name: '' }, spec: { selector: {}, podMetricsEndpoints: [] } }),
    ).toThrow('PodMonitor: metadata.name is required');
    expect(
      () => new ServiceMonitor(chart, 'sm', { metadata: { name: '' }, spec: { selector: {}, endpoints: [] } }),
    ).toThrow('ServiceMonitor: metadata.name is required');
  });

  it('expose their group, version and kind', () => {
    expect([PodMonitor.GVK, ServiceMonitor.GVK, PrometheusRule.GVK]).toEqual([
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' },
    ]);
  });
});
