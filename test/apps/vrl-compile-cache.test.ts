/**
 * The app's file cache of VRL compile results (build/cache, or FLEET_VRL_CACHE_DIR): a second synth of the same
 * inventory takes every program's result from it and writes the same files; the results in it are what the app
 * reports (a program the cache says is wrong fails the synth, so the cache really answers); a file of another
 * compiler or other checks is not read, and is replaced.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_TEXT } from '../fleet/fixtures';

const ROOT = resolve(__dirname, '..', '..');

function synth(cwd: string, cacheDir: string, outdir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir, FLEET_VRL_CACHE_DIR: cacheDir };
  delete env.FLEET_FILE;
  delete env.FLEET_PROMOTE_TO;
  return spawnSync(process.execPath, [join(ROOT, 'build', 'apps', 'main.js')], { cwd, env, encoding: 'utf8' });
}

const tree = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [join(e.parentPath, e.name).slice(dir.length), readFileSync(join(e.parentPath, e.name), 'utf8')]),
  );

describe('the VRL compile cache of npm run synth', () => {
  it('writes the same folders from the cache, answers from it, and ignores a file of other versions', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vrl-cache-'));
    const cache = join(cwd, 'cache');
    writeFileSync(join(cwd, 'fleet.yaml'), EXAMPLE_TEXT);

    const first = synth(cwd, cache, 'first');
    expect(first.stderr).toBe('');
    const files = readdirSync(cache);
    expect(files).toEqual([expect.stringMatching(/^vrl-compile-[0-9a-f]{16}\.json$/)]);
    const file = join(cache, files[0]);
    const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>;
    expect(Object.keys(results).length).toBeGreaterThan(5);
    expect(Object.values(results).every((diagnostics) => diagnostics.length === 0)).toBe(true);

    const second = synth(cwd, cache, 'second');
    expect(second.status).toBe(0);
    expect(tree(join(cwd, 'second'))).toEqual(tree(join(cwd, 'first')));

    // The cache is what the app believes: say the agents' enrichment program is wrong, and the synth fails with it.
    const [agentProgram] = Object.keys(results).filter((key) => key.includes('line_fields'));
    const poisoned = { ...results, [agentProgram]: [{ code: 999, line: 1, column: 1, message: 'poisoned', hint: '' }] };
    writeFileSync(file, JSON.stringify(poisoned));
    const failed = synth(cwd, cache, 'third');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('poisoned');

    // Under another version's name it is not read, and the synth replaces it with its own.
    renameSync(file, join(cache, 'vrl-compile-0000000000000000.json'));
    const fresh = synth(cwd, cache, 'fourth');
    expect(fresh.status).toBe(0);
    expect(readdirSync(cache)).toEqual([files[0]]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(results);
  }, 120_000);
});
