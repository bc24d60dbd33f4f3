import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedVrlCompileCache, vrlCompileResults, vrlCompileStats } from '../lib/vector/vrl/compiler';

/*
 * The app's file cache of VRL compile results: a synth after an edit to fleet.yaml alone finds every program it
 * compiled last time and neither loads the compiler (12 MB of WebAssembly) nor compiles, which was half of its time.
 * The file's name carries a digest of the compiler's version and of the compiled checking code (build/lib/vector/vrl),
 * so a new compiler, a new missing-function list or a changed check starts from nothing. A missing or unreadable file
 * only means compiling, as without a cache.
 */

const CHECKING_CODE = join(__dirname, '..', 'lib', 'vector', 'vrl');
const FILE_PREFIX = 'vrl-compile-';

/** build/cache, or FLEET_VRL_CACHE_DIR. */
export const vrlCacheDir = (): string => process.env.FLEET_VRL_CACHE_DIR ?? join(__dirname, '..', 'cache');

/** The cache file for this compiler and these checks. */
export function vrlCompileCacheFile(dir: string = vrlCacheDir()): string {
  const digest = createHash('sha256');
  digest.update(readFileSync(require.resolve('@bpinternal/verel/package.json')));
  for (const file of readdirSync(CHECKING_CODE).sort()) {
    if (file.endsWith('.js')) digest.update(file).update(readFileSync(join(CHECKING_CODE, file)));
  }
  return join(dir, `${FILE_PREFIX}${digest.digest('hex').slice(0, 16)}.json`);
}

/** Seeds the compiler's cache from the file, if there is one for this compiler and these checks. */
export function loadVrlCompileCache(): void {
  try {
    seedVrlCompileCache(JSON.parse(readFileSync(vrlCompileCacheFile(), 'utf8')));
  } catch {
    // No file yet, or a damaged one: compile.
  }
}

/** Writes what this process compiled (with what it was seeded with), replacing the files of other versions. */
export function saveVrlCompileCache(): void {
  if (vrlCompileStats().compiled === 0) return;
  const dir = vrlCacheDir();
  const file = vrlCompileCacheFile(dir);
  try {
    mkdirSync(dir, { recursive: true });
    for (const old of readdirSync(dir)) if (old.startsWith(FILE_PREFIX)) rmSync(join(dir, old), { force: true });
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(vrlCompileResults()));
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // A cache that cannot be written is only slower next time.
  }
}
