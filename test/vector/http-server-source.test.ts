import { describe, expect, it } from 'vitest';
import { formatProblem, VectorPipeline } from '../../lib/vector';

/** `http_server`, the source KubernetesEvents receives the exporter's posts with. */
function pipelineWith(source: Record<string, unknown>, sink: Record<string, unknown> = { type: 'blackhole' }) {
  const p = new VectorPipeline();
  p.addSource('hook', source as never);
  p.addSink('out', { inputs: ['hook'], ...sink } as never);
  return p.validate().map(formatProblem);
}

describe('http_server source', () => {
  it('a loopback listener with the json codec validates and is listed among the listeners', () => {
    expect(pipelineWith({ type: 'http_server', address: '127.0.0.1:8080', decoding: { codec: 'json' } })).toEqual([]);
    const p = new VectorPipeline();
    p.addSource('hook', { type: 'http_server', address: '127.0.0.1:8080' });
    expect(p.listeners().map((l) => l.component)).toEqual(['sources.hook']);
  });

  it('with the json codec it emits logs only: a metrics-only sink after it is a type mismatch', () => {
    const problems = pipelineWith(
      { type: 'http_server', address: '127.0.0.1:8080', decoding: { codec: 'json' } },
      { type: 'prometheus_exporter', address: '0.0.0.0:9598' },
    );
    expect(problems).toEqual([
      'sinks.out: prometheus_exporter accepts metrics, but input "hook" (http_server) only emits logs; derive metrics with log_to_metric or send it to a logs sink',
    ]);
  });

  it('names a missing address and an unknown option', () => {
    expect(pipelineWith({ type: 'http_server' })).toEqual(['sources.hook: http_server needs `address`']);
    expect(pipelineWith({ type: 'http_server', address: '127.0.0.1:8080', port: 8080 }).join('\n')).toContain(
      'unknown option `port` for http_server',
    );
  });
});
