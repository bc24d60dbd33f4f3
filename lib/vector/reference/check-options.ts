/**
 * Checks a component's options against Vector's component reference, at every depth: unknown
 * options (with a did-you-mean), value types, required options, enum values. Each message names
 * the option path (`encoding.codec`, `labels.app`, `routing.endpoints[0]`).
 */
import type { ComponentClass, ComponentOptions } from '../components/kind';
import { didYouMean } from '../suggest';
import {
  type ReferenceComponent,
  type ReferenceCondition,
  type ReferenceNode,
  type ReferenceValueType,
  vectorReference,
} from './reference';

export const REFERENCE_SECTION: Readonly<Record<ComponentClass, 'sources' | 'transforms' | 'sinks'>> = {
  source: 'sources',
  transform: 'transforms',
  sink: 'sinks',
};

/** Which top-level options the caller checks itself (the typed kinds do some). */
export interface RootChecks {
  /** Whether to check this given top-level option at all (name, value, everything below). @default all */
  readonly option?: (name: string) => boolean;
  /** Whether to report this top-level option when it is missing. @default all */
  readonly required?: (name: string) => boolean;
}

/** What one component type's check needs, derived from the reference once per type. */
interface ComponentSchema {
  readonly root: ReferenceNode;
}

/** What one object node's check needs, derived once per node. */
interface NodeIndex {
  /** Names to suggest: not hidden, not `type`/`inputs` at the top. */
  readonly suggestions: readonly string[];
  readonly aliases: ReadonlyMap<string, string>;
  /** Options that may be missing wrongly: required, requiredWhen or requiredWith. */
  readonly demanding: readonly (readonly [string, ReferenceNode])[];
}

const IMPLICIT = new Set(['type', 'inputs']);
const schemas = new Map<string, ComponentSchema | null>();
const indexes = new WeakMap<ReferenceNode, NodeIndex>();
let conditionNode: ReferenceNode | undefined;

/** The reference entry of a component type, or undefined when Vector has no such type. */
export function referenceComponent(cls: ComponentClass, type: string): ReferenceComponent | undefined {
  const section = vectorReference()[REFERENCE_SECTION[cls]];
  return Object.prototype.hasOwnProperty.call(section, type) ? section[type] : undefined;
}

function schemaOf(cls: ComponentClass, type: string): ComponentSchema | null {
  const key = `${cls}:${type}`;
  let schema = schemas.get(key);
  if (schema === undefined) {
    const spec = referenceComponent(cls, type);
    schema = spec
      ? {
          root: {
            types: ['object'],
            options: spec.options,
            requireOneOfGroups: spec.requireOneOfGroups,
            unknownOptions: spec.unknownOptions,
          },
        }
      : null;
    schemas.set(key, schema);
  }
  return schema;
}

function indexOf(node: ReferenceNode, root: boolean): NodeIndex {
  let index = indexes.get(node);
  if (!index) {
    const options = node.options ?? {};
    const aliases = new Map<string, string>();
    const suggestions: string[] = [];
    const demanding: [string, ReferenceNode][] = [];
    for (const [name, o] of Object.entries(options)) {
      for (const alias of o.aliases ?? []) if (alias !== name) aliases.set(alias, name);
      if (root && IMPLICIT.has(name)) continue;
      if (!o.hidden) suggestions.push(name);
      if (o.required || o.requiredWhen || o.requiredWith) demanding.push([name, o]);
    }
    index = { suggestions, aliases, demanding };
    indexes.set(node, index);
  }
  return index;
}

interface Context {
  readonly type: string;
  readonly report: (message: string) => void;
}

/**
 * Checks the options of a component of Vector type `type` (without `type` and `inputs`). Returns
 * false when the reference has no such type (nothing is checked then; the caller reports it).
 */
export function checkReferenceOptions(
  cls: ComponentClass,
  type: string,
  options: ComponentOptions,
  report: (message: string) => void,
  rootChecks: RootChecks = {},
): boolean {
  const schema = schemaOf(cls, type);
  if (!schema) return false;
  checkObject(options, schema.root, '', { type, report }, rootChecks);
  return true;
}

function checkObject(
  object: Readonly<Record<string, unknown>>,
  node: ReferenceNode,
  path: string,
  ctx: Context,
  root?: RootChecks,
): void {
  const options = node.options ?? {};
  const index = indexOf(node, root !== undefined);
  const additional = node.additionalOptions;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue; // not rendered
    if (root && (IMPLICIT.has(key) || (root.option && !root.option(key)))) continue;
    const name = hasOwn(options, key) ? key : index.aliases.get(key);
    if (name !== undefined) {
      const option = options[name];
      const relevant = option.relevantWhen ? holds(option.relevantWhen, object, options) : true;
      if (relevant === false) {
        ctx.report(`\`${at(key)}\` only applies when ${describeCondition(option.relevantWhen!, path)}`);
      } else {
        checkValue(value, option, at(key), ctx);
      }
    } else if (additional !== undefined) {
      if (additional !== true) checkValue(value, additional, at(key), ctx);
    } else {
      ctx.report(unknownMessage(key, at(key), options, index, node, ctx.type));
    }
  }
  for (const [name, option] of index.demanding) {
    const given = isGiven(object, name, option);
    if (!given) {
      if (root?.required && !root.required(name)) continue;
      let required = option.required === true;
      if (required && option.relevantWhen) required = holds(option.relevantWhen, object, options) === true;
      const when = required ? option.relevantWhen : option.requiredWhen;
      if (!required && option.requiredWhen) required = holds(option.requiredWhen, object, options) === true;
      if (required) {
        ctx.report(`${ctx.type} needs \`${at(name)}\`${when ? ` when ${describeCondition(when, path)}` : ''}`);
      }
    } else if (option.requiredWith) {
      const missing = option.requiredWith.filter((w) => !isGiven(object, w, options[w]));
      if (missing.length > 0) {
        ctx.report(`\`${at(name)}\` also needs ${missing.map((w) => `\`${at(w)}\``).join(' and ')}`);
      }
    }
  }
  if (node.requireOneOfGroups) checkGroups(object, node, path, ctx, root);
}

function checkGroups(
  object: Readonly<Record<string, unknown>>,
  node: ReferenceNode,
  path: string,
  ctx: Context,
  root?: RootChecks,
): void {
  const groups = node.requireOneOfGroups ?? [];
  if (root?.required && !groups.flat().every((k) => root.required!(k))) return;
  const list = groups.map((g) => g.map((k) => `\`${path ? `${path}.${k}` : k}\``).join(' + ')).join(', ');
  const where = path ? `\`${path}\`` : ctx.type;
  if (!groups.some((g) => g.every((k) => object[k] !== undefined))) {
    ctx.report(`${where} needs ${node.exclusiveKeys ? 'exactly ' : ''}one of ${list}`);
  } else if (node.exclusiveKeys) {
    const present = groups.flat().filter((k) => object[k] !== undefined);
    if (present.length > 1) ctx.report(`${where} takes exactly one of ${list}; got ${present.length}`);
  }
}

function checkValue(value: unknown, node: ReferenceNode, path: string, ctx: Context): void {
  if (value === undefined) return;
  if (value === null) {
    if (node.required) ctx.report(`\`${path}\` is null: give a value`);
    return;
  }
  const types: readonly ReferenceValueType[] = node.types && node.types.length > 0 ? node.types : ANY;
  const interpolated = typeof value === 'string' && isInterpolated(value);
  // Vector substitutes `${VAR}` and `SECRET[...]` before it parses the value: it may become any type.
  if (interpolated && !types.includes('string')) return;
  let asObject = false;
  let asCondition = false;
  let matched = false;
  for (const t of types) {
    if (!matches(value, t)) continue;
    matched = true;
    if (t === 'object') asObject = true;
    if (t === 'condition') asCondition = true;
  }
  if (!matched) {
    ctx.report(`\`${path}\` must be ${types.map(describeType).join(' or ')}; got ${show(value)}`);
    return;
  }
  if (node.enum && typeof value === 'string' && !interpolated && (node.enumType ?? 'string') === 'string') {
    if (!inEnum(value, node)) {
      const allowed = node.enum.map(String);
      ctx.report(`\`${path}\` must be one of ${allowed.join(', ')}; got ${show(value)}${didYouMean(value, allowed)}`);
    }
  }
  if (typeof value === 'object') {
    if (Array.isArray(value)) {
      if (node.items) for (let i = 0; i < value.length; i++) checkValue(value[i], node.items, `${path}[${i}]`, ctx);
    } else if (asObject) {
      checkObject(value as Record<string, unknown>, node, path, ctx);
    } else if (asCondition) {
      checkObject(value as Record<string, unknown>, conditionSchema(), path, ctx);
    }
  }
}

const ANY: readonly ReferenceValueType[] = ['any'];

function conditionSchema(): ReferenceNode {
  conditionNode ??= {
    types: ['object'],
    options: vectorReference().conditionSchema.object,
    unknownOptions: 'rejected',
  };
  return conditionNode;
}

function matches(value: unknown, type: ReferenceValueType): boolean {
  switch (type) {
    case 'string':
    case 'timestamp':
      return typeof value === 'string';
    case 'ascii_char':
      return typeof value === 'string' && value.length === 1 && value.charCodeAt(0) < 128;
    case 'uint':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'condition':
      return typeof value === 'string' || isObject(value);
    default:
      return true;
  }
}

function inEnum(value: string, node: ReferenceNode): boolean {
  for (const e of node.enum ?? []) if (String(e) === value) return true;
  return (
    (node.enumAliases !== undefined && hasOwn(node.enumAliases, value)) || (node.hiddenEnum?.includes(value) ?? false)
  );
}

/** Whether a condition on a sibling option holds: true, false, or undefined when it cannot be told (not given, interpolated). */
function holds(
  condition: ReferenceCondition,
  object: Readonly<Record<string, unknown>>,
  options: Readonly<Record<string, ReferenceNode>>,
): boolean | undefined {
  const field = options[condition.field];
  let actual = object[condition.field];
  if (actual === undefined && field && 'default' in field) actual = field.default;
  if (actual === undefined || actual === null || (typeof actual === 'string' && isInterpolated(actual)))
    return undefined;
  if (typeof actual === 'string' && field?.enumAliases && hasOwn(field.enumAliases, actual)) {
    actual = field.enumAliases[actual];
  }
  const text = String(actual);
  return condition.values.some((v) => String(v) === text);
}

function describeCondition(condition: ReferenceCondition, path: string): string {
  const field = path ? `${path}.${condition.field}` : condition.field;
  const values = condition.values.map((v) => JSON.stringify(v));
  return `\`${field}\` is ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}`;
}

function unknownMessage(
  key: string,
  full: string,
  options: Readonly<Record<string, ReferenceNode>>,
  index: NodeIndex,
  node: ReferenceNode,
  type: string,
): string {
  const head = key.split('.', 1)[0];
  const hint =
    key.includes('.') && hasOwn(options, head)
      ? `: keys are not split on "."; nest it under \`${head}\``
      : didYouMean(key, index.suggestions);
  const effect = node.unknownOptions === 'ignored' ? '; Vector would silently ignore it' : '';
  return `unknown option \`${full}\` for ${type}${hint}${effect}`;
}

const TYPE_WORDS: Readonly<Record<ReferenceValueType, string>> = {
  string: 'a string',
  uint: 'a whole number >= 0',
  int: 'a whole number',
  float: 'a number',
  bool: 'true or false',
  array: 'a list',
  object: 'an object',
  condition: 'a condition (a VRL string or { type, source })',
  ascii_char: 'a single ASCII character',
  timestamp: 'a timestamp string',
  any: 'any value',
};

const describeType = (t: ReferenceValueType) => TYPE_WORDS[t] ?? t;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return String(value);
}

function isGiven(object: Readonly<Record<string, unknown>>, name: string, option: ReferenceNode | undefined): boolean {
  if (object[name] !== undefined && object[name] !== null) return true;
  for (const alias of option?.aliases ?? []) if (object[alias] !== undefined && object[alias] !== null) return true;
  return false;
}

/** `${VAR}`, `$VAR` and `SECRET[backend.key]`: replaced by Vector before it parses the value. */
export function isInterpolated(s: string): boolean {
  return s.includes('SECRET[') || /\$(\{|[A-Za-z_])/.test(s);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
