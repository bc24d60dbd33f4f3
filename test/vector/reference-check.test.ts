/**
 * validate() checks every component against Vector's component reference (the embedded 0.57.0
 * data): one test per mistake a user can make, each asserting the exact message.
 */
import { describe, expect, it } from 'vitest';
import { type CustomSinkSpec, type SinkSpec, VectorPipeline, type VectorConfigProblem } from '../../lib/vector';

const json = { codec: 'json' } as const;

/** Logs from kubernetes_logs into one sink, built from untyped options as a user's JavaScript could give them. */
function logsInto(sink: Record<string, unknown>): VectorPipeline {
  return new VectorPipeline()
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addSink('out', { inputs: ['k8s_logs'], ...sink } as unknown as SinkSpec);
}

function logsIntoCustom(spec: Omit<CustomSinkSpec, 'inputs' | 'accepts'>): VectorPipeline {
  return new VectorPipeline()
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addCustomSink('out', { inputs: ['k8s_logs'], accepts: ['logs'], ...spec });
}

const loki = { type: 'loki', endpoint: 'http://loki:3100', encoding: json };
const at = (message: string, component = 'sinks.out'): VectorConfigProblem => ({ component, message });

describe('typed components against the reference', () => {
  it('reports an unknown nested option with a did-you-mean', () => {
    const pipeline = logsInto({ ...loki, buffer: { type: 'memory', max_evnts: 1000 } });
    expect(pipeline.validate()).toEqual([
      at('unknown option `buffer.max_evnts` for loki (did you mean "max_events"?)'),
    ]);
  });

  it('reports a wrong type', () => {
    expect(logsInto({ ...loki, compression: 5 }).validate()).toEqual([
      at('`compression` must be a string or an object; got 5'),
    ]);
  });

  it('reports a wrong type inside a list, naming the element', () => {
    const pipeline = logsInto({ type: 'vector', routing: { endpoints: [6000] } });
    expect(pipeline.validate()).toEqual([at('`routing.endpoints[0]` must be a string; got 6000')]);
  });

  it('reports a wrong type of a map value, naming the key', () => {
    expect(logsInto({ ...loki, labels: { app: true } }).validate()).toEqual([
      at('`labels.app` must be a string; got true'),
    ]);
  });

  it('reports a value outside an enum, with a did-you-mean', () => {
    expect(logsInto({ ...loki, encoding: { codec: 'jsn' } }).validate()).toEqual([
      at(
        '`encoding.codec` must be one of avro, cef, csv, gelf, json, logfmt, native, native_json, otlp, protobuf, ' +
          'raw_message, syslog, text; got "jsn" (did you mean "json"?)',
      ),
    ]);
  });

  it('reports a missing option required by the chosen variant', () => {
    expect(logsInto({ ...loki, encoding: { codec: 'csv' } }).validate()).toEqual([
      at('loki needs `encoding.csv` when `encoding.codec` is "csv"'),
    ]);
  });

  it('reports an option that only applies to another variant', () => {
    const buffer = { type: 'disk', max_size: 268435488, max_events: 500 };
    expect(logsInto({ ...loki, buffer }).validate()).toEqual([
      at('`buffer.max_events` only applies when `buffer.type` is "memory"'),
    ]);
  });

  it('says when Vector would silently ignore an unknown option', () => {
    expect(logsInto({ ...loki, healthcheck: { enabld: false } }).validate()).toEqual([
      at('unknown option `healthcheck.enabld` for loki (did you mean "enabled"?); Vector would silently ignore it'),
    ]);
  });

  it('accepts a serde alias, a secret reference for a number, and a buffer given as stages', () => {
    const pipeline = logsInto({
      ...loki,
      tls: { ca_path: '/etc/ca.pem' },
      batch: { max_bytes: 'SECRET[files.batch_bytes]' },
      buffer: [
        { type: 'memory', max_events: 1000 },
        { type: 'disk', max_size: 268435488 },
      ],
    }).addSecretBackend('files', { type: 'directory', path: '/etc/vector/secrets' });
    expect(pipeline.validate()).toEqual([]);
  });

  it('keeps the typed messages for top-level names and required options, once each', () => {
    const pipeline = logsInto({ type: 'loki', encoding: json, lables: {} });
    expect(pipeline.validate()).toEqual([
      at('unknown option `lables` for loki (did you mean "labels"?)'),
      at('loki needs `endpoint`'),
    ]);
  });

  it('leaves an option to a typed check that already names it', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('dedupe', {
        type: 'dedupe',
        inputs: ['k8s_logs'],
        fields: { match: ['message'], ignore: ['timestamp'] },
      } as never)
      .addSink('out', { type: 'blackhole', inputs: ['dedupe'] });
    expect(pipeline.validate()).toEqual([
      at('`fields` must be exactly one of `{ match: [...] }` and `{ ignore: [...] }`', 'transforms.dedupe'),
    ]);
  });
});

describe('custom components against the reference', () => {
  it('reports a missing required option', () => {
    const pipeline = logsIntoCustom({ type: 'aws_s3', options: { region: 'eu-central-1', encoding: json } });
    expect(pipeline.validate()).toEqual([at('aws_s3 needs `bucket`')]);
  });

  it("checks a custom source's option names", () => {
    const pipeline = new VectorPipeline()
      .addCustomSource('events', {
        type: 'kafka',
        emits: ['logs'],
        options: { bootstrap_servers: 'kafka:9092', group_id: 'vector', topic: ['logs'] },
      })
      .addSink('out', { type: 'blackhole', inputs: ['events'] });
    expect(pipeline.validate()).toEqual([
      at('unknown option `topic` for kafka (did you mean "topics"?)', 'sources.events'),
      at('kafka needs `topics`', 'sources.events'),
    ]);
  });

  it('reports an unknown custom type with a did-you-mean', () => {
    expect(logsIntoCustom({ type: 'elasticsearh', options: {} }).validate()).toEqual([
      at('unknown sink type "elasticsearh" (did you mean "elasticsearch"?): Vector 0.57.0 has no such sink'),
    ]);
  });

  it('reports a custom type of another class', () => {
    expect(logsIntoCustom({ type: 'kubernetes_logs', options: {} }).validate()).toEqual([
      at('"kubernetes_logs" is a source type, not a sink type: add it with addCustomSource()'),
    ]);
  });

  it('reports a condition object with an unknown type', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addCustomTransform('keep', {
        type: 'filter',
        inputs: ['k8s_logs'],
        accepts: ['logs'],
        emits: 'passthrough',
        options: { condition: { type: 'lua', source: 'true' } },
      })
      .addSink('out', { type: 'blackhole', inputs: ['keep'] });
    expect(pipeline.validate()).toEqual([
      at(
        '`condition.type` must be one of vrl, datadog_search, is_log, is_metric, is_trace; got "lua"',
        'transforms.keep',
      ),
    ]);
  });

  it('reports an option given with a dotted key', () => {
    const pipeline = logsIntoCustom({
      type: 'http',
      options: { uri: 'https://collector.example.com', encoding: json, 'auth.strategy': 'bearer' },
    });
    expect(pipeline.validate()).toEqual([
      at('unknown option `auth.strategy` for http: keys are not split on "."; nest it under `auth`'),
    ]);
  });
});
