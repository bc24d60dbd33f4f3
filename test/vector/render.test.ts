import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type GlobalOptions, MIN_DISK_BUFFER_BYTES, VectorPipeline } from '../../lib/vector';
import { expectAcceptedByVectorReference } from '../helpers/vector-reference';

const json = { codec: 'json' } as const;

/** Every config these tests render, checked by the shared Vector reference validator in one run. */
const renderedConfigs = new Map<string, string>();

function render(name: string, pipeline: VectorPipeline): string {
  const text = pipeline.render();
  const file = `${name}.yaml`;
  if (renderedConfigs.has(file) && renderedConfigs.get(file) !== text) {
    throw new Error(`two different configs were recorded as ${file}`);
  }
  renderedConfigs.set(file, text);
  return text;
}

afterAll(() => {
  if (renderedConfigs.size > 0) expectAcceptedByVectorReference(Object.fromEntries(renderedConfigs));
});

type Config = Record<string, Record<string, Record<string, unknown>>>;
const parsed = (yaml: string) => parse(yaml) as Config;
/** Top-level keys in the order the YAML text has them. */
const topLevelKeys = (yaml: string) =>
  yaml
    .split('\n')
    .filter((line) => /^[a-z_]+:/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')));

const PARSE_VRL = '. = merge(., object!(parse_json!(.message)))\ndel(.message)\n';

/** An aggregator, with every option object written in one key order. */
function aggregatorInOrder(): VectorPipeline {
  return new VectorPipeline({
    global: { data_dir: '/var/lib/vector', api: { enabled: true, address: '0.0.0.0:8686' } },
  })
    .addSecretBackend('k8s', { type: 'directory', path: '/etc/vector/secrets', remove_trailing_whitespace: true })
    .addSource('agents', {
      type: 'vector',
      address: '0.0.0.0:6000',
      keepalive: { max_connection_age_secs: 300 },
      tls: {
        enabled: true,
        ca_file: '/tls/ca.crt',
        crt_file: '/tls/tls.crt',
        key_file: '/tls/tls.key',
        verify_certificate: true,
      },
    })
    .addTransform('logs', { type: 'filter', inputs: ['agents'], condition: { type: 'is_log' } })
    .addTransform('parse', { type: 'remap', inputs: ['logs'], source: PARSE_VRL, drop_on_error: false })
    .addSink('loki', {
      type: 'loki',
      inputs: ['parse'],
      endpoint: 'http://loki-gateway.monitoring.svc:80',
      encoding: { codec: 'json', except_fields: ['kubernetes'] },
      labels: {
        cluster: 'prod-eu',
        namespace: '{{ kubernetes.pod_namespace }}',
        app: 'app-{{ kubernetes.container_name }}',
      },
      auth: { strategy: 'basic', user: 'vector', password: 'SECRET[k8s.loki_password]' },
      batch: { max_bytes: 1048576, timeout_secs: 1 },
      buffer: { type: 'disk', max_size: MIN_DISK_BUFFER_BYTES, when_full: 'block' },
      dangerously_allow_unconfined_template_resolution: true,
    });
}

/** The same aggregator, with every option object (global ones included) written in another key order. */
function aggregatorReordered(): VectorPipeline {
  return new VectorPipeline({
    global: { api: { address: '0.0.0.0:8686', enabled: true }, data_dir: '/var/lib/vector' },
  })
    .addSecretBackend('k8s', { remove_trailing_whitespace: true, path: '/etc/vector/secrets', type: 'directory' })
    .addSource('agents', {
      tls: {
        verify_certificate: true,
        key_file: '/tls/tls.key',
        crt_file: '/tls/tls.crt',
        ca_file: '/tls/ca.crt',
        enabled: true,
      },
      keepalive: { max_connection_age_secs: 300 },
      address: '0.0.0.0:6000',
      type: 'vector',
    })
    .addTransform('logs', { condition: { type: 'is_log' }, inputs: ['agents'], type: 'filter' })
    .addTransform('parse', { drop_on_error: false, source: PARSE_VRL, inputs: ['logs'], type: 'remap' })
    .addSink('loki', {
      dangerously_allow_unconfined_template_resolution: true,
      buffer: { when_full: 'block', max_size: MIN_DISK_BUFFER_BYTES, type: 'disk' },
      batch: { timeout_secs: 1, max_bytes: 1048576 },
      auth: { password: 'SECRET[k8s.loki_password]', user: 'vector', strategy: 'basic' },
      labels: {
        app: 'app-{{ kubernetes.container_name }}',
        namespace: '{{ kubernetes.pod_namespace }}',
        cluster: 'prod-eu',
      },
      encoding: { except_fields: ['kubernetes'], codec: 'json' },
      endpoint: 'http://loki-gateway.monitoring.svc:80',
      inputs: ['parse'],
      type: 'loki',
    });
}

describe('determinism', () => {
  it('renders byte-identical YAML whatever order option keys were written in', () => {
    const a = render('aggregator', aggregatorInOrder());
    const b = render('aggregator', aggregatorReordered());
    expect(b).toBe(a);
    expect(a).toContain('    labels:\n      app: app-{{ kubernetes.container_name }}\n      cluster: prod-eu\n');
  });

  it('renders the same pipeline twice identically', () => {
    const pipeline = aggregatorInOrder();
    expect(pipeline.render()).toBe(pipeline.render());
    expect(pipeline.toConfig()).toEqual(pipeline.toConfig());
  });

  it('renders what toConfig() returns', () => {
    const pipeline = aggregatorInOrder();
    expect(parse(pipeline.render())).toEqual(pipeline.toConfig());
  });

  it('keeps list order (inputs, except_fields) as written', () => {
    const pipeline = new VectorPipeline()
      .addSource('zz_logs', { type: 'kubernetes_logs' })
      .addSource('aa_logs', { type: 'file', include: ['/var/log/b.log', '/var/log/a.log'] })
      .addSink('out', { type: 'console', inputs: ['zz_logs', 'aa_logs'], encoding: json });
    const config = parsed(render('list-order', pipeline));
    expect(config.sinks.out.inputs).toEqual(['zz_logs', 'aa_logs']);
    expect(config.sources.aa_logs.include).toEqual(['/var/log/b.log', '/var/log/a.log']);
  });
});

describe('layout', () => {
  it('puts global options first in a fixed order, then sources, transforms and sinks', () => {
    const pipeline = new VectorPipeline()
      // sink first, then transform, then source: sections still come out in class order
      .addSink('out', { type: 'console', inputs: ['parse'], encoding: json })
      .addTransform('parse', { type: 'remap', inputs: ['k8s_logs'], source: '.x = 1' })
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addSecretBackend('k8s', { type: 'directory', path: '/secrets' })
      .setGlobal({ api: { enabled: true } })
      .setGlobal({ acknowledgements: { enabled: true } })
      .setGlobal({ expire_metrics_secs: 300 })
      .setGlobal({ data_dir: '/var/lib/vector' });
    const yaml = render('global-order', pipeline);
    const order = [
      'data_dir',
      'expire_metrics_secs',
      'acknowledgements',
      'api',
      'secret',
      'sources',
      'transforms',
      'sinks',
    ];
    expect(topLevelKeys(yaml)).toEqual(order);
    expect(Object.keys(pipeline.toConfig())).toEqual(order);
  });

  it('leaves out empty sections and unset global options', () => {
    const pipeline = new VectorPipeline()
      .addSource('host', { type: 'host_metrics' })
      .addSink('out', { type: 'blackhole', inputs: ['host'] });
    expect(topLevelKeys(render('no-transforms', pipeline))).toEqual(['sources', 'sinks']);
  });

  it('keeps components in the order they were added, not sorted by id', () => {
    const pipeline = new VectorPipeline()
      .addSource('zeta', { type: 'kubernetes_logs' })
      .addSource('alpha', { type: 'host_metrics' })
      .addSource('mid', { type: 'internal_metrics' })
      .addTransform('to_logs', { type: 'metric_to_log', inputs: ['alpha', 'mid'] })
      .addTransform('b_tag', { type: 'remap', inputs: ['zeta', 'to_logs'], source: '.tagged = true' })
      .addSink('z_out', { type: 'console', inputs: ['b_tag'], encoding: json })
      .addSink('a_out', { type: 'blackhole', inputs: ['b_tag'] });
    const config = parsed(render('added-order', pipeline));
    expect(Object.keys(config.sources)).toEqual(['zeta', 'alpha', 'mid']);
    expect(Object.keys(config.transforms)).toEqual(['to_logs', 'b_tag']);
    expect(Object.keys(config.sinks)).toEqual(['z_out', 'a_out']);
  });

  it('writes `type` then `inputs` first in each component, then the options sorted', () => {
    const yaml = render('aggregator', aggregatorReordered());
    const config = parsed(yaml);
    const loki = Object.keys(config.sinks.loki);
    expect(loki.slice(0, 2)).toEqual(['type', 'inputs']);
    expect(loki.slice(2)).toEqual([...loki.slice(2)].sort());
    expect(loki.slice(2)).toContain('endpoint');
    const agents = Object.keys(config.sources.agents);
    expect(agents[0]).toBe('type');
    expect(agents).not.toContain('inputs');
    expect(agents.slice(1)).toEqual(['address', 'keepalive', 'tls']);
    expect(Object.keys(config.sources.agents.tls as object)).toEqual([
      'ca_file',
      'crt_file',
      'enabled',
      'key_file',
      'verify_certificate',
    ]);
    expect(yaml).toContain('  parse:\n    type: remap\n    inputs:\n      - logs\n    drop_on_error: false\n');
  });
});

describe('VRL programs', () => {
  const programs: Record<string, string> = {
    'trailing newline': PARSE_VRL,
    'no trailing newline': '.a = 1\n.b = 2',
    'indented first line': '  .a = 1\n.b = 2\n',
    'several trailing newlines': '.a = 1\n\n\n',
    'blank lines and trailing spaces': '.a = 1  \n\n\n.b = 2\n',
    'yaml-looking text': [
      '# a comment: not YAML',
      '.msg = "key: value # not a comment"',
      "if match(string!(.code), r'^\\d+$') {",
      '  .nested = {"k": [1, 2], "t": s\'{{ not a template }}\'}',
      '} else {',
      '  .quote = "it\'s \\"quoted\\""',
      '}',
      '.n = [',
      '-1 # - not a list',
      ']',
      '',
    ].join('\n'),
  };

  it.each(Object.entries(programs))('renders a program with %s as a literal block that round-trips', (name, vrl) => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('t', { type: 'remap', inputs: ['k8s_logs'], source: vrl })
      .addSink('out', { type: 'blackhole', inputs: ['t'] });
    const yaml = render(`vrl-${name.replaceAll(' ', '-')}`, pipeline);
    expect(yaml).toMatch(/\n {4}source: \|[0-9+-]*\n/);
    expect(parsed(yaml).transforms.t.source).toBe(vrl);
  });

  it('does not fold a long single line', () => {
    const long = `.message = "${'x'.repeat(300)}"`;
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addTransform('t', { type: 'remap', inputs: ['k8s_logs'], source: long })
      .addSink('out', { type: 'blackhole', inputs: ['t'] });
    const yaml = render('vrl-long-line', pipeline);
    expect(yaml.split('\n').some((line) => line.includes(long.slice(0, 40)) && line.endsWith('"'))).toBe(true);
    expect(parsed(yaml).transforms.t.source).toBe(long);
  });
});

describe('comments', () => {
  const commented = () =>
    new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' }, { comment: 'Every container log on this node.' })
      .addTransform('parse', { type: 'remap', inputs: ['k8s_logs'], source: PARSE_VRL })
      .addSink(
        'loki',
        {
          type: 'loki',
          inputs: ['parse'],
          endpoint: 'http://loki:3100',
          encoding: json,
          labels: { namespace: '{{ kubernetes.pod_namespace }}' },
          dangerously_allow_unconfined_template_resolution: true,
        },
        { comment: 'Loki label values are not paths,\nso unconfined templates are safe here.' },
      );

  it('renders a component comment as a YAML comment right above it', () => {
    const lines = render('comments', commented()).split('\n');
    const source = lines.indexOf('  k8s_logs:');
    expect(lines[source - 1]).toBe('  # Every container log on this node.');
    expect(lines[source - 2]).toBe('sources:');
    const loki = lines.indexOf('  loki:');
    expect(lines.slice(loki - 2, loki)).toEqual([
      '  # Loki label values are not paths,',
      '  # so unconfined templates are safe here.',
    ]);
  });

  it('renders no comment for a component without one', () => {
    const lines = render('comments', commented()).split('\n');
    const parse = lines.indexOf('  parse:');
    expect(lines[parse - 1]).toBe('transforms:');
    expect(lines.filter((l) => l.trimStart().startsWith('#'))).toHaveLength(3);
  });

  it('leaves comments out of the data', () => {
    const pipeline = commented();
    expect(parse(pipeline.render())).toEqual(pipeline.toConfig());
  });
});

describe('undefined options', () => {
  it('omits undefined options at any depth', () => {
    const timezone: string | undefined = undefined;
    const pipeline = new VectorPipeline({ global: { data_dir: '/var/lib/vector', expire_metrics_secs: undefined } })
      .addSource('k8s_logs', { type: 'kubernetes_logs', read_from: undefined, glob_minimum_cooldown_ms: 1000 })
      .addTransform('parse', { type: 'remap', inputs: ['k8s_logs'], source: PARSE_VRL, timezone })
      .addSink('loki', {
        type: 'loki',
        inputs: ['parse'],
        endpoint: 'http://loki:3100',
        encoding: json,
        batch: { max_bytes: undefined, timeout_secs: 5 },
        tenant_id: undefined,
      });
    const yaml = render('undefined-options', pipeline);
    for (const key of ['expire_metrics_secs', 'read_from', 'timezone', 'max_bytes', 'tenant_id']) {
      expect(yaml).not.toContain(key);
    }
    expect(yaml).not.toContain('null');
    const config = parsed(yaml);
    expect(config.sinks.loki.batch).toEqual({ timeout_secs: 5 });
    expect(config.sources.k8s_logs).toEqual({ type: 'kubernetes_logs', glob_minimum_cooldown_ms: 1000 });
  });
});

describe('listeners()', () => {
  it('returns the API, vector source and exporter addresses with host and port', () => {
    const pipeline = new VectorPipeline({ global: { api: { enabled: true } } })
      .addSource('agents', { type: 'vector', address: '0.0.0.0:6000' })
      .addSource('agents_v6', { type: 'vector', address: '[::]:6001' })
      .addSource('self', { type: 'internal_metrics' })
      .addSink('loki', { type: 'loki', inputs: ['agents'], endpoint: 'http://loki:3100', encoding: json })
      .addSink('exporter', { type: 'prometheus_exporter', inputs: ['self'] })
      .addSink('node_exporter', { type: 'prometheus_exporter', inputs: ['agents_v6'], address: '127.0.0.1:9100' });
    render('listeners', pipeline);
    expect(pipeline.listeners()).toEqual([
      { component: 'global.api', address: '127.0.0.1:8686', host: '127.0.0.1', port: 8686 },
      { component: 'sources.agents', address: '0.0.0.0:6000', host: '0.0.0.0', port: 6000 },
      { component: 'sources.agents_v6', address: '[::]:6001', host: '[::]', port: 6001 },
      { component: 'sinks.exporter', address: '0.0.0.0:9598', host: '0.0.0.0', port: 9598 },
      { component: 'sinks.node_exporter', address: '127.0.0.1:9100', host: '127.0.0.1', port: 9100 },
    ]);
  });

  it('leaves out a disabled API', () => {
    const pipeline = new VectorPipeline({ global: { api: { enabled: false, address: '0.0.0.0:8686' } } })
      .addSource('agents', { type: 'vector', address: '0.0.0.0:6000' })
      .addSink('out', { type: 'blackhole', inputs: ['agents'] });
    expect(pipeline.listeners()).toEqual([
      { component: 'sources.agents', address: '0.0.0.0:6000', host: '0.0.0.0', port: 6000 },
    ]);
  });
});

describe('addInputs', () => {
  const base = () =>
    new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addSource('host', { type: 'host_metrics' })
      .addTransform('parse', { type: 'remap', inputs: ['k8s_logs'], source: PARSE_VRL })
      .addTransform('host_logs', { type: 'metric_to_log', inputs: ['host'] })
      .addSink('out', { type: 'console', inputs: ['parse'], encoding: json });

  it('appends inputs after the existing ones', () => {
    const pipeline = base().addInputs('out', 'host_logs', 'k8s_logs');
    expect(pipeline.component('out')?.inputs).toEqual(['parse', 'host_logs', 'k8s_logs']);
    expect(parsed(render('add-inputs', pipeline)).sinks.out.inputs).toEqual(['parse', 'host_logs', 'k8s_logs']);
  });

  it('rejects an unknown component id', () => {
    expect(() => base().addInputs('nope', 'parse')).toThrow('Vector pipeline: no component "nope" to add inputs to');
  });

  it('rejects a source', () => {
    expect(() => base().addInputs('host', 'parse')).toThrow(
      'Vector pipeline: sources.host is a source and takes no inputs',
    );
  });

  it('leaves unknown input ids to validate()', () => {
    const pipeline = base().addInputs('out', 'host_logs', 'ghost');
    expect(pipeline.validate()).toEqual([
      { component: 'sinks.out', message: expect.stringContaining('unknown input "ghost"') },
    ]);
  });
});

describe('global options', () => {
  it('addSecretBackend adds backends by name and replaces one added again', () => {
    const pipeline = new VectorPipeline({ global: { data_dir: '/var/lib/vector' } })
      .addSecretBackend('vault', { type: 'file', path: '/old.json' })
      .addSecretBackend('k8s', { type: 'directory', path: '/etc/vector/secrets' })
      .addSecretBackend('vault', { type: 'file', path: '/etc/vector/vault.json' });
    expect(pipeline.globalOptions).toEqual({
      data_dir: '/var/lib/vector',
      secret: {
        vault: { type: 'file', path: '/etc/vector/vault.json' },
        k8s: { type: 'directory', path: '/etc/vector/secrets' },
      },
    });
    pipeline
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addSink('out', { type: 'console', inputs: ['k8s_logs'], encoding: json });
    expect(render('secret-backends', pipeline)).toContain(
      'secret:\n  k8s:\n    path: /etc/vector/secrets\n    type: directory\n  vault:\n',
    );
  });

  it('setGlobal merges top-level options over those already set, keeping secret backends', () => {
    const pipeline = new VectorPipeline({ global: { data_dir: '/var/lib/vector', api: { enabled: false } } })
      .addSecretBackend('k8s', { type: 'directory', path: '/secrets' })
      .setGlobal({ api: { enabled: true, address: '0.0.0.0:8686' } })
      .setGlobal({ expire_metrics_secs: 600 });
    const expected: GlobalOptions = {
      data_dir: '/var/lib/vector',
      api: { enabled: true, address: '0.0.0.0:8686' },
      expire_metrics_secs: 600,
      secret: { k8s: { type: 'directory', path: '/secrets' } },
    };
    expect(pipeline.globalOptions).toEqual(expected);
  });

  it('setGlobal merges object options one level deep, and replaces the rest', () => {
    const pipeline = new VectorPipeline({
      global: { data_dir: '/a', api: { enabled: false, address: '0.0.0.0:8686' } },
    })
      .addSecretBackend('first', { type: 'directory', path: '/first' })
      .setGlobal({
        data_dir: '/b',
        api: { enabled: true },
        secret: { second: { type: 'file', path: '/second.json' } },
      });
    expect(pipeline.globalOptions.api).toEqual({ enabled: true, address: '0.0.0.0:8686' });
    expect(Object.keys(pipeline.globalOptions.secret ?? {})).toEqual(['first', 'second']);
    expect(pipeline.globalOptions.data_dir).toBe('/b');
    expect(pipeline.listeners()[0].address).toBe('0.0.0.0:8686');
  });
});
