import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Validation against CRD schemas stored in test/fixtures (the External Secrets Operator's, whose model package for the
 * v1 API needs Node 22), compiled with ajv into validators stricter than the API server: an unknown field is an error
 * here, where the API server would silently prune it. What the API server checks and this does not: the CEL rules
 * (`x-kubernetes-validations`), and ObjectMeta beyond name, namespace, labels and annotations.
 */

type Schema = { [key: string]: unknown };

interface StoredSchemas {
  readonly source: string;
  readonly release: string;
  readonly commit: string;
  readonly schemas: Readonly<Record<string, Schema>>;
}

const CRD_SCHEMAS = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'external-secrets', 'crd-schemas.json'), 'utf8'),
) as StoredSchemas;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The structural schema with unknown fields refused: every object that lists its properties, unless it preserves
 * unknown fields, gets `additionalProperties: false`. The root's `metadata` (only `type: object` in a CRD) is the part of
 * ObjectMeta this library writes.
 */
export function strictSchema(schema: Schema, root = true): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, inner]) => [name, isSchema(inner) ? strictSchema(inner, false) : inner]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isSchema(value)) {
      out[key] = strictSchema(value, false);
    } else out[key] = value;
  }
  if (isSchema(out.properties) && out.additionalProperties === undefined) {
    if (out['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  if (root && isSchema(out.properties)) {
    const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
    out.properties = {
      ...out.properties,
      metadata: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          labels: stringMap,
          annotations: stringMap,
        },
      },
    };
    out.required = ['apiVersion', 'kind', 'metadata', 'spec'];
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: true, formats: { 'date-time': true } });
// Kubernetes' schema extensions: kept in the schema, not checked here (the CEL rules need a CEL interpreter).
for (const keyword of [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-int-or-string',
]) {
  ajv.addKeyword(keyword);
}

const validators = new Map<string, ValidateFunction>();

/** The CRD schemas this helper has, by `<apiVersion> <kind>`. */
export const CRD_SCHEMA_KINDS: readonly string[] = Object.keys(CRD_SCHEMAS.schemas);

/** The release the stored schemas are from, e.g. `v2.9.0`. */
export const CRD_SCHEMA_RELEASE: string = CRD_SCHEMAS.release;

/**
 * Problems of `object` against its CRD schema, as `<path>: <message>`; undefined when no stored CRD has its apiVersion
 * and kind.
 */
export function crdSchemaProblems(apiVersion: string, kind: string, object: unknown): string[] | undefined {
  const key = `${apiVersion} ${kind}`;
  const schema: unknown = CRD_SCHEMAS.schemas[key];
  if (!isSchema(schema)) return undefined;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(strictSchema(schema));
    validators.set(key, validate);
  }
  if (validate(object)) return [];
  return [...new Set((validate.errors ?? []).map(describeError))];
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${path}: unknown field ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
    return `${path}: ${error.message ?? 'not allowed'} (${allowed.join(', ')})`;
  }
  return `${path}: ${error.message ?? error.keyword}`;
}
