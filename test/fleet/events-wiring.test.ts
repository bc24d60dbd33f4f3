import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_IDS, DELIVERY_FIELDS } from '../../lib/aggregator';
import { EVENTS_IDS } from '../../lib/events';
import {
  checkFleet,
  type Fleet,
  MonitoringClusterChart,
  parseFleetYaml,
  type SourceCluster,
  SourceClusterChart,
} from '../../lib/fleet';
import { shippingTarget } from '../../lib/fleet/load-inventory';
import { derivePrerequisites } from '../../lib/k8s/prerequisites';
import type { Manifest } from '../../lib/k8s/object-references';
import { runCondition, runRemap } from '../../lib/vector';
import { DEV, exampleData, exampleYamlError } from './fixtures';

/*
 * A source cluster's KubernetesEvents ships where its agents ship, with their client certificate, and the monitoring
 * cluster's aggregators take its events as logs without counting them as heartbeats.
 */

const FLEET_FILE = resolve(__dirname, '..', '..', 'fleet.yaml');
const load = (data: unknown): Fleet => checkFleet(data, 'fleet.yaml');
const example = load(parseFleetYaml(readFileSync(FLEET_FILE, 'utf8'), 'fleet.yaml'));

function build(fleet: Fleet, name: string) {
  const source = fleet.clusters.find((c): c is SourceCluster => c.role === 'source' && c.name === name);
  if (!source) throw new Error(`no source cluster ${name}`);
  const target = shippingTarget(fleet, source);
  if (!target) throw new Error(`${name} ships nowhere`);
  const shipping = fleet.clusters.filter(
    (c): c is SourceCluster => c.role === 'source' && shippingTarget(fleet, c) === target,
  );
  const monitoring = new MonitoringClusterChart(new App(), target.name, {
    cluster: target,
    sourceClusters: shipping,
    heartbeatIntervalSeconds: 120,
  });
  const chart = new SourceClusterChart(new App(), source.name, {
    cluster: source,
    shipsTo: monitoring,
    heartbeatIntervalSeconds: 120,
  });
  return { monitoring, chart, manifests: chart.toJson() as { kind: string; metadata: { name: string } }[] };
}

describe('kubernetesEvents in the fleet', () => {
  it('is on by default, ships to the agents’ aggregators with the agents’ client certificate', () => {
    const { chart, manifests } = build(example, 'dev');
    const events = chart.kubernetesEvents;
    if (!events) throw new Error('dev has no KubernetesEvents');
    expect(events.namespace).toBe(chart.agent.namespace);
    expect(events.aggregatorEndpoints).toEqual(chart.agent.aggregatorEndpoints.map((e) => `${e.host}:${e.port}`));
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === events.name) as unknown as {
      spec: { template: { spec: { volumes: { name: string; secret?: { secretName: string } }[] } } };
    };
    const agent = manifests.find((m) => m.kind === 'DaemonSet') as unknown as typeof deployment;
    const tlsSecret = (d: typeof deployment) => d.spec.template.spec.volumes.find((v) => v.name === 'tls')?.secret;
    expect(tlsSecret(deployment)?.secretName).toBeDefined();
    expect(tlsSecret(deployment)).toEqual(tlsSecret(agent));
    expect(manifests.some((m) => m.kind === 'NetworkPolicy' && m.metadata.name === events.name)).toBe(true);
  });

  it('kubernetesEvents: false writes none of its objects', () => {
    const fleet = load(exampleData({ 'clusters.2.kubernetesEvents': false }));
    const { chart, manifests } = build(fleet, 'dev');
    expect(chart.kubernetesEvents).toBeUndefined();
    expect(manifests.filter((m) => m.metadata.name.startsWith('vector-kubernetes-events'))).toEqual([]);
  });

  it('an event reaches the aggregators’ Loki path as a log with every dedupe field, and is no heartbeat', () => {
    const { chart, monitoring } = build(example, 'dev');
    const events = chart.kubernetesEvents;
    if (!events) throw new Error('dev has no KubernetesEvents');
    const outcome = runRemap(
      events.pipeline,
      EVENTS_IDS.enrich,
      {
        metadata: { uid: 'u-1', resourceVersion: '7', namespace: 'shop' },
        involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
        type: 'Normal',
        reason: 'Pulled',
        message: 'Container image pulled',
        lastTimestamp: '2026-12-04T04:00:00Z',
        source_type: 'http_server',
        timestamp: '2026-12-04T04:00:01Z',
      },
      { timestamps: ['timestamp'] },
    );
    if (outcome.dropped) throw new Error(outcome.message);
    expect(outcome.event).toMatchObject({ cluster: 'dev', object_kind: 'Pod', object_name: 'web-1' });
    const pipeline = monitoring.aggregator.pipeline;
    expect(pipeline.component(AGGREGATOR_IDS.dedupe)?.options).toMatchObject({
      fields: { match: [...DELIVERY_FIELDS] },
    });
    for (const f of DELIVERY_FIELDS) expect(outcome.event[f], f).toBeDefined();
    expect(runCondition(pipeline, AGGREGATOR_IDS.heartbeatEvents, outcome.event)).toBe(false);
  });

  it.each(['management', 'dev', 'staging'])(
    '%s: the events collector adds no prerequisite (everything it refers to is in the folder)',
    (name) => {
      const refs = (fleet: Fleet) =>
        derivePrerequisites(build(fleet, name).manifests as unknown as Manifest[]).map(
          (p) => `${p.kind}/${p.namespace ?? ''}/${p.name}`,
        );
      const index = example.clusters.findIndex((c) => c.name === name);
      const without = refs(load(exampleData({ [`clusters.${index}.kubernetesEvents`]: false })));
      expect(refs(example)).toEqual(without);
    },
  );

  it('refuses a kubernetesEvents that is not true or false, naming the cluster and the field', () => {
    expect(exampleYamlError('fleet.yaml', { 'clusters.2.kubernetesEvents': 'yes' })).toContain(
      `${DEV}: kubernetesEvents: "yes": must be true or false, not a string`,
    );
  });
});
