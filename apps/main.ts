import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseFleetYaml, synthesizeFleet } from '../lib/fleet';
import { synthSummary } from '../lib/fleet/synth-summary';
import { writeClusters } from './synth-to-directory';
import { loadVrlCompileCache, saveVrlCompileCache } from './vrl-compile-cache';

// The only entry point that reads or writes files. FLEET_FILE picks the inventory; the output goes to CDK8S_OUTDIR
// (default dist/). `cdk8s synth` deletes its output folder before it runs the app, so cdk8s.yaml gives it a scratch
// folder as output and names the real one in FLEET_PROMOTE_TO: the app writes both, and only once everything has
// synthesized, so a failed `cdk8s synth` leaves dist/ as it was, like a failed `npm run synth`.
const file = process.env.FLEET_FILE ?? 'fleet.yaml';
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const promoteTo = process.env.FLEET_PROMOTE_TO;

function synthesize() {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `${file}: cannot read the fleet inventory (${(error as NodeJS.ErrnoException).code ?? error}); set FLEET_FILE to its path`,
      { cause: error },
    );
  }
  return synthesizeFleet(parseFleetYaml(text, file), file, { outputPath: repositoryPath(promoteTo ?? outdir) });
}

/** Where `dir` is in the Git work tree around the working directory (what Flux reads), if it is in one. */
function repositoryPath(dir: string): string | undefined {
  let root = process.cwd();
  while (!existsSync(join(root, '.git'))) {
    if (dirname(root) === root) return undefined;
    root = dirname(root);
  }
  const path = relative(root, resolve(dir));
  return path === '' || path.split(sep)[0] === '..' || isAbsolute(path) ? undefined : path;
}

try {
  let outputs: ReturnType<typeof synthesize> = [];
  loadVrlCompileCache();
  writeClusters(outdir, () => (outputs = synthesize()));
  if (promoteTo) writeClusters(promoteTo, () => outputs);
  process.stdout.write(synthSummary(promoteTo ?? outdir, outputs));
} catch (error) {
  // Not process.exit(1): stderr into a pipe is written asynchronously, and exiting at once cut a long report short.
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  saveVrlCompileCache(); // a program's errors are results too
}
