import { chmodSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App } from 'cdk8s';

/**
 * Synthesizes into a fresh folder beside `outdir` and swaps it in only when every chart has
 * synthesized, so a failing synth never leaves a partial or stale output folder.
 */
export function synthToDirectory(outdir: string, addCharts: (app: App) => void): void {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), '.synth-'));
  try {
    const app = new App({ outdir: staging });
    addCharts(app);
    app.synth();
    chmodSync(staging, 0o755);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
