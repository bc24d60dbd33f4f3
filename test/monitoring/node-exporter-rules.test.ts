import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  NODE_EXPORTER_MAPPING,
  NODE_EXPORTER_UNMAPPED,
  NodeExporterRecordingRules,
  type NodeExporterRecordingRulesProps,
} from '../../lib/monitoring';
import { thrownMessage } from '../helpers/errors';
import { expectValidChart } from '../helpers/k8s-schema';

const PROPS: NodeExporterRecordingRulesProps = {
  namespace: 'monitoring',
  clusters: [
    { cluster: 'prod-eu-1', job: 'node-exporter' },
    { cluster: 'prod-us-1', job: 'vector-host-metrics' },
  ],
  ruleLabels: { release: 'kube-prometheus-stack' },
};

function build(props: Partial<NodeExporterRecordingRulesProps> = {}) {
  const chart = Testing.chart();
  const rules = new NodeExporterRecordingRules(chart, 'rules', { ...PROPS, ...props });
  return { chart, rules };
}

describe('NodeExporterRecordingRules', () => {
  it('writes one schema-valid PrometheusRule, selected by the rule labels, a rule group per cluster', () => {
    const { chart } = build();
    expectValidChart(chart);
    const [rule] = Testing.synth(chart);
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata.name).toBe('vector-node-exporter-names');
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(rule.spec.groups.map((g: { name: string }) => g.name)).toEqual([
      'node-exporter-names-prod-eu-1',
      'node-exporter-names-prod-us-1',
    ]);
  });

  it("selects each group's cluster and gives its series the cluster's job", () => {
    const [rule] = Testing.synth(build().chart);
    const [eu, us] = rule.spec.groups;
    expect(eu.rules).toHaveLength(NODE_EXPORTER_MAPPING.length);
    for (const r of eu.rules) {
      expect(r.expr).toContain('{cluster="prod-eu-1"}');
      expect(r.expr).not.toContain('prod-us-1');
      expect(r.labels).toEqual({ job: 'node-exporter' });
    }
    for (const r of us.rules) expect(r.labels).toEqual({ job: 'vector-host-metrics' });
  });

  it('maps no series twice and lists none as both mapped and unmapped', () => {
    const records = NODE_EXPORTER_MAPPING.map((m) => m.record);
    expect(new Set(records).size).toBe(records.length);
    for (const unmapped of NODE_EXPORTER_UNMAPPED) expect(records).not.toContain(unmapped);
  });

  it('takes a name of its own', () => {
    const [rule] = Testing.synth(build({ name: 'node-names' }).chart);
    expect(rule.metadata.name).toBe('node-names');
  });

  it.each([
    [{ clusters: [] }, 'invalid clusters []: give at least one {cluster, job}'],
    [
      { clusters: [{ cluster: 'Prod_EU', job: 'node-exporter' }] },
      'invalid clusters[0].cluster "Prod_EU": use at most 63 lowercase',
    ],
    [
      {
        clusters: [
          { cluster: 'prod-eu-1', job: 'node-exporter' },
          { cluster: 'prod-eu-1', job: 'vector-host-metrics' },
        ],
      },
      'invalid clusters[1].cluster "prod-eu-1": name each cluster once: it gets one rule group',
    ],
    [
      { clusters: [{ cluster: 'prod-eu-1', job: '' }] },
      'invalid clusters[0].job "": must be a non-empty Kubernetes label value',
    ],
    [{ ruleLabels: { release: 'kube prometheus' } }, 'invalid ruleLabels["release"] "kube prometheus"'],
    [{ namespace: 'Monitoring' }, 'invalid namespace "Monitoring"'],
    [{ name: 'Node Names' }, 'invalid name "Node Names"'],
  ])('rejects %j', (props, message) => {
    expect(thrownMessage(() => build(props as Partial<NodeExporterRecordingRulesProps>))).toContain(message);
  });
});
