import { availableParallelism } from 'node:os';
import { delimiter, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tools that scripts/ensure-test-tools.sh unpacks (promtool, busybox) come first on PATH, for the tests and the
// processes they spawn.
process.env.PATH = [resolve(import.meta.dirname, '.tools', 'bin'), process.env.PATH ?? ''].join(delimiter);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // build/ once for the tests that run the app and the preflight as processes.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // The capture-script tests run shells concurrently and bound how long each step may take; on 2 cores, shared with
    // the other test files, more than two at a time made those bounds depend on the machine's load.
    maxConcurrency: 2,
    // At least two test files at a time, even on 2 cores (vitest's default there is one): many tests wait on the
    // processes they run (tsc, npm, shells, promtool, the app), so one file's wait is another's CPU time. On 2 cores
    // this took the suite from about 185 s to about 105 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
