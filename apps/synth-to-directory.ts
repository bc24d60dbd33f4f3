import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ClusterOutput } from '../lib/fleet';

/**
 * Writes `<outdir>/<cluster>/<file>` for every cluster into a fresh folder beside `outdir`, and swaps it in only when
 * everything is written, so a failing run never leaves a partial or stale output folder. `clusters` is a function so
 * that a synth error, thrown before anything is written, leaves `outdir` as it was.
 */
export function writeClusters(outdir: string, clusters: () => readonly ClusterOutput[]): void {
  const outputs = clusters();
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), '.synth-'));
  try {
    for (const { cluster, files } of outputs) {
      mkdirSync(join(staging, cluster));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, cluster, name), text);
    }
    chmodSync(staging, 0o755);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
