import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { it } from 'vitest';

const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * The shared validator sits beside the project (`../shared`); VECTOR_REFERENCE_DIR points elsewhere. It is an extra,
 * outside check: the library's own `validate()` checks every component against the embedded reference, and a clone
 * without `../shared` (or with VECTOR_REFERENCE_DIR naming a missing folder) skips this one.
 */
export const VECTOR_REFERENCE_DIR =
  process.env.VECTOR_REFERENCE_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'vector-reference');
export const VALIDATOR = join(VECTOR_REFERENCE_DIR, 'validate-vector-config.mjs');
/** The shared reference data, when present: the embedded copy must equal it. */
export const SHARED_REFERENCE_JSON = join(VECTOR_REFERENCE_DIR, 'vector-reference.json');
export const HAS_SHARED_VALIDATOR = existsSync(VALIDATOR);

/** A test of the shared validator's own verdict: skipped, and saying so in its name, where the validator is absent. */
export function itWithSharedValidator(name: string, test: () => void | Promise<void>, timeout?: number): void {
  const shown = HAS_SHARED_VALIDATOR ? name : `${name} (skipped: no shared validator at ${VALIDATOR})`;
  it.skipIf(!HAS_SHARED_VALIDATOR)(shown, test, timeout);
}

export interface ReferenceResult {
  readonly exitCode: number;
  /** Problem lines (warnings excluded), e.g. `agent.yaml: sinks.loki: unknown option ...`. */
  readonly problems: readonly string[];
  readonly output: string;
  /** False when the shared validator is absent and nothing was checked. */
  readonly checked: boolean;
}

/**
 * Runs Vector's component reference validator over rendered configs (name -> YAML text, or a
 * Kubernetes manifest file holding ConfigMaps). One process for all files keeps it fast.
 */
export function checkWithVectorReference(files: Readonly<Record<string, string>>): ReferenceResult {
  if (!HAS_SHARED_VALIDATOR) {
    return { exitCode: 0, problems: [], output: `shared Vector validator absent (${VALIDATOR})`, checked: false };
  }
  const dir = mkdtempSync(join(tmpdir(), 'vector-ref-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      const path = join(dir, name.endsWith('.yaml') ? name : `${name}.yaml`);
      writeFileSync(path, text);
      return path;
    });
    let output: string;
    let exitCode = 0;
    try {
      output = execFileSync(process.execPath, [VALIDATOR, '--quiet-warnings', ...paths], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      exitCode = err.status ?? 2;
      output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
    output = output.split(`${dir}/`).join('');
    const problems = output
      .split('\n')
      .filter((l) => l.includes(': ') && !l.includes(': warning: ') && !/configs? checked/.test(l));
    return { exitCode, problems, output, checked: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails with the validator's own words unless every file passes with 0 problems. */
export function expectAcceptedByVectorReference(files: Readonly<Record<string, string>>): void {
  const result = checkWithVectorReference(files);
  if (result.exitCode !== 0 || result.problems.length > 0) {
    throw new Error(`Vector reference validator rejected the config:\n${result.output}`);
  }
}

/**
 * Collects the manifests a test file synthesizes, each distinct one once, so that a single validator process checks
 * them all (in an `afterAll`): one process per chart would be far slower.
 */
export class ConfigRecorder {
  private readonly recorded = new Map<string, string>();

  constructor(private readonly prefix: string) {}

  record(manifestsYaml: string): void {
    if (!this.recorded.has(manifestsYaml)) {
      this.recorded.set(manifestsYaml, `${this.prefix}-${this.recorded.size + 1}.k8s.yaml`);
    }
  }

  /** Fails with the validator's own output unless every recorded ConfigMap config passes, and all were checked. */
  expectAllAccepted(): void {
    if (this.recorded.size === 0) return;
    const files = Object.fromEntries([...this.recorded].map(([yaml, name]) => [name, yaml]));
    const result = checkWithVectorReference(files);
    if (!result.checked) return;
    const summary = `${this.recorded.size} configs checked, 0 problems`;
    if (result.exitCode !== 0 || result.problems.length > 0 || !result.output.includes(summary)) {
      throw new Error(`the shared Vector validator rejected a config (expected "${summary}"):\n${result.output}`);
    }
  }
}
