import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ExampleChart } from '../../apps/example-chart';
import { synthToDirectory } from '../../apps/synth-to-directory';
import { expectValidChart } from '../helpers/k8s-schema';
import { expectAcceptedByVectorReference } from '../helpers/vector-reference';

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly data?: Record<string, string>;
}

const manifests = () => Testing.synth(new ExampleChart(Testing.app(), 'example')) as Manifest[];

describe('ExampleChart', () => {
  it('passes the Kubernetes schemas', () => {
    expectValidChart(new ExampleChart(Testing.app(), 'example'));
  });

  it("holds a Vector config that Vector's reference accepts", () => {
    const config = manifests().find((m) => m.kind === 'ConfigMap')?.data?.['vector.yaml'];
    expect(config).toBeDefined();
    expect(parse(config as string).sources.agents.type).toBe('vector');
    expectAcceptedByVectorReference({ 'example.yaml': config as string });
  });

  it('has stable names and no cdk8s labels', () => {
    const text = JSON.stringify(manifests());
    expect(text).not.toContain('cdk8s.io/');
    expect(manifests().map((m) => m.metadata.name)).toEqual(['vector-system', 'vector-example-config']);
  });

  it('synthesizes byte-identical output twice', () => {
    expect(JSON.stringify(manifests())).toBe(JSON.stringify(manifests()));
  });

  it('matches the reviewed snapshot', () => {
    expect(manifests()).toMatchSnapshot();
  });
});

describe('synthToDirectory', () => {
  const fresh = () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');
    return outdir;
  };

  it('writes one file per chart and replaces what was there', () => {
    const outdir = fresh();
    synthToDirectory(outdir, (app) => new ExampleChart(app, 'first'));
    writeFileSync(join(outdir, 'stale.k8s.yaml'), 'left over');
    synthToDirectory(outdir, (app) => new ExampleChart(app, 'example'));
    expect(readdirSync(outdir)).toEqual(['example.k8s.yaml']);
  });

  it('leaves the previous output untouched, and no staging folder, when synthesis fails', () => {
    const outdir = fresh();
    synthToDirectory(outdir, (app) => new ExampleChart(app, 'example'));
    const before = readFileSync(join(outdir, 'example.k8s.yaml'), 'utf8');
    const failing = (app: App) => {
      new ExampleChart(app, 'example');
      throw new Error('inventory is broken');
    };
    expect(() => synthToDirectory(outdir, failing)).toThrow('inventory is broken');
    expect(readFileSync(join(outdir, 'example.k8s.yaml'), 'utf8')).toBe(before);
    expect(readdirSync(join(outdir, '..')).filter((f) => f.startsWith('.synth-'))).toEqual([]);
    expect(existsSync(outdir)).toBe(true);
  });
});
