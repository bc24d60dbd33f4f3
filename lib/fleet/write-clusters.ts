import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ClusterOutput, KUSTOMIZATION_FILE } from './synthesize-fleet';

/**
 * Writes `<outdir>/<cluster>/<file>` for every cluster into a fresh folder beside `outdir`, and swaps it in only when
 * everything is written, so a failing run never leaves a partial or stale output folder. `clusters` is a function so
 * that a synth error, thrown before anything is written, leaves `outdir` as it was. An `outdir` holding anything but
 * earlier output is refused rather than replaced.
 */
export function writeClusters(outdir: string, clusters: () => readonly ClusterOutput[]): void {
  const target = resolve(outdir);
  checkReplaceable(outdir, target);
  const outputs = clusters();
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

/**
 * The output folder is deleted and replaced as a whole, so it must hold only what a synth wrote: cluster folders with a
 * kustomization, or `*.k8s.yaml` files (cdk8s' own layout). A mistyped CDK8S_OUTDIR (`.`, a home folder) fails instead.
 */
function checkReplaceable(outdir: string, target: string): void {
  if (!existsSync(target)) return;
  const refuse = (what: string) =>
    new Error(
      `refusing to replace ${outdir}: ${what}, which a synth did not write; point CDK8S_OUTDIR at an empty folder or at earlier output`,
    );
  if (!statSync(target).isDirectory()) throw refuse('it is a file');
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const output = entry.isDirectory()
      ? existsSync(join(target, entry.name, KUSTOMIZATION_FILE))
      : entry.isFile() && entry.name.endsWith('.k8s.yaml');
    if (!output) throw refuse(`it holds "${entry.name}"`);
  }
}
