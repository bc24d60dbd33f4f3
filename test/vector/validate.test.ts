import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  MIN_DISK_BUFFER_BYTES,
  type SinkSpec,
  type SourceSpec,
  type TransformSpec,
  VectorConfigError,
  type VectorConfigProblem,
  VectorPipeline,
  type VectorPipelineProps,
} from '../../lib/vector';

const json = { codec: 'json' } as const;

/** A problem on `component` whose message contains `text`. */
function problem(component: string, text: string) {
  return { component, message: expect.stringContaining(text) };
}

/** The problems of `pipeline` that belong to `component`. */
function problemsOf(pipeline: VectorPipeline, component: string): VectorConfigProblem[] {
  return pipeline.validate().filter((p) => p.component === component);
}

/** kubernetes_logs -> remap `parse` -> console `out`: valid, for tests to extend. */
function logsPipeline(props: VectorPipelineProps = {}): VectorPipeline {
  return new VectorPipeline(props)
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addTransform('parse', { type: 'remap', inputs: ['k8s_logs'], source: '. = parse_json!(.message)' })
    .addSink('out', { type: 'console', inputs: ['parse'], encoding: json });
}

/** kubernetes_logs `k8s_logs` feeding one transform `t` read by a console sink. */
function withTransform(spec: TransformSpec): VectorPipeline {
  return new VectorPipeline()
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addTransform('t', spec)
    .addSink('out', { type: 'console', inputs: ['t'], encoding: json });
}

/** `Omit` applied to each member of a union, so that each sink keeps its own options. */
type WithoutInputs<T> = T extends unknown ? Omit<T, 'inputs'> : never;

/** A source `src` read by a single sink `sink`. */
function sourceIntoSink(source: SourceSpec, sink: WithoutInputs<SinkSpec>): VectorPipeline {
  return new VectorPipeline().addSource('src', source).addSink('sink', { ...sink, inputs: ['src'] } as SinkSpec);
}

describe('a valid pipeline', () => {
  it('has no problems', () => {
    expect(logsPipeline().validate()).toEqual([]);
  });

  it('has no problems as a full aggregator (vector in, route, dedupe, sample, loki, metrics, exporter)', () => {
    const pipeline = new VectorPipeline({
      global: { data_dir: '/var/lib/vector', api: { enabled: true, address: '0.0.0.0:8686' } },
    })
      .addSecretBackend('k8s', { type: 'directory', path: '/etc/vector/secrets' })
      .addSource('agents', {
        type: 'vector',
        address: '0.0.0.0:6000',
        tls: {
          enabled: true,
          crt_file: '/tls/tls.crt',
          key_file: '/tls/tls.key',
          ca_file: '/tls/ca.crt',
          verify_certificate: true,
        },
      })
      .addSource('self', { type: 'internal_metrics' })
      .addTransform('by_type', {
        type: 'route',
        inputs: ['agents'],
        route: { logs: { type: 'is_log' }, metrics: { type: 'is_metric' } },
      })
      .addTransform('dedupe', { type: 'dedupe', inputs: ['by_type.logs'], fields: { ignore: ['timestamp'] } })
      .addTransform('sample', { type: 'sample', inputs: ['dedupe'], rate: 10, exclude: '.level == "error"' })
      .addSink('loki', {
        type: 'loki',
        inputs: ['sample'],
        endpoint: 'http://loki-gateway.monitoring.svc:80',
        encoding: json,
        labels: { namespace: '{{ kubernetes.pod_namespace }}', cluster: 'prod-eu' },
        auth: { strategy: 'basic', user: 'vector', password: 'SECRET[k8s.loki_password]' },
        dangerously_allow_unconfined_template_resolution: true,
        buffer: { type: 'disk', max_size: MIN_DISK_BUFFER_BYTES },
      })
      .addSink('metrics', {
        type: 'prometheus_remote_write',
        inputs: ['by_type.metrics', 'self'],
        endpoint: 'http://prometheus:9090/api/v1/write',
      })
      .addSink('unmatched', { type: 'blackhole', inputs: ['by_type._unmatched'] })
      .addSink('exporter', { type: 'prometheus_exporter', inputs: ['self'] });
    expect(pipeline.validate()).toEqual([]);
    expect(() => pipeline.render()).not.toThrow();
  });

  it('reports an empty pipeline', () => {
    expect(new VectorPipeline().validate()).toEqual([problem('pipeline', 'has no components')]);
  });
});

describe('unknown input', () => {
  it('names the reader and the unknown id, with a did-you-mean', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('parse', { type: 'remap', inputs: ['k8s_log'], source: '.' })
      .addSink('out', { type: 'console', inputs: ['parse'], encoding: json });
    const problems = pipeline.validate();
    expect(problems).toContainEqual(problem('transforms.parse', 'unknown input "k8s_log" (did you mean "k8s_logs"?)'));
    // the source is now unread as well, and nothing else is wrong
    expect(problems).toContainEqual(problem('sources.k8s_logs', 'nobody reads this source'));
    expect(problems).toHaveLength(2);
  });

  it('explains that wildcard inputs are not supported', () => {
    const pipeline = logsPipeline().addSink('all', { type: 'blackhole', inputs: ['k8s_*'] });
    expect(problemsOf(pipeline, 'sinks.all')).toEqual([
      problem('sinks.all', 'unknown input "k8s_*": wildcard inputs are not supported'),
    ]);
  });

  it('reports reading a sink', () => {
    const pipeline = logsPipeline().addSink('copy', { type: 'blackhole', inputs: ['out'] });
    expect(problemsOf(pipeline, 'sinks.copy')).toEqual([
      problem('sinks.copy', 'input "out" is a sink; sinks have no outputs'),
    ]);
  });

  it('reports an input listed twice', () => {
    const pipeline = logsPipeline().addSink('twice', { type: 'blackhole', inputs: ['parse', 'parse'] });
    expect(problemsOf(pipeline, 'sinks.twice')).toEqual([problem('sinks.twice', 'lists input "parse" twice')]);
  });

  it('reports a transform reading itself', () => {
    const pipeline = logsPipeline().addTransform('loop', { type: 'remap', inputs: ['k8s_logs', 'loop'], source: '.' });
    pipeline.addInputs('out', 'loop');
    expect(problemsOf(pipeline, 'transforms.loop')).toEqual([problem('transforms.loop', 'reads its own output')]);
  });
});

describe('cycle', () => {
  it('reports a two-transform cycle once, naming both', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('a', { type: 'remap', inputs: ['k8s_logs', 'b'], source: '.' })
      .addTransform('b', { type: 'remap', inputs: ['a'], source: '.' })
      .addSink('out', { type: 'console', inputs: ['b'], encoding: json });
    const problems = pipeline.validate();
    expect(problems).toEqual([problem('transforms.a', 'is part of a cycle: a -> b -> a')]);
  });

  it('reports a longer cycle once, listing every member, without knock-on event-type problems downstream', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('a', { type: 'remap', inputs: ['k8s_logs', 'c'], source: '.' })
      .addTransform('b', { type: 'remap', inputs: ['a'], source: '.' })
      .addTransform('c', { type: 'remap', inputs: ['b'], source: '.' })
      .addSink('logs', { type: 'loki', inputs: ['c'], endpoint: 'http://loki:3100', encoding: json })
      .addSink('metrics', { type: 'prometheus_remote_write', inputs: ['c'], endpoint: 'http://prom/api/v1/write' });
    const problems = pipeline.validate();
    expect(problems).toHaveLength(1);
    expect(problems[0].component).toBe('transforms.a');
    expect(problems[0].message).toMatch(/^is part of a cycle: a -> [bc] -> [bc] -> a; .*break the cycle/);
    for (const id of ['b', 'c']) expect(problems[0].message).toContain(` ${id} `);
  });
});

describe('event-type mismatch', () => {
  it('reports metrics into loki, with a conversion hint', () => {
    const pipeline = sourceIntoSink(
      { type: 'host_metrics' },
      { type: 'loki', endpoint: 'http://loki:3100', encoding: json },
    );
    expect(pipeline.validate()).toEqual([
      problem('sinks.sink', 'loki accepts logs, but input "src" (host_metrics) only emits metrics'),
    ]);
    expect(pipeline.validate()[0].message).toContain('metric_to_log');
  });

  it('reports logs into prometheus_remote_write, with a conversion hint', () => {
    const pipeline = sourceIntoSink(
      { type: 'kubernetes_logs' },
      { type: 'prometheus_remote_write', endpoint: 'http://prom/api/v1/write' },
    );
    expect(pipeline.validate()).toEqual([
      problem(
        'sinks.sink',
        'prometheus_remote_write accepts metrics, but input "src" (kubernetes_logs) only emits logs',
      ),
    ]);
    expect(pipeline.validate()[0].message).toContain('log_to_metric');
  });

  it('reports a transform that accepts only logs fed metrics', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('dedupe', { type: 'dedupe', inputs: ['host'] })
      .addSink('out', { type: 'blackhole', inputs: ['dedupe'] });
    expect(pipeline.validate()).toEqual([
      problem('transforms.dedupe', 'dedupe accepts logs, but input "host" (host_metrics) only emits metrics'),
    ]);
  });

  it('propagates through passthrough transforms: logs -> remap -> prometheus_remote_write is reported', () => {
    const pipeline = logsPipeline().addSink('prom', {
      type: 'prometheus_remote_write',
      inputs: ['parse'],
      endpoint: 'http://prom/api/v1/write',
    });
    expect(pipeline.validate()).toEqual([
      problem('sinks.prom', 'prometheus_remote_write accepts metrics, but input "parse" (remap) only emits logs'),
    ]);
  });

  it('propagates through passthrough transforms: host_metrics -> filter -> prometheus_remote_write is fine', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('keep', { type: 'filter', inputs: ['host'], condition: '.name != "load1"' })
      .addSink('prom', { type: 'prometheus_remote_write', inputs: ['keep'], endpoint: 'http://prom/api/v1/write' });
    expect(pipeline.validate()).toEqual([]);
  });

  it('propagates through a route: metrics routed into loki are reported', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('split', { type: 'route', inputs: ['host'], route: { cpu: '.name == "cpu"' } })
      .addSink('loki', { type: 'loki', inputs: ['split.cpu'], endpoint: 'http://loki:3100', encoding: json })
      .addSink('rest', { type: 'blackhole', inputs: ['split._unmatched'] });
    expect(pipeline.validate()).toEqual([
      problem('sinks.loki', 'loki accepts logs, but input "split.cpu" (route) only emits metrics'),
    ]);
  });

  it('reports each mismatched named output of a route once, by the name it was read as', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('split', {
        type: 'route',
        inputs: ['host'],
        route: { cpu: '.name == "cpu"', mem: '.name == "mem"' },
      })
      .addSink('loki', {
        type: 'loki',
        inputs: ['split.cpu', 'split.mem'],
        endpoint: 'http://loki:3100',
        encoding: json,
      });
    const problems = pipeline.validate();
    expect(problems).toHaveLength(2);
    expect(new Set(problems.map(formatProblem)).size).toBe(2);
    expect(problems).toContainEqual(problem('sinks.loki', 'input "split.cpu"'));
    expect(problems).toContainEqual(problem('sinks.loki', 'input "split.mem"'));
  });

  it('accepts log_to_metric -> prometheus_exporter', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('count', {
        type: 'log_to_metric',
        inputs: ['k8s_logs'],
        metrics: [{ type: 'counter', field: 'message', name: 'lines_total' }],
      })
      .addSink('exporter', { type: 'prometheus_exporter', inputs: ['count'] });
    expect(pipeline.validate()).toEqual([]);
  });

  it('reports log_to_metric -> loki (its output is metrics, not the logs it reads)', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('count', {
        type: 'log_to_metric',
        inputs: ['k8s_logs'],
        metrics: [{ type: 'counter', field: 'message' }],
      })
      .addSink('loki', { type: 'loki', inputs: ['count'], endpoint: 'http://loki:3100', encoding: json });
    expect(pipeline.validate()).toEqual([
      problem('sinks.loki', 'loki accepts logs, but input "count" (log_to_metric) only emits metrics'),
    ]);
  });

  it('accepts metric_to_log -> loki', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('as_logs', { type: 'metric_to_log', inputs: ['host'] })
      .addSink('loki', { type: 'loki', inputs: ['as_logs'], endpoint: 'http://loki:3100', encoding: json });
    expect(pipeline.validate()).toEqual([]);
  });

  it('accepts a vector source (all event types) into a logs-only sink', () => {
    const pipeline = sourceIntoSink(
      { type: 'vector', address: '0.0.0.0:6000' },
      { type: 'loki', endpoint: 'http://loki:3100', encoding: json },
    );
    expect(pipeline.validate()).toEqual([]);
  });

  it('reports a console sink with encoding.codec raw_message fed metrics', () => {
    const pipeline = sourceIntoSink({ type: 'host_metrics' }, { type: 'console', encoding: { codec: 'raw_message' } });
    expect(pipeline.validate()).toEqual([
      problem('sinks.sink', 'console accepts logs, but input "src" (host_metrics) only emits metrics'),
    ]);
  });

  it('accepts a console sink with encoding.codec json fed metrics', () => {
    const pipeline = sourceIntoSink({ type: 'host_metrics' }, { type: 'console', encoding: json });
    expect(pipeline.validate()).toEqual([]);
  });

  it('uses a source decoding codec: stdin decoding influxdb emits metrics, which loki cannot take', () => {
    const pipeline = sourceIntoSink(
      { type: 'stdin', decoding: { codec: 'influxdb' } },
      { type: 'loki', endpoint: 'http://loki:3100', encoding: json },
    );
    expect(pipeline.validate()).toEqual([
      problem('sinks.sink', 'loki accepts logs, but input "src" (stdin) only emits metrics'),
    ]);
  });
});

describe('route outputs', () => {
  function routed(readers: readonly string[], reroute_unmatched?: boolean): VectorPipeline {
    return new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('router', {
        type: 'route',
        inputs: ['k8s_logs'],
        route: { errors: '.level == "error"', audit: '.kind == "audit"' },
        reroute_unmatched,
      })
      .addSink('out', { type: 'blackhole', inputs: readers });
  }

  it('accepts named outputs and _unmatched', () => {
    expect(routed(['router.errors', 'router.audit', 'router._unmatched']).validate()).toEqual([]);
  });

  it('reports an output that does not exist, listing the outputs that do', () => {
    expect(routed(['router.errors', 'router.warnings']).validate()).toEqual([
      problem(
        'sinks.out',
        'input "router.warnings": transforms.router has no output "warnings"; its outputs are "router.errors", "router.audit", "router._unmatched"',
      ),
    ]);
  });

  it('reports reading the route id alone: a route has no default output', () => {
    expect(routed(['router.errors', 'router']).validate()).toEqual([
      problem('sinks.out', 'input "router": transforms.router has no default output; read one of "router.errors"'),
    ]);
  });

  it('reports _unmatched when reroute_unmatched is false', () => {
    expect(routed(['router.errors', 'router._unmatched'], false).validate()).toEqual([
      problem('sinks.out', 'input "router._unmatched": transforms.router has no output "_unmatched"'),
    ]);
    expect(routed(['router._unmatched'], true).validate()).toEqual([]);
  });

  it('reports a route with no conditions, and the reserved name _unmatched', () => {
    const empty = withTransform({ type: 'route', inputs: ['k8s_logs'], route: {} });
    expect(empty.validate()).toContainEqual(problem('transforms.t', '`route` needs at least one named condition'));
    const reserved = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('t', { type: 'route', inputs: ['k8s_logs'], route: { _unmatched: '.a == 1', ok: '.a == 2' } })
      .addSink('out', { type: 'blackhole', inputs: ['t.ok'] });
    expect(reserved.validate()).toEqual([problem('transforms.t', 'route name `_unmatched` is reserved')]);
  });
});

describe('remap outputs', () => {
  it('reports `.dropped` without reroute_dropped', () => {
    const pipeline = logsPipeline().addSink('failed', { type: 'blackhole', inputs: ['parse.dropped'] });
    expect(pipeline.validate()).toEqual([
      problem(
        'sinks.failed',
        'input "parse.dropped": transforms.parse has no output "dropped" (`dropped` exists only with reroute_dropped: true)',
      ),
    ]);
  });

  it('accepts `.dropped` with reroute_dropped', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('parse', {
        type: 'remap',
        inputs: ['k8s_logs'],
        source: '. = parse_json!(.message)',
        reroute_dropped: true,
        drop_on_error: true,
      })
      .addSink('out', { type: 'blackhole', inputs: ['parse'] })
      .addSink('failed', { type: 'blackhole', inputs: ['parse.dropped'] });
    expect(pipeline.validate()).toEqual([]);
  });
});

describe('remap program', () => {
  it('reports neither source nor file', () => {
    expect(withTransform({ type: 'remap', inputs: ['k8s_logs'] }).validate()).toEqual([
      problem('transforms.t', 'give exactly one of `source` and `file` (the VRL program); got neither'),
    ]);
  });

  it('reports both source and file', () => {
    const pipeline = withTransform({ type: 'remap', inputs: ['k8s_logs'], source: '.', file: '/etc/vector/p.vrl' });
    expect(pipeline.validate()).toEqual([problem('transforms.t', 'got both')]);
  });

  it('accepts file alone', () => {
    expect(withTransform({ type: 'remap', inputs: ['k8s_logs'], file: '/etc/vector/p.vrl' }).validate()).toEqual([]);
  });
});

describe('disk buffer', () => {
  const withBuffer = (buffer: unknown) =>
    logsPipeline().addSink('archive', { type: 'blackhole', inputs: ['parse'], buffer } as SinkSpec);

  it(`reports max_size under ${MIN_DISK_BUFFER_BYTES}`, () => {
    expect(withBuffer({ type: 'disk', max_size: 268435487 }).validate()).toEqual([
      problem('sinks.archive', "disk buffer max_size 268435487 is below Vector's minimum of 268435488 bytes"),
    ]);
  });

  it('accepts exactly the minimum', () => {
    expect(withBuffer({ type: 'disk', max_size: 268435488 }).validate()).toEqual([]);
  });

  it('reports a small disk stage in a list of buffer stages', () => {
    const buffer = [
      { type: 'memory', max_events: 1000 },
      { type: 'disk', max_size: 1024 },
    ];
    expect(withBuffer(buffer).validate()).toEqual([problem('sinks.archive', 'disk buffer max_size 1024 is below')]);
  });

  it('reports a disk buffer without max_size, naming the option Vector requires for disk buffers', () => {
    expect(withBuffer({ type: 'disk' }).validate()).toEqual([
      problem('sinks.archive', 'blackhole needs `buffer.max_size` when `buffer.type` is "disk"'),
    ]);
  });

  it('does not apply the minimum to memory buffers', () => {
    expect(withBuffer({ type: 'memory', max_events: 10 }).validate()).toEqual([]);
  });
});

describe('ids', () => {
  it('reports a duplicate id across sources, transforms and sinks, on the second component', () => {
    const pipeline = logsPipeline().addSink('k8s_logs', { type: 'blackhole', inputs: ['parse'] });
    expect(pipeline.validate()).toEqual([
      problem('sinks.k8s_logs', 'duplicate id "k8s_logs": sources.k8s_logs already has it'),
    ]);
  });

  it.each(['my.logs', '-logs', 'two words', ''])('reports the invalid id %j', (id) => {
    const pipeline = new VectorPipeline()
      .addSource(id, { type: 'kubernetes_logs' })
      .addSink('out', { type: 'blackhole', inputs: [id] });
    expect(pipeline.validate()).toContainEqual(problem(`sources.${id}`, `invalid id "${id}"`));
  });

  it('accepts ids with digits, dashes and underscores', () => {
    const pipeline = new VectorPipeline()
      .addSource('0k8s-logs_a', { type: 'kubernetes_logs' })
      .addSink('out', { type: 'blackhole', inputs: ['0k8s-logs_a'] });
    expect(pipeline.validate()).toEqual([]);
  });
});

describe('missing inputs', () => {
  it('reports a transform without inputs', () => {
    const pipeline = logsPipeline().addTransform('lonely', { type: 'remap', inputs: [], source: '.' });
    pipeline.addInputs('out', 'lonely');
    expect(pipeline.validate()).toEqual([problem('transforms.lonely', 'has no inputs')]);
  });

  it('reports a sink without inputs', () => {
    const pipeline = logsPipeline().addSink('archive', { type: 'blackhole', inputs: [] });
    expect(pipeline.validate()).toEqual([problem('sinks.archive', 'has no inputs: list the ids')]);
  });
});

describe('unread components', () => {
  it('reports a source nobody reads', () => {
    const pipeline = logsPipeline().addSource('host', { type: 'host_metrics' });
    expect(pipeline.validate()).toEqual([problem('sources.host', 'nobody reads this source')]);
  });

  it('reports a transform nobody reads', () => {
    const pipeline = logsPipeline().addTransform('extra', { type: 'remap', inputs: ['k8s_logs'], source: '.' });
    expect(pipeline.validate()).toEqual([problem('transforms.extra', 'nobody reads this transform')]);
  });

  it('counts a read of a named output as reading the component', () => {
    const pipeline = logsPipeline().addTransform('split', {
      type: 'route',
      inputs: ['k8s_logs'],
      route: { a: '.a == 1' },
    });
    pipeline.addInputs('out', 'split.a');
    expect(pipeline.validate()).toEqual([]);
  });
});

describe('listening ports', () => {
  /** Vector sources at these addresses, all read by one sink. */
  function listening(addresses: readonly string[], props: VectorPipelineProps = {}): VectorPipeline {
    const pipeline = new VectorPipeline(props);
    addresses.forEach((address, i) => {
      pipeline.addSource(`in${i}`, { type: 'vector', address });
    });
    return pipeline.addSink('out', { type: 'blackhole', inputs: addresses.map((_, i) => `in${i}`) });
  }

  it('reports two components on the same host and port, naming both', () => {
    expect(listening(['0.0.0.0:6000', '0.0.0.0:6000']).validate()).toEqual([
      problem('sources.in1', 'listens on 0.0.0.0:6000, which sources.in0 already binds (0.0.0.0:6000)'),
    ]);
  });

  it('reports a component on the API port', () => {
    const pipeline = listening(['0.0.0.0:8686'], { global: { api: { enabled: true, address: '0.0.0.0:8686' } } });
    expect(pipeline.validate()).toEqual([
      problem('sources.in0', 'listens on 0.0.0.0:8686, which global.api already binds (0.0.0.0:8686)'),
    ]);
  });

  it("counts the API's default address 127.0.0.1:8686 when enabled without one", () => {
    const pipeline = listening(['127.0.0.1:8686'], { global: { api: { enabled: true } } });
    expect(pipeline.validate()).toEqual([problem('sources.in0', 'which global.api already binds (127.0.0.1:8686)')]);
  });

  it('ignores the API address when the API is disabled', () => {
    const pipeline = listening(['0.0.0.0:8686'], { global: { api: { enabled: false, address: '0.0.0.0:8686' } } });
    expect(pipeline.validate()).toEqual([]);
  });

  it('accepts the same port on two different specific hosts', () => {
    expect(listening(['127.0.0.1:9000', '10.0.0.1:9000']).validate()).toEqual([]);
  });

  it('accepts different ports on the same host', () => {
    expect(listening(['0.0.0.0:6000', '0.0.0.0:6001']).validate()).toEqual([]);
  });

  it('reports 0.0.0.0 against any host on the same port, in either order', () => {
    expect(listening(['10.0.0.1:9000', '0.0.0.0:9000']).validate()).toEqual([
      problem('sources.in1', 'listens on 0.0.0.0:9000, which sources.in0 already binds (10.0.0.1:9000)'),
    ]);
    expect(listening(['0.0.0.0:9000', '10.0.0.1:9000']).validate()).toEqual([
      problem('sources.in1', 'listens on 10.0.0.1:9000, which sources.in0 already binds (0.0.0.0:9000)'),
    ]);
  });

  it('reports the IPv6 wildcard [::] against any host', () => {
    expect(listening(['[::]:9000', '127.0.0.1:9000']).validate()).toEqual([
      problem('sources.in1', 'which sources.in0 already binds ([::]:9000)'),
    ]);
  });

  it("counts prometheus_exporter's default address 0.0.0.0:9598 when address is omitted", () => {
    const pipeline = new VectorPipeline()
      .addSource('agents', { type: 'vector', address: '127.0.0.1:9598' })
      .addSink('exporter', { type: 'prometheus_exporter', inputs: ['agents'] });
    expect(pipeline.validate()).toEqual([
      problem('sinks.exporter', 'listens on 0.0.0.0:9598, which sources.agents already binds (127.0.0.1:9598)'),
    ]);
  });

  it('reports two exporters that both use the default address', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addSink('a', { type: 'prometheus_exporter', inputs: ['host'] })
      .addSink('b', { type: 'prometheus_exporter', inputs: ['host'] });
    expect(pipeline.validate()).toEqual([problem('sinks.b', 'which sinks.a already binds (0.0.0.0:9598)')]);
  });

  it.each(['localhost', '0.0.0.0:', ':6000', '0.0.0.0:0', '0.0.0.0:70000', 'http://0.0.0.0:6000'])(
    'reports the malformed address %j',
    (address) => {
      expect(listening([address]).validate()).toEqual([
        problem('sources.in0', `address "${address}" is not host:port with a port from 1 to 65535`),
      ]);
    },
  );

  it('reports a malformed API address on global.api', () => {
    const pipeline = logsPipeline({ global: { api: { enabled: true, address: '8686' } } });
    expect(pipeline.validate()).toEqual([problem('global.api', 'address "8686" is not host:port')]);
  });
});

describe('unknown option', () => {
  it('names the option and suggests the closest known one', () => {
    const pipeline = logsPipeline().addSink('loki', {
      type: 'loki',
      inputs: ['parse'],
      endpoint: 'http://loki:3100',
      encoding: json,
      lables: { app: 'x' },
    } as unknown as SinkSpec);
    expect(pipeline.validate()).toEqual([
      problem('sinks.loki', 'unknown option `lables` for loki (did you mean "labels"?)'),
    ]);
  });

  it('gives no suggestion when nothing is close', () => {
    const pipeline = logsPipeline().addSink('hole', {
      type: 'blackhole',
      inputs: ['parse'],
      zzzzzzzz: true,
    } as unknown as SinkSpec);
    const [p] = pipeline.validate();
    expect(p).toEqual(problem('sinks.hole', 'unknown option `zzzzzzzz` for blackhole'));
    expect(p.message).not.toContain('did you mean');
  });

  it('gives the known hint for a common wrong name', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs', exclude_paths: ['*'] } as unknown as SourceSpec)
      .addSink('out', { type: 'blackhole', inputs: ['k8s_logs'] });
    expect(pipeline.validate()).toEqual([
      problem(
        'sources.k8s_logs',
        'unknown option `exclude_paths` for kubernetes_logs: the option is `exclude_paths_glob_patterns`',
      ),
    ]);
  });

  it('explains that sample has no per-key rates', () => {
    const pipeline = withTransform({
      type: 'sample',
      inputs: ['k8s_logs'],
      rate: 10,
      sample_rates: { prod: 1 },
    } as unknown as TransformSpec);
    expect(pipeline.validate()).toEqual([problem('transforms.t', '`sample` has no per-key rates')]);
  });
});

describe('unknown component type', () => {
  it('suggests a close type', () => {
    const pipeline = logsPipeline().addSink('l', { type: 'lokii', inputs: ['parse'] } as unknown as SinkSpec);
    expect(pipeline.validate()).toEqual([problem('sinks.l', 'unknown sink type "lokii" (did you mean "loki"?)')]);
  });

  it('explains a disk "sink" is a buffer', () => {
    const pipeline = logsPipeline().addSink('d', { type: 'disk', inputs: ['parse'] } as unknown as SinkSpec);
    expect(pipeline.validate()).toEqual([problem('sinks.d', 'Vector has no `disk` sink')]);
  });

  it('explains a type of another class', () => {
    const pipeline = logsPipeline().addTransform('x', {
      type: 'host_metrics',
      inputs: ['k8s_logs'],
    } as unknown as TransformSpec);
    pipeline.addInputs('out', 'x');
    expect(pipeline.validate()).toContainEqual(
      problem('transforms.x', '"host_metrics" is a source type, not a transform type: add it with addSource()'),
    );
  });
});

describe('required option missing (untyped caller)', () => {
  it('reports loki without endpoint', () => {
    const pipeline = logsPipeline().addSink('loki', {
      type: 'loki',
      inputs: ['parse'],
      encoding: json,
    } as unknown as SinkSpec);
    expect(pipeline.validate()).toEqual([problem('sinks.loki', 'loki needs `endpoint`')]);
  });

  it('reports every missing required option of one component', () => {
    const pipeline = withTransform({ type: 'throttle', inputs: ['k8s_logs'] } as unknown as TransformSpec);
    expect(pipeline.validate()).toEqual([
      problem('transforms.t', 'throttle needs `threshold`'),
      problem('transforms.t', 'throttle needs `window_secs`'),
    ]);
  });

  it('reports a file source without include, and a vector source without address', () => {
    const pipeline = new VectorPipeline()
      .addSource('files', { type: 'file' } as unknown as SourceSpec)
      .addSource('agents', { type: 'vector' } as unknown as SourceSpec)
      .addSink('out', { type: 'blackhole', inputs: ['files', 'agents'] });
    expect(pipeline.validate()).toEqual([
      problem('sources.files', 'file needs `include`'),
      problem('sources.agents', 'vector needs `address`'),
    ]);
  });

  it('reports an empty endpoint', () => {
    const pipeline = logsPipeline().addSink('loki', { type: 'loki', inputs: ['parse'], endpoint: ' ', encoding: json });
    expect(pipeline.validate()).toEqual([problem('sinks.loki', '`endpoint` is empty')]);
  });
});

describe('sample', () => {
  const sample = (options: Record<string, unknown>) =>
    withTransform({ type: 'sample', inputs: ['k8s_logs'], ...options } as TransformSpec);

  it.each([{ rate: 10 }, { rate: 2 }, { ratio: 0.25 }])('accepts %j', (options) => {
    expect(sample(options).validate()).toEqual([]);
  });

  it('reports rate: 1 (keeps everything)', () => {
    expect(sample({ rate: 1 }).validate()).toEqual([problem('transforms.t', '`rate: 1` keeps every event')]);
  });

  it.each([0, 0.5, -3, 2.5])('reports rate: %d', (rate) => {
    expect(sample({ rate }).validate()).toEqual([
      problem('transforms.t', `\`rate\` must be a whole number >= 2 (keeps 1 in rate); got ${rate}`),
    ]);
  });

  it.each([0, 1, 1.5, -0.1])('reports ratio: %d', (ratio) => {
    expect(sample({ ratio }).validate()).toEqual([
      problem('transforms.t', `\`ratio\` must be between 0 and 1 exclusive (the fraction kept); got ${ratio}`),
    ]);
  });

  it.each([{}, { rate: 10, ratio: 0.1 }])('reports %j: exactly one of rate and ratio', (options) => {
    expect(sample(options).validate()).toEqual([problem('transforms.t', 'give exactly one of `rate`')]);
  });

  it('reports metrics into sample (it takes logs and traces)', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addTransform('s', { type: 'sample', inputs: ['host'], rate: 10 })
      .addSink('out', { type: 'blackhole', inputs: ['s'] });
    expect(pipeline.validate()).toEqual([problem('transforms.s', 'sample accepts logs and traces, but input "host"')]);
  });
});

describe('dedupe fields', () => {
  const dedupe = (fields: unknown) =>
    withTransform({ type: 'dedupe', inputs: ['k8s_logs'], fields } as unknown as TransformSpec);

  it.each([{ match: ['message', 'host'] }, { ignore: ['timestamp'] }, undefined])('accepts %j', (fields) => {
    expect(dedupe(fields).validate()).toEqual([]);
  });

  it('reports a plain list', () => {
    expect(dedupe(['message']).validate()).toEqual([
      problem('transforms.t', '`fields` is not a list: write `fields: { match: [...] }`'),
    ]);
  });

  it.each([{ match: 'message' }, { match: ['a'], ignore: ['b'] }, {}, { only: ['a'] }, 'message'])(
    'reports the shape %j',
    (fields) => {
      expect(dedupe(fields).validate()).toEqual([
        problem('transforms.t', '`fields` must be exactly one of `{ match: [...] }` and `{ ignore: [...] }`'),
      ]);
    },
  );
});

describe('throttle', () => {
  const throttle = (threshold: number, window_secs: number) =>
    withTransform({ type: 'throttle', inputs: ['k8s_logs'], threshold, window_secs });

  it('accepts a whole threshold and a positive window', () => {
    expect(throttle(100, 1).validate()).toEqual([]);
    expect(throttle(1, 0.5).validate()).toEqual([]);
  });

  it.each([0, -1, 1.5])('reports threshold %d', (threshold) => {
    expect(throttle(threshold, 1).validate()).toEqual([
      problem('transforms.t', `\`threshold\` must be a whole number >= 1; got ${threshold}`),
    ]);
  });

  it.each([0, -5])('reports window_secs %d', (window) => {
    expect(throttle(10, window).validate()).toEqual([
      problem('transforms.t', `\`window_secs\` must be > 0; got ${window}`),
    ]);
  });

  it('reports both at once', () => {
    expect(throttle(0, 0).validate()).toHaveLength(2);
  });
});

describe('vector sink', () => {
  const vectorSink = (options: Record<string, unknown>) =>
    logsPipeline().addSink('ship', { type: 'vector', inputs: ['parse'], ...options } as SinkSpec);

  it('accepts routing.endpoints', () => {
    const pipeline = vectorSink({ routing: { endpoints: ['https://agg-0:6000', 'https://agg-1:6000'] } });
    expect(pipeline.validate()).toEqual([]);
  });

  it('accepts the deprecated address alone', () => {
    expect(vectorSink({ address: 'agg:6000' }).validate()).toEqual([]);
  });

  it('reports neither routing nor address', () => {
    expect(vectorSink({}).validate()).toEqual([problem('sinks.ship', 'give `routing.endpoints`')]);
  });

  it('reports both routing and address', () => {
    const pipeline = vectorSink({ routing: { endpoints: ['https://agg:6000'] }, address: 'agg:6000' });
    expect(pipeline.validate()).toEqual([
      problem('sinks.ship', 'give `routing.endpoints` or the deprecated `address`, not both'),
    ]);
  });

  it('reports empty routing.endpoints', () => {
    expect(vectorSink({ routing: { endpoints: [] } }).validate()).toEqual([
      problem('sinks.ship', '`routing.endpoints` is empty'),
    ]);
  });

  it('reports routing without endpoints (untyped caller)', () => {
    expect(vectorSink({ routing: { strategy: 'failover' } }).validate()).toEqual([
      problem('sinks.ship', '`routing.endpoints` is empty'),
    ]);
  });
});

describe('vector source tls', () => {
  const withTls = (tls: Record<string, unknown>) =>
    new VectorPipeline()
      .addSource('agents', { type: 'vector', address: '0.0.0.0:6000', tls })
      .addSink('out', { type: 'blackhole', inputs: ['agents'] });

  it('accepts mTLS with certificate, key and CA', () => {
    const tls = {
      enabled: true,
      crt_file: '/tls/tls.crt',
      key_file: '/tls/tls.key',
      ca_file: '/tls/ca.crt',
      verify_certificate: true,
    };
    expect(withTls(tls).validate()).toEqual([]);
  });

  it('reports tls.enabled without a certificate and key', () => {
    expect(withTls({ enabled: true, key_file: '/tls/tls.key' }).validate()).toEqual([
      problem('sources.agents', '`tls.enabled` needs `tls.crt_file` and `tls.key_file`'),
    ]);
  });

  it('reports tls.verify_certificate without a CA', () => {
    const tls = { enabled: true, crt_file: '/tls/tls.crt', key_file: '/tls/tls.key', verify_certificate: true };
    expect(withTls(tls).validate()).toEqual([
      problem('sources.agents', '`tls.verify_certificate` needs `tls.ca_file`'),
    ]);
  });

  it('reports both tls problems at once', () => {
    // Fix one, find the other on the next run: that is what "every problem at once" rules out.
    expect(withTls({ enabled: true, verify_certificate: true }).validate()).toEqual([
      problem('sources.agents', '`tls.enabled` needs `tls.crt_file` and `tls.key_file`'),
      problem('sources.agents', '`tls.verify_certificate` needs `tls.ca_file`'),
    ]);
  });
});

describe('secret references', () => {
  const lokiWithPassword = (password: string) =>
    logsPipeline().addSink('loki', {
      type: 'loki',
      inputs: ['parse'],
      endpoint: 'http://loki:3100',
      encoding: json,
      auth: { strategy: 'basic', user: 'vector', password },
    });

  it('reports a backend that is not configured, with the option path', () => {
    expect(lokiWithPassword('SECRET[vault.loki]').validate()).toEqual([
      problem(
        'sinks.loki',
        '`auth.password`: secret reference "SECRET[vault.loki]" names backend "vault", which is not configured (addSecretBackend)',
      ),
    ]);
  });

  it('lists the backends that are configured', () => {
    const pipeline = lokiWithPassword('SECRET[vault.loki]').addSecretBackend('k8s', {
      type: 'directory',
      path: '/secrets',
    });
    expect(pipeline.validate()).toEqual([problem('sinks.loki', 'configured backends: k8s')]);
  });

  it('accepts a configured backend', () => {
    const pipeline = lokiWithPassword('SECRET[k8s.loki]').addSecretBackend('k8s', {
      type: 'directory',
      path: '/secrets',
    });
    expect(pipeline.validate()).toEqual([]);
  });

  it('reports a reference without a key', () => {
    const pipeline = lokiWithPassword('SECRET[loki]').addSecretBackend('k8s', { type: 'directory', path: '/s' });
    expect(pipeline.validate()).toEqual([
      problem('sinks.loki', 'secret reference "SECRET[loki]" must be SECRET[<backend>.<key>]'),
    ]);
  });

  it('reports a badly named backend', () => {
    const pipeline = logsPipeline().addSecretBackend('my.vault', { type: 'file', path: '/s.json' });
    expect(pipeline.validate()).toEqual([problem('global.secret.my.vault', 'backend names may contain only')]);
  });
});

describe('environment variable interpolation', () => {
  const remapping = (source: string, interpolatedEnvVars?: readonly string[]) =>
    new VectorPipeline({ interpolatedEnvVars })
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('tag', { type: 'remap', inputs: ['k8s_logs'], source })
      .addSink('out', { type: 'blackhole', inputs: ['tag'] });

  it('reports ${VAR} when interpolation is off', () => {
    expect(remapping('.cluster = "${CLUSTER}"').validate()).toEqual([
      problem(
        'transforms.tag',
        '`source` contains "${CLUSTER}": Vector 0.57 does not interpolate environment variables',
      ),
    ]);
  });

  it('reports ${VAR} in a nested option, with its path', () => {
    const pipeline = logsPipeline().addSink('loki', {
      type: 'loki',
      inputs: ['parse'],
      endpoint: 'http://loki:3100',
      encoding: json,
      labels: { cluster: '${CLUSTER}' },
    });
    expect(pipeline.validate()).toEqual([problem('sinks.loki', '`labels.cluster` contains "${CLUSTER}"')]);
  });

  it('reports ${VAR} in a global option, with a readable path', () => {
    const pipeline = logsPipeline({ global: { data_dir: '/var/lib/${CLUSTER}' } });
    const problems = pipeline.validate();
    expect(problems).toEqual([problem('global.data_dir', 'contains "${CLUSTER}"')]);
    // an empty option path renders as "``", which tells the reader nothing
    expect(problems[0].message).not.toContain('``');
  });

  it('accepts ${VAR} and ${VAR:-default} when VAR is listed', () => {
    const pipeline = remapping('.cluster = "${CLUSTER}"\n.region = "${CLUSTER:-dev}"', ['CLUSTER']);
    expect(pipeline.validate()).toEqual([]);
    expect(pipeline.needsEnvVarInterpolation).toBe(true);
  });

  it('reports ${VAR} not in the list when interpolation is on', () => {
    expect(remapping('.x = "${REGION}"', ['CLUSTER']).validate()).toEqual([
      problem('transforms.tag', 'contains "${REGION}", but "REGION" is not in interpolatedEnvVars (CLUSTER)'),
    ]);
  });

  it('reports bare $VAR not in the list when interpolation is on', () => {
    expect(remapping('.x = "$REGION"', ['CLUSTER']).validate()).toEqual([
      problem('transforms.tag', 'contains "$REGION", but "REGION" is not in interpolatedEnvVars (CLUSTER)'),
    ]);
  });

  it('accepts bare $VAR in the list, and $$ as a literal dollar sign', () => {
    expect(remapping('.x = "$CLUSTER"\n.y = "$$HOME"', ['CLUSTER']).validate()).toEqual([]);
  });

  it('accepts $${VAR}: Vector turns $$ into a literal $ before looking for variables', () => {
    expect(remapping('.y = "$${HOME}"', ['CLUSTER']).validate()).toEqual([]);
  });

  it('leaves bare $VAR alone when interpolation is off (it stays literal)', () => {
    const pipeline = remapping('.x = "$HOME"');
    expect(pipeline.validate()).toEqual([]);
    expect(pipeline.needsEnvVarInterpolation).toBe(false);
  });
});

describe('template confinement', () => {
  const loki = (labels: Record<string, string>, allow?: boolean) =>
    logsPipeline().addSink('loki', {
      type: 'loki',
      inputs: ['parse'],
      endpoint: 'http://loki:3100',
      encoding: json,
      labels,
      dangerously_allow_unconfined_template_resolution: allow,
    });

  it('reports a loki label that is only a template', () => {
    expect(loki({ namespace: '{{ kubernetes.pod_namespace }}' }).validate()).toEqual([
      problem(
        'sinks.loki',
        '`labels.namespace` is the template "{{ kubernetes.pod_namespace }}" with no literal prefix',
      ),
    ]);
  });

  it('reports a template behind a bare slash', () => {
    expect(loki({ path: '/{{ dir }}' }).validate()).toEqual([
      problem('sinks.loki', '`labels.path` is the template "/{{ dir }}"'),
    ]);
  });

  it('accepts it with dangerously_allow_unconfined_template_resolution', () => {
    expect(loki({ namespace: '{{ kubernetes.pod_namespace }}' }, true).validate()).toEqual([]);
  });

  it('accepts a template with a literal prefix', () => {
    expect(loki({ namespace: 'ns-{{ kubernetes.pod_namespace }}' }).validate()).toEqual([]);
  });

  it('reports every unconfined template of the sink', () => {
    const pipeline = loki({ a: '{{ a }}', b: '{{ b }}', c: 'fixed' });
    expect(pipeline.validate()).toEqual([problem('sinks.loki', '`labels.a`'), problem('sinks.loki', '`labels.b`')]);
  });

  it('applies to prometheus_remote_write as well', () => {
    const pipeline = new VectorPipeline().addSource('host', { type: 'host_metrics' }).addSink('prom', {
      type: 'prometheus_remote_write',
      inputs: ['host'],
      endpoint: 'http://prom/api/v1/write',
      tenant_id: '{{ tags.tenant }}',
    });
    expect(pipeline.validate()).toEqual([problem('sinks.prom', '`tenant_id` is the template "{{ tags.tenant }}"')]);
  });

  it('does not apply to sinks outside the list (console)', () => {
    const pipeline = logsPipeline().addSink('c', {
      type: 'console',
      inputs: ['parse'],
      encoding: { codec: 'text' },
      target: 'stdout',
    });
    expect(pipeline.validate()).toEqual([]);
  });
});

describe('many problems at once', () => {
  it('reports every problem in one validate() call, each naming its component', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s', { type: 'kubernetes_logs' })
      .addSource('host', { type: 'host_metrics' })
      .addSource('unused', { type: 'internal_metrics' })
      .addSource('agents', { type: 'vector', address: '0.0.0.0:9598' })
      .addTransform('parse', { type: 'remap', inputs: ['k8s', 'k8s_log'], source: '.' })
      .addTransform('router', { type: 'route', inputs: ['parse'], route: { errors: '.level == "error"' } })
      .addTransform('a', { type: 'remap', inputs: ['b'], source: '.' })
      .addTransform('b', { type: 'remap', inputs: ['a'], source: '.' })
      .addSink('loki', {
        type: 'loki',
        inputs: ['host', 'router.errors'],
        endpoint: 'http://loki:3100',
        encoding: json,
        labels: { ns: '{{ namespace }}' },
      })
      .addSink('prom', { type: 'prometheus_remote_write', inputs: ['router'], endpoint: 'http://prom/api/v1/write' })
      .addSink('archive', { type: 'console', inputs: [], encoding: json })
      .addSink('hole', { type: 'blackhole', inputs: ['parse'], buffer: { type: 'disk', max_size: 1000 } })
      .addSink('k8s', { type: 'blackhole', inputs: ['parse'] })
      .addSink('exporter', { type: 'prometheus_exporter', inputs: ['agents'] });

    const problems = pipeline.validate();
    const expected = [
      problem('sources.unused', 'nobody reads this source'),
      problem('transforms.parse', 'unknown input "k8s_log"'),
      problem('transforms.a', 'is part of a cycle'),
      problem('sinks.loki', 'loki accepts logs, but input "host" (host_metrics) only emits metrics'),
      problem('sinks.loki', '`labels.ns` is the template "{{ namespace }}" with no literal prefix'),
      problem('sinks.prom', 'input "router": transforms.router has no default output'),
      problem('sinks.archive', 'has no inputs'),
      problem('sinks.hole', 'disk buffer max_size 1000 is below'),
      problem('sinks.k8s', 'duplicate id "k8s"'),
      problem('sinks.exporter', 'listens on 0.0.0.0:9598, which sources.agents already binds'),
    ];
    for (const e of expected) expect(problems).toContainEqual(e);
    expect(problems).toHaveLength(expected.length);
  });
});

describe('rendering an invalid pipeline', () => {
  const broken = () =>
    logsPipeline()
      .addSource('unused', { type: 'host_metrics' })
      .addSink('loki', { type: 'loki', inputs: ['parse'], endpoint: 'http://loki:3100', encoding: json })
      .addSink('prom', { type: 'prometheus_remote_write', inputs: ['parse'], endpoint: 'http://p/api/v1/write' });

  function thrown(fn: () => unknown): VectorConfigError {
    try {
      fn();
    } catch (e) {
      return e as VectorConfigError;
    }
    throw new Error('expected a VectorConfigError');
  }

  it.each([
    ['render', (p: VectorPipeline) => p.render()],
    ['toConfig', (p: VectorPipeline) => p.toConfig()],
  ] as const)('%s() throws a VectorConfigError carrying every problem', (_name, run) => {
    const pipeline = broken();
    const problems = pipeline.validate();
    expect(problems).toHaveLength(2);
    const error = thrown(() => run(pipeline));
    expect(error).toBeInstanceOf(VectorConfigError);
    expect(error.name).toBe('VectorConfigError');
    expect(error.problems).toEqual(problems);
    expect(error.message).toContain('Vector configuration has 2 problems');
    for (const p of problems) expect(error.message).toContain(`  - ${formatProblem(p)}`);
    expect(error.message).toContain('sources.unused: nobody reads this source');
    expect(error.message).toContain('sinks.prom: prometheus_remote_write accepts metrics');
  });

  it('says "1 problem" for one', () => {
    const pipeline = logsPipeline().addSource('unused', { type: 'host_metrics' });
    expect(() => pipeline.render()).toThrow(/^Vector configuration has 1 problem:\n {2}- sources\.unused: nobody/);
  });
});

describe('mistakes only untyped callers can make', () => {
  it('reports inputs given to a source', () => {
    const pipeline = logsPipeline().addSource('extra', {
      type: 'internal_metrics',
      inputs: ['parse'],
    } as unknown as SourceSpec);
    expect(problemsOf(pipeline, 'sources.extra')).toContainEqual(
      problem('sources.extra', 'a source takes no `inputs`: give them to the transforms or sinks that read it'),
    );
  });

  it('reports inputs written as a string instead of a list, once', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addSink('out', { type: 'console', inputs: 'k8s_logs', encoding: json } as unknown as SinkSpec);
    expect(problemsOf(pipeline, 'sinks.out')).toEqual([
      { component: 'sinks.out', message: '`inputs` must be a list of ids, e.g. inputs: ["parse_logs"]' },
    ]);
  });

  it('treats an option set to undefined as not set', () => {
    const pipeline = logsPipeline().addSource('more', {
      type: 'kubernetes_logs',
      exclude_paths: undefined,
    } as unknown as SourceSpec);
    expect(problemsOf(pipeline, 'sources.more')).toEqual([problem('sources.more', 'nobody reads this source')]);
  });
});

describe('template confinement of keys', () => {
  it('reports a templated key with no literal prefix, and accepts it with the flag', () => {
    const sink = (flag: boolean) =>
      new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' }).addSink('loki', {
        type: 'loki',
        inputs: ['k8s_logs'],
        endpoint: 'http://loki:3100',
        encoding: json,
        labels: { '{{ label_name }}': 'fixed' },
        ...(flag ? { dangerously_allow_unconfined_template_resolution: true } : {}),
      });
    expect(sink(false).validate()).toEqual([
      problem('sinks.loki', '`labels.{{ label_name }}` has the template key "{{ label_name }}" with no literal prefix'),
    ]);
    expect(sink(true).validate()).toEqual([]);
  });
});
