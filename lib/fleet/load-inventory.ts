import { type Alias, type Document, isMap, isSeq, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { describeValue, MAX_SHOWN_LENGTH } from '../k8s/prop-errors';
import { DEFAULT_VECTOR_NAMESPACE } from '../k8s/vector-workload';
import { didYouMean } from '../vector/suggest';
import type { Fleet, MonitoringCluster, SourceCluster } from './inventory';
import { sizingProblems } from './fleet-sizing';
import { migrationProblems } from './migration';
import { fleetSchema, keysAt } from './inventory-schema';

/** One thing wrong with an inventory: where (cluster and field) and what to change. */
export interface InventoryProblem {
  /** `cluster "dev" (clusters[2])`, `clusters`, `fleet` for top-level fields, or `line 3, column 5` for YAML syntax. */
  readonly where: string;
  /** The field, e.g. `aggregator.hostname` or `egressCidrs[0]`; empty for the entry as a whole. */
  readonly field: string;
  readonly message: string;
}

/** An inventory that cannot be synthesized; its message lists every problem, each with the file, cluster and field. */
export class FleetInventoryError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly InventoryProblem[],
  ) {
    const lines = problems.map((p) => `  - ${p.where}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
    super(
      `${file}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}; nothing was written:\n${lines.join('\n')}`,
    );
    this.name = 'FleetInventoryError';
  }
}

/**
 * Reads `fleet.yaml` text into a checked inventory, or throws a {@link FleetInventoryError} naming `file`, the cluster
 * and the field of every problem. YAML syntax errors, duplicate keys and a second document are problems too.
 */
export function parseFleetYaml(text: string, file: string): Fleet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter });
  if (doc.errors.length > 0)
    throw new FleetInventoryError(
      file,
      doc.errors.map((e) => yamlProblem(e, text)),
    );
  if (!isMap(doc.contents)) {
    const holds = doc.contents === null ? 'is empty' : isSeq(doc.contents) ? 'holds a list' : 'holds a single value';
    throw new FleetInventoryError(file, [
      {
        where: 'fleet',
        field: '',
        message: `the file ${holds}: write a mapping with the clusters under a top-level \`clusters:\` key (see fleet.yaml)`,
      },
    ]);
  }
  return checkFleet(resolveAliases(doc, lineCounter, file), file);
}

/**
 * How often one anchored value may appear, its anchor and aliases together, counted as the yaml library counts: a value
 * that holds aliases counts as the values they stand for. yaml's default of 100 refuses a fleet that shares one value
 * among a hundred clusters; an alias bomb (anchors of anchors, multiplying at each level) passes any limit that a real
 * fleet needs within a few levels, long before it could exhaust anything.
 */
export const MAX_ALIAS_COUNT = 1000;

/** The document as plain data, with an alias that cannot be resolved reported at its own line and column. */
function resolveAliases(doc: Document, lineCounter: LineCounter, file: string): unknown {
  // yaml's error names no node; the innermost alias whose resolution throws is the one to point at.
  let failed: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      const resolve = node.toJSON.bind(node);
      node.toJSON = (...args: Parameters<Alias['toJSON']>) => {
        try {
          return resolve(...args) as unknown;
        } catch (error) {
          failed ??= node;
          throw error;
        }
      };
    },
  });
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    if (!(error instanceof ReferenceError) || !failed) throw error;
    const start = failed.range ? lineCounter.linePos(failed.range[0]) : undefined;
    const alias = `*${failed.source}`;
    const message = /Excessive alias count/.test(error.message)
      ? `at the alias ${alias}, the value of &${failed.source} appears more than ${MAX_ALIAS_COUNT} times (counting ` +
        `the values of the aliases inside it), the shape of an alias bomb: write the values out, or share fewer`
      : `the alias ${alias} has no anchor &${failed.source} before it: an anchor must come first in the file`;
    throw new FleetInventoryError(file, [
      {
        where: start ? `line ${start.line}, column ${start.col}` : 'fleet',
        field: '',
        message: `not valid YAML: ${message}`,
      },
    ]);
  }
}

/** A YAML error as a problem at its line and column, in words for the person editing the file. */
function yamlProblem(error: YAMLError, text: string): InventoryProblem {
  const start = error.linePos?.[0];
  const where = start ? `line ${start.line}, column ${start.col}` : 'fleet';
  if (error.code === 'DUPLICATE_KEY') {
    const key =
      start && /^\s*("[^"]*"|'[^']*'|[^:#]*?)\s*:/.exec(text.split('\n')[start.line - 1].slice(start.col - 1));
    return { where, field: shortKey(key?.[1] ?? ''), message: 'this key appears twice in the same mapping: keep one' };
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return { where, field: '', message: 'a second YAML document starts here ("---"): the inventory is one document' };
  }
  // The yaml library appends the position and a code excerpt to its message; the position is in `where` already.
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { where, field: '', message: `not valid YAML: ${message}` };
}

/**
 * Checks an inventory, from YAML or TypeScript alike, and returns it: the shape (types, required fields, unknown keys,
 * CIDRs, URLs, ports) and the rules across clusters (unique names, exactly one monitoring cluster to ship to, what a
 * feature needs from the monitoring cluster).
 */
export function checkFleet(data: unknown, file: string): Fleet {
  const parsed = fleetSchema.safeParse(data, { error: plainMessage });
  // Names and roles are checked on the raw data too, so that a duplicate name shows up beside a malformed CIDR.
  const naming = namingProblems(data);
  if (!parsed.success) {
    const shape = parsed.error.issues.flatMap((i) => describeIssue(i, data));
    const said = new Set(shape.map((p) => `${p.where}|${p.field}`));
    throw new FleetInventoryError(file, [...shape, ...naming.filter((p) => !said.has(`${p.where}|${p.field}`))]);
  }
  const problems = [
    ...naming,
    ...featureProblems(parsed.data),
    ...deliveryProblems(parsed.data),
    // Capacity: buffers from the outage budget, and whether they fit (fleet-sizing.ts).
    ...(naming.length === 0 ? sizingProblems(parsed.data, { label: clusterLabel, shippingTarget }) : []),
  ];
  if (problems.length > 0) throw new FleetInventoryError(file, problems);
  return parsed.data;
}

/**
 * The monitoring cluster a source cluster ships to: the one it names, else the one the fleet names, else the only one.
 */
export function shippingTarget(inventory: Fleet, source: SourceCluster): MonitoringCluster | undefined {
  const monitoring = inventory.clusters.filter((c): c is MonitoringCluster => c.role === 'monitoring');
  const chosen = source.monitoringCluster ?? inventory.monitoringCluster;
  if (chosen === undefined) return monitoring.length === 1 ? monitoring[0] : undefined;
  return monitoring.find((c) => c.name === chosen);
}

/** Unique names and one monitoring cluster to ship to, from whatever names and roles are strings. */
function namingProblems(data: unknown): InventoryProblem[] {
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const fleet = record(data);
  const clusters = (Array.isArray(fleet.clusters) ? fleet.clusters : []).map((c) => {
    const { name, role, monitoringCluster, standby } = record(c);
    return {
      name: typeof name === 'string' ? name : undefined,
      role,
      monitoringCluster: typeof monitoringCluster === 'string' ? monitoringCluster : undefined,
      standby,
    };
  });
  const chosen = typeof fleet.monitoringCluster === 'string' ? fleet.monitoringCluster : undefined;
  const problems: InventoryProblem[] = [];
  const seen = new Map<string, number>();
  clusters.forEach((cluster, i) => {
    if (cluster.name === undefined) return;
    const first = seen.get(cluster.name);
    if (first === undefined) seen.set(cluster.name, i);
    else
      problems.push({
        where: clusterLabel(cluster.name, i),
        field: 'name',
        message: `${describeValue(cluster.name)} is the name of clusters[${first}] already; cluster names are unique (they name dist/<cluster>/ and the cluster label)`,
      });
  });

  const monitoring = clusters.filter((c) => c.role === 'monitoring').map((c) => c.name);
  if (!Array.isArray(fleet.clusters)) return problems; // the shape check says what `clusters` must be
  if (monitoring.length === 0) {
    problems.push({
      where: 'clusters',
      field: '',
      message: 'no cluster has role monitoring: add the cluster that runs the aggregators, Loki and Prometheus',
    });
    return problems;
  }
  const notMonitoring = (name: string) =>
    `${describeValue(name)} is ${clusters.some((c) => c.name === name) ? 'not a cluster with role monitoring' : 'not a cluster of the inventory'}: name one of ${monitoring.join(', ')}`;
  if (chosen !== undefined && !monitoring.includes(chosen)) {
    problems.push({ where: 'fleet', field: 'monitoringCluster', message: notMonitoring(chosen) });
  }
  // Which monitoring cluster each source ships to, and who receives nothing.
  const receives = new Set<string>();
  clusters.forEach((cluster, i) => {
    if (cluster.role !== 'source') return;
    const own = cluster.monitoringCluster;
    if (own !== undefined && !monitoring.includes(own)) {
      problems.push({ where: clusterLabel(cluster.name, i), field: 'monitoringCluster', message: notMonitoring(own) });
      return;
    }
    const target = own ?? chosen ?? (monitoring.length === 1 ? monitoring[0] : undefined);
    if (target !== undefined) receives.add(target);
    else if (own === undefined && chosen === undefined) {
      problems.push({
        where: clusterLabel(cluster.name, i),
        field: 'monitoringCluster',
        message: `several clusters have role monitoring (${monitoring.join(', ')}): name the one this cluster ships to, or set the fleet's monitoringCluster`,
      });
    }
  });
  clusters.forEach((cluster, i) => {
    if (cluster.role !== 'monitoring' || cluster.name === undefined || problems.length > 0) return;
    const ships = receives.has(cluster.name);
    if (!ships && cluster.standby !== true) {
      problems.push({
        where: clusterLabel(cluster.name, i),
        field: 'standby',
        message:
          "no source cluster ships to this monitoring cluster, so its heartbeat alert would watch nothing: name it in a source cluster's monitoringCluster, or set standby: true",
      });
    } else if (ships && cluster.standby === true) {
      problems.push({
        where: clusterLabel(cluster.name, i),
        field: 'standby',
        message:
          'standby: true, but source clusters ship to this monitoring cluster: remove standby, or point them elsewhere',
      });
    }
  });
  return problems;
}

/** What a source cluster's features need from the monitoring cluster it ships to. */
function featureProblems(inventory: Fleet): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  inventory.clusters.forEach((cluster, i) => {
    if (cluster.role === 'monitoring') {
      problems.push(...monitoringAgentProblems(cluster, clusterLabel(cluster.name, i)));
      return;
    }
    const target = shippingTarget(inventory, cluster);
    if (!target) return;
    const where = clusterLabel(cluster.name, i);
    problems.push(...migrationProblems(cluster, target).map((p) => ({ where, ...p })));
    if (cluster.remoteWrite && !target.remoteWrite.external) {
      problems.push({
        where,
        field: 'remoteWrite',
        message: `the monitoring cluster "${target.name}" has no remoteWrite.external endpoint for source clusters: add it there, or set remoteWrite: false`,
      });
    }
    // Certificate distribution: a source cluster can pull only what its monitoring cluster pushes.
    if (cluster.certificateDistribution?.method === 'externalSecrets' && !target.certificateDistribution) {
      problems.push({
        where,
        field: 'certificateDistribution.method',
        message: `"externalSecrets", but the monitoring cluster "${target.name}" pushes nothing to pull: give it a certificateDistribution, or copy by hand (method: manual)`,
      });
    }
    if (cluster.airflow && !target.loki.external) {
      problems.push({
        where,
        field: 'airflow',
        message: `Airflow task pods push to Loki directly, and the monitoring cluster "${target.name}" has no loki.external endpoint: add it there, or set airflow: false`,
      });
    }
  });
  return problems;
}

/** The monitoring cluster's own agents need a namespace apart from the aggregators', and a CA a ClusterIssuer reads. */
function monitoringAgentProblems(cluster: MonitoringCluster, where: string): InventoryProblem[] {
  if (cluster.agent === false) {
    return cluster.certManagerNamespace === undefined
      ? []
      : [
          {
            where,
            field: 'certManagerNamespace',
            message:
              "is used only with the monitoring cluster's agent on (the CA moves there, under a ClusterIssuer); with agent: false the CA stays in the aggregators' namespace: remove certManagerNamespace",
          },
        ];
  }
  const namespace = cluster.agent?.namespace ?? DEFAULT_MONITORING_AGENT_NAMESPACE;
  if (namespace !== DEFAULT_VECTOR_NAMESPACE) return [];
  return [
    {
      where,
      field: 'agent.namespace',
      message: `${describeValue(namespace)} is the aggregators' namespace, which is Pod Security restricted, and the agent needs host paths (privileged): use a namespace of its own, e.g. "${DEFAULT_MONITORING_AGENT_NAMESPACE}"`,
    },
  ];
}

/** The clusters the delivery names must be in the inventory. */
function deliveryProblems(inventory: Fleet): InventoryProblem[] {
  const management = inventory.delivery?.managementCluster;
  if (management === undefined || inventory.clusters.some((c) => c.name === management)) return [];
  const names = inventory.clusters.map((c) => c.name).join(', ');
  return [
    {
      where: 'fleet',
      field: 'delivery.managementCluster',
      message: `${describeValue(management)} is not a cluster of the inventory: name one of ${names}, or leave it out when Flux runs outside the fleet`,
    },
  ];
}

/** Where the monitoring cluster's agents run unless its inventory says otherwise. */
export const DEFAULT_MONITORING_AGENT_NAMESPACE = 'vector-agent';

/**
 * How problems name a cluster: `cluster "dev" (clusters[2])`, or by index alone while it has no name, or one longer
 * than any DNS label, too long to repeat on every line (its `name` problem shows it, cut if need be).
 */
export const clusterLabel = (name: unknown, index: number) =>
  typeof name === 'string' && name !== '' && name.length <= 63
    ? `cluster "${name}" (clusters[${index}])`
    : `clusters[${index}]`;

/** A key as a field path shows it: cut like a value when it is longer than a message can carry. */
const shortKey = (key: string) =>
  key.length <= MAX_SHOWN_LENGTH ? key : `${key.slice(0, 60)}… (${key.length} characters)`;

/** For a key that the other role has at this place: say so, since it is the role that is wrong, not the key. */
function otherRoleHint(path: readonly PropertyKey[], key: string, data: unknown): string {
  if (path[0] !== 'clusters' || typeof path[1] !== 'number') return '';
  const cluster = valueAt(data, path.slice(0, 2));
  const role = valueAt(cluster, ['role']);
  const other = role === 'source' ? 'monitoring' : role === 'monitoring' ? 'source' : undefined;
  if (other === undefined) return '';
  const swapped = { clusters: Object.assign([], { [path[1]]: { ...(cluster as object), role: other } }) };
  return keysAt(path, swapped).includes(key) ? ` for role ${role}: it is a field of role ${other} clusters` : '';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Words for what YAML calls things, so that a message says "a list" where zod says "array". */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
const EXPECTED: Readonly<Record<string, string>> = { array: 'a list', object: 'a mapping', boolean: 'true or false' };

/** zod's messages for the checks that the schema gives no message of its own. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      // zod refuses NaN and Infinity as numbers: "must be a number, not a number" would not say why.
      if (issue.expected === 'number' && typeof issue.input === 'number') {
        return `must be a finite number, not ${Number.isNaN(issue.input) ? 'NaN' : 'infinite'}`;
      }
      return `must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      return issue.origin === 'array' ? `give at least ${issue.minimum}` : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `give at most ${issue.maximum}` : `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): InventoryProblem[] {
  const path = issue.path;
  // `false` or a mapping of options: for a mapping, the mapping's own problems say what to change.
  if (issue.code === 'invalid_union' && typeof valueAt(data, path) === 'object') {
    const branch = issue.errors.find(
      (issues) => issues.length > 0 && issues.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys'),
    );
    if (branch) return branch.flatMap((i) => describeIssue({ ...i, path: [...path, ...i.path] }, data));
  }
  const inCluster = path[0] === 'clusters' && typeof path[1] === 'number';
  const where = inCluster ? clusterLabel(valueAt(data, [...path.slice(0, 2), 'name']), path[1] as number) : 'fleet';
  const fieldPath = inCluster ? path.slice(2) : path;
  const field = fieldPath.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${shortKey(String(key))}` : shortKey(String(key)),
    '',
  );
  const value = valueAt(data, path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      where,
      field: field ? `${field}.${shortKey(key)}` : shortKey(key),
      message: `unknown key${didYouMean(key, keysAt(path, data))}${otherRoleHint(path, key, data)}`,
    }));
  }
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    const options = issue.code === 'invalid_union' && 'options' in issue ? (issue.options as unknown[]) : [];
    return [{ where, field, message: options.length > 0 ? `is required: ${options.join(' or ')}` : 'is required' }];
  }
  const shown = typeof value === 'object' ? '' : `${describeValue(value)}: `;
  return [{ where, field, message: `${issue.code === 'custom' ? '' : shown}${issue.message}` }];
}
