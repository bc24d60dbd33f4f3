/**
 * End-to-end acknowledgements: the aggregators' delivering sinks acknowledge, so the `vector` source answers an agent
 * only once its batch is in the Loki disk buffer (or, for metrics, in Prometheus), and the agent keeps the batch in
 * its own disk buffer until that answer. Where a source cannot acknowledge (the agents' `kubernetes_logs`, the Airflow
 * sidecar's `stdin`), acknowledgements would promise nothing, and they are left off; Vector's reference says which
 * sources can (those with the source-level `acknowledgements` option), and these tests hold the config to it.
 */
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_IDS } from '../../lib/aggregator';
import { vectorReference } from '../../lib/vector/reference/reference';
import { synthAgent } from '../agent/agent-fixtures';
import { synthTemplate } from '../airflow/airflow-fixtures';
import { LOKI_ENDPOINT, synthAggregator, vectorConfig } from './aggregator-fixtures';

/** Whether Vector 0.57 can acknowledge events of this source type (the reference lists the option for those only). */
const canAcknowledge = (sourceType: string): boolean => {
  const source = vectorReference().sources[sourceType];
  if (!source) throw new Error(`no source ${sourceType} in the reference`);
  return 'acknowledgements' in (source.options ?? {});
};

describe('end-to-end acknowledgements', () => {
  it('uses the sources as the reference describes them: vector acknowledges, kubernetes_logs and stdin cannot', () => {
    expect(canAcknowledge('vector')).toBe(true);
    expect(canAcknowledge('kubernetes_logs')).toBe(false);
    expect(canAcknowledge('stdin')).toBe(false);
  });

  it('acknowledges at the Loki sink, which writes to its disk buffer first, and at remote write', () => {
    const config = vectorConfig(synthAggregator().manifests);
    expect(config.sources[AGGREGATOR_IDS.agents].type).toBe('vector');
    const loki = config.sinks[AGGREGATOR_IDS.loki];
    expect(loki).toMatchObject({
      endpoint: LOKI_ENDPOINT,
      acknowledgements: { enabled: true },
      buffer: { type: 'disk', when_full: 'block' },
    });
    expect(config.sinks[AGGREGATOR_IDS.metrics]).toMatchObject({
      type: 'prometheus_remote_write',
      acknowledgements: { enabled: true },
    });
  });

  it('leaves them off where nothing is delivered onward: the metrics exporter and its own metrics', () => {
    const config = vectorConfig(synthAggregator({ metrics: { exporter: { port: 9100 } } }).manifests);
    expect(config.sinks[AGGREGATOR_IDS.metrics].type).toBe('prometheus_exporter');
    expect(config.sinks[AGGREGATOR_IDS.metrics].acknowledgements).toBeUndefined();
    expect(config.sinks[AGGREGATOR_IDS.selfMetrics].acknowledgements).toBeUndefined();
    expect(config.sinks[AGGREGATOR_IDS.loki].acknowledgements).toEqual({ enabled: true });
  });

  it('has every source that feeds an acknowledging aggregator sink able to acknowledge', () => {
    const config = vectorConfig(synthAggregator().manifests);
    const acknowledging = Object.values(config.sinks).filter(
      (s) => (s.acknowledgements as { enabled?: boolean } | undefined)?.enabled,
    );
    expect(acknowledging.length).toBeGreaterThan(0);
    const upstream = new Set<string>();
    const walk = (id: string): void => {
      const base = id.split('.')[0];
      const transform = config.transforms?.[base];
      if (transform) transform.inputs.forEach(walk);
      else upstream.add(base);
    };
    for (const sink of acknowledging) sink.inputs.forEach(walk);
    for (const id of upstream) expect([id, canAcknowledge(config.sources[id].type as string)]).toEqual([id, true]);
  });

  it("keeps the agent's batch in its disk buffer until the aggregator answers, and asks for no acknowledgement kubernetes_logs cannot give", () => {
    const { config } = synthAgent();
    const toAggregators = Object.values(config.sinks ?? {}).find((s) => s.type === 'vector');
    expect(toAggregators).toMatchObject({ buffer: { type: 'disk', when_full: 'block' } });
    expect(toAggregators?.acknowledgements).toBeUndefined();
    expect(Object.values(config.sources ?? {}).some((s) => s.type === 'kubernetes_logs')).toBe(true);
  });

  it('leaves them off on the Airflow sidecar, whose stdin source cannot acknowledge, and says so', () => {
    const { vectorConfig: config, vectorConfigText } = synthTemplate();
    const sources = Object.values(config.sources ?? {});
    expect(sources.map((s) => s.type)).toEqual(['stdin']);
    for (const sink of Object.values(config.sinks ?? {})) expect(sink.acknowledgements).toBeUndefined();
    expect(vectorConfigText).toContain('No acknowledgements: the stdin source cannot acknowledge');
  });
});
