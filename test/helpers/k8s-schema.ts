import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { App, Chart } from 'cdk8s';
import { crdSchemaProblems } from './crd-schema';

/**
 * Schema validation of synthesized manifests against the Kubernetes 1.28 models (`kubernetes-models`) and the
 * cert-manager / prometheus-operator / Flux CRD models (`@kubernetes-models/*`).
 *
 * External Secrets kinds are validated against the upstream CRD schemas instead (./crd-schema.ts), unknown fields
 * included.
 *
 * Unknown fields are NOT detected by the model packages. The packages ship no JSON schemas, only ajv "standalone" validators compiled
 * ahead of time (`_schemas/*.js`) without `additionalProperties: false`, so strictness would mean regenerating every
 * validator from the upstream OpenAPI/CRD documents, which is not a cheap change to make in a test helper.
 */

export interface SchemaProblem {
  /** `<apiVersion> <kind> <namespace>/<name>`, or `<apiVersion> <kind> <name>` for cluster-scoped objects. */
  object: string;
  message: string;
}

interface ModelInstance {
  validate(): void;
}

interface ModelClass {
  new (data: unknown): ModelInstance;
  apiVersion: string;
  kind: string;
}

// Two packages claiming one apiVersion makes getVersionIndex throw, so this order never decides which model wins.
const MODEL_PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/cert-manager',
  '@kubernetes-models/prometheus-operator',
  '@kubernetes-models/flux-cd',
];

const VERSION_DIR = /^v\d+((alpha|beta)\d+)?$/;
const KIND_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

interface VersionModules {
  /** Module specifier prefix, e.g. `kubernetes-models/apps/v1`. */
  specifier: string;
  /** File stems in that folder: every kind of the version, plus its sub-types (DeploymentSpec, ...). */
  files: ReadonlySet<string>;
}

let versionIndex: Map<string, VersionModules> | undefined;
const classCache = new Map<string, ModelClass | undefined>();

/**
 * Maps apiVersion to the folder holding its models, by listing the packages' folders: `<group>/<version>/` for named
 * groups and `v1/` for the core group. Only folder listings happen here; a model module (and its compiled schema) is
 * required on first use, because loading all ~1700 compiled schemas up front costs about half a second per test file.
 */
function getVersionIndex(): Map<string, VersionModules> {
  if (versionIndex) return versionIndex;
  const index = new Map<string, VersionModules>();
  const add = (pkg: string, root: string, relDir: string): void => {
    const apiVersion = relDir;
    const existing = index.get(apiVersion);
    if (existing) {
      throw new Error(`k8s-schema: apiVersion ${apiVersion} is provided by both ${existing.specifier} and ${pkg}`);
    }
    const files = new Set<string>();
    for (const file of readdirSync(join(root, relDir))) {
      if (file.endsWith('.js') && file !== 'index.js') files.add(file.slice(0, -'.js'.length));
    }
    index.set(apiVersion, { specifier: `${pkg}/${relDir}`, files });
  };
  for (const pkg of MODEL_PACKAGES) {
    const root = dirname(require.resolve(`${pkg}/package.json`));
    for (const top of readdirSync(root)) {
      if (top.startsWith('_') || !isDirectory(join(root, top))) continue;
      if (VERSION_DIR.test(top)) {
        add(pkg, root, top);
        continue;
      }
      for (const version of readdirSync(join(root, top))) {
        if (VERSION_DIR.test(version) && isDirectory(join(root, top, version))) add(pkg, root, `${top}/${version}`);
      }
    }
  }
  versionIndex = index;
  return index;
}

function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    typeof Reflect.get(value, 'apiVersion') === 'string' &&
    typeof Reflect.get(value, 'kind') === 'string' &&
    typeof Reflect.get(value.prototype, 'validate') === 'function'
  );
}

function findModelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion} ${kind}`;
  if (classCache.has(key)) return classCache.get(key);
  let found: ModelClass | undefined;
  const version = getVersionIndex().get(apiVersion);
  // The KIND_NAME check keeps a hostile or garbled `kind` from being turned into an arbitrary module path.
  if (version && KIND_NAME.test(kind) && version.files.has(kind)) {
    // Loaded by name on first use: a static import of every model would cost ~0.5 s per test file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod: unknown = require(`${version.specifier}/${kind}`);
    const candidate: unknown = typeof mod === 'object' && mod !== null ? Reflect.get(mod, kind) : undefined;
    // Sub-type modules (e.g. apps/v1 DeploymentSpec) export classes without apiVersion/kind: those are not kinds.
    if (isModelClass(candidate) && candidate.apiVersion === apiVersion && candidate.kind === kind) found = candidate;
  }
  classCache.set(key, found);
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeObject(obj: unknown): string {
  if (!isRecord(obj)) return `<not an object: ${JSON.stringify(obj)}>`;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '<no apiVersion>';
  const kind = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '<no name>';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : '';
  return `${apiVersion} ${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** Turns one ajv error object (already given an English message by ajv-i18n) into `<path>: <message>`. */
function formatAjvError(error: unknown): string {
  if (!isRecord(error)) return String(error);
  const path = typeof error.instancePath === 'string' && error.instancePath !== '' ? error.instancePath : '/';
  const keyword = typeof error.keyword === 'string' ? error.keyword : '';
  const params = isRecord(error.params) ? error.params : {};
  let message = typeof error.message === 'string' ? error.message : `fails "${keyword}" ${JSON.stringify(params)}`;
  // ajv's enum message does not say which values are allowed, which is the first thing a reader needs.
  if (keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  }
  return `${path}: ${message}`;
}

function validationMessages(err: unknown): string[] {
  const errors = isRecord(err) || err instanceof Error ? Reflect.get(err, 'errors') : undefined;
  if (Array.isArray(errors) && errors.length > 0) {
    // oneOf/anyOf branches can report the same failure more than once.
    return [...new Set(errors.map(formatAjvError))];
  }
  return [err instanceof Error ? err.message : String(err)];
}

export function validateManifests(objects: readonly unknown[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const obj of objects) {
    const object = describeObject(obj);
    const report = (message: string): void => {
      problems.push({ object, message });
    };
    if (!isRecord(obj)) {
      report('manifest is not a JSON object');
      continue;
    }
    const metadata = obj.metadata;
    if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
      report('metadata.name is missing or empty');
    }
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      report('apiVersion and kind must both be strings: no schema to validate it against');
      continue;
    }
    const crdProblems = crdSchemaProblems(apiVersion, kind, obj);
    if (crdProblems) {
      for (const message of crdProblems) report(message);
      continue;
    }
    const Model = findModelClass(apiVersion, kind);
    if (!Model) {
      report(`unknown kind ${apiVersion} ${kind}: no schema to validate it against`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (err) {
      for (const message of validationMessages(err)) report(message);
    }
  }
  return problems;
}

export function formatProblems(problems: readonly SchemaProblem[]): string {
  const lines = problems.map((p) => `${p.object}: ${p.message}`);
  return `${problems.length} schema problem(s):\n${lines.join('\n')}`;
}

export function expectValidManifests(objects: readonly unknown[]): void {
  const problems = validateManifests(objects);
  if (problems.length > 0) throw new Error(formatProblems(problems));
}

export function expectValidChart(chart: Chart): void {
  expectValidManifests(chart.toJson());
}

export function expectValidApp(app: App): void {
  // One combined report, so a failing app shows every problem across its charts at once.
  expectValidManifests(app.charts.flatMap((chart) => chart.toJson()));
}
