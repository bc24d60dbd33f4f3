/** A route output whose condition tests the event type carries only that type, and the model checks its readers. */
import { describe, expect, it } from 'vitest';
import { VectorPipeline } from '../../lib/vector';

function routed(): VectorPipeline {
  return new VectorPipeline().addSource('agents', { type: 'vector', address: '0.0.0.0:6000' }).addTransform('by_type', {
    type: 'route',
    inputs: ['agents'],
    route: { logs: { type: 'is_log' }, metrics: { type: 'is_metric' }, errors: '.level == "error"' },
  });
}

describe('route outputs narrowed by type conditions', () => {
  it('refuses an is_metric output feeding a logs-only sink, naming the output', () => {
    const p = routed()
      .addSink('loki', {
        type: 'loki',
        inputs: ['by_type.metrics'],
        endpoint: 'http://loki:3100',
        labels: { a: 'b' },
        encoding: { codec: 'json' },
      })
      .addSink('m', { type: 'prometheus_exporter', inputs: ['by_type.logs'], address: '0.0.0.0:9598' });
    expect(p.validate().filter((x) => x.message.includes('only emits'))).toEqual([
      {
        component: 'sinks.m',
        message:
          'prometheus_exporter accepts metrics, but input "by_type.logs" (route) only emits logs; derive metrics with log_to_metric or send it to a logs sink',
      },
      {
        component: 'sinks.loki',
        message:
          'loki accepts logs, but input "by_type.metrics" (route) only emits metrics; convert with a metric_to_log transform or send it to a metrics sink',
      },
    ]);
  });

  it('accepts each type output into the sink of that type', () => {
    const p = routed()
      .addSink('loki', {
        type: 'loki',
        inputs: ['by_type.logs'],
        endpoint: 'http://loki:3100',
        labels: { a: 'b' },
        encoding: { codec: 'json' },
      })
      .addSink('m', { type: 'prometheus_exporter', inputs: ['by_type.metrics'], address: '0.0.0.0:9598' })
      .addSink('e', {
        type: 'loki',
        inputs: ['by_type.errors', 'by_type._unmatched'],
        endpoint: 'http://loki:3100',
        labels: { a: 'b' },
        encoding: { codec: 'json' },
      });
    expect(p.validate().filter((x) => x.message.includes('only emits'))).toEqual([]);
  });

  it('does not narrow a VRL condition or `_unmatched`: they pass on what arrives', () => {
    const p = routed()
      .addSink('m', {
        type: 'prometheus_exporter',
        inputs: ['by_type.errors', 'by_type._unmatched'],
        address: '0.0.0.0:9598',
      })
      .addSink('l', {
        type: 'loki',
        inputs: ['by_type.logs'],
        endpoint: 'http://loki:3100',
        labels: { a: 'b' },
        encoding: { codec: 'json' },
      })
      .addSink('x', { type: 'prometheus_exporter', inputs: ['by_type.metrics'], address: '0.0.0.0:9599' });
    expect(p.validate().filter((x) => x.message.includes('only emits'))).toEqual([]);
  });
});
