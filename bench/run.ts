import { runFleetBench } from './fleet-bench';
import { runSynthAfterEditBench } from './synth-after-edit';
import { buildPipeline } from './vector-pipeline';

/**
 * `npm run bench`: times validating and rendering Vector pipelines, synthesizing fleets of 1, 10 and 100 clusters and
 * `npm run synth` after an edit to fleet.yaml, and fails if validation stops growing linearly with the number of
 * components or a fleet or synth target is missed.
 */
// Fleets first: their peak-memory figures are the process' peak so far, which later benchmarks would raise.
const missed = runFleetBench();
console.log('');
missed.push(...runSynthAfterEditBench());
console.log('');

const REPEATS = 5;

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    const start = process.hrtime.bigint();
    run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return fastest;
}

function benchPipeline(size: number): { validateMs: number; renderMs: number } {
  const pipeline = buildPipeline(size);
  const problems = pipeline.validate();
  if (problems.length > 0)
    throw new Error(`benchmark pipeline is invalid: ${problems[0].component}: ${problems[0].message}`);
  return { validateMs: best(() => pipeline.validate()), renderMs: best(() => pipeline.render()) };
}

const perSecond = (size: number, ms: number) => Math.round((size / ms) * 1000).toLocaleString('en-US');

benchPipeline(1000); // warm up the JIT
const base = benchPipeline(1000);
console.log(
  `vector pipeline, 1000 components: validate ${base.validateMs.toFixed(1)} ms (${perSecond(1000, base.validateMs)} components/s), ` +
    `render incl. validate ${base.renderMs.toFixed(1)} ms (${perSecond(1000, base.renderMs)} components/s)`,
);

// Linear means 8x the components take about 8x the time; allow 2x headroom for noise and GC.
const sizes = [1000, 2000, 4000, 8000];
const times = sizes.map((size) => benchPipeline(size).validateMs);
for (const [i, size] of sizes.entries()) {
  console.log(
    `  validate ${String(size).padStart(5)} components: ${times[i].toFixed(1).padStart(7)} ms, ${perSecond(size, times[i])} components/s`,
  );
}
const growth = times[times.length - 1] / times[0];
const allowed = (sizes[sizes.length - 1] / sizes[0]) * 2;
console.log(`  growth 1000 -> 8000 components: x${growth.toFixed(1)} (linear is x8, limit x${allowed})`);
if (growth > allowed) missed.push('validation time grows faster than linearly with the number of components');
for (const target of missed) console.error(`missed: ${target}`);
if (missed.length > 0) process.exit(1);
