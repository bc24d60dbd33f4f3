/**
 * What `npm run synth` (build/apps/main.js) prints: per cluster the folder, its objects by kind and its number of
 * prerequisites, then how to run the preflight; a failed synth prints only the errors and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { countKinds, parseFleetYaml, synthesizeFleet } from '../../lib/fleet';
import { EXAMPLE_TEXT, exampleYaml } from '../fleet/fixtures';

const ROOT = resolve(__dirname, '..', '..');

function synth(fleet: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'synth-summary-'));
  writeFileSync(join(cwd, 'fleet.yaml'), fleet);
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: 'out' };
  delete env.FLEET_FILE;
  delete env.FLEET_PROMOTE_TO;
  return {
    cwd,
    ...spawnSync(process.execPath, [join(ROOT, 'build', 'apps', 'main.js')], { cwd, env, encoding: 'utf8' }),
  };
}

describe('the synth summary', () => {
  it('names each folder with its objects by kind and its prerequisites, and says how to run the preflight', () => {
    const result = synth(EXAMPLE_TEXT);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Wrote 5 cluster folders:');
    expect(lines[1]).toBe(
      '  out/monitoring/: 35 objects (4 Certificate, 4 NetworkPolicy, 4 Service, 3 ConfigMap, 3 PrometheusRule, ' +
        '2 ClusterIssuer, 2 Namespace, 2 PodMonitor, 2 PushSecret, 2 ServiceAccount, 1 ClusterRole, ' +
        '1 ClusterRoleBinding, 1 DaemonSet, 1 HorizontalPodAutoscaler, 1 PodDisruptionBudget, 1 Secret, ' +
        '1 StatefulSet); ' +
        '11 prerequisites in prerequisites.yaml',
    );
    expect(lines.slice(2, 6).map((l) => l.replace(/\(.*\)/, '(...)'))).toEqual([
      '  out/management/: 41 objects (...); 8 prerequisites in prerequisites.yaml',
      '  out/dev/: 31 objects (...); 13 prerequisites in prerequisites.yaml',
      '  out/staging/: 26 objects (...); 6 prerequisites in prerequisites.yaml',
      '  out/_flux/: 6 objects (...); 7 prerequisites in prerequisites.yaml',
    ]);
    expect(lines.slice(6)).toEqual([
      'Before applying a folder, check that its cluster has the prerequisites: npm run preflight -- <cluster> [--context NAME]',
      '',
    ]);
  }, 60_000);

  it('prints only the errors and writes nothing when the synth fails', () => {
    const result = synth(exampleYaml({ 'clusters.2.egressCidrs': ['10.0.0.1/24'] }));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'fleet.yaml: 1 problem; nothing was written:\n' +
        '  - cluster "dev" (clusters[2]): egressCidrs[0]: "10.0.0.1/24": the address has bits set beyond the /24 prefix; write the network address\n',
    );
    expect(existsSync(join(result.cwd, 'out'))).toBe(false);
    expect(readdirSync(result.cwd)).toEqual(['fleet.yaml']);
  }, 60_000);

  it('counts kinds as a YAML parser sees the documents', () => {
    for (const out of synthesizeFleet(parseFleetYaml(EXAMPLE_TEXT, 'fleet.yaml'), 'fleet.yaml')) {
      const parsed = new Map<string, number>();
      for (const doc of parseAllDocuments(out.files[`${out.cluster}.k8s.yaml`])) {
        const kind = (doc.toJS() as { kind: string }).kind;
        parsed.set(kind, (parsed.get(kind) ?? 0) + 1);
      }
      expect(new Map(countKinds(out.files[`${out.cluster}.k8s.yaml`])), out.cluster).toEqual(parsed);
    }
  });
});
