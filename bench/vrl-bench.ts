import { vrlCompiler, vrlCompileStats } from '../lib/vector/vrl/compiler';

export interface VrlLoadCost {
  /** Loading the compiler's WebAssembly, once per process. */
  readonly loadMs: number;
  /** The first program compiled after loading (the WebAssembly's own warm-up). */
  readonly firstCompileMs: number;
}

/** Loads the VRL compiler and compiles a first program, timing each: what the first synth of a process pays extra. */
export function measureVrlLoad(): VrlLoadCost {
  let start = process.hrtime.bigint();
  const verel = vrlCompiler();
  const loadMs = Number(process.hrtime.bigint() - start) / 1e6;
  start = process.hrtime.bigint();
  verel.check('. = parse_json!(.message)');
  const firstCompileMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { loadMs, firstCompileMs };
}

/** The VRL compile cost between two stats snapshots, as one line. */
export function describeVrlCompiles(before: ReturnType<typeof vrlCompileStats>, after = vrlCompileStats()): string {
  const compiled = after.compiled - before.compiled;
  const ms = after.compileMs - before.compileMs;
  const perProgram = compiled === 0 ? 0 : ms / compiled;
  return (
    `VRL compile ${ms.toFixed(0)} ms: ${compiled} distinct programs at ${perProgram.toFixed(2)} ms each, ` +
    `${after.cacheHits - before.cacheHits} answered from the cache`
  );
}
