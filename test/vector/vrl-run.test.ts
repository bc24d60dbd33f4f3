/** runRemap and runCondition: a pipeline's VRL run on one event, with Vector's drop semantics. */
import { describe, expect, it } from 'vitest';
import { runCondition, runRemap, VectorPipeline } from '../../lib/vector';

const json = { codec: 'json' } as const;

function pipeline(): VectorPipeline {
  return new VectorPipeline()
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addTransform('parse', {
      type: 'remap',
      inputs: ['k8s_logs'],
      source: [
        'if .message == "drop me" { abort }',
        '. = merge(., object!(parse_json!(.message)))',
        'del(.message)',
        '.seen_at = .timestamp',
      ].join('\n'),
    })
    .addTransform('keep_errors', { type: 'remap', inputs: ['k8s_logs'], source: 'abort', drop_on_abort: false })
    .addTransform('strict', {
      type: 'remap',
      inputs: ['k8s_logs'],
      source: '.a = 1\n.n = to_int!(.count)',
      drop_on_error: true,
      reroute_dropped: true,
    })
    .addTransform('no_debug', { type: 'filter', inputs: ['parse'], condition: '.level != "debug"' })
    .addTransform('by_level', {
      type: 'route',
      inputs: ['parse'],
      route: { errors: '.level == "error"', warnings: '.level == "warn"', logs: { type: 'is_log' } },
    })
    .addSink('out', {
      type: 'console',
      inputs: ['no_debug', 'by_level.errors', 'by_level.warnings', 'by_level.logs', 'keep_errors', 'strict'],
      encoding: json,
    });
}

describe('runRemap', () => {
  it('returns the output event, and the VRL types asked for', () => {
    const outcome = runRemap(
      pipeline(),
      'parse',
      { message: '{"level":"info","n":1}', timestamp: '2025-01-02T03:04:05Z' },
      { timestamps: ['timestamp'], typesOf: ['timestamp', 'seen_at', 'n', 'level'] },
    );
    expect(outcome).toEqual({
      dropped: false,
      event: { level: 'info', n: 1, timestamp: '2025-01-02T03:04:05Z', seen_at: '2025-01-02T03:04:05Z' },
      types: { timestamp: 'timestamp', seen_at: 'timestamp', n: 'integer', level: 'string' },
    });
    const untyped = runRemap(
      pipeline(),
      'parse',
      { message: '{}', timestamp: '2025-01-02T03:04:05Z' },
      { typesOf: ['seen_at'] },
    );
    expect(untyped.dropped === false && untyped.types).toEqual({ seen_at: 'string' });
  });

  it('drops an aborted event (drop_on_abort defaults to true), or passes it on unchanged when drop_on_abort is false', () => {
    expect(runRemap(pipeline(), 'parse', { message: 'drop me' })).toEqual({
      dropped: true,
      reason: 'abort',
      message: 'aborted',
      rerouted: false,
    });
    expect(runRemap(pipeline(), 'keep_errors', { message: 'x' })).toEqual({
      dropped: false,
      event: { message: 'x' },
      types: {},
      error: 'aborted',
    });
  });

  it('passes the original event on after a runtime error (drop_on_error defaults to false), or drops it', () => {
    const passed = runRemap(pipeline(), 'parse', { message: 'not json' });
    expect(passed).toMatchObject({ dropped: false, event: { message: 'not json' } });
    expect(passed.dropped === false && passed.error).toMatch(
      /^function call error for "merge" at line 2, column 5: .*function call error for "parse_json" at line 2, column 22: unable to parse json/,
    );
    expect(runRemap(pipeline(), 'strict', { count: 'many' })).toMatchObject({
      dropped: true,
      reason: 'error',
      rerouted: true,
      message: expect.stringContaining('function call error for "to_int" at line 2, column 6'),
    });
  });

  it('refuses what it cannot run', () => {
    expect(() => runRemap(pipeline(), 'no_debug', {})).toThrow('transforms.no_debug is not a remap');
    expect(() => runRemap(pipeline(), 'nope', {})).toThrow('no component "nope"');
    const secret = pipeline().addTransform('s', {
      type: 'remap',
      inputs: ['k8s_logs'],
      source: '.t = get_secret("t")',
    });
    expect(() => runRemap(secret, 's', {})).toThrow('calls get_secret()');
    const broken = pipeline().addTransform('b', { type: 'remap', inputs: ['k8s_logs'], source: '.t = upcse("t")' });
    expect(() => runRemap(broken, 'b', {})).toThrow('does not compile: line 1, column 6: call to undefined function');
  });
});

describe('runCondition', () => {
  it('tells whether an event matches a filter, or a named route', () => {
    expect(runCondition(pipeline(), 'no_debug', { level: 'debug' })).toBe(false);
    expect(runCondition(pipeline(), 'no_debug', { level: 'info' })).toBe(true);
    expect(runCondition(pipeline(), 'by_level', { level: 'error' }, { condition: 'route.errors' })).toBe(true);
    expect(runCondition(pipeline(), 'by_level', { level: 'warn' }, { condition: 'route.errors' })).toBe(false);
  });

  it('says which conditions there are when the choice is ambiguous or wrong', () => {
    expect(() => runCondition(pipeline(), 'by_level', {})).toThrow(
      'its VRL conditions: `route.errors`, `route.warnings`',
    );
    expect(() => runCondition(pipeline(), 'by_level', {}, { condition: 'route.logs' })).toThrow('no `route.logs`');
  });

  it('treats a runtime error as not matching, as Vector does', () => {
    const p = pipeline().addTransform('f', { type: 'filter', inputs: ['k8s_logs'], condition: 'to_int!(.n) > 1' });
    expect(runCondition(p, 'f', { n: '2' })).toBe(true);
    expect(runCondition(p, 'f', { n: 'x' })).toBe(false);
  });
});
