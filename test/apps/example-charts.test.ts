import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EXAMPLE, ExampleMonitoringChart, ExampleSourceChart } from '../../apps/example-charts';
import { synthToDirectory } from '../../apps/synth-to-directory';
import { expectValidChart } from '../helpers/k8s-schema';
import { expectRulesValid } from '../helpers/promtool';
import { expectAcceptedByVectorReference } from '../helpers/vector-reference';

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly groups?: unknown };
}

function charts(app: App = Testing.app()) {
  const monitoring = new ExampleMonitoringChart(app, 'monitoring');
  const dev = new ExampleSourceChart(app, 'dev', { aggregatorEndpoint: `${EXAMPLE.aggregatorHostname}:6000` });
  return { monitoring, dev };
}

describe('example charts', () => {
  it('pass the Kubernetes schemas', () => {
    const { monitoring, dev } = charts();
    expectValidChart(monitoring);
    expectValidChart(dev);
  });

  it("hold Vector configs that Vector's reference accepts", () => {
    const { monitoring, dev } = charts();
    expectAcceptedByVectorReference({
      'monitoring.yaml': Testing.synth(monitoring)
        .map((o) => stringify(o))
        .join('---\n'),
      'dev.yaml': Testing.synth(dev)
        .map((o) => stringify(o))
        .join('---\n'),
    });
  });

  it('have alert rules that promtool accepts, for the agents and the aggregators', () => {
    const { monitoring, dev } = charts();
    const rules = [...Testing.synth(monitoring), ...Testing.synth(dev)].filter(
      (m) => (m as Manifest).kind === 'PrometheusRule',
    ) as Manifest[];
    expect(rules.map((r) => r.metadata.name)).toHaveLength(2);
    for (const rule of rules) expectRulesValid(stringify({ groups: rule.spec?.groups }));
  });

  it('wire the agents to the aggregators through the load balancer', () => {
    const { dev } = charts();
    const config = dev.agent.pipeline.toConfig() as { sinks: Record<string, { routing?: { endpoints: string[] } }> };
    expect(config.sinks.to_aggregators.routing?.endpoints).toEqual([`http://${EXAMPLE.aggregatorHostname}:6000`]);
  });

  it('have stable names and no cdk8s labels', () => {
    const { monitoring, dev } = charts();
    const all = [...Testing.synth(monitoring), ...Testing.synth(dev)] as Manifest[];
    expect(JSON.stringify(all)).not.toContain('cdk8s.io/');
    for (const m of all) expect(m.metadata.name, `${m.kind} has a name`).toMatch(/^[a-z0-9]/);
  });

  it('synthesize byte-identical output twice', () => {
    const once = JSON.stringify(Testing.synth(charts().dev));
    expect(JSON.stringify(Testing.synth(charts().dev))).toBe(once);
  });
});

describe('synthToDirectory', () => {
  const fresh = () => join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');

  it('writes one file per chart and replaces what was there', () => {
    const outdir = fresh();
    synthToDirectory(outdir, (app) => charts(app));
    writeFileSync(join(outdir, 'stale.k8s.yaml'), 'left over');
    synthToDirectory(outdir, (app) => charts(app));
    expect(readdirSync(outdir).sort()).toEqual(['dev.k8s.yaml', 'monitoring.k8s.yaml']);
  });

  it('leaves the previous output untouched, and no staging folder, when synthesis fails', () => {
    const outdir = fresh();
    synthToDirectory(outdir, (app) => charts(app));
    const before = readFileSync(join(outdir, 'dev.k8s.yaml'), 'utf8');
    const failing = (app: App) => {
      charts(app);
      throw new Error('inventory is broken');
    };
    expect(() => synthToDirectory(outdir, failing)).toThrow('inventory is broken');
    expect(readFileSync(join(outdir, 'dev.k8s.yaml'), 'utf8')).toBe(before);
    expect(readdirSync(join(outdir, '..')).filter((f) => f.startsWith('.synth-'))).toEqual([]);
    expect(existsSync(outdir)).toBe(true);
  });

  it('fails the synth, writing nothing, when a pipeline is invalid', () => {
    const outdir = fresh();
    const invalid = (app: App) => {
      const { dev } = charts(app);
      dev.agent.pipeline.addSink('loki_direct', {
        type: 'loki',
        inputs: ['vector_metrics'],
        endpoint: 'http://loki',
        encoding: { codec: 'json' },
      });
    };
    expect(() => synthToDirectory(outdir, invalid)).toThrow(
      /\[dev\/agent\/Config\] sinks\.loki_direct: loki accepts logs, but input "vector_metrics" \(internal_metrics\) only emits metrics/,
    );
    expect(existsSync(outdir)).toBe(false);
  });
});
