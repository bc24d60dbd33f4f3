import type { PipelineComponent } from '../component';
import type { VrlProgramKind } from './compiler';

/** One VRL program held by a component option. */
export interface VrlProgram {
  /** Where it is, in Vector's option names: `source`, `condition`, `route.errors`, `routes[0].condition`. */
  readonly option: string;
  readonly kind: VrlProgramKind;
  readonly source: string;
}

type Options = Readonly<Record<string, unknown>>;
type Finder = (options: Options) => VrlProgram[];

const isObject = (v: unknown): v is Options => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The VRL in a condition option: a string is a VRL expression, `{ type: 'vrl', source }` too; `is_log`,
 * `is_metric`, `is_trace` and `datadog_search` conditions hold no VRL.
 */
function conditionAt(option: string, value: unknown): VrlProgram[] {
  if (typeof value === 'string') return [{ option, kind: 'condition', source: value }];
  if (isObject(value) && value.type === 'vrl' && typeof value.source === 'string') {
    return [{ option, kind: 'condition', source: value.source }];
  }
  return [];
}

const conditions =
  (...names: string[]): Finder =>
  (o) =>
    names.flatMap((name) => conditionAt(name, o[name]));

/** A source's or sink's `auth` with `strategy: custom`, whose `source` is a VRL boolean expression. */
const customAuth: Finder = (o) =>
  isObject(o.auth) && o.auth.strategy === 'custom' ? conditionAt('auth.source', o.auth.source) : [];

/**
 * Every option Vector 0.57 compiles as VRL, per component type. These are the options the shared Vector reference
 * (vector-reference.json) types as `condition` or with syntax `remap_program`, plus the `custom` auth strategy's
 * `source` ("The VRL boolean expression"); test/vector/vrl-programs.test.ts checks this table against the reference.
 * A remap's `file` is a path inside the container, so only an inline `source` can be compiled at synth.
 */
const FINDERS: Readonly<Record<string, Finder>> = {
  'transform:remap': (o) =>
    typeof o.source === 'string' ? [{ option: 'source', kind: 'remap', source: o.source }] : [],
  'transform:filter': conditions('condition'),
  'transform:delay': conditions('condition'),
  'transform:sample': conditions('exclude'),
  'transform:throttle': conditions('exclude'),
  'transform:reduce': conditions('starts_when', 'ends_when'),
  'transform:window': conditions('flush_when', 'forward_when'),
  'transform:route': (o) =>
    isObject(o.route) ? Object.entries(o.route).flatMap(([name, c]) => conditionAt(`route.${name}`, c)) : [],
  'transform:exclusive_route': (o) =>
    Array.isArray(o.routes)
      ? o.routes.flatMap((r: unknown, i) => (isObject(r) ? conditionAt(`routes[${i}].condition`, r.condition) : []))
      : [],
  'source:http': customAuth,
  'source:http_server': customAuth,
  'source:heroku_logs': customAuth,
  'source:prometheus_pushgateway': customAuth,
  'source:prometheus_remote_write': customAuth,
  'sink:websocket_server': customAuth,
};

/** The component types that hold VRL, as `class:type`. */
export const VRL_COMPONENT_TYPES: readonly string[] = Object.keys(FINDERS);

/** Every VRL program of a component, typed or added through an escape hatch. */
export function vrlProgramsOf(c: Pick<PipelineComponent, 'class' | 'type' | 'options'>): VrlProgram[] {
  const find = FINDERS[`${c.class}:${c.type}`];
  return find ? find(c.options) : [];
}
