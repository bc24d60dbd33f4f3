import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * Runs Prometheus' `promtool` on generated rule files: `check rules` (syntax, PromQL, templates) and `test rules`
 * (unit tests with input series and expected alerts). `scripts/ensure-test-tools.sh`, run by `npm test`, installs it.
 */

export interface PromtoolResult {
  readonly exitCode: number;
  /** stdout and stderr together, as promtool interleaves its report over both. */
  readonly output: string;
}

const REPO_ROOT = resolve(__dirname, '..', '..');
const LOCAL_PROMTOOL = join(REPO_ROOT, '.tools', 'bin', 'promtool');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let located: string | undefined;

/** `.tools/bin/promtool` (what the install script writes) or the first `promtool` on PATH. */
export function promtoolPath(): string {
  if (located) return located;
  const candidates = [LOCAL_PROMTOOL, ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'promtool'))];
  located = candidates.find((path) => path !== 'promtool' && isExecutable(path));
  if (!located) {
    throw new Error(
      `promtool not found (looked for ${LOCAL_PROMTOOL} and on PATH): run 'bash scripts/ensure-test-tools.sh', ` +
        `which unpacks it from Debian's prometheus package into .tools/bin/`,
    );
  }
  return located;
}

function run(args: readonly string[], cwd: string): PromtoolResult {
  const result = spawnSync(promtoolPath(), args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { exitCode: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules` on one rule file (YAML with a top-level `groups:`). */
export function checkRules(ruleFileYaml: string): PromtoolResult {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'rules.yaml'), ruleFileYaml);
    return run(['check', 'rules', 'rules.yaml'], dir);
  });
}

/**
 * `promtool test rules`. The rule file is written as `rules.yaml` beside the test file, and the test file's
 * `rule_files` is set to it, so callers write only `evaluation_interval` and `tests`.
 */
export function testRules(ruleFileYaml: string, testFileYaml: string): PromtoolResult {
  return withTempDir((dir) => {
    const tests: unknown = parse(testFileYaml);
    if (typeof tests !== 'object' || tests === null || Array.isArray(tests)) {
      throw new Error('testRules: the test file must be a YAML mapping with a `tests` list');
    }
    writeFileSync(join(dir, 'rules.yaml'), ruleFileYaml);
    writeFileSync(join(dir, 'tests.yaml'), stringify({ ...tests, rule_files: ['rules.yaml'] }));
    return run(['test', 'rules', 'tests.yaml'], dir);
  });
}

export function expectRulesValid(ruleFileYaml: string): void {
  const result = checkRules(ruleFileYaml);
  if (result.exitCode !== 0) {
    throw new Error(`promtool check rules failed (exit ${result.exitCode}):\n${result.output}`);
  }
}

export function expectRuleTestsPass(ruleFileYaml: string, testFileYaml: string): void {
  const result = testRules(ruleFileYaml, testFileYaml);
  if (result.exitCode !== 0) {
    throw new Error(`promtool test rules failed (exit ${result.exitCode}):\n${result.output}`);
  }
}
