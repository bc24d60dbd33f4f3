import { clearVrlCompileCache, vrlCompileStats } from '../lib/vector/vrl/compiler';
import { buildFleet, synthFleet } from './fleet';
import { describeVrlCompiles, measureVrlLoad } from './vrl-bench';

/** Issue targets on a 2-core machine: 100 clusters in under 4 s and 400 MB, time growing linearly. */
const TARGET_MS_100 = 4000;
const TARGET_MB_100 = 400;
/** Per-cluster time at 100 clusters may be at most this many times that at 10 (1.0 is perfectly linear). */
const LINEAR_SLACK = 2;
const SIZES = [1, 10, 100] as const;

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * Synthesizes fleets of 1, 10 and 100 clusters in this process, in memory (every manifest, Vector config and YAML
 * file, as `npm run synth` produces them, without the disk writes) and prints wall time and peak memory for each.
 * Peak memory is the process' peak resident set size so far: the sizes run in increasing order, so each figure is
 * the peak while that fleet, the largest yet, was synthesized. Every VRL program is compiled (cached per program text,
 * so each size compiles its clusters' programs anew only where they differ); the compiler's one-off load is measured
 * first and added to the 100-cluster figure that is checked against the target. Returns the targets that were missed.
 */
export function runFleetBench(): string[] {
  const load = measureVrlLoad();
  console.log(
    `VRL compiler: load ${load.loadMs.toFixed(0)} ms once per process, first program ${load.firstCompileMs.toFixed(1)} ms`,
  );
  synthFleet(buildFleet(10)); // warm up the JIT, as a CI job synthesizing its fleet has by its second cluster
  const results = SIZES.map((size) => {
    const fleet = buildFleet(size);
    clearVrlCompileCache(); // each size compiles its programs as a fresh process would (the warm-up compiled some)
    const vrlBefore = vrlCompileStats();
    const start = process.hrtime.bigint();
    const bytes = synthFleet(fleet);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const mb = peakRssMb();
    console.log(
      `fleet of ${String(size).padStart(3)} clusters: ${ms.toFixed(0).padStart(5)} ms (${(ms / size).toFixed(1)} ms per cluster), ` +
        `peak RSS ${mb.toFixed(0)} MB, ${(bytes / 1e6).toFixed(1)} MB of output; ${describeVrlCompiles(vrlBefore)}`,
    );
    return { size, ms, mb };
  });
  const [, ten, hundred] = results;
  const growth = hundred.ms / hundred.size / (ten.ms / ten.size);
  console.log(`  per-cluster time 10 -> 100 clusters: x${growth.toFixed(2)} (linear is x1, limit x${LINEAR_SLACK})`);
  const withLoad = hundred.ms + load.loadMs + load.firstCompileMs;
  console.log(`  100 clusters with the VRL compiler's load: ${withLoad.toFixed(0)} ms (target < ${TARGET_MS_100} ms)`);
  const missed: string[] = [];
  if (withLoad > TARGET_MS_100)
    missed.push(
      `100 clusters took ${withLoad.toFixed(0)} ms with the VRL compiler's load (target < ${TARGET_MS_100} ms)`,
    );
  if (hundred.mb > TARGET_MB_100)
    missed.push(`100 clusters peaked at ${hundred.mb.toFixed(0)} MB (target < ${TARGET_MB_100} MB)`);
  if (growth > LINEAR_SLACK)
    missed.push(`fleet synthesis grows faster than linearly (x${growth.toFixed(2)} per cluster)`);
  return missed;
}
