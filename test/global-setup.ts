import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Builds build/ once, before any test file runs: the tests that run the app or the preflight as processes use it, and
 * test files run in parallel, so building from each of them would write the same files at once. Incremental: nothing
 * to do when the code has not changed since the last build.
 */
export default function setup(): void {
  const root = resolve(__dirname, '..');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`node scripts/build.mjs failed:\n${build.stdout}${build.stderr}`);
}
