import type { PipelineComponent } from '../component';
import type { VectorPipeline } from '../pipeline';
import { labelOf } from '../validate/report';
import { compileVrl, formatVrlDiagnostic, positionOf, vrlCompiler } from './compiler';
import { MISSING_VRL_FUNCTION_NAMES } from './missing-functions';
import { type VrlProgram, vrlProgramsOf } from './programs';

/** A log event as VRL sees it: JSON values. Timestamps are given as RFC 3339 strings or `Date`s. */
export type VrlEvent = Readonly<Record<string, unknown>>;

/** The VRL type of a value, as the `is_*` functions tell them apart. */
export type VrlType = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'regex' | 'null' | 'array' | 'object';

export interface RunVrlOptions {
  /**
   * Fields of the input event (paths such as `timestamp` or `kubernetes.pod_start`) that hold timestamps. JSON has
   * no timestamp type, so these are given as RFC 3339 strings (or `Date`s) and made VRL timestamps before the
   * program runs, as Vector's sources make them.
   * @default []
   */
  readonly timestamps?: readonly string[];
  /**
   * Fields of the output event whose VRL type to report in `types`, e.g. `['timestamp']` to check that a timestamp
   * stays a timestamp (the output event holds timestamps as RFC 3339 strings).
   * @default []
   */
  readonly typesOf?: readonly string[];
}

export interface RunConditionOptions extends Omit<RunVrlOptions, 'typesOf'> {
  /**
   * Which condition of the component, when it has several: the option as validation names it, e.g. `exclude`,
   * `route.errors` (a route's `errors` output), `routes[0].condition`, `starts_when`.
   * @default its only condition
   */
  readonly condition?: string;
}

/** What a remap does with one event, with Vector's `drop_on_error` and `drop_on_abort` semantics. */
export type RemapOutcome =
  | {
      /** The event goes on downstream: changed, or unchanged after an error or abort that does not drop it. */
      readonly dropped: false;
      readonly event: Record<string, unknown>;
      /** The VRL types of the fields asked for with `typesOf`. */
      readonly types: Readonly<Record<string, VrlType>>;
      /** Set when the program failed or aborted and Vector passed the original event on unchanged. */
      readonly error?: string;
    }
  | {
      readonly dropped: true;
      readonly reason: 'abort' | 'error';
      /** VRL's message: the abort message, or the runtime error with its line and column. */
      readonly message: string;
      /** Whether Vector sends it to the `<id>.dropped` output (`reroute_dropped: true`). */
      readonly rerouted: boolean;
    };

/**
 * Runs a remap of the pipeline on one log event, as Vector 0.57 would: the output event, or whether it is dropped.
 * By default (`drop_on_abort: true`) an `abort` drops the event, and a runtime error (`drop_on_error: false`) passes
 * the original event on unchanged. Throws when the component is not a remap with an inline `source`, or when its
 * program does not compile or calls a function the synth-time compiler lacks (e.g. `get_secret`).
 */
export function runRemap(
  pipeline: VectorPipeline,
  componentId: string,
  event: VrlEvent,
  options: RunVrlOptions = {},
): RemapOutcome {
  const c = componentOf(pipeline, componentId);
  const program = vrlProgramsOf(c).find((p) => p.kind === 'remap');
  if (c.type !== 'remap' || !program) {
    throw new Error(`runRemap: ${labelOf(c)} is not a remap with an inline \`source\``);
  }
  const typesOf = options.typesOf ?? [];
  // Assigned to variables first: VRL takes no `if` inside an object literal.
  const probe = typesOf
    .map((p, i) => `\n__vrl_type_${i} = ${typeExpression(p)}`)
    .concat(typesOf.length === 0 ? [] : [`\n{ ${typesOf.map((_, i) => `"t${i}": __vrl_type_${i}`).join(', ')} }`])
    .join('');
  const outcome = execute(c, program, event, options.timestamps ?? [], probe);
  if (outcome.ok) {
    const result = (outcome.result ?? {}) as Record<string, VrlType>;
    const types = Object.fromEntries(typesOf.map((p, i) => [p, result[`t${i}`]]));
    return { dropped: false, event: outcome.event, types };
  }
  const drop = outcome.reason === 'abort' ? c.options.drop_on_abort !== false : c.options.drop_on_error === true;
  if (!drop) return { dropped: false, event: jsonEvent(event), types: {}, error: outcome.message };
  return {
    dropped: true,
    reason: outcome.reason,
    message: outcome.message,
    rerouted: c.options.reroute_dropped === true,
  };
}

/**
 * Runs a condition of the pipeline (a filter's `condition`, a route's, a sample's `exclude`, ...) on one log event:
 * whether the event matches. As in Vector, a runtime error or an abort counts as not matching.
 */
export function runCondition(
  pipeline: VectorPipeline,
  componentId: string,
  event: VrlEvent,
  options: RunConditionOptions = {},
): boolean {
  const c = componentOf(pipeline, componentId);
  const candidates = vrlProgramsOf(c).filter((p) => p.kind === 'condition');
  const wanted = options.condition;
  const program =
    wanted === undefined && candidates.length === 1 ? candidates[0] : candidates.find((p) => p.option === wanted);
  if (!program) {
    const names = candidates.map((p) => `\`${p.option}\``).join(', ') || 'none';
    throw new Error(
      `runCondition: ${labelOf(c)} has ${wanted === undefined ? 'no single' : `no \`${wanted}\``} VRL condition; its VRL conditions: ${names}`,
    );
  }
  const outcome = execute(c, program, event, options.timestamps ?? [], '');
  return outcome.ok && outcome.result === true;
}

function componentOf(pipeline: VectorPipeline, id: string): PipelineComponent {
  const c = pipeline.component(id);
  if (!c) throw new Error(`no component "${id}" in the pipeline`);
  return c;
}

type Execution =
  | { readonly ok: true; readonly event: Record<string, unknown>; readonly result: unknown }
  | { readonly ok: false; readonly reason: 'abort' | 'error'; readonly message: string };

function execute(
  c: PipelineComponent,
  program: VrlProgram,
  event: VrlEvent,
  timestamps: readonly string[],
  epilogue: string,
): Execution {
  const where = `${labelOf(c)} \`${program.option}\``;
  const errors = compileVrl(program.source, program.kind);
  if (errors.length > 0) throw new Error(`${where} does not compile: ${formatVrlDiagnostic(errors[0])}`);
  const missing = [...MISSING_VRL_FUNCTION_NAMES].find((name) =>
    new RegExp(`\\b${name}\\s*!?\\s*\\(`).test(program.source),
  );
  if (missing) {
    throw new Error(`${where} calls ${missing}(), which Vector 0.57 has but the synth-time VRL runtime lacks`);
  }
  // One line, so that only the first line's columns move; error offsets are mapped back below.
  const prelude = timestamps.map((p) => `${vrlPath(p)} = parse_timestamp!(${vrlPath(p)}, "%+"); `).join('');
  const text = `${prelude}${program.source}${epilogue}`;
  try {
    const { event: output, result } = vrlCompiler().execute(text, jsonEvent(event));
    return { ok: true, event: output as Record<string, unknown>, result };
  } catch (error) {
    const message = String((error as Error).message ?? error).replace(/^Termination;\n/, '');
    const located = locate(message, program.source, Buffer.byteLength(prelude, 'utf8'));
    // verel reports `abort` and runtime errors alike; runtime errors are always function call errors.
    const isError = /^function call error for /.test(message) || !/\babort\b/.test(program.source);
    return { ok: false, reason: isError ? 'error' : 'abort', message: located };
  }
}

/** Rewrites VRL's byte offsets `at (5:21)` into the user's program as `at line 1, column 6`. */
function locate(message: string, source: string, preludeBytes: number): string {
  const bytes = Buffer.from(source, 'utf8');
  return message.replace(/ at \((\d+):(\d+)\)/g, (_, start: string) => {
    const { line, column } = positionOf(bytes, Math.max(0, Number(start) - preludeBytes));
    return ` at line ${line}, column ${column}`;
  });
}

function jsonEvent(event: VrlEvent): Record<string, unknown> {
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

/** `kubernetes.pod_name` as a VRL path, quoting segments that are not identifiers (`."my-field"`). */
function vrlPath(path: string): string {
  return path
    .split('.')
    .map((s) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `.${JSON.stringify(s)}`))
    .join('');
}

const TYPES: readonly VrlType[] = [
  'timestamp',
  'string',
  'integer',
  'float',
  'boolean',
  'regex',
  'null',
  'array',
  'object',
];

function typeExpression(path: string): string {
  const p = vrlPath(path);
  return `${TYPES.map((t) => `if is_${t}(${p}) { "${t}" } else `).join('')}{ null }`;
}
