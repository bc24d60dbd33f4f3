import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeClusters } from '../../apps/synth-to-directory';
import type { ClusterOutput } from '../../lib/fleet';

const output = (cluster: string, text = 'kind: Namespace\n'): ClusterOutput => ({
  cluster,
  files: { [`${cluster}.k8s.yaml`]: text, 'kustomization.yaml': `resources: [${cluster}.k8s.yaml]\n` },
});
const fresh = () => join(mkdtempSync(join(tmpdir(), 'write-clusters-')), 'dist');
const tree = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => p.split('\\').join('/'))
    .sort();
const staging = (outdir: string) => readdirSync(join(outdir, '..')).filter((f) => f.startsWith('.synth-'));

describe('writeClusters', () => {
  it('writes <outdir>/<cluster>/<file> and replaces earlier output whole, stale clusters included', () => {
    const outdir = fresh();
    writeClusters(outdir, () => [output('dev'), output('old')]);
    writeClusters(outdir, () => [output('dev', 'kind: ConfigMap\n'), output('staging')]);
    expect(tree(outdir)).toEqual([
      'dev',
      'dev/dev.k8s.yaml',
      'dev/kustomization.yaml',
      'staging',
      'staging/kustomization.yaml',
      'staging/staging.k8s.yaml',
    ]);
    expect(readFileSync(join(outdir, 'dev', 'dev.k8s.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
    expect(staging(outdir)).toEqual([]);
  });

  it("replaces cdk8s' own layout (*.k8s.yaml files), as dist/ had before the fleet", () => {
    const outdir = fresh();
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'dev.k8s.yaml'), 'old');
    writeClusters(outdir, () => [output('dev')]);
    expect(tree(outdir)).toEqual(['dev', 'dev/dev.k8s.yaml', 'dev/kustomization.yaml']);
  });

  it('leaves the earlier output untouched, and no staging folder, when synthesis throws', () => {
    const outdir = fresh();
    writeClusters(outdir, () => [output('dev')]);
    expect(() =>
      writeClusters(outdir, () => {
        throw new Error('fleet.yaml: 1 problem');
      }),
    ).toThrow('fleet.yaml: 1 problem');
    expect(tree(outdir)).toEqual(['dev', 'dev/dev.k8s.yaml', 'dev/kustomization.yaml']);
    expect(staging(outdir)).toEqual([]);
  });

  it('refuses to replace a folder that holds anything a synth did not write, and changes nothing', () => {
    const outdir = fresh();
    mkdirSync(join(outdir, '.git'), { recursive: true });
    writeFileSync(join(outdir, 'notes.txt'), 'mine');
    expect(() => writeClusters(outdir, () => [output('dev')])).toThrow(
      `refusing to replace ${outdir}: it holds ".git", which a synth did not write; point CDK8S_OUTDIR at an empty folder or at earlier output`,
    );
    expect(tree(outdir)).toEqual(['.git', 'notes.txt']);
    expect(staging(outdir)).toEqual([]);
  });

  it('refuses a cluster folder without a kustomization, and a file in place of the folder', () => {
    const outdir = fresh();
    mkdirSync(join(outdir, 'dev'), { recursive: true });
    expect(() => writeClusters(outdir, () => [output('dev')])).toThrow('it holds "dev", which a synth did not write');
    const file = fresh();
    writeFileSync(file, 'x');
    expect(() => writeClusters(file, () => [output('dev')])).toThrow(`refusing to replace ${file}: it is a file`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('creates the output folder and its parents when they do not exist', () => {
    const outdir = join(fresh(), 'nested', 'dist');
    writeClusters(outdir, () => [output('dev')]);
    expect(existsSync(join(outdir, 'dev', 'kustomization.yaml'))).toBe(true);
  });
});
