/** The README's "Unit-testing your VRL" example, run as written there. */
import { expect, it } from 'vitest';
import { runCondition, runRemap, VectorPipeline } from '../../lib/vector';

it('runs the README example', () => {
  const pipeline = new VectorPipeline()
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addTransform('parse', {
      type: 'remap',
      inputs: ['k8s_logs'],
      source: 'if .message == "healthz" { abort }\n. = merge(., object!(parse_json!(.message)))\ndel(.message)',
    })
    .addTransform('no_debug', { type: 'filter', inputs: ['parse'], condition: '.level != "debug"' })
    .addSink('out', { type: 'console', inputs: ['no_debug'], encoding: { codec: 'json' } });

  const event = { message: '{"level":"info","user":"ada"}', timestamp: '2025-01-02T03:04:05Z' };
  const outcome = runRemap(pipeline, 'parse', event, { timestamps: ['timestamp'], typesOf: ['timestamp'] });
  expect(outcome).toEqual({
    dropped: false,
    event: { level: 'info', user: 'ada', timestamp: '2025-01-02T03:04:05Z' },
    types: { timestamp: 'timestamp' },
  });
  expect(runRemap(pipeline, 'parse', { message: 'healthz' })).toEqual({
    dropped: true,
    reason: 'abort',
    message: 'aborted',
    rerouted: false,
  });
  expect(runRemap(pipeline, 'parse', { message: 'not json' })).toEqual({
    dropped: false,
    event: { message: 'not json' },
    types: {},
    error: expect.stringMatching(/^function call error for "merge" at line 2, /),
  });
  expect(runCondition(pipeline, 'no_debug', { level: 'debug' })).toBe(false);
  expect(pipeline.validate()).toEqual([]);
});
