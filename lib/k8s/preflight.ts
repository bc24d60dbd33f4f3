import { kubectlResource } from './built-in-objects';
import { describePrerequisite, type Prerequisite } from './prerequisites';

/** What running `kubectl` with some arguments gave: as `spawnSync` reports it. */
export interface KubectlResult {
  /** The exit code; `null` when it did not run or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when kubectl could not be started (`ENOENT`: not on PATH). */
  readonly error?: Error & { readonly code?: string };
}

/** Runs `kubectl` with the arguments (the context already added by the caller). */
export type Kubectl = (args: readonly string[]) => KubectlResult;

/** One prerequisite as the cluster has it. */
export interface PreflightResult {
  readonly prerequisite: Prerequisite;
  readonly status: 'present' | 'missing' | 'wrong';
  /** What is wrong, for `wrong`. */
  readonly detail?: string;
}

/** The preflight could not ask the cluster: kubectl is missing, the cluster unreachable, or kubectl failed. */
export class PreflightError extends Error {}

/**
 * Looks up every prerequisite with `kubectl get <resource> <name> [-n <namespace>] -o json`, after `kubectl version`
 * has shown that the cluster answers: present, missing (NotFound), or wrong (a Secret or ConfigMap without a key it
 * needs, a CRD that does not serve a version it needs). Any other kubectl failure is a {@link PreflightError} with
 * kubectl's stderr.
 */
export function checkPrerequisites(prerequisites: readonly Prerequisite[], kubectl: Kubectl): PreflightResult[] {
  const version = kubectl(['version', '-o', 'json']);
  if (version.error) {
    throw new PreflightError(
      version.error.code === 'ENOENT'
        ? 'kubectl not found on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/) and run the preflight again'
        : `kubectl could not be started: ${version.error.message}`,
    );
  }
  if (version.status !== 0) {
    throw new PreflightError(
      `cannot reach the cluster (kubectl version exited with ${version.status}):\n${version.stderr.trimEnd()}`,
    );
  }
  return prerequisites.map((p) => checkOne(p, kubectl));
}

function checkOne(prerequisite: Prerequisite, kubectl: Kubectl): PreflightResult {
  const args = ['get', kubectlResource(prerequisite.kind, prerequisite.group), prerequisite.name, '-o', 'json'];
  if (prerequisite.namespace) args.push('-n', prerequisite.namespace);
  const result = kubectl(args);
  if (result.status !== 0) {
    if (/\(NotFound\)/.test(result.stderr)) return { prerequisite, status: 'missing' };
    throw new PreflightError(
      `kubectl ${args.join(' ')} failed (exit ${result.status}) for ${describePrerequisite(prerequisite)}:\n${result.stderr.trimEnd()}`,
    );
  }
  let object: Record<string, unknown>;
  try {
    object = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new PreflightError(`kubectl ${args.join(' ')} printed no JSON object:\n${result.stdout.slice(0, 200)}`);
  }
  const detail = wrongness(prerequisite, object);
  return detail ? { prerequisite, status: 'wrong', detail } : { prerequisite, status: 'present' };
}

/** What the object lacks, or undefined when it has what the prerequisite needs. */
function wrongness(prerequisite: Prerequisite, object: Record<string, unknown>): string | undefined {
  const record = (value: unknown) => (typeof value === 'object' && value !== null ? value : {});
  if ((prerequisite.kind === 'Secret' || prerequisite.kind === 'ConfigMap') && prerequisite.keys?.length) {
    const has = new Set([...Object.keys(record(object.data)), ...Object.keys(record(object.binaryData))]);
    const lacking = prerequisite.keys.filter((k) => !has.has(k));
    if (lacking.length === 0) return undefined;
    const held = has.size > 0 ? [...has].sort().join(', ') : 'none';
    return `has no key ${lacking.map((k) => `"${k}"`).join(', ')} (its keys: ${held})`;
  }
  if (prerequisite.kind === 'CustomResourceDefinition' && prerequisite.versions?.length) {
    const versions = (record(object.spec) as { versions?: unknown }).versions;
    const served = (Array.isArray(versions) ? versions : [])
      .map((v) => record(v) as { name?: unknown; served?: unknown })
      .filter((v) => v.served === true && typeof v.name === 'string')
      .map((v) => v.name as string);
    const lacking = prerequisite.versions.filter((v) => !served.includes(v));
    if (lacking.length === 0) return undefined;
    return `does not serve ${lacking.join(', ')} (it serves: ${served.length > 0 ? served.join(', ') : 'none'})`;
  }
  return undefined;
}

/**
 * The report: one line per prerequisite (`present`, `missing` or `wrong` and what), with why and what to do under each
 * one that is not present, and a last line counting them.
 */
export function preflightReport(cluster: string, results: readonly PreflightResult[]): string {
  const lines: string[] = [];
  for (const { prerequisite, status, detail } of results) {
    lines.push(`${status.padEnd(8)}${describePrerequisite(prerequisite)}${detail ? `: ${detail}` : ''}`);
    if (status === 'present') continue;
    for (const why of prerequisite.why) lines.push(`        needed by ${why}`);
    const [first, ...rest] = prerequisite.how.trimEnd().split('\n');
    lines.push(`        to do: ${first}`, ...rest.map((line) => `          ${line}`));
  }
  const count = (status: PreflightResult['status']) => results.filter((r) => r.status === status).length;
  const bad = count('missing') + count('wrong');
  lines.push(
    `${cluster}: ${count('present')} present, ${count('missing')} missing, ${count('wrong')} wrong` +
      (bad === 0 ? ': ready to apply' : ': provide what is missing or wrong before applying'),
  );
  return `${lines.join('\n')}\n`;
}
