/**
 * Inventories for the loader tests: the example fleet.yaml, as text or as a plain object that a test changes in one
 * place, so that each test's inventory is wrong in exactly the way it means.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { type Fleet, FleetInventoryError, parseFleetYaml } from '../../lib/fleet';

export const EXAMPLE_FILE = join(__dirname, '..', '..', 'fleet.yaml');
export const EXAMPLE_TEXT = readFileSync(EXAMPLE_FILE, 'utf8');

/** The example's position of each cluster, for the `cluster "<name>" (clusters[<i>])` labels. */
export const MONITORING = 'cluster "monitoring" (clusters[0])';
export const MANAGEMENT = 'cluster "management" (clusters[1])';
export const DEV = 'cluster "dev" (clusters[2])';
export const STAGING = 'cluster "staging" (clusters[3])';

/** As a value in {@link Changes}: remove the key. */
export const REMOVE = Symbol('remove');

/**
 * Changes to the example, each a dotted path (`clusters.0.aggregator.hostname`; numbers index lists) and the value to
 * put there, or {@link REMOVE}. The empty path replaces the whole inventory.
 */
export type Changes = Readonly<Record<string, unknown>>;

/** The example fleet as a fresh plain object, with `changes` applied in order. */
export function exampleData(changes: Changes = {}): unknown {
  let fleet = parse(EXAMPLE_TEXT) as unknown;
  for (const [path, value] of Object.entries(changes)) {
    if (path === '') {
      fleet = value;
      continue;
    }
    const keys = path.split('.');
    const last = keys.pop() as string;
    let parent = fleet as Record<string, unknown>;
    for (const key of keys) {
      if (typeof parent[key] !== 'object' || parent[key] === null) throw new Error(`fixture: no object at ${path}`);
      parent = parent[key] as Record<string, unknown>;
    }
    if (value === REMOVE) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else parent[last] = value;
  }
  return fleet;
}

/** A copy of the example's cluster at `index` (0 monitoring, 1 management, 2 dev, 3 staging) with other `fields`. */
export function exampleCluster(index: number, fields: Readonly<Record<string, unknown>> = {}): unknown {
  const { clusters } = exampleData() as { clusters: Record<string, unknown>[] };
  return { ...clusters[index], ...fields };
}

/** The example fleet as YAML text, with `changes` applied. */
export const exampleYaml = (changes: Changes = {}): string => stringify(exampleData(changes));

/** The example fleet with `changes`, typed as a Fleet for synthesizeFleet (which checks it again). */
export const exampleFleet = (changes: Changes = {}): Fleet => exampleData(changes) as Fleet;

/** A small fleet written in TypeScript, through the compiler: one monitoring and one source cluster. */
export const TYPED_FLEET: Fleet = {
  clusters: [
    {
      name: 'monitoring',
      role: 'monitoring',
      environment: 'production',
      region: 'fsn1',
      apiServer: { cidrs: ['10.10.0.2/32'], port: 6443 },
      nodeCidrs: ['10.10.0.0/24'],
      aggregator: { hostname: 'vector.monitoring.example.com', addresses: ['10.10.1.10/32'] },
      loki: {
        endpoint: 'http://loki-gateway.monitoring.svc:80',
        pods: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'loki' }, targetPort: 8080 },
      },
      remoteWrite: {
        endpoint: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write',
        pods: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    },
    {
      name: 'dev',
      role: 'source',
      environment: 'development',
      region: 'fsn1',
      apiServer: { cidrs: ['10.30.0.2/32'], port: 6443 },
      nodeCidrs: ['10.30.0.0/24'],
      egressCidrs: ['10.30.0.0/24', '2001:db8::/32'],
      logHeartbeat: true,
    },
  ],
};

/** The message of the FleetInventoryError `run` throws; fails the test when it throws nothing, or another error. */
export function inventoryErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FleetInventoryError);
    return (error as Error).message;
  }
  throw new Error('expected a FleetInventoryError, but nothing was thrown');
}

/** The whole message an inventory error of `file` must have: the count, then one line per problem. */
export const inventoryReport = (file: string, ...problems: string[]): string =>
  [
    `${file}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}; nothing was written:`,
    ...problems.map((p) => `  - ${p}`),
  ].join('\n');

/** The inventory error of the example with `changes`, loaded from YAML (named `file`) as `npm run synth` reads it. */
export const exampleYamlError = (file: string, changes: Changes): string =>
  inventoryErrorMessage(() => parseFleetYaml(exampleYaml(changes), file));
