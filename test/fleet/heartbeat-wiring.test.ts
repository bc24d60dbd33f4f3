import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_IDS } from '../../lib/aggregator';
import {
  checkFleet,
  MonitoringClusterChart,
  parseFleetYaml,
  type SourceCluster,
  SourceClusterChart,
} from '../../lib/fleet';
import { shippingTarget } from '../../lib/fleet/load-inventory';
import { HEARTBEAT_MESSAGE, LogHeartbeat } from '../../lib/heartbeat';
import { runCondition } from '../../lib/vector';

/*
 * The monitoring cluster's aggregators count the heartbeat lines of exactly the pods the source clusters' LogHeartbeat
 * really runs: its namespace and the labels on its Deployment's pod template, as Vector's kubernetes_logs reports them.
 */

const FLEET_FILE = resolve(__dirname, '..', '..', 'fleet.yaml');
const fleet = checkFleet(parseFleetYaml(readFileSync(FLEET_FILE, 'utf8'), 'fleet.yaml'), 'fleet.yaml');
const INTERVAL = fleet.heartbeatIntervalSeconds ?? 120;
const sources = fleet.clusters.filter((c): c is SourceCluster => c.role === 'source' && c.logHeartbeat !== false);

function build(source: SourceCluster) {
  const target = shippingTarget(fleet, source);
  if (!target) throw new Error(`${source.name} ships nowhere`);
  const shipping = fleet.clusters.filter(
    (c): c is SourceCluster => c.role === 'source' && shippingTarget(fleet, c) === target,
  );
  const monitoring = new MonitoringClusterChart(new App(), target.name, {
    cluster: target,
    sourceClusters: shipping,
    heartbeatIntervalSeconds: INTERVAL,
  });
  const chart = new SourceClusterChart(new App(), source.name, {
    cluster: source,
    shipsTo: monitoring,
    heartbeatIntervalSeconds: INTERVAL,
  });
  const heartbeat = chart.logHeartbeat as LogHeartbeat;
  const deployment = chart
    .toJson()
    .find(
      (o: { kind: string; metadata: { name: string } }) =>
        o.kind === 'Deployment' && o.metadata.name === heartbeat.name,
    );
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
  return { monitoring, heartbeat, podLabels };
}

/** The heartbeat line as the source cluster's agent forwards it. */
function line(cluster: string, podNamespace: string, podLabels: Record<string, string>) {
  return {
    message: HEARTBEAT_MESSAGE,
    heartbeat: true,
    severity: 'info',
    cluster,
    namespace: podNamespace,
    kubernetes: { pod_namespace: podNamespace, pod_name: 'p-1', container_name: 'heartbeat', pod_labels: podLabels },
  };
}

describe('the fleet counts each source cluster’s LogHeartbeat lines, and no other pod’s', () => {
  it('has source clusters with a log heartbeat in the example inventory', () => {
    expect(sources.length).toBeGreaterThan(0);
  });

  it.each(sources.map((s) => [s.name, s] as const))(
    '%s: its heartbeat pod is counted, a pod in shop is not',
    (name, source) => {
      const { monitoring, heartbeat, podLabels } = build(source);
      const counted = (event: Record<string, unknown>) =>
        runCondition(monitoring.aggregator.pipeline, AGGREGATOR_IDS.heartbeatEvents, event);
      expect(LogHeartbeat.lineSourceOf({ intervalSeconds: INTERVAL })).toEqual(heartbeat.lineSource);
      expect(podLabels).toMatchObject(heartbeat.lineSource.podLabels);
      expect(counted(line(name, heartbeat.namespace, podLabels))).toBe(true);
      expect(counted(line(name, 'shop', { 'app.kubernetes.io/name': 'shop' }))).toBe(false);
      expect(counted(line(name, 'shop', podLabels))).toBe(false);
      expect(counted(line(name, heartbeat.namespace, { 'app.kubernetes.io/name': 'shop' }))).toBe(false);
    },
  );
});
