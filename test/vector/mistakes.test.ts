/**
 * The mistakes found in a real multi-cluster Vector configuration we were given, rebuilt one by
 * one: each is either impossible by the types (`@ts-expect-error` fails the typecheck in
 * `npm test` if the line ever compiles) or reported by `validate()` with what to change, and the
 * corrected form passes Vector's own component reference.
 */
import { describe, expect, it } from 'vitest';
import { type TransformSpec, VectorPipeline, type VectorSource } from '../../lib/vector';
import {
  checkWithVectorReference,
  expectAcceptedByVectorReference,
  itWithSharedValidator,
} from '../helpers/vector-reference';

const logsIn = () =>
  new VectorPipeline().addSource('in', { type: 'vector', address: '0.0.0.0:6000' } satisfies VectorSource);

const loki = (inputs: string[]) =>
  ({
    type: 'loki',
    inputs,
    endpoint: 'http://loki-gateway.monitoring.svc:80',
    encoding: { codec: 'json' },
  }) as const;

/** Adds a component the way untyped code (JavaScript, a parsed YAML file) would. */
const untyped = <T>(spec: unknown) => spec as T;

describe('a "sink" of type disk used as a buffer', () => {
  it('does not compile', () => {
    // @ts-expect-error: Vector has no `disk` sink
    const add = (p: VectorPipeline) => p.addSink('buffer', { type: 'disk', inputs: ['in'], max_size: 1073741824 });
    expect(add).toBeTypeOf('function');
  });

  it('is reported, pointing at the `buffer` option', () => {
    const p = logsIn().addSink('buffer', untyped({ type: 'disk', inputs: ['in'], max_size: 1073741824 }));
    expect(p.validate()).toContainEqual({
      component: 'sinks.buffer',
      message: expect.stringContaining("Vector has no `disk` sink: a disk buffer is a sink's `buffer` option"),
    });
  });

  it('is written as a disk buffer on the sink, which Vector accepts', () => {
    const p = logsIn().addSink('loki', { ...loki(['in']), buffer: { type: 'disk', max_size: 1073741824 } });
    expect(p.validate()).toEqual([]);
    expectAcceptedByVectorReference({ 'disk-buffer.yaml': p.render() });
  });
});

describe('metric_to_logs, whose logs then fed prometheus_remote_write', () => {
  it('misspelt type does not compile, and is reported with the right name', () => {
    // @ts-expect-error: the transform is metric_to_log
    const spec: TransformSpec = { type: 'metric_to_logs', inputs: ['host'] };
    const p = new VectorPipeline().addSource('host', { type: 'host_metrics' }).addTransform('to_logs', untyped(spec));
    expect(p.validate()).toContainEqual({
      component: 'transforms.to_logs',
      message: expect.stringContaining('the transform is `metric_to_log` (singular)'),
    });
  });

  it('logs from metric_to_log into prometheus_remote_write are reported', () => {
    const p = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('to_logs', { type: 'metric_to_log', inputs: ['host'] })
      .addSink('prw', {
        type: 'prometheus_remote_write',
        inputs: ['to_logs'],
        endpoint: 'http://prometheus:9090/api/v1/write',
      });
    expect(p.validate()).toEqual([
      {
        component: 'sinks.prw',
        message:
          'prometheus_remote_write accepts metrics, but input "to_logs" (metric_to_log) only emits logs; derive metrics with log_to_metric or send it to a logs sink',
      },
    ]);
    expect(() => p.render()).toThrow(/sinks\.prw: prometheus_remote_write accepts metrics/);
  });

  it('metrics go straight to prometheus_remote_write, which Vector accepts', () => {
    const p = new VectorPipeline().addSource('host', { type: 'host_metrics' }).addSink('prw', {
      type: 'prometheus_remote_write',
      inputs: ['host'],
      endpoint: 'http://prometheus:9090/api/v1/write',
    });
    expectAcceptedByVectorReference({ 'metrics.yaml': p.render() });
  });
});

describe('sample with a sample_rates table, and rate = 100 commented "keep all logs"', () => {
  it('sample_rates does not compile, and is reported: sample has no per-key rates', () => {
    const spec = {
      type: 'sample',
      inputs: ['in'],
      // @ts-expect-error: there is no sample_rates option
      sample_rates: { 'kube-system': 10 },
      rate: 100,
    } satisfies TransformSpec;
    const p = logsIn()
      .addTransform('sampled', spec)
      .addSink('loki', loki(['sampled']));
    expect(p.validate()).toContainEqual({
      component: 'transforms.sampled',
      message: expect.stringContaining('`sample` has no per-key rates: add one sample transform per group'),
    });
  });

  it('"keep all" is not a rate: rate 1 (and ratio 1) are reported as keeping every event', () => {
    const keepAll = logsIn()
      .addTransform('sampled', { type: 'sample', inputs: ['in'], rate: 1 })
      .addSink('loki', loki(['sampled']));
    expect(keepAll.validate()).toEqual([
      { component: 'transforms.sampled', message: '`rate: 1` keeps every event: remove the sample transform instead' },
    ]);
    const ratioOne = logsIn()
      .addTransform('sampled', { type: 'sample', inputs: ['in'], ratio: 1 })
      .addSink('loki', loki(['sampled']));
    expect(ratioOne.validate()[0].message).toContain('`ratio` must be between 0 and 1 exclusive');
  });

  it('rate and ratio together, or neither, are reported', () => {
    const both = logsIn()
      .addTransform('s', { type: 'sample', inputs: ['in'], rate: 100, ratio: 0.5 })
      .addSink('l', loki(['s']));
    const neither = logsIn()
      .addTransform('s', { type: 'sample', inputs: ['in'] })
      .addSink('l', loki(['s']));
    for (const p of [both, neither]) {
      expect(p.validate()).toContainEqual({
        component: 'transforms.s',
        message: 'give exactly one of `rate` (keep 1 in N) and `ratio` (keep a fraction in (0, 1))',
      });
    }
  });

  it('per-namespace rates are separate samples with exclude conditions, which Vector accepts', () => {
    const p = logsIn()
      .addTransform('by_ns', {
        type: 'route',
        inputs: ['in'],
        route: { kube_system: '.namespace == "kube-system"' },
      })
      .addTransform('kube_system_1_in_10', { type: 'sample', inputs: ['by_ns.kube_system'], rate: 10 })
      .addSink('loki', loki(['kube_system_1_in_10', 'by_ns._unmatched']));
    expect(p.validate()).toEqual([]);
    expectAcceptedByVectorReference({ 'sample.yaml': p.render() });
  });
});

describe('dedupe with fields = [..]', () => {
  it('does not compile, and is reported with the fields.match form', () => {
    const spec = {
      type: 'dedupe',
      inputs: ['in'],
      // @ts-expect-error: fields is { match: [...] } or { ignore: [...] }
      fields: ['message', 'kubernetes.pod_name'],
    } satisfies TransformSpec;
    const p = logsIn()
      .addTransform('dedupe', untyped(spec))
      .addSink('loki', loki(['dedupe']));
    expect(p.validate()).toEqual([
      {
        component: 'transforms.dedupe',
        message:
          '`fields` is not a list: write `fields: { match: [...] }` (compare these) or `fields: { ignore: [...] }`',
      },
    ]);
  });

  it('fields.match is accepted by Vector', () => {
    const p = logsIn()
      .addTransform('dedupe', { type: 'dedupe', inputs: ['in'], fields: { match: ['message', 'kubernetes.pod_name'] } })
      .addSink('loki', loki(['dedupe']));
    expectAcceptedByVectorReference({ 'dedupe.yaml': p.render() });
  });
});

describe('kubernetes_logs with exclude_paths', () => {
  it('does not compile, and is reported with the real option name', () => {
    const p = new VectorPipeline()
      // @ts-expect-error: the option is exclude_paths_glob_patterns
      .addSource('k8s', { type: 'kubernetes_logs', exclude_paths: ['**/vector-*/**'] })
      .addSink('loki', loki(['k8s']));
    expect(p.validate()).toEqual([
      {
        component: 'sources.k8s',
        message: 'unknown option `exclude_paths` for kubernetes_logs: the option is `exclude_paths_glob_patterns`',
      },
    ]);
  });

  it('exclude_paths_glob_patterns is accepted by Vector', () => {
    const p = new VectorPipeline()
      .addSource('k8s', { type: 'kubernetes_logs', exclude_paths_glob_patterns: ['**/vector-*/**'] })
      .addSink('loki', loki(['k8s']));
    expectAcceptedByVectorReference({ 'k8s.yaml': p.render() });
  });
});

describe('a prometheus_exporter on 0.0.0.0:8686 while liveness probes expect the API on 8686', () => {
  const build = (exporterAddress: string) =>
    new VectorPipeline({ global: { api: { enabled: true, address: '0.0.0.0:8686' } } })
      .addSource('vector_metrics', { type: 'internal_metrics' })
      .addSink('prom', { type: 'prometheus_exporter', inputs: ['vector_metrics'], address: exporterAddress });

  it('is reported as a port clash naming both', () => {
    expect(build('0.0.0.0:8686').validate()).toEqual([
      {
        component: 'sinks.prom',
        message:
          'listens on 0.0.0.0:8686, which global.api already binds (0.0.0.0:8686); give one of them another port',
      },
    ]);
  });

  it('the exporter on its own port is accepted, and the listeners are what a Service would expose', () => {
    const p = build('0.0.0.0:9598');
    expect(p.validate()).toEqual([]);
    expect(p.listeners().map((l) => [l.component, l.port])).toEqual([
      ['global.api', 8686],
      ['sinks.prom', 9598],
    ]);
    expectAcceptedByVectorReference({ 'exporter.yaml': p.render() });
  });
});

describe('the shared reference validator itself', () => {
  itWithSharedValidator('rejects the configuration as we were given it', () => {
    const original = `
api: { enabled: true, address: "0.0.0.0:8686" }
sources:
  k8s: { type: kubernetes_logs, exclude_paths: ["**/vector-*/**"] }
  host: { type: host_metrics }
transforms:
  to_logs: { type: metric_to_logs, inputs: [host] }
  dedupe: { type: dedupe, inputs: [k8s], fields: [message] }
  sampled: { type: sample, inputs: [dedupe], rate: 100, sample_rates: { kube-system: 10 } }
sinks:
  buffer: { type: disk, inputs: [sampled], max_size: 1073741824 }
  prw: { type: prometheus_remote_write, inputs: [to_logs], endpoint: "http://prometheus:9090/api/v1/write" }
  prom: { type: prometheus_exporter, inputs: [host], address: "0.0.0.0:8686" }
`;
    const result = checkWithVectorReference({ 'original.yaml': original });
    expect(result.exitCode).toBe(1);
    const text = result.problems.join('\n');
    expect(text).toContain('sources.k8s');
    expect(text).toContain('transforms.to_logs');
    expect(text).toContain('transforms.dedupe');
    expect(text).toContain('transforms.sampled');
    expect(text).toContain('sinks.buffer');
  });
});
