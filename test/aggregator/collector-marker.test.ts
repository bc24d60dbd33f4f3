/**
 * The collector marker: while a cluster migrates from Promtail, the aggregators give its lines the Loki label
 * collector="vector", so Loki never holds two unmarked copies of a line. Proven by running the generated remap on
 * events and expanding the loki sink's labels as Vector 0.57 does (src/common/expansion.rs, pair_expansion).
 */
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_IDS, COLLECTOR_LABEL, collectorMarkerVrl } from '../../lib/aggregator';
import { runRemap, VectorPipeline } from '../../lib/vector';
import { synthAggregator, vectorConfig } from './aggregator-fixtures';

type Sink = { inputs: string[]; labels: Record<string, string>; encoding: { except_fields: string[] } };

type Config = { transforms: Record<string, { inputs: string[] } | undefined>; sinks: { loki: Sink } };
const configOf = (manifests: Parameters<typeof vectorConfig>[0]) => vectorConfig(manifests) as unknown as Config;

const marked = synthAggregator({ markedClusters: ['dev', 'staging'] });
const sink = configOf(marked.manifests).sinks.loki;

/** The labels Vector's loki sink gives an event: each `{{ field }}` rendered, a `*` key expanded from its JSON object. */
function lokiLabels(labels: Record<string, string>, event: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, template] of Object.entries(labels)) {
    const field = /^\{\{ (\w+) \}\}$/.exec(template)?.[1];
    if (!field) throw new Error(`unexpected label template ${template}`);
    const value = event[field];
    // A missing field is a TemplateRenderingError: the label is left out (and counted in component_errors_total).
    if (value === undefined) continue;
    if (key.endsWith('*')) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[`${key.slice(0, -1)}${k}`] = String(v);
    } else out[key] = String(value);
  }
  return out;
}

/** What the aggregators send to Loki for one agent event: marker remap, then the sink's labels and line. */
function shipped(event: Record<string, unknown>) {
  const outcome = runRemap(marked.aggregator.pipeline, AGGREGATOR_IDS.collectorMarker, event);
  if (outcome.dropped) throw new Error(`dropped: ${outcome.message}`);
  const line = Object.fromEntries(
    Object.entries(outcome.event).filter(([k]) => !sink.encoding.except_fields.includes(k)),
  );
  return { labels: lokiLabels(sink.labels, outcome.event), line, error: outcome.error };
}

const line = (cluster: string) => ({
  message: 'GET /healthz 200',
  cluster,
  environment: 'development',
  namespace: 'shop',
  container: 'api',
  severity: 'info',
  pod: 'api-7d9f',
  node: 'node-a',
  line_hash: 'abc',
});

describe('collector marker', () => {
  it('labels the lines of a marked cluster collector="vector", and nothing else changes', () => {
    const { labels, line: body, error } = shipped(line('dev'));
    expect(error).toBeUndefined();
    expect(labels).toEqual({
      cluster: 'dev',
      environment: 'development',
      namespace: 'shop',
      container: 'api',
      severity: 'info',
      [COLLECTOR_LABEL.name]: COLLECTOR_LABEL.value,
    });
    // The line itself is what it was, without the marker's field or the digest.
    const expected: Record<string, unknown> = line('dev');
    delete expected.line_hash;
    expect(body).toEqual(expected);
  });

  it('gives the lines of every other cluster no extra label and no template error', () => {
    const { labels, line: body } = shipped(line('prod'));
    expect(labels).not.toHaveProperty(COLLECTOR_LABEL.name);
    expect(Object.keys(labels).sort()).toEqual(['cluster', 'container', 'environment', 'namespace', 'severity']);
    expect(body).not.toHaveProperty('loki_extra_labels');
  });

  it('marks a line without a cluster field as nothing, rather than failing', () => {
    const noCluster: Record<string, unknown> = line('dev');
    delete noCluster.cluster;
    expect(shipped(noCluster).labels).not.toHaveProperty(COLLECTOR_LABEL.name);
  });

  it('sits between the sampling and the loki sink, and only when some cluster is marked', () => {
    const config = configOf(marked.manifests);
    expect(sink.inputs).toEqual([AGGREGATOR_IDS.collectorMarker]);
    expect(config.transforms[AGGREGATOR_IDS.collectorMarker]?.inputs).toEqual(['sample_ingress_nginx']);
    expect(sink.labels['*']).toBe('{{ loki_extra_labels }}');

    const plain = configOf(synthAggregator().manifests);
    expect(plain.transforms[AGGREGATOR_IDS.collectorMarker]).toBeUndefined();
    expect(plain.sinks.loki.labels).not.toHaveProperty('*');
    expect(plain.sinks.loki.encoding.except_fields).toEqual(['line_hash']);
  });

  it('is one VRL program that compiles for any list of clusters', () => {
    const pipeline = new VectorPipeline();
    pipeline.addTransform('m', { type: 'remap', inputs: ['x'], source: collectorMarkerVrl(['a.b', 'c_d']) });
    const out = runRemap(pipeline, 'm', { cluster: 'c_d' });
    expect(out).toMatchObject({ dropped: false, event: { loki_extra_labels: { collector: 'vector' } } });
  });

  it('rejects a marked cluster that is not a cluster name, naming the prop', () => {
    expect(() => synthAggregator({ markedClusters: ['dev', 'no spaces'] })).toThrow(
      /markedClusters\[1\].*"no spaces".*use 1 to 63 letters, digits/,
    );
  });
});
