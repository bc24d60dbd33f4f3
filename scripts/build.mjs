// `npm run build`: compiles lib/, apps/ and bench/ into build/ with `tsc -b`, which keeps build info and compiles only
// what changed, so a synth after editing fleet.yaml alone spends a fraction of a second here instead of a full
// compile. tsc -b trusts its build info and would not notice an output someone deleted, so a missing output makes it
// start over.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INFO = join(root, 'build', 'tsconfig.build.tsbuildinfo');
const SOURCE_FOLDERS = ['lib', 'apps', 'bench'];

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const missing = SOURCE_FOLDERS.flatMap((folder) => sources(join(root, folder))).filter(
  (source) => !existsSync(join(root, 'build', relative(root, source)).replace(/\.ts$/, '.js')),
);
if (missing.length > 0) rmSync(BUILD_INFO, { force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
} catch {
  process.exitCode = 1; // tsc has printed the errors
}
