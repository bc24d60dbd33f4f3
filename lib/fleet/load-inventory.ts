import { isMap, isSeq, parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../vector/suggest';
import type { Fleet } from './inventory';
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
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
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
  return checkFleet(doc.toJS() as unknown, file);
}

/** A YAML error as a problem at its line and column, in words for the person editing the file. */
function yamlProblem(error: YAMLError, text: string): InventoryProblem {
  const start = error.linePos?.[0];
  const where = start ? `line ${start.line}, column ${start.col}` : 'fleet';
  if (error.code === 'DUPLICATE_KEY') {
    const key =
      start && /^\s*("[^"]*"|'[^']*'|[^:#]*?)\s*:/.exec(text.split('\n')[start.line - 1].slice(start.col - 1));
    return { where, field: key?.[1] ?? '', message: 'this key appears twice in the same mapping: keep one' };
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
  const problems = [...naming, ...featureProblems(parsed.data)];
  if (problems.length > 0) throw new FleetInventoryError(file, problems);
  return parsed.data;
}

/** The monitoring cluster the source clusters ship to: the only one, or the one `monitoringCluster` names. */
export function shippingTarget(inventory: Fleet) {
  const monitoring = inventory.clusters.filter((c) => c.role === 'monitoring');
  return monitoring.length === 1 ? monitoring[0] : monitoring.find((c) => c.name === inventory.monitoringCluster);
}

/** Unique names and one monitoring cluster to ship to, from whatever names and roles are strings. */
function namingProblems(data: unknown): InventoryProblem[] {
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const fleet = record(data);
  const clusters = (Array.isArray(fleet.clusters) ? fleet.clusters : []).map((c) => {
    const { name, role } = record(c);
    return { name: typeof name === 'string' ? name : undefined, role };
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
        message: `"${cluster.name}" is the name of clusters[${first}] already; cluster names are unique (they name dist/<cluster>/ and the cluster label)`,
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
  } else if (chosen !== undefined && !monitoring.includes(chosen)) {
    const known = clusters.some((c) => c.name === chosen);
    problems.push({
      where: 'fleet',
      field: 'monitoringCluster',
      message: `"${chosen}" is ${known ? 'not a cluster with role monitoring' : 'not a cluster of the inventory'}: name one of ${monitoring.join(', ')}`,
    });
  } else if (monitoring.length > 1 && chosen === undefined) {
    problems.push({
      where: 'fleet',
      field: 'monitoringCluster',
      message: `several clusters have role monitoring (${monitoring.join(', ')}): set monitoringCluster to the one the source clusters ship to`,
    });
  }
  return problems;
}

/** What a source cluster's features need from the monitoring cluster it ships to. */
function featureProblems(inventory: Fleet): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  const target = shippingTarget(inventory);
  if (target?.role !== 'monitoring') return problems;
  inventory.clusters.forEach((cluster, i) => {
    if (cluster.role !== 'source') return;
    const where = clusterLabel(cluster.name, i);
    if (cluster.remoteWrite && !target.remoteWrite.external) {
      problems.push({
        where,
        field: 'remoteWrite',
        message: `the monitoring cluster "${target.name}" has no remoteWrite.external endpoint for source clusters: add it there, or set remoteWrite: false`,
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

/** How problems name a cluster: `cluster "dev" (clusters[2])`, or by index alone while it has no name. */
export const clusterLabel = (name: unknown, index: number) =>
  typeof name === 'string' && name !== '' ? `cluster "${name}" (clusters[${index}])` : `clusters[${index}]`;

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
      return issue.input === undefined
        ? 'is required'
        : `must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}, not ${kindOf(issue.input)}`;
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
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
  const value = valueAt(data, path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      where,
      field: field ? `${field}.${key}` : key,
      message: `unknown key${didYouMean(key, keysAt(path, data))}`,
    }));
  }
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    const options = issue.code === 'invalid_union' && 'options' in issue ? (issue.options as unknown[]) : [];
    return [{ where, field, message: options.length > 0 ? `is required: ${options.join(' or ')}` : 'is required' }];
  }
  const shown = typeof value === 'object' ? '' : `${JSON.stringify(value)}: `;
  return [{ where, field, message: `${issue.code === 'custom' ? '' : shown}${issue.message}` }];
}
