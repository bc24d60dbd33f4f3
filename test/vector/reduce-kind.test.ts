import { describe, expect, it } from 'vitest';
import { VectorPipeline } from '../../lib/vector';

function problemsOf(reduce: Record<string, unknown>): string[] {
  const p = new VectorPipeline();
  p.addSource('in', { type: 'journald', include_units: ['kubelet.service'] });
  p.addTransform('merge', { type: 'reduce', inputs: ['in'], ...reduce } as never);
  p.addSink('out', { type: 'console', inputs: ['merge'], encoding: { codec: 'json' } });
  return p
    .validate()
    .filter((x) => x.component === 'transforms.merge')
    .map((x) => x.message);
}

describe('the reduce kind', () => {
  it('takes the documented options, conditions compiled', () => {
    expect(
      problemsOf({
        group_by: ['file'],
        starts_when: '!match(string(.message) ?? "", r\'^\\s\')',
        expire_after_ms: 2000,
        flush_period_ms: 500,
        end_every_period_ms: 10000,
        max_events: 100,
        merge_strategies: { message: 'concat_newline' },
      }),
    ).toEqual([]);
  });

  it('refuses starts_when with ends_when, as Vector does', () => {
    expect(problemsOf({ starts_when: 'true', ends_when: 'true' })).toContainEqual(
      expect.stringContaining('give at most one of `starts_when` and `ends_when`'),
    );
  });

  it('refuses a period or a count that is no whole number >= 1', () => {
    expect(problemsOf({ expire_after_ms: 0, max_events: 1.5 })).toEqual(
      expect.arrayContaining([
        expect.stringContaining('`expire_after_ms` must be a whole number >= 1; got 0'),
        expect.stringContaining('`max_events` must be a whole number >= 1; got 1.5'),
      ]),
    );
  });

  it('reports a starts_when that does not compile', () => {
    expect(problemsOf({ starts_when: "match(.message, r'(')" })).toContainEqual(expect.stringContaining('starts_when'));
  });
});
