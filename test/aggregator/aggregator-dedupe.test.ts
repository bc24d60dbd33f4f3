import { describe, expect, it } from 'vitest';
import { LINE_HASH_FIELD } from '../../lib/agent';
import { AGGREGATOR_IDS, DELIVERY_FIELDS } from '../../lib/aggregator';
import { sentByAgent } from '../agent/kubernetes-logs-event';
import { synthAggregator, vectorConfig } from './aggregator-fixtures';

const config = vectorConfig(synthAggregator().manifests);
const dedupe = config.transforms?.[AGGREGATOR_IDS.dedupe] as unknown as {
  fields: { match: string[] };
  cache: { num_events: number };
};

/**
 * Vector's `dedupe` with `fields.match`: an event is dropped when an event in the cache had the same value (and
 * type) in every matched field, a missing field matching only a missing one.
 */
function dedupeRun(events: readonly Record<string, unknown>[], match: readonly string[] = dedupe.fields.match) {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = JSON.stringify(
      match.map((path) => {
        const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], event);
        return value === undefined ? null : [typeof value, value];
      }),
    );
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const ALICE = '{"timestamp":"2025-01-01T12:00:00Z","message":"login","user":"alice"}';
const BOB = '{"timestamp":"2025-01-01T12:00:00Z","message":"login","user":"bob"}';
/** The key of earlier releases: every field of it but cluster could come from the line. */
const OLD_KEY = ['cluster', 'namespace', 'pod', 'container', 'message', 'timestamp'];

describe("the aggregators' dedupe (executed on what the agents send)", () => {
  it("matches one delivery of one line, in Vector's values only: cluster, file, stream, write time, line digest", () => {
    expect(dedupe.fields.match).toEqual(['cluster', 'file', 'stream', 'timestamp', LINE_HASH_FIELD]);
    expect(dedupe.fields.match).toEqual([...DELIVERY_FIELDS]);
    expect(config.sinks[AGGREGATOR_IDS.loki]).toMatchObject({
      encoding: { codec: 'json', except_fields: [LINE_HASH_FIELD] },
    });
  });

  it('keeps alice and bob, whose lines agree on every field of the old key, sent at different times', () => {
    const alice = sentByAgent(ALICE, '2025-01-01T12:00:00.100000001Z');
    const bob = sentByAgent(BOB, '2025-01-01T12:00:00.300000002Z');
    // Earlier agents wrote the line's own timestamp over Vector's: as they sent them, the two agree on the whole old key.
    const asOldAgentsSentThem = [alice, bob].map((e): Record<string, unknown> => ({
      ...e,
      timestamp: (e.line_fields as { timestamp: unknown }).timestamp,
    }));
    for (const field of OLD_KEY) {
      expect([field, asOldAgentsSentThem[0][field]]).toEqual([field, asOldAgentsSentThem[1][field]]);
    }
    expect(dedupeRun(asOldAgentsSentThem, OLD_KEY)).toHaveLength(1);
    expect(dedupeRun([alice, bob])).toEqual([alice, bob]);
  });

  it('keeps two different lines even when the runtime stamped them with the same nanosecond', () => {
    const written = '2025-01-01T12:00:00.100000001Z';
    const lines = [sentByAgent(ALICE, written), sentByAgent(BOB, written)];
    expect(dedupeRun(lines)).toEqual(lines);
  });

  it('keeps a container printing the same line twice, and every heartbeat of a pod', () => {
    const first = sentByAgent('GET /healthz 200', '2025-01-01T12:00:00.000000001Z');
    const second = sentByAgent('GET /healthz 200', '2025-01-01T12:00:00.000000002Z');
    expect(dedupeRun([first, second])).toEqual([first, second]);
  });

  it('drops the same event delivered twice (an agent re-sending after a reconnect), once', () => {
    const alice = sentByAgent(ALICE, '2025-01-01T12:00:00.100000001Z');
    const bob = sentByAgent(BOB, '2025-01-01T12:00:00.300000002Z');
    const redelivered = structuredClone(alice);
    expect(dedupeRun([alice, bob, redelivered])).toEqual([alice, bob]);
    expect(dedupeRun([alice, bob, redelivered, structuredClone(bob)])).toEqual([alice, bob]);
  });

  it('cannot be steered by a JSON line: keys named like the key fields do not change them', () => {
    const written = '2025-01-01T12:00:00.100000001Z';
    const plain = sentByAgent('login', written);
    const spoof = sentByAgent(
      '{"message":"login","file":"x","stream":"stdout","timestamp":"2025-01-01T12:00:00Z","line_hash":1,"cluster":"c"}',
      written,
    );
    expect(spoof).toMatchObject({ file: plain.file, stream: 'stdout', timestamp: written, cluster: plain.cluster });
    expect(dedupeRun([plain, spoof])).toEqual([plain, spoof]);
  });
});
