import { describe, expect, it } from 'vitest';
import {
  type CustomSinkSpec,
  type CustomSourceSpec,
  type CustomTransformSpec,
  VectorConfigError,
  type VectorConfigProblem,
  VectorPipeline,
} from '../../lib/vector';

const json = { codec: 'json' } as const;
/** A complete lua transform (version 2 needs `hooks.process`). */
const luaOptions = {
  version: '2',
  source: 'function process(event, emit) emit(event) end',
  hooks: { process: 'process' },
};

function problem(component: string, text: string) {
  return { component, message: expect.stringContaining(text) };
}

function problemsOf(pipeline: VectorPipeline, component: string): VectorConfigProblem[] {
  return pipeline.validate().filter((p) => p.component === component);
}

/** An OpenTelemetry source: named outputs only, one per event type, as in Vector. */
const otel: CustomSourceSpec = {
  type: 'opentelemetry',
  emits: ['logs', 'metrics', 'traces'],
  options: { grpc: { address: '0.0.0.0:4317' }, http: { address: '0.0.0.0:4318' } },
  outputs: { default: false, named: ['logs', 'metrics', 'traces'] },
  listenAddress: '0.0.0.0:4317',
};

/** A logs-only HTTP sink. */
const httpSink = (inputs: readonly string[]): CustomSinkSpec => ({
  type: 'http',
  inputs,
  accepts: ['logs'],
  options: { uri: 'https://collector.example.com/ingest', encoding: json, method: 'post' },
});

describe('rendering custom components', () => {
  const pipeline = () =>
    new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addCustomSource('otel', otel)
      .addCustomTransform('agg', {
        type: 'aggregate',
        inputs: ['host', 'otel.metrics'],
        accepts: ['metrics'],
        emits: 'passthrough',
        options: { interval_ms: 10000 },
      })
      .addSink('prom', { type: 'prometheus_remote_write', inputs: ['agg'], endpoint: 'http://prom/api/v1/write' })
      .addCustomSink('web', httpSink(['otel.logs']))
      .addSink('traces', { type: 'blackhole', inputs: ['otel.traces'] });

  it('is valid', () => {
    expect(pipeline().validate()).toEqual([]);
  });

  it('renders each custom component with its type, its inputs and its options as given', () => {
    const config = pipeline().toConfig() as Record<string, Record<string, unknown>>;
    expect(config.sources.otel).toEqual({
      type: 'opentelemetry',
      grpc: { address: '0.0.0.0:4317' },
      http: { address: '0.0.0.0:4318' },
    });
    expect(config.transforms.agg).toEqual({ type: 'aggregate', inputs: ['host', 'otel.metrics'], interval_ms: 10000 });
    expect(config.sinks.web).toEqual({
      type: 'http',
      inputs: ['otel.logs'],
      uri: 'https://collector.example.com/ingest',
      encoding: { codec: 'json' },
      method: 'post',
    });
  });

  it('renders no escape-hatch metadata (event types, outputs, listen address)', () => {
    const yaml = pipeline().render();
    for (const word of ['emits', 'accepts', 'listenAddress', 'outputs', 'named']) expect(yaml).not.toContain(word);
  });

  it('renders the options of a type the model does not know as given', () => {
    const p = new VectorPipeline()
      .addCustomSource('statsd', {
        type: 'statsd',
        emits: ['metrics'],
        options: { mode: 'udp', address: '0.0.0.0:8125', receive_buffer_bytes: 65536 },
      })
      .addSink('out', { type: 'blackhole', inputs: ['statsd'] });
    expect(p.validate()).toEqual([]);
    expect((p.toConfig() as Record<string, Record<string, unknown>>).sources.statsd).toEqual({
      type: 'statsd',
      mode: 'udp',
      address: '0.0.0.0:8125',
      receive_buffer_bytes: 65536,
    });
  });
});

describe('declared event types', () => {
  const logs = () => new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' });

  it.each([
    ['missing', undefined],
    ['empty', []],
    ['not an event type', ['log']],
    ['a string', 'logs'],
    ['passthrough', 'passthrough'],
  ])('reports a sink whose accepts is %s', (_what, accepts) => {
    const pipeline = logs().addCustomSink('web', { ...httpSink(['k8s_logs']), accepts } as unknown as CustomSinkSpec);
    expect(problemsOf(pipeline, 'sinks.web')).toContainEqual(
      problem(
        'sinks.web',
        'custom http must declare the event types it accepts as a non-empty list of logs, metrics, traces',
      ),
    );
    expect(() => pipeline.render()).toThrow(VectorConfigError);
  });

  it.each([
    ['missing', undefined],
    ['empty', []],
    ['not an event type', ['events']],
    ['mixed with a valid one', ['metrics', 'spans']],
  ])('reports a source whose emits is %s', (_what, emits) => {
    const pipeline = new VectorPipeline()
      .addCustomSource('statsd', { type: 'statsd', emits } as unknown as CustomSourceSpec)
      .addSink('out', { type: 'blackhole', inputs: ['statsd'] });
    expect(pipeline.validate()).toContainEqual(
      problem('sources.statsd', 'custom statsd must declare the event types it emits as a non-empty list'),
    );
  });

  it('reports a source that declares passthrough: a source has no inputs to pass through', () => {
    const pipeline = new VectorPipeline()
      .addCustomSource('statsd', { type: 'statsd', emits: 'passthrough' } as unknown as CustomSourceSpec)
      .addSink('out', { type: 'blackhole', inputs: ['statsd'] });
    expect(pipeline.validate()).toContainEqual(
      problem('sources.statsd', 'custom statsd must declare the event types it emits'),
    );
  });

  it('reports a transform missing accepts, and one missing emits', () => {
    const pipeline = logs()
      .addCustomTransform('a', {
        type: 'reduce',
        inputs: ['k8s_logs'],
        emits: 'passthrough',
      } as unknown as CustomTransformSpec)
      .addCustomTransform('b', {
        type: 'reduce',
        inputs: ['k8s_logs'],
        accepts: ['logs'],
      } as unknown as CustomTransformSpec)
      .addSink('out', { type: 'blackhole', inputs: ['a', 'b'] });
    const problems = pipeline.validate();
    expect(problems).toContainEqual(problem('transforms.a', 'custom reduce must declare the event types it accepts'));
    expect(problems).toContainEqual(problem('transforms.b', 'custom reduce must declare the event types it emits'));
  });

  it('accepts a transform declaring passthrough', () => {
    const pipeline = logs()
      .addCustomTransform('merge', { type: 'reduce', inputs: ['k8s_logs'], accepts: ['logs'], emits: 'passthrough' })
      .addSink('out', { type: 'blackhole', inputs: ['merge'] });
    expect(pipeline.validate()).toEqual([]);
  });

  it('reports a custom component without a type', () => {
    const pipeline = logs().addCustomSink('web', { ...httpSink(['k8s_logs']), type: '' });
    expect(pipeline.validate()).toEqual([problem('sinks.web', 'has no `type`')]);
  });
});

describe('declared types in event-type checks', () => {
  it('reports a custom logs-only sink fed metrics', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addCustomSink('web', httpSink(['host']));
    expect(pipeline.validate()).toEqual([
      problem('sinks.web', 'http accepts logs, but input "host" (host_metrics) only emits metrics'),
    ]);
  });

  it('reports a custom metrics source into loki', () => {
    const pipeline = new VectorPipeline()
      .addCustomSource('statsd', {
        type: 'statsd',
        emits: ['metrics'],
        options: { mode: 'udp', address: '0.0.0.0:8125' },
      })
      .addSink('loki', { type: 'loki', inputs: ['statsd'], endpoint: 'http://loki:3100', encoding: json });
    expect(pipeline.validate()).toEqual([
      problem('sinks.loki', 'loki accepts logs, but input "statsd" (statsd) only emits metrics'),
    ]);
  });

  it('reports a custom metrics transform fed logs', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addCustomTransform('agg', {
        type: 'aggregate',
        inputs: ['k8s_logs'],
        accepts: ['metrics'],
        emits: 'passthrough',
      })
      .addSink('out', { type: 'blackhole', inputs: ['agg'] });
    expect(pipeline.validate()).toEqual([
      problem('transforms.agg', 'aggregate accepts metrics, but input "k8s_logs" (kubernetes_logs) only emits logs'),
    ]);
  });

  it('uses fixed declared emits downstream: logs in, metrics out', () => {
    const pipeline = () =>
      new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' }).addCustomTransform('to_metrics', {
        type: 'lua',
        inputs: ['k8s_logs'],
        accepts: ['logs'],
        emits: ['metrics'],
        options: luaOptions,
      });
    const intoProm = pipeline().addSink('prom', {
      type: 'prometheus_remote_write',
      inputs: ['to_metrics'],
      endpoint: 'http://prom/api/v1/write',
    });
    expect(intoProm.validate()).toEqual([]);
    const intoLoki = pipeline().addSink('loki', {
      type: 'loki',
      inputs: ['to_metrics'],
      endpoint: 'http://loki:3100',
      encoding: json,
    });
    expect(intoLoki.validate()).toEqual([
      problem('sinks.loki', 'loki accepts logs, but input "to_metrics" (lua) only emits metrics'),
    ]);
  });

  it('passes through only what arrives: metrics through a logs+metrics passthrough transform into loki', () => {
    const pipeline = (source: 'host_metrics' | 'kubernetes_logs') =>
      new VectorPipeline()
        .addSource('src', { type: source })
        .addCustomTransform('tag', {
          type: 'lua',
          inputs: ['src'],
          accepts: ['logs', 'metrics'],
          emits: 'passthrough',
          options: luaOptions,
        })
        .addSink('loki', { type: 'loki', inputs: ['tag'], endpoint: 'http://loki:3100', encoding: json });
    expect(pipeline('host_metrics').validate()).toEqual([
      problem('sinks.loki', 'loki accepts logs, but input "tag" (lua) only emits metrics'),
    ]);
    expect(pipeline('kubernetes_logs').validate()).toEqual([]);
  });
});

describe('custom named outputs', () => {
  const withOtel = (...inputs: string[]) =>
    new VectorPipeline().addCustomSource('otel', otel).addSink('out', { type: 'blackhole', inputs });

  it('resolves named outputs as inputs', () => {
    expect(withOtel('otel.logs', 'otel.metrics', 'otel.traces').validate()).toEqual([]);
  });

  it('reports reading the id when the default output is turned off', () => {
    expect(withOtel('otel.logs', 'otel').validate()).toEqual([
      problem('sinks.out', 'input "otel": sources.otel has no default output; read one of "otel.logs", "otel.metrics"'),
    ]);
  });

  it('reports an output that was not declared', () => {
    expect(withOtel('otel.logs', 'otel.profiles').validate()).toEqual([
      problem('sinks.out', 'input "otel.profiles": sources.otel has no output "profiles"; its outputs are "otel.logs"'),
    ]);
  });

  it('keeps the default output alongside named ones unless turned off', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addCustomTransform('split', {
        type: 'exclusive_route',
        inputs: ['k8s_logs'],
        accepts: ['logs', 'metrics', 'traces'],
        emits: 'passthrough',
        options: { routes: [{ name: 'errors', condition: '.level == "error"' }] },
        outputs: { named: ['errors', '_unmatched'] },
      })
      .addSink('all', { type: 'blackhole', inputs: ['split'] })
      .addSink('errors', { type: 'blackhole', inputs: ['split.errors', 'split._unmatched'] });
    expect(pipeline.validate()).toEqual([]);
  });
});

describe('custom listen addresses', () => {
  it('takes part in port clashes', () => {
    const pipeline = new VectorPipeline()
      .addSource('agents', { type: 'vector', address: '0.0.0.0:4317' })
      .addCustomSource('otel', otel)
      .addSink('out', { type: 'blackhole', inputs: ['agents', 'otel.logs'] });
    expect(pipeline.validate()).toEqual([
      problem('sources.otel', 'listens on 0.0.0.0:4317, which sources.agents already binds (0.0.0.0:4317)'),
    ]);
  });

  it('takes part for a custom sink, against the API', () => {
    const pipeline = new VectorPipeline({ global: { api: { enabled: true, address: '0.0.0.0:8686' } } })
      .addSource('host', { type: 'host_metrics' })
      .addCustomSink('statsd_out', {
        type: 'prometheus_exporter',
        inputs: ['host'],
        accepts: ['metrics'],
        options: { address: '0.0.0.0:8686' },
        listenAddress: '0.0.0.0:8686',
      });
    expect(pipeline.validate()).toEqual([problem('sinks.statsd_out', 'which global.api already binds (0.0.0.0:8686)')]);
  });

  it('is listed by listeners()', () => {
    const pipeline = new VectorPipeline()
      .addCustomSource('otel', otel)
      .addSink('out', { type: 'blackhole', inputs: ['otel.logs'] });
    expect(pipeline.listeners()).toEqual([
      { component: 'sources.otel', address: '0.0.0.0:4317', host: '0.0.0.0', port: 4317 },
    ]);
  });

  it('reports a malformed listen address', () => {
    const pipeline = new VectorPipeline()
      .addCustomSource('otel', { ...otel, listenAddress: '4317' })
      .addSink('out', { type: 'blackhole', inputs: ['otel.logs'] });
    expect(pipeline.validate()).toEqual([problem('sources.otel', 'address "4317" is not host:port')]);
  });
});

describe('reserved fields inside options', () => {
  it('reports `type` inside options', () => {
    const pipeline = new VectorPipeline().addSource('host', { type: 'host_metrics' }).addCustomSink('web', {
      ...httpSink(['host']),
      accepts: ['metrics'],
      options: { type: 'http', uri: 'https://x', encoding: json },
    });
    expect(pipeline.validate()).toEqual([problem('sinks.web', 'give `type` as its own field, not inside `options`')]);
  });

  it('reports `inputs` inside options', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addCustomTransform('merge', {
        type: 'reduce',
        inputs: ['k8s_logs'],
        accepts: ['logs'],
        emits: 'passthrough',
        options: { inputs: ['k8s_logs'] },
      })
      .addSink('out', { type: 'blackhole', inputs: ['merge'] });
    expect(pipeline.validate()).toEqual([
      problem('transforms.merge', 'give `inputs` as its own field, not inside `options`'),
    ]);
  });
});

describe('checks that still apply to custom components', () => {
  it('reports a small disk buffer on a custom sink', () => {
    const pipeline = new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' }).addCustomSink('web', {
      ...httpSink(['k8s_logs']),
      options: { uri: 'https://x', encoding: json, buffer: { type: 'disk', max_size: 1024 } },
    });
    expect(pipeline.validate()).toEqual([problem('sinks.web', 'disk buffer max_size 1024 is below')]);
  });

  it('reports an unconfined template on a custom sink of a confined type (file)', () => {
    const file = (path: string) =>
      new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' }).addCustomSink('files', {
        type: 'file',
        inputs: ['k8s_logs'],
        accepts: ['logs'],
        options: { path, encoding: json },
      });
    expect(file('{{ kubernetes.pod_namespace }}/app.log').validate()).toEqual([
      problem('sinks.files', '`path` is the template "{{ kubernetes.pod_namespace }}/app.log" with no literal prefix'),
    ]);
    expect(file('/var/log/out/{{ kubernetes.pod_namespace }}.log').validate()).toEqual([]);
  });

  it('reports a custom id that clashes with a built-in one, and an invalid custom id', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addCustomSource('host', { type: 'statsd', emits: ['metrics'] })
      .addCustomSink('my.sink', { ...httpSink(['host']), accepts: ['metrics'] });
    const problems = pipeline.validate();
    expect(problems).toContainEqual(problem('sources.host', 'duplicate id "host": sources.host already has it'));
    expect(problems).toContainEqual(problem('sinks.my.sink', 'invalid id "my.sink"'));
  });

  it('reports secret references and env variables in custom options', () => {
    const pipeline = new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' }).addCustomSink('web', {
      ...httpSink(['k8s_logs']),
      options: {
        uri: 'https://${HOST}/x',
        encoding: json,
        auth: { strategy: 'bearer', token: 'SECRET[vault.token]' },
      },
    });
    const problems = pipeline.validate();
    expect(problems).toContainEqual(problem('sinks.web', '`uri` contains "${HOST}"'));
    expect(problems).toContainEqual(problem('sinks.web', '`auth.token`: secret reference "SECRET[vault.token]"'));
    expect(problems).toHaveLength(2);
  });
});
