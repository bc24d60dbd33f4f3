import type * as Verel from '@bpinternal/verel';
import { MISSING_VRL_FUNCTION_NAMES } from './missing-functions';

type VerelModule = typeof Verel;
type Diagnostic = Verel.CompilationDiagnostic;

/** Whether a program is a remap `source` or a condition (which must resolve to a boolean). */
export type VrlProgramKind = 'remap' | 'condition';

/** One compile error of a VRL program, as VRL reports it. */
export interface VrlDiagnostic {
  /** VRL's error code, e.g. 105 (undefined function); see https://errors.vrl.dev/<code>. */
  readonly code: number;
  /** 1-based line and column (in characters) of the primary span in the program. */
  readonly line: number;
  readonly column: number;
  /** VRL's message, with its primary label and the offending text, e.g. "call to undefined function `parse_jsn`". */
  readonly message: string;
  /** VRL's other labels and notes, e.g. `did you mean "parse_json"?`; empty when VRL gives none. */
  readonly hint: string;
}

let verel: VerelModule | undefined;

/**
 * The VRL compiler (12 MB of WebAssembly, ~300 ms to load), loaded on first use and once per process, so that
 * importing the library or validating a pipeline without VRL costs nothing.
 */
export function vrlCompiler(): VerelModule {
  // A synchronous, lazy load is the point here: an `import` would load the WebAssembly with the library.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  verel ??= require('@bpinternal/verel') as VerelModule;
  return verel;
}

/** Whether the VRL compiler has been loaded in this process (for tests and the benchmark). */
export function isVrlCompilerLoaded(): boolean {
  return verel !== undefined;
}

const cache = new Map<string, readonly VrlDiagnostic[]>();
/** The cache's keys that this process asked for: what a file cache should keep. */
const used = new Set<string>();

/** What compiling has cost in this process so far, for the benchmark. */
export interface VrlCompileStats {
  /** Programs compiled (distinct program texts and kinds). */
  readonly compiled: number;
  /** Compilations answered from the cache. */
  readonly cacheHits: number;
  /** Time spent compiling, the compiler's loading excluded. */
  readonly compileMs: number;
}

const stats = { compiled: 0, cacheHits: 0, compileMs: 0 };

export function vrlCompileStats(): VrlCompileStats {
  return { ...stats };
}

/** Forgets every compiled program (the compiler stays loaded), so the benchmark can time compiling as a fresh process would. */
export function clearVrlCompileCache(): void {
  cache.clear();
  used.clear();
}

/**
 * The results of every program compiled or looked up in this process, by kind and program (literal assignments
 * blanked), for a later process to take with {@link seedVrlCompileCache}; seeded programs nobody asked for are left
 * out, so a file cache holds what the last synth used and does not grow.
 */
export function vrlCompileResults(): Readonly<Record<string, readonly VrlDiagnostic[]>> {
  return Object.fromEntries([...used].map((key) => [key, cache.get(key) as readonly VrlDiagnostic[]]));
}

/**
 * Takes results that {@link vrlCompileResults} gave in an earlier process. The caller vouches that they came from the
 * same compiler and the same checks (the app keys its cache file by both); entries of any other shape are left out,
 * and are compiled again when asked for. Returns how many were taken.
 */
export function seedVrlCompileCache(results: unknown): number {
  if (typeof results !== 'object' || results === null) return 0;
  let taken = 0;
  for (const [key, value] of Object.entries(results)) {
    const kind = key.slice(0, key.indexOf('\u0000'));
    if ((kind !== 'remap' && kind !== 'condition') || !Array.isArray(value) || !value.every(isDiagnostic)) continue;
    cache.set(key, value);
    taken++;
  }
  return taken;
}

function isDiagnostic(value: unknown): value is VrlDiagnostic {
  const d = value as Partial<Record<keyof VrlDiagnostic, unknown>>;
  return (
    typeof value === 'object' &&
    value !== null &&
    [d.code, d.line, d.column].every((n) => typeof n === 'number') &&
    typeof d.message === 'string' &&
    typeof d.hint === 'string'
  );
}

/**
 * Compiles a VRL program with VRL's own compiler and returns its errors (warnings are left out); empty when it
 * compiles. Calls to functions Vector 0.57 has but the compiler build lacks ({@link MISSING_VRL_FUNCTION_NAMES}) are
 * accepted, and so are errors about an expression containing such a call, whose types the build cannot know. A
 * condition must also resolve to a boolean, as Vector requires. Results are cached per program text and kind.
 */
export function compileVrl(program: string, kind: VrlProgramKind = 'remap'): readonly VrlDiagnostic[] {
  const canonical = withLiteralAssignmentsBlanked(program);
  const key = `${kind}\u0000${canonical}`;
  used.add(key);
  let result = cache.get(key);
  if (result) {
    stats.cacheHits++;
    return result;
  }
  vrlCompiler(); // loaded outside the timing below
  const start = process.hrtime.bigint();
  result = compileUncached(canonical, kind);
  stats.compileMs += Number(process.hrtime.bigint() - start) / 1e6;
  stats.compiled++;
  cache.set(key, result);
  return result;
}

/** `  .cluster = "prod"`: a field set to a plain string literal (no escapes), alone on its line. */
const LITERAL_ASSIGNMENT = /^(\s*\.[A-Za-z0-9_.]+\s*=\s*")([^"\\\n]*)("\s*)$/gm;

/**
 * The program with the text of every `.field = "literal"` line replaced by as many `x` as it has bytes. What such a
 * line holds cannot change whether the program compiles (a plain string is a string, whatever it says), and every
 * byte offset stays where it was, so the diagnostics of the blanked program are those of the original. Programs that
 * differ only in such values, like the agents' of a hundred clusters, which bake in each cluster's name, are then
 * compiled once: VRL's type checker takes a quarter of a second for the agent's program.
 */
export function withLiteralAssignmentsBlanked(program: string): string {
  return program.replace(
    LITERAL_ASSIGNMENT,
    (_line, head: string, text: string, tail: string) => `${head}${'x'.repeat(Buffer.byteLength(text))}${tail}`,
  );
}

function compileUncached(program: string, kind: VrlProgramKind): readonly VrlDiagnostic[] {
  const bytes = Buffer.from(program, 'utf8');
  const errors = relevantErrors(vrlCompiler().check(program).errors, bytes);
  if (errors.length > 0 || kind === 'remap') return errors.map((d) => toDiagnostic(d, bytes));
  return checkBoolean(program);
}

/** Drops the errors that only say the compiler build lacks a function Vector has, and their knock-on errors. */
function relevantErrors(errors: readonly Diagnostic[], bytes: Buffer): Diagnostic[] {
  const missingCalls = errors
    .filter((d) => d.code === 105)
    .map(primarySpan)
    .filter((span) => span && MISSING_VRL_FUNCTION_NAMES.has(textAt(bytes, span)));
  return errors.filter((d) => {
    const span = primarySpan(d);
    return !(span && missingCalls.some((m) => m && m[0] >= span[0] && m[1] <= span[1]));
  });
}

const PREDICATE_OPEN = 'if {\n';

/**
 * Vector refuses a condition whose type is not exactly boolean ("VRL conditions must return a boolean."). VRL applies
 * the same test to an `if` predicate, so the condition is compiled again as one, and error 102 (non-boolean
 * predicate) tells.
 */
function checkBoolean(program: string): readonly VrlDiagnostic[] {
  const wrapped = `${PREDICATE_OPEN}${program}\n} { true } else { false }`;
  const nonBoolean = vrlCompiler()
    .check(wrapped)
    .errors.find((d) => d.code === 102);
  if (!nonBoolean) return [];
  const resolvesTo = nonBoolean.labels.find((l) => !l.primary)?.message ?? '';
  return [
    {
      code: 102,
      line: 1,
      column: 1,
      message: 'a condition must resolve to a boolean (Vector refuses to start otherwise)',
      hint: resolvesTo.replace(/^instead it /, 'this one '),
    },
  ];
}

const primarySpan = (d: Diagnostic) => d.labels.find((l) => l.primary)?.span;
const textAt = (bytes: Buffer, [start, end]: readonly [number, number]) => bytes.subarray(start, end).toString('utf8');

/** 1-based line and column (in characters) of a byte offset. */
export function positionOf(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, Math.min(offset, bytes.length)).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}

function toDiagnostic(d: Diagnostic, bytes: Buffer): VrlDiagnostic {
  const primary = d.labels.find((l) => l.primary);
  const span = primary?.span ?? [0, 0];
  const text = textAt(bytes, span).trim();
  const label = primary && !d.message.toLowerCase().includes(primary.message.toLowerCase()) ? primary.message : '';
  const shown = text !== '' && text.length <= 60 && !text.includes('\n') ? `\`${text}\`` : '';
  const message = [d.message, label && `(${label})`, shown].filter((s) => s !== '').join(' ');
  const hints = [
    ...d.labels.filter((l) => !l.primary && l.message !== primary?.message).map((l) => l.message),
    ...d.notes.map(noteText),
  ].filter((h, i, all) => h !== '' && all.indexOf(h) === i);
  const hint = hints.reduce((all, h) => (all === '' ? h : `${all}${all.endsWith(':') ? ' ' : '; '}${h}`), '');
  return { code: d.code, ...positionOf(bytes, span[0]), message, hint };
}

function noteText(note: Verel.CompilationDiagnosticNote): string {
  if (note.message !== '') return note.message;
  if (note.note_type === 'SeeErrorDocs') return 'see https://errors.vrl.dev/#handling';
  return '';
}

/** A diagnostic as one line: `line 3, column 5: call to undefined function \`parse_jsn\` (did you mean ...)`. */
export function formatVrlDiagnostic(d: VrlDiagnostic): string {
  return `line ${d.line}, column ${d.column}: ${d.message} [E${d.code}]${d.hint ? ` (${d.hint})` : ''}`;
}
