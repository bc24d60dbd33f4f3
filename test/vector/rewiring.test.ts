/** Rewiring a pipeline: replacing inputs, and putting a transform between a component and its readers. */
import { describe, expect, it } from 'vitest';
import { VectorPipeline } from '../../lib/vector';

function logsPipeline(): VectorPipeline {
  return new VectorPipeline()
    .addSource('logs', { type: 'kubernetes_logs' })
    .addTransform('enrich', { type: 'remap', inputs: ['logs'], source: '.cluster = "a"' })
    .addSink('out', { type: 'vector', inputs: ['enrich'], routing: { endpoints: ['http://agg:6000'] } })
    .addSink('debug', { type: 'console', inputs: ['enrich', 'logs'], encoding: { codec: 'json' } });
}

describe('insertAfter', () => {
  it('makes every reader of the output read the inserted transform, which reads the output', () => {
    const p = logsPipeline().insertAfter('enrich', 'drop_debug', { type: 'filter', condition: '.severity != "debug"' });
    expect(p.component('drop_debug')?.inputs).toEqual(['enrich']);
    expect(p.component('out')?.inputs).toEqual(['drop_debug']);
    expect(p.component('debug')?.inputs).toEqual(['drop_debug', 'logs']);
    expect(p.validate()).toEqual([]);
  });

  it('rewires only readers of that exact named output', () => {
    const p = new VectorPipeline()
      .addSource('in', { type: 'vector', address: '0.0.0.0:6000' })
      .addTransform('by_type', {
        type: 'route',
        inputs: ['in'],
        route: { logs: { type: 'is_log' }, metrics: { type: 'is_metric' } },
      })
      .addSink('loki', {
        type: 'loki',
        inputs: ['by_type.logs'],
        endpoint: 'http://loki:3100',
        labels: { a: 'b' },
        encoding: { codec: 'json' },
      })
      .addSink('m', { type: 'prometheus_exporter', inputs: ['by_type.metrics'], address: '0.0.0.0:9598' })
      .insertAfter('by_type.logs', 'sample_all', { type: 'sample', rate: 10 });
    expect(p.component('loki')?.inputs).toEqual(['sample_all']);
    expect(p.component('m')?.inputs).toEqual(['by_type.metrics']);
    expect(p.component('sample_all')?.inputs).toEqual(['by_type.logs']);
    expect(p.validate()).toEqual([]);
  });

  it('refuses an unknown producer and an id in use', () => {
    expect(() => logsPipeline().insertAfter('enrichh', 'f', { type: 'filter', condition: 'true' })).toThrow(
      'Vector pipeline: no component "enrichh" to insert after',
    );
    expect(() => logsPipeline().insertAfter('enrich', 'out', { type: 'filter', condition: 'true' })).toThrow(
      'Vector pipeline: a component "out" exists already',
    );
  });
});

describe('setInputs', () => {
  it('replaces the inputs, which validate() then checks', () => {
    const p = logsPipeline()
      .addTransform('drop_debug', { type: 'filter', inputs: ['enrich'], condition: '.severity != "debug"' })
      .setInputs('out', ['drop_debug']);
    expect(p.component('out')?.inputs).toEqual(['drop_debug']);
    expect(p.validate()).toEqual([]);
    expect(logsPipeline().setInputs('out', ['nope']).validate()).toContainEqual({
      component: 'sinks.out',
      message: 'unknown input "nope"',
    });
  });

  it('refuses a source and an unknown id', () => {
    expect(() => logsPipeline().setInputs('logs', ['enrich'])).toThrow(
      'Vector pipeline: sources.logs is a source and takes no inputs',
    );
    expect(() => logsPipeline().setInputs('nope', [])).toThrow('Vector pipeline: no component "nope" to set inputs of');
  });
});
