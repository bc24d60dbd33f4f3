import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrerequisites, type Kubectl, preflightReport } from '../lib/k8s/preflight';
import { parsePrerequisitesFile, PREREQUISITES_FILE } from '../lib/k8s/prerequisites-file';

// `npm run preflight -- <cluster> [--context NAME]`: checks dist/<cluster>/prerequisites.yaml (CDK8S_OUTDIR for
// another folder) against the cluster with kubectl, which it runs with --context when given. Exits 1 when anything
// is missing or wrong, 2 when it cannot check.
// synthesizeFleet's KUSTOMIZATION_FILE, spelled out: importing lib/fleet would load cdk8s, a second of startup for nothing.
const KUSTOMIZATION_FILE = 'kustomization.yaml';
const USAGE = 'usage: npm run preflight -- <cluster> [--context NAME]';
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';

function parseArgs(argv: readonly string[]): { cluster: string; context?: string } {
  const positional: string[] = [];
  let context: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--context') {
      context = argv[++i];
      if (!context) throw new Error(`--context needs a kubeconfig context name; ${USAGE}`);
    } else if (arg.startsWith('--context=')) {
      context = arg.slice('--context='.length);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option "${arg}"; ${USAGE}`);
    } else positional.push(arg);
  }
  if (positional.length !== 1) throw new Error(`give exactly one cluster; ${USAGE}`);
  return { cluster: positional[0], ...(context ? { context } : {}) };
}

function knownClusters(): string[] {
  if (!existsSync(outdir)) return [];
  return readdirSync(outdir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(outdir, e.name, KUSTOMIZATION_FILE)))
    .map((e) => e.name)
    .sort();
}

function main(): number {
  const { cluster, context } = parseArgs(process.argv.slice(2));
  const known = knownClusters();
  if (!known.includes(cluster)) {
    throw new Error(
      known.length > 0
        ? `unknown cluster "${cluster}": ${outdir}/ has ${known.join(', ')}`
        : `unknown cluster "${cluster}": ${outdir}/ holds no synthesized cluster; run \`npm run synth\` first`,
    );
  }
  const file = join(outdir, cluster, PREREQUISITES_FILE);
  if (!existsSync(file)) {
    throw new Error(`${file} not found: run \`npm run synth\` to write it (a synth older than the preflight lacks it)`);
  }
  const { prerequisites } = parsePrerequisitesFile(readFileSync(file, 'utf8'), file);
  const kubectl: Kubectl = (args) => {
    const result = spawnSync('kubectl', [...(context ? ['--context', context] : []), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
  };
  const results = checkPrerequisites(prerequisites, kubectl);
  const where = context ? `context ${context}` : 'the current kubectl context';
  process.stdout.write(`Prerequisites of ${cluster} (${file}) in ${where}:\n${preflightReport(cluster, results)}`);
  return results.every((r) => r.status === 'present') ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  // Not process.exit: stderr into a pipe is written asynchronously.
  console.error((error as Error).message);
  process.exitCode = 2;
}
