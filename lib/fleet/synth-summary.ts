import { join } from 'node:path';
import { parsePrerequisitesFile, PREREQUISITES_FILE } from '../k8s/prerequisites-file';
import type { ClusterOutput } from './synthesize-fleet';

/** A manifest document's own `kind:` line: cdk8s writes every object as a top-level mapping, nested keys indented. */
const TOP_LEVEL_KIND = /^kind: (.+)$/gm;

/** The objects of a `.k8s.yaml` text, counted by kind, most frequent first (then by name). */
export function countKinds(manifests: string): [kind: string, count: number][] {
  const counts = new Map<string, number>();
  for (const [, kind] of manifests.matchAll(TOP_LEVEL_KIND)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * What `npm run synth` prints after writing `outdir`: per cluster its folder, its objects by kind and how many
 * prerequisites it lists, then how to check them with the preflight.
 */
export function synthSummary(outdir: string, outputs: readonly ClusterOutput[]): string {
  const lines = [`Wrote ${outputs.length} cluster folder${outputs.length === 1 ? '' : 's'}:`];
  for (const { cluster, files } of outputs) {
    const folder = join(outdir, cluster);
    const kinds = countKinds(files[`${cluster}.k8s.yaml`] ?? '');
    const total = kinds.reduce((sum, [, n]) => sum + n, 0);
    const prerequisites = files[PREREQUISITES_FILE]
      ? parsePrerequisitesFile(files[PREREQUISITES_FILE], join(folder, PREREQUISITES_FILE)).prerequisites.length
      : 0;
    lines.push(
      `  ${folder}/: ${total} objects (${kinds.map(([kind, n]) => `${n} ${kind}`).join(', ')}); ` +
        `${prerequisites} prerequisite${prerequisites === 1 ? '' : 's'} in ${PREREQUISITES_FILE}`,
    );
  }
  lines.push(
    'Before applying a folder, check that its cluster has the prerequisites: npm run preflight -- <cluster> [--context NAME]',
  );
  return `${lines.join('\n')}\n`;
}
