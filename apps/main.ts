import { readFileSync } from 'node:fs';
import { parseFleetYaml, synthesizeFleet } from '../lib/fleet';
import { writeClusters } from './synth-to-directory';

// The only entry point that reads or writes files. `cdk8s synth` sets CDK8S_OUTDIR; FLEET_FILE picks the inventory.
const file = process.env.FLEET_FILE ?? 'fleet.yaml';
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';

try {
  writeClusters(outdir, () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `${file}: cannot read the fleet inventory (${(error as NodeJS.ErrnoException).code ?? error}); set FLEET_FILE to its path`,
        { cause: error },
      );
    }
    return synthesizeFleet(parseFleetYaml(text, file), file);
  });
} catch (error) {
  // Not process.exit(1): stderr into a pipe is written asynchronously, and exiting at once cut a long report short.
  console.error((error as Error).message);
  process.exitCode = 1;
}
