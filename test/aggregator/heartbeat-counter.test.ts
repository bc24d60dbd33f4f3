import { describe, expect, it } from 'vitest';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  addHeartbeatCounter,
  DEFAULT_HEARTBEAT_EXPORTER_ADDRESS,
  DEFAULT_HEARTBEAT_EXPORTER_PORT,
  HEARTBEAT_METRIC,
  heartbeatCondition,
  heartbeatCounterComponents,
  type HeartbeatCounterOptions,
  logHeartbeatLineSource,
} from '../../lib/aggregator';
import { LogHeartbeat } from '../../lib/heartbeat';
import { runCondition, runRemap, VectorPipeline } from '../../lib/vector';
import { expectAcceptedByVectorReference } from '../helpers/vector-reference';

const HEARTBEAT_MESSAGE = 'Vector heartbeat - logging pipeline active';
const CONDITION =
  '.heartbeat == true && .message == "Vector heartbeat - logging pipeline active" && is_string(.cluster) && ' +
  '.kubernetes.pod_namespace == "logging" && ' +
  '.kubernetes.pod_labels."app.kubernetes.io/component" == "log-heartbeat" && ' +
  '.kubernetes.pod_labels."app.kubernetes.io/instance" == "vector-heartbeat" && ' +
  '.kubernetes.pod_labels."app.kubernetes.io/name" == "vector-heartbeat"';

/** An aggregator-shaped pipeline: agents -> route by type -> heartbeat counter (before any dedupe), plus a logs sink. */
function aggregatorWithCounter(options: Partial<HeartbeatCounterOptions> = {}): VectorPipeline {
  const pipeline = new VectorPipeline({ global: { data_dir: '/vector-data-dir' } })
    .addSource('agents', { type: 'vector', address: '0.0.0.0:6000', version: '2' })
    .addTransform('by_type', {
      type: 'route',
      inputs: ['agents'],
      route: { logs: { type: 'is_log' } },
      reroute_unmatched: false,
    })
    .addTransform('dedupe', {
      type: 'dedupe',
      inputs: ['by_type.logs'],
      fields: { match: ['cluster', 'namespace', 'pod', 'container', 'message'] },
    })
    .addSink('logs', { type: 'console', inputs: ['dedupe'], encoding: { codec: 'json' } });
  addHeartbeatCounter(pipeline, { inputs: ['by_type.logs'], ...options });
  return pipeline;
}

describe('heartbeatCounterComponents', () => {
  it('filters heartbeat lines, counts them per cluster with log_to_metric and serves the counter', () => {
    const c = heartbeatCounterComponents({ inputs: ['by_type.logs'] });
    expect(c.filter).toEqual({
      id: 'heartbeat_events',
      spec: { type: 'filter', inputs: ['by_type.logs'], condition: CONDITION },
      notes: { comment: expect.any(String) as string },
    });
    expect(c.counter.id).toBe('heartbeat_counter');
    expect(c.counter.spec).toEqual({
      type: 'log_to_metric',
      inputs: ['heartbeat_events'],
      metrics: [
        {
          type: 'counter',
          field: 'heartbeat',
          name: 'heartbeat_total',
          namespace: 'vector',
          tags: { cluster: '{{ cluster }}' },
        },
      ],
    });
    expect(c.exporter.id).toBe('heartbeat_metrics');
    expect(c.exporter.spec).toEqual({
      type: 'prometheus_exporter',
      inputs: ['heartbeat_counter', 'heartbeat_measures'],
      address: '0.0.0.0:9599',
      flush_period_secs: 600,
      suppress_timestamp: true,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400],
    });
    expect([c.exporterPort, c.metric, HEARTBEAT_METRIC]).toEqual([
      9599,
      'vector_heartbeat_total',
      'vector_heartbeat_total',
    ]);
  });

  it('matches the exact heartbeat message the LogHeartbeat prints', () => {
    expect(HEARTBEAT_MESSAGE).toBe('Vector heartbeat - logging pipeline active');
    expect(heartbeatCondition()).toContain('.message == "Vector heartbeat - logging pipeline active"');
  });

  it('exports the default exporter port and the address built from it', () => {
    expect([DEFAULT_HEARTBEAT_EXPORTER_PORT, DEFAULT_HEARTBEAT_EXPORTER_ADDRESS]).toEqual([9599, '0.0.0.0:9599']);
  });

  it('flush_period_secs: at least 600, and 5 intervals for longer intervals', () => {
    const flush = (intervalSeconds: number) =>
      heartbeatCounterComponents({ inputs: ['x'], intervalSeconds }).exporter.spec.flush_period_secs;
    expect([flush(1), flush(60), flush(120), flush(121), flush(600), flush(3600)]).toEqual([
      600, 600, 600, 605, 3000, 18000,
    ]);
  });

  it('sources: one LogHeartbeat narrows the filter to its pods; several are alternatives, each named once', () => {
    const one = heartbeatCounterComponents({ inputs: ['x'], sources: [logHeartbeatLineSource('beats', 'hb')] });
    expect(one.filter.spec.condition).toBe(
      CONDITION.replace('"logging"', '"beats"').replace(
        '"app.kubernetes.io/instance" == "vector-heartbeat"',
        '"app.kubernetes.io/instance" == "hb"',
      ),
    );
    const two = heartbeatCounterComponents({
      inputs: ['x'],
      sources: [logHeartbeatLineSource('b'), logHeartbeatLineSource('a'), logHeartbeatLineSource('b')],
    }).filter.spec.condition as string;
    expect(two).toContain(' && ((.kubernetes.pod_namespace == "a" && ');
    expect(two).toContain(') || (.kubernetes.pod_namespace == "b" && ');
    expect(two.match(/pod_namespace/g)).toHaveLength(2);
  });

  it('exporterAddress and ids: overridable', () => {
    const c = heartbeatCounterComponents({
      inputs: ['a', 'b'],
      exporterAddress: '[::]:9700',
      ids: { filter: 'hb_in', exporter: 'hb_out' },
    });
    expect([c.filter.id, c.counter.id, c.exporter.id]).toEqual(['hb_in', 'heartbeat_counter', 'hb_out']);
    expect(c.filter.spec.inputs).toEqual(['a', 'b']);
    expect(c.counter.spec.inputs).toEqual(['hb_in']);
    expect(c.exporter.spec.inputs).toEqual(['heartbeat_counter', 'heartbeat_measures']);
    expect([c.exporter.spec.address, c.exporterPort]).toEqual(['[::]:9700', 9700]);
  });

  it.each<[string, HeartbeatCounterOptions, string]>([
    ['no inputs', { inputs: [] }, "invalid inputs []: name at least one output carrying the agents' log events"],
    [
      'intervalSeconds 0',
      { inputs: ['x'], intervalSeconds: 0 },
      'invalid intervalSeconds 0: use a whole number of seconds from 1 to 86400',
    ],
    [
      'exporterAddress without port',
      { inputs: ['x'], exporterAddress: '0.0.0.0' },
      'invalid exporterAddress "0.0.0.0": use host:port, e.g. "0.0.0.0:9599"',
    ],
    [
      'a source namespace',
      { inputs: ['x'], sources: [{ namespace: 'Logging', podLabels: { a: 'b' } }] },
      'invalid sources[0].namespace "Logging": use a Kubernetes namespace name',
    ],
    [
      'a source without labels',
      { inputs: ['x'], sources: [{ namespace: 'logging', podLabels: {} }] },
      "invalid sources[0].podLabels {}: give the heartbeat pods' selector labels: at least one, label keys with string values",
    ],
    [
      'no sources',
      { inputs: ['x'], sources: [] },
      'invalid sources []: name at least one LogHeartbeat by its lineSource',
    ],
    [
      'ids.counter',
      { inputs: ['x'], ids: { counter: 'a.b' } },
      `invalid ids.counter "a.b": use letters, digits, '_' and '-'`,
    ],
    [
      'ids.filter',
      { inputs: ['x'], ids: { filter: 'heartbeat events' } },
      `invalid ids.filter "heartbeat events": use letters, digits, '_' and '-'`,
    ],
    [
      'ids.exporter',
      { inputs: ['x'], ids: { exporter: '' } },
      `invalid ids.exporter "": use letters, digits, '_' and '-'`,
    ],
    [
      'ids equal',
      { inputs: ['x'], ids: { counter: 'same', exporter: 'same' } },
      'invalid ids {"filter":"heartbeat_events","counter":"same","exporter":"same","measure":"heartbeat_measure",' +
        '"measures":"heartbeat_measures"}: give five different ids',
    ],
    [
      'ids.measure equal to the filter',
      { inputs: ['x'], ids: { measure: 'heartbeat_events' } },
      'invalid ids {"filter":"heartbeat_events","counter":"heartbeat_counter","exporter":"heartbeat_metrics",' +
        '"measure":"heartbeat_events","measures":"heartbeat_measures"}: give five different ids',
    ],
    [
      'ids.measures',
      { inputs: ['x'], ids: { measures: 'a b' } },
      `invalid ids.measures "a b": use letters, digits, '_' and '-'`,
    ],
  ])('rejects %s', (_case, options, message) => {
    expect(() => heartbeatCounterComponents(options)).toThrow(`heartbeatCounterComponents: ${message}`);
  });
});

describe('the heartbeat counter in an aggregator pipeline', () => {
  it('is valid in the model and renders the three components after the route', () => {
    const pipeline = aggregatorWithCounter({ sources: [logHeartbeatLineSource('logging')] });
    expect(pipeline.validate()).toEqual([]);
    const config = parse(pipeline.render()) as {
      transforms: Record<string, { inputs: string[] }>;
      sinks: Record<string, { inputs: string[]; flush_period_secs: number; suppress_timestamp: boolean }>;
    };
    expect(config.transforms.heartbeat_events.inputs).toEqual(['by_type.logs']);
    expect(config.transforms.heartbeat_counter.inputs).toEqual(['heartbeat_events']);
    expect(config.transforms.heartbeat_measure.inputs).toEqual(['heartbeat_events']);
    expect(config.transforms.heartbeat_measures.inputs).toEqual(['heartbeat_measure']);
    expect(config.sinks.heartbeat_metrics.inputs).toEqual(['heartbeat_counter', 'heartbeat_measures']);
    expect(config.sinks.heartbeat_metrics).toMatchObject({ flush_period_secs: 600, suppress_timestamp: true });
    expect(pipeline.listeners().map((l) => l.port)).toContain(9599);
  });

  it("passes Vector's own component reference (option names, event types, template confinement)", () => {
    expectAcceptedByVectorReference({
      'heartbeat-counter.yaml': aggregatorWithCounter().render(),
      'heartbeat-counter-options.yaml': aggregatorWithCounter({
        intervalSeconds: 300,
        sources: [logHeartbeatLineSource('logging', 'a'), logHeartbeatLineSource('beats', 'b')],
        exporterAddress: '0.0.0.0:9700',
      }).render(),
    });
  });
});

/** A heartbeat line as the agents forward it: parsed, enriched, with Vector's kubernetes metadata. */
function forwarded(kubernetes: { pod_namespace: string; pod_labels: Record<string, string> }) {
  return {
    message: HEARTBEAT_MESSAGE,
    heartbeat: true,
    level: 'INFO',
    severity: 'info',
    cluster: 'dev',
    namespace: kubernetes.pod_namespace,
    kubernetes: { ...kubernetes, pod_name: 'p', container_name: 'heartbeat' },
  };
}

describe('what the heartbeat filter counts (executed)', () => {
  const heartbeat = new LogHeartbeat(new Chart(Testing.app(), 'c'), 'hb', { namespace: 'beats', name: 'hb' });
  const pipeline = aggregatorWithCounter({ sources: [heartbeat.lineSource] });
  const counted = (event: Record<string, unknown>) => runCondition(pipeline, 'heartbeat_events', event);
  const own = {
    pod_namespace: heartbeat.namespace,
    pod_labels: { ...heartbeat.selectorLabels, 'pod-template-hash': 'x' },
  };

  it("counts the LogHeartbeat's own line, by the namespace and selector labels the construct really has", () => {
    expect(heartbeat.lineSource).toEqual({ namespace: 'beats', podLabels: heartbeat.selectorLabels });
    expect(counted(forwarded(own))).toBe(true);
  });

  it('does not count the same line printed by a pod in shop, or by a pod in its namespace with other labels', () => {
    expect(counted(forwarded({ pod_namespace: 'shop', pod_labels: { app: 'web' } }))).toBe(false);
    expect(counted(forwarded({ pod_namespace: 'shop', pod_labels: { ...heartbeat.selectorLabels } }))).toBe(false);
    expect(counted(forwarded({ pod_namespace: 'beats', pod_labels: { app: 'web' } }))).toBe(false);
    const otherInstance = { ...heartbeat.selectorLabels, 'app.kubernetes.io/instance': 'vector-heartbeat' };
    expect(counted(forwarded({ pod_namespace: 'beats', pod_labels: otherInstance }))).toBe(false);
  });

  it('does not count a line of the heartbeat pod that is not the heartbeat, or an event without a cluster', () => {
    expect(counted({ ...forwarded(own), message: 'hello' })).toBe(false);
    expect(counted({ ...forwarded(own), heartbeat: 'true' })).toBe(false);
    expect(counted({ ...forwarded(own), cluster: null })).toBe(false);
  });
});

describe('the lag and sequence measures: vector_heartbeat_lag_seconds and vector_heartbeat_sent_total', () => {
  it('a lag histogram and an absolute sent counter from seq, per cluster and heartbeat pod (not `pod`)', () => {
    const c = heartbeatCounterComponents({ inputs: ['by_type.logs'] });
    expect(c.measure.spec).toMatchObject({ type: 'remap', inputs: ['heartbeat_events'] });
    const tags = { cluster: '{{ cluster }}', heartbeat_pod: '{{ kubernetes.pod_name }}' };
    expect(c.measures.spec).toEqual({
      type: 'log_to_metric',
      inputs: ['heartbeat_measure'],
      metrics: [
        { type: 'histogram', field: 'heartbeat_lag_seconds', name: 'heartbeat_lag_seconds', namespace: 'vector', tags },
        {
          type: 'counter',
          field: 'heartbeat_seq',
          increment_by_value: true,
          kind: 'absolute',
          name: 'heartbeat_sent_total',
          namespace: 'vector',
          tags,
        },
      ],
    });
  });

  /** What heartbeat_measure makes of a forwarded heartbeat line (executed with the project's VRL runtime). */
  const pipeline = aggregatorWithCounter();
  const measure = (event: Record<string, unknown>, timestamps: string[]) =>
    runRemap(pipeline, 'heartbeat_measure', event, {
      timestamps,
      typesOf: ['heartbeat_lag_seconds', 'heartbeat_seq'],
    });
  const line = (seq: unknown, sentAgoMs: number, extra: Record<string, unknown> = {}) => ({
    ...forwarded({ pod_namespace: 'logging', pod_labels: {} }),
    seq,
    line_fields: { timestamp: new Date(Date.now() - sentAgoMs).toISOString() },
    timestamp: new Date(Date.now() - sentAgoMs + 200).toISOString(),
    ...extra,
  });

  it("the lag is now minus the line's own send time, in seconds; seq is copied as an integer", () => {
    const outcome = measure(line(7, 600_000), ['timestamp', 'line_fields.timestamp']);
    if (outcome.dropped) throw new Error('dropped');
    expect(outcome.types).toEqual({ heartbeat_lag_seconds: 'float', heartbeat_seq: 'integer' });
    expect(outcome.event.heartbeat_seq).toBe(7);
    expect(outcome.event.heartbeat_lag_seconds as number).toBeGreaterThanOrEqual(599.9);
    expect(outcome.event.heartbeat_lag_seconds as number).toBeLessThan(605);
  });

  it("without the line's own timestamp, Vector's (the runtime's write time) is the send time", () => {
    const outcome = measure(line(1, 120_000, { line_fields: undefined }), ['timestamp']);
    if (outcome.dropped) throw new Error('dropped');
    expect(outcome.event.heartbeat_lag_seconds as number).toBeGreaterThanOrEqual(119.7);
    expect(outcome.event.heartbeat_lag_seconds as number).toBeLessThan(125);
  });

  it('a send time in the future (a node clock ahead) gives lag 0, never a negative lag', () => {
    const outcome = measure(line(3, -60_000), ['timestamp', 'line_fields.timestamp']);
    if (outcome.dropped) throw new Error('dropped');
    expect(outcome.event.heartbeat_lag_seconds).toBe(0);
  });

  it('drops, for the measures only, a line without a whole seq from 1 (an older emitter) or without any time', () => {
    for (const seq of [undefined, '5', 0, -1, 1.5]) {
      expect(measure(line(seq, 1000), ['timestamp', 'line_fields.timestamp']), String(seq)).toMatchObject({
        dropped: true,
        reason: 'abort',
      });
    }
    expect(measure(line(2, 1000, { timestamp: undefined, line_fields: undefined }), [])).toMatchObject({
      dropped: true,
      reason: 'abort',
    });
  });
});
