/**
 * Capacity in the inventory: buffers sized from the monitoring cluster's `outageBudget` and every shipping cluster's
 * `logRate` (README "Sizing the buffers from an outage budget"), the defaults kept without a budget, the aggregators'
 * autoscaling, and each buffer that does not fit its disk refused at the file, cluster and field. The example
 * fleet.yaml sets a budget; every number below is worked by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { type ClusterOutput, parseFleetYaml, synthesizeFleet } from '../../lib/fleet';
import { expectValidManifests } from '../helpers/k8s-schema';
import {
  DEV,
  exampleFleet,
  exampleYamlError,
  inventoryErrorMessage,
  inventoryReport,
  MANAGEMENT,
  MONITORING,
  REMOVE,
  STAGING,
  type Changes,
} from './fixtures';

const FILE = 'inventories/fleet.yaml';
const report = (...problems: string[]) => inventoryReport(FILE, ...problems);
const yamlError = (changes: Changes) => exampleYamlError(FILE, changes);
const MIB = 1048576;

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}
type BufferedSink = { readonly buffer?: { readonly max_size?: number } };

function manifestsOf(outputs: readonly ClusterOutput[], cluster: string): Manifest[] {
  const output = outputs.find((o) => o.cluster === cluster);
  if (!output) throw new Error(`no output for ${cluster}`);
  return parseAllDocuments(output.files[`${cluster}.k8s.yaml`]).map((d) => d.toJSON() as Manifest);
}

/** Each Vector ConfigMap's disk buffer sizes, by ConfigMap name and sink id. */
function buffers(manifests: readonly Manifest[]): Record<string, Record<string, number>> {
  const found: Record<string, Record<string, number>> = {};
  for (const m of manifests) {
    const text = m.kind === 'ConfigMap' ? m.data?.['vector.yaml'] : undefined;
    if (!text) continue;
    const sinks = (parse(text) as { sinks: Record<string, BufferedSink> }).sinks;
    for (const [id, sink] of Object.entries(sinks)) {
      if (sink.buffer?.max_size !== undefined) (found[m.metadata.name] ??= {})[id] = sink.buffer.max_size;
    }
  }
  return found;
}

const claimSize = (manifests: readonly Manifest[]) => {
  const set = manifests.find((m) => m.kind === 'StatefulSet');
  const claims = set?.spec?.volumeClaimTemplates as { spec: { resources: { requests: { storage: string } } } }[];
  return claims[0].spec.resources.requests.storage;
};

describe('buffers from the example fleet outage budget', () => {
  const outputs = synthesizeFleet(exampleFleet(), FILE);

  it("sizes each aggregator's Loki buffer for an hour of every shipping cluster's rate, over 3 replicas", () => {
    // 200000 + 400000 + 1000000 + 600000 = 2200000 B/s (monitoring's own agents included); × 3600 s / 3 replicas =
    // 2640000000 bytes = 2517.7 MiB, rounded up to 2518 MiB = 2640314368 bytes. The volume: 2.46 GiB -> 3 + 1 = 4Gi.
    const monitoring = manifestsOf(outputs, 'monitoring');
    expect(buffers(monitoring)['vector-aggregator']).toEqual({ loki: 2518 * MIB });
    expect(2518 * MIB).toBe(2_640_314_368);
    expect(claimSize(monitoring)).toBe('4Gi');
  });

  it("sizes each cluster's agent buffer for an hour of its busiest node, at least Vector's minimum", () => {
    // dev: 200000 × 3600 = 720000000 bytes = 686.6 MiB -> 687 MiB. management and staging: 100000 × 3600 =
    // 360000000 = 343.3 MiB -> 344 MiB. The monitoring cluster's own: 50000 × 3600 = 180000000, under 268435488.
    const agent = (cluster: string) => buffers(manifestsOf(outputs, cluster))['vector-agent'];
    expect(agent('dev')).toEqual({ to_aggregators: 687 * MIB });
    expect(687 * MIB).toBe(720_371_712);
    expect(agent('management')).toEqual({ to_aggregators: 344 * MIB });
    expect(agent('staging')).toEqual({ to_aggregators: 344 * MIB });
    expect(agent('monitoring')).toEqual({ to_aggregators: 268_435_488 });
  });

  it("matches README's worked example, so the formula there stays the one the synth uses", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const section = readme.slice(readme.indexOf('#### Sizing the buffers from an outage budget'));
    expect(section).toContain('200000 + 400000 + 1000000 + 600000 = 2200000 B/s');
    expect(section).toContain(
      '2200000 × 3600 / 3 = 2640000000 bytes, rounded up to 2518 MiB (2640314368 bytes) on a 4Gi volume',
    );
    expect(section).toContain('200000 × 3600 = 720000000 bytes, 687 MiB');
    expect(buffers(manifestsOf(outputs, 'monitoring'))['vector-aggregator'].loki).toBe(2_640_314_368);
    expect(buffers(manifestsOf(outputs, 'dev'))['vector-agent'].to_aggregators).toBe(687 * MIB);
  });

  it('keeps the defaults without a budget: 1 GiB per aggregator on a 2Gi volume, 512 MiB per agent', () => {
    const plain = synthesizeFleet(exampleFleet({ 'clusters.0.outageBudget': REMOVE }), FILE);
    const monitoring = manifestsOf(plain, 'monitoring');
    expect(buffers(monitoring)).toEqual({
      'vector-aggregator': { loki: 1_073_741_824 },
      'vector-agent': { to_aggregators: 536_870_912 },
    });
    expect(claimSize(monitoring)).toBe('2Gi');
    expect(buffers(manifestsOf(plain, 'dev'))['vector-agent']).toEqual({ to_aggregators: 536_870_912 });
  });

  it('sizes only the side the budget names', () => {
    const lokiOnly = synthesizeFleet(exampleFleet({ 'clusters.0.outageBudget': { lokiDownMinutes: 60 } }), FILE);
    expect(buffers(manifestsOf(lokiOnly, 'monitoring'))['vector-aggregator']).toEqual({ loki: 2518 * MIB });
    expect(buffers(manifestsOf(lokiOnly, 'dev'))['vector-agent']).toEqual({ to_aggregators: 536_870_912 });
  });

  it('takes the volume the inventory gives when the buffer fits', () => {
    const sized = synthesizeFleet(exampleFleet({ 'clusters.0.aggregator.storageSize': '3Gi' }), FILE);
    expect(claimSize(manifestsOf(sized, 'monitoring'))).toBe('3Gi');
  });
});

describe('autoscaling the aggregators from the inventory', () => {
  const changes = {
    'clusters.0.aggregator.autoscaling': { minReplicas: 2, maxReplicas: 5, cpuUtilization: 60, memoryUtilization: 90 },
  };
  const monitoring = manifestsOf(
    synthesizeFleet(parseFleetYaml(JSON.stringify(exampleFleet(changes)), FILE), FILE),
    'monitoring',
  );

  it('writes the HPA, and a StatefulSet without spec.replicas, all schema-valid', () => {
    const hpa = monitoring.find((m) => m.kind === 'HorizontalPodAutoscaler');
    expect(hpa?.spec).toMatchObject({
      scaleTargetRef: { kind: 'StatefulSet', name: 'vector-aggregator' },
      minReplicas: 2,
      maxReplicas: 5,
    });
    expect(JSON.stringify(hpa?.spec?.metrics)).toContain('"averageUtilization":90');
    expect(monitoring.find((m) => m.kind === 'StatefulSet')?.spec).not.toHaveProperty('replicas');
    expectValidManifests(monitoring);
  });

  it('sizes the buffers for the fewest replicas, which fill fastest', () => {
    // 2200000 B/s × 3600 s / 2 = 3960000000 bytes = 3776.6 MiB -> 3777 MiB; the volume 3.69 GiB -> 4 + 1 = 5Gi.
    expect(buffers(monitoring)['vector-aggregator']).toEqual({ loki: 3777 * MIB });
    expect(claimSize(monitoring)).toBe('5Gi');
  });

  it('refuses replicas beside autoscaling, at aggregator.replicas', () => {
    expect(yamlError({ 'clusters.0.aggregator.replicas': 3 })).toBe(
      report(
        `${MONITORING}: aggregator.replicas: 3: remove it, since aggregator.autoscaling sets the count (minReplicas to maxReplicas), and a fixed replicas would scale the StatefulSet back on every apply`,
      ),
    );
  });

  it("reports the construct's limits with the cluster, e.g. the PodDisruptionBudget's minimum", () => {
    const fleet = exampleFleet({
      'clusters.0.aggregator.autoscaling': { minReplicas: 1, maxReplicas: 5 },
    });
    expect(inventoryErrorMessage(() => synthesizeFleet(fleet, FILE))).toBe(
      report(
        `${MONITORING}: monitoring/aggregator: invalid autoscaling.minReplicas 1: use a whole number at least 2: the PodDisruptionBudget lets 1 replica go (maxUnavailable), and one must stay to receive`,
      ),
    );
  });

  it('refuses a missing maxReplicas and a fractional target', () => {
    expect(
      yamlError({
        'clusters.0.aggregator.replicas': REMOVE,
        'clusters.0.aggregator.autoscaling': { cpuUtilization: 70.5 },
      }),
    ).toBe(
      report(
        `${MONITORING}: aggregator.autoscaling.maxReplicas: is required`,
        `${MONITORING}: aggregator.autoscaling.cpuUtilization: 70.5: must be a whole number`,
      ),
    );
  });
});

describe('buffers that do not fit, and rates that cannot be', () => {
  it('requires a logRate on every cluster that ships to a monitoring cluster with a budget', () => {
    expect(yamlError({ 'clusters.3.logRate': REMOVE })).toBe(
      report(
        `${STAGING}: logRate: is required: the monitoring cluster "monitoring" has an outageBudget, which sizes the buffers from the log rate of every cluster that ships to it, e.g. { bytesPerSecondPerNode: 50000, bytesPerSecond: 500000 }`,
      ),
    );
    // The monitoring cluster's own agents ship there too; with agent: false its rate is not needed.
    expect(yamlError({ 'clusters.0.logRate': REMOVE })).toBe(
      report(
        `${MONITORING}: logRate: is required: the monitoring cluster "monitoring" has an outageBudget, which sizes the buffers from the log rate of every cluster that ships to it, e.g. { bytesPerSecondPerNode: 50000, bytesPerSecond: 500000 }`,
      ),
    );
    expect(() =>
      synthesizeFleet(exampleFleet({ 'clusters.0.logRate': REMOVE, 'clusters.0.agent': false }), FILE),
    ).not.toThrow();
  });

  it('refuses a busiest node faster than its whole cluster', () => {
    expect(yamlError({ 'clusters.1.logRate.bytesPerSecondPerNode': 500000 })).toBe(
      report(
        `${MANAGEMENT}: logRate.bytesPerSecondPerNode: 500000 is more than the whole cluster's logRate.bytesPerSecond (400000): one node is part of the cluster`,
      ),
    );
  });

  it("refuses an agent buffer larger than the node's disk budget, derived or default", () => {
    expect(yamlError({ 'clusters.2.nodeDiskBudgetBytes': 536870912 })).toBe(
      report(
        `${DEV}: nodeDiskBudgetBytes: 536870912: the agents' disk buffer for outageBudget.aggregatorDownMinutes 60 of "monitoring" at logRate.bytesPerSecondPerNode 200000 needs 720371712 bytes, more than the node can give: raise nodeDiskBudgetBytes to at least 720371712, or lower aggregatorDownMinutes`,
      ),
    );
    expect(yamlError({ 'clusters.0.outageBudget': REMOVE, 'clusters.2.nodeDiskBudgetBytes': 300000000 })).toBe(
      report(
        `${DEV}: nodeDiskBudgetBytes: 300000000: the agents' default disk buffer holds 536870912 bytes, more than the node can give: raise nodeDiskBudgetBytes to at least 536870912, or give the monitoring cluster an outageBudget.aggregatorDownMinutes (with logRate) that fits`,
      ),
    );
    // Exactly the buffer fits.
    expect(() => synthesizeFleet(exampleFleet({ 'clusters.2.nodeDiskBudgetBytes': 720371712 }), FILE)).not.toThrow();
  });

  it('refuses an aggregator volume smaller than its Loki buffer, derived or default', () => {
    expect(yamlError({ 'clusters.0.aggregator.storageSize': '2Gi' })).toBe(
      report(
        `${MONITORING}: aggregator.storageSize: "2Gi" (2147483648 bytes) cannot hold the Loki buffer of 2640314368 bytes per replica that outageBudget.lokiDownMinutes 60 takes at the 4 shipping clusters' logRate over 3 replicas: use at least "4Gi", or lower the budget`,
      ),
    );
    expect(yamlError({ 'clusters.0.outageBudget': REMOVE, 'clusters.0.aggregator.storageSize': '500Mi' })).toBe(
      report(
        `${MONITORING}: aggregator.storageSize: "500Mi" (524288000 bytes) cannot hold the default Loki buffer of 1073741824 bytes per replica: use at least "2Gi", or lower the budget`,
      ),
    );
  });

  it('refuses malformed capacity fields, each at its field', () => {
    expect(
      yamlError({
        'clusters.0.outageBudget': { lokiDownMinutes: 0, aggregatorDownMinute: 5 },
        'clusters.0.aggregator.storageSize': 'lots',
        'clusters.1.logRate.bytesPerSecond': -5,
        'clusters.2.nodeDiskBudgetBytes': 1.5,
      }),
    ).toBe(
      report(
        `${MONITORING}: aggregator.storageSize: "lots": must be a quantity of bytes such as "20Gi" or "500M"`,
        `${MONITORING}: outageBudget.lokiDownMinutes: 0: must be at least 1 minute`,
        `${MONITORING}: outageBudget.aggregatorDownMinute: unknown key (did you mean "aggregatorDownMinutes"?)`,
        `${MANAGEMENT}: logRate.bytesPerSecond: -5: must be more than 0 bytes per second`,
        `${DEV}: nodeDiskBudgetBytes: 1.5: must be a whole number of bytes`,
      ),
    );
  });
});
