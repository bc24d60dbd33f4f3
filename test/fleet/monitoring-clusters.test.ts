/**
 * Several monitoring clusters: each source cluster names the one it ships to, each monitoring cluster's aggregators
 * and heartbeat alert serve exactly the clusters that ship to it, and one that nobody ships to must say it is standby.
 */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { parseFleetYaml, synthesizeFleet } from '../../lib/fleet';
import { expectRuleTestsPass } from '../helpers/promtool';
import { exampleCluster, exampleYaml, inventoryErrorMessage, MONITORING } from './fixtures';

const FILE = 'fleet.yaml';
const SECOND = exampleCluster(0, {
  name: 'monitoring-b',
  aggregator: { hostname: 'vector-b.example.com', addresses: ['10.20.1.10/32'] },
});

/** The example fleet with a second monitoring cluster; dev ships to it, the others to the first. */
const split = (changes: Readonly<Record<string, unknown>> = {}) =>
  parseFleetYaml(
    exampleYaml({ 'clusters.4': SECOND, 'clusters.2.monitoringCluster': 'monitoring-b', ...changes }),
    FILE,
  );

/** A synthesized object, read loosely: the tests pick the few fields they assert on. */
interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly data: Readonly<Record<string, string>>;
  readonly spec: {
    readonly ingress: readonly { readonly from?: readonly { readonly ipBlock?: { readonly cidr: string } }[] }[];
    readonly groups: { rules: { expr: string; annotations: { description: string } }[] }[];
  };
}

function objects(outputs: ReturnType<typeof synthesizeFleet>, cluster: string) {
  const output = outputs.find((o) => o.cluster === cluster)!;
  return parseAllDocuments(output.files[`${cluster}.k8s.yaml`]).map((d) => d.toJS() as Manifest);
}

function heartbeatRule(outputs: ReturnType<typeof synthesizeFleet>, cluster: string) {
  const rule = objects(outputs, cluster).find(
    (o) => o.kind === 'PrometheusRule' && o.metadata.name === 'vector-heartbeat-alerts',
  );
  return rule?.spec.groups;
}

describe('source clusters choose their monitoring cluster', () => {
  const outputs = synthesizeFleet(split({ monitoringCluster: 'monitoring' }), FILE);

  it('ships each source cluster to the aggregators of the monitoring cluster it names, else the fleet default', () => {
    const endpoints = (c: string) =>
      objects(outputs, c)
        .filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'vector-agent')
        .map(
          (o) =>
            (parse(o.data['vector.yaml']) as { sinks: { to_aggregators: { routing: { endpoints: string[] } } } }).sinks
              .to_aggregators.routing.endpoints,
        );
    expect(endpoints('dev')).toEqual([['https://vector-b.example.com:6000']]);
    expect(endpoints('staging')).toEqual([['https://vector.monitoring.example.com:6000']]);
  });

  it('admits at each aggregator only the egress addresses of the clusters that ship to it', () => {
    const ingressCidrs = (c: string) =>
      objects(outputs, c)
        .filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'vector-aggregator')
        .flatMap((o) => o.spec.ingress.flatMap((r) => (r.from ?? []).map((p) => p.ipBlock?.cidr)))
        .filter(Boolean);
    const dev = parse(exampleYaml()).clusters[2].egressCidrs as string[];
    expect(ingressCidrs('monitoring-b')).toEqual(expect.arrayContaining(dev));
    for (const cidr of dev) expect(ingressCidrs('monitoring')).not.toContain(cidr);
  });

  it("watches exactly its own source clusters in each monitoring cluster's heartbeat alert", () => {
    expect(heartbeatRule(outputs, 'monitoring-b')![0].rules[0].expr).toContain(
      'vector_heartbeat_total{cluster=~"dev"}',
    );
    expect(heartbeatRule(outputs, 'monitoring')![0].rules[0].expr).toContain(
      'vector_heartbeat_total{cluster=~"management|staging"}',
    );
  });

  it('does not fire in one monitoring cluster for a silent cluster that ships to the other (promtool)', () => {
    const groups = heartbeatRule(outputs, 'monitoring-b')!;
    // Both clusters' series meet in one Prometheus (Thanos, federation); staging goes silent after 10 minutes.
    const beat = Array.from({ length: 41 }, (_, i) => String(Math.floor(i / 4) + 1)).join(' ');
    const silent = Array.from({ length: 41 }, (_, i) => String(Math.min(Math.floor(i / 4), 5) + 1)).join(' ');
    const test = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '30s',
          input_series: [
            { series: 'vector_heartbeat_total{cluster="dev"}', values: beat },
            { series: 'vector_heartbeat_total{cluster="staging"}', values: silent },
          ],
          alert_rule_test: [{ eval_time: '20m', alertname: 'VectorHeartbeatMissing', exp_alerts: [] }],
        },
        {
          interval: '30s',
          input_series: [{ series: 'vector_heartbeat_total{cluster="dev"}', values: silent }],
          alert_rule_test: [
            {
              eval_time: '20m',
              alertname: 'VectorHeartbeatMissing',
              exp_alerts: [
                {
                  exp_labels: { cluster: 'dev', severity: 'critical' },
                  exp_annotations: {
                    summary: 'No Vector heartbeat from cluster dev for 5m',
                    description: groups[0].rules[0].annotations.description.replaceAll('{{ $labels.cluster }}', 'dev'),
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    expectRuleTestsPass(stringify({ groups }), stringify(test));
  });
});

describe('monitoring clusters nobody ships to', () => {
  it('refuses one without standby', () => {
    expect(
      inventoryErrorMessage(() =>
        split({ 'clusters.2.monitoringCluster': 'monitoring', monitoringCluster: 'monitoring' }),
      ),
    ).toBe(
      [
        'fleet.yaml: 1 problem; nothing was written:',
        '  - cluster "monitoring-b" (clusters[4]): standby: no source cluster ships to this monitoring cluster, so its ' +
          "heartbeat alert would watch nothing: name it in a source cluster's monitoringCluster, or set standby: true",
      ].join('\n'),
    );
  });

  it('synthesizes a standby one with aggregators and no heartbeat alert', () => {
    const outputs = synthesizeFleet(
      split({
        'clusters.2.monitoringCluster': 'monitoring',
        monitoringCluster: 'monitoring',
        'clusters.4.standby': true,
      }),
      FILE,
    );
    expect(heartbeatRule(outputs, 'monitoring-b')).toBeUndefined();
    expect(objects(outputs, 'monitoring-b').some((o) => o.kind === 'StatefulSet')).toBe(true);
    expect(heartbeatRule(outputs, 'monitoring')![0].rules[0].expr).toContain('cluster=~"management|dev|staging"');
  });

  it('refuses standby on a monitoring cluster that source clusters ship to', () => {
    expect(inventoryErrorMessage(() => split({ monitoringCluster: 'monitoring', 'clusters.0.standby': true }))).toBe(
      [
        'fleet.yaml: 1 problem; nothing was written:',
        `  - ${MONITORING}: standby: standby: true, but source clusters ship to this monitoring cluster: remove standby, or point them elsewhere`,
      ].join('\n'),
    );
  });

  it("refuses a source cluster's monitoringCluster that is not a monitoring cluster", () => {
    expect(
      inventoryErrorMessage(() =>
        split({ monitoringCluster: 'monitoring', 'clusters.2.monitoringCluster': 'staging' }),
      ),
    ).toBe(
      [
        'fleet.yaml: 1 problem; nothing was written:',
        '  - cluster "dev" (clusters[2]): monitoringCluster: "staging" is not a cluster with role monitoring: name one of monitoring, monitoring-b',
      ].join('\n'),
    );
  });
});
