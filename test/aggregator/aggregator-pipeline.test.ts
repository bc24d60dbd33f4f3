/**
 * The aggregator's Vector configuration: the default pipeline and every prop that changes it,
 * components users add after construction, and Vector's own component reference over all of it
 * (one validator process for every variant).
 */
import { Chart, Testing, Yaml } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  addHeartbeatCounter,
  AGGREGATOR_IDS,
  buildAggregatorPipeline,
  logHeartbeatLineSource,
  sampleId,
  VectorAggregator,
} from '../../lib/aggregator';
import { expectValidManifests } from '../helpers/k8s-schema';
import { checkWithVectorReference, itWithSharedValidator } from '../helpers/vector-reference';
import {
  AGGREGATOR_PATH,
  configText,
  LOKI_ENDPOINT,
  type Manifest,
  podTemplate,
  REMOTE_WRITE_ENDPOINT,
  REQUIRED_PROPS,
  synthAggregator,
  vectorConfig,
  vectorContainer,
} from './aggregator-fixtures';

const defaults = synthAggregator().manifests;
const config = vectorConfig(defaults);
const text = configText(defaults);

/** The comment lines YAML renders right above `key:` in the config text. */
function commentAbove(yaml: string, key: string): string {
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => l.trim() === `${key}:`);
  const comments: string[] = [];
  for (let i = at - 1; i >= 0 && lines[i].trim().startsWith('#'); i--) comments.unshift(lines[i].trim().slice(2));
  return comments.join(' ');
}

/**
 * Components a user adds after construction: the library's heartbeat counter on other ids and port, reading the
 * route (the built-in one is on by default, so these ids and the port must differ from it).
 */
function addUserCounter(aggregator: VectorAggregator): void {
  addHeartbeatCounter(aggregator.pipeline, {
    inputs: [`${AGGREGATOR_IDS.byType}.logs`],
    exporterAddress: '0.0.0.0:9700',
    ids: {
      filter: 'user_events',
      counter: 'user_counter',
      exporter: 'user_out',
      measure: 'user_measure',
      measures: 'user_measures',
    },
  });
}

describe('default pipeline', () => {
  it('receives from the agents with the vector protocol v2, and closes old connections so agents rebalance', () => {
    expect(config.sources[AGGREGATOR_IDS.agents]).toEqual({
      type: 'vector',
      address: '0.0.0.0:6000',
      version: '2',
      keepalive: { max_connection_age_secs: 300 },
    });
    expect(text).toContain('version: "2"');
    expect(commentAbove(text, AGGREGATOR_IDS.agents)).toMatch(
      /load balancer.*reconnect.*spreads them over the replicas/,
    );
  });

  it('routes events by type, then dedupes logs on one delivery of one line (aggregator-dedupe.test.ts runs it)', () => {
    expect(config.transforms?.[AGGREGATOR_IDS.byType]).toEqual({
      type: 'route',
      inputs: [AGGREGATOR_IDS.agents],
      route: { logs: { type: 'is_log' }, metrics: { type: 'is_metric' } },
    });
    expect(config.transforms?.[AGGREGATOR_IDS.dedupe]).toEqual({
      type: 'dedupe',
      inputs: ['by_type.logs'],
      // Vector's values only: the file, stream and write time of the line and its digest, never what a line says.
      fields: { match: ['cluster', 'file', 'stream', 'timestamp', 'line_hash'] },
      cache: { num_events: 5000 },
    });
  });

  it('samples kube-system 1 in 10 and ingress-nginx 1 in 5, each sample excluding every other namespace', () => {
    expect(config.transforms?.sample_kube_system).toEqual({
      type: 'sample',
      inputs: ['dedupe'],
      rate: 10,
      exclude: '.namespace != "kube-system"',
    });
    expect(config.transforms?.sample_ingress_nginx).toEqual({
      type: 'sample',
      inputs: ['sample_kube_system'],
      rate: 5,
      exclude: '.namespace != "ingress-nginx"',
    });
    expect(Object.keys(config.transforms ?? {})).toEqual([
      'by_type',
      'heartbeat_events',
      'heartbeat_counter',
      'heartbeat_measure',
      'heartbeat_measures',
      'dedupe',
      'sample_kube_system',
      'sample_ingress_nginx',
    ]);
    expect(commentAbove(text, 'sample_kube_system')).toBe(
      'Keeps 1 in 10 events of namespace kube-system; every other event passes untouched.',
    );
  });

  it('sends logs to Loki with the low-cardinality labels, pod and node as structured metadata, gzip, JSON and a 1 GiB disk buffer', () => {
    expect(config.sinks[AGGREGATOR_IDS.loki]).toEqual({
      type: 'loki',
      inputs: ['sample_ingress_nginx'],
      endpoint: LOKI_ENDPOINT,
      encoding: { codec: 'json', except_fields: ['line_hash'] },
      compression: 'gzip',
      labels: {
        cluster: '{{ cluster }}',
        container: '{{ container }}',
        environment: '{{ environment }}',
        namespace: '{{ namespace }}',
        severity: '{{ severity }}',
      },
      structured_metadata: { node: '{{ node }}', pod: '{{ pod }}' },
      dangerously_allow_unconfined_template_resolution: true,
      buffer: { type: 'disk', max_size: 1_073_741_824, when_full: 'block' },
      acknowledgements: { enabled: true },
    });
    expect(commentAbove(text, AGGREGATOR_IDS.loki)).toMatch(/unconfined templates.*Loki labels are not paths/);
    expect(commentAbove(text, AGGREGATOR_IDS.loki)).toContain('query them as {namespace="x"} | pod="y"');
  });

  it('pushes metrics by remote write, and serves its own metrics on the metrics port', () => {
    expect(config.sinks[AGGREGATOR_IDS.metrics]).toEqual({
      type: 'prometheus_remote_write',
      inputs: ['by_type.metrics'],
      endpoint: REMOTE_WRITE_ENDPOINT,
      acknowledgements: { enabled: true },
    });
    expect(config.sources[AGGREGATOR_IDS.internalMetrics]).toEqual({ type: 'internal_metrics' });
    expect(config.sinks[AGGREGATOR_IDS.selfMetrics]).toEqual({
      type: 'prometheus_exporter',
      inputs: [AGGREGATOR_IDS.internalMetrics],
      address: '0.0.0.0:9598',
    });
  });

  it('keeps its data in the data volume and serves the API for probes, with no secrets configured', () => {
    expect(config.data_dir).toBe('/vector-data-dir');
    expect(config.api).toEqual({ enabled: true, address: '0.0.0.0:8686' });
    expect(config.secret).toBeUndefined();
    expect(vectorContainer(defaults).volumeMounts).toContainEqual({ name: 'data', mountPath: '/vector-data-dir' });
  });

  it('has exactly these components', () => {
    expect(Object.keys(config.sources)).toEqual(['agents', 'vector_metrics']);
    expect(Object.keys(config.sinks)).toEqual(['heartbeat_metrics', 'loki', 'metrics_out', 'self_metrics']);
  });
});

describe('pipeline props', () => {
  it('maxConnectionAgeSecs sets the keepalive and its comment', () => {
    const manifests = synthAggregator({ maxConnectionAgeSecs: 60 }).manifests;
    expect(vectorConfig(manifests).sources.agents.keepalive).toEqual({ max_connection_age_secs: 60 });
    expect(commentAbove(configText(manifests), 'agents')).toContain('60 s');
  });

  it('vectorPort, apiPort and metricsPort move the addresses the config binds', () => {
    const c = vectorConfig(synthAggregator({ vectorPort: 7000, apiPort: 8000, metricsPort: 9000 }).manifests);
    expect(c.sources.agents.address).toBe('0.0.0.0:7000');
    expect(c.api?.address).toBe('0.0.0.0:8000');
    expect(c.sinks.self_metrics.address).toBe('0.0.0.0:9000');
  });

  it('dedupeFields replaces the compared fields; false removes dedupe and Loki reads the route', () => {
    const custom = vectorConfig(synthAggregator({ dedupeFields: ['message', 'pod'] }).manifests);
    expect(custom.transforms?.dedupe.fields).toEqual({ match: ['message', 'pod'] });
    const off = vectorConfig(synthAggregator({ dedupeFields: false }).manifests);
    expect(off.transforms).not.toHaveProperty('dedupe');
    expect(off.transforms?.sample_kube_system.inputs).toEqual(['by_type.logs']);
  });

  it('sampling replaces the default namespaces, chained in the order given', () => {
    const c = vectorConfig(
      synthAggregator({
        sampling: [
          { namespace: 'cert-manager', rate: 3 },
          { namespace: 'kube-system', rate: 100 },
        ],
      }).manifests,
    );
    expect(Object.keys(c.transforms ?? {})).toEqual([
      'by_type',
      'heartbeat_events',
      'heartbeat_counter',
      'heartbeat_measure',
      'heartbeat_measures',
      'dedupe',
      'sample_cert_manager',
      'sample_kube_system',
    ]);
    expect(c.transforms?.sample_cert_manager).toMatchObject({
      inputs: ['dedupe'],
      rate: 3,
      exclude: '.namespace != "cert-manager"',
    });
    expect(c.transforms?.sample_kube_system).toMatchObject({ inputs: ['sample_cert_manager'], rate: 100 });
    expect(c.sinks.loki.inputs).toEqual(['sample_kube_system']);
  });

  it('empty sampling keeps everything: Loki reads dedupe', () => {
    const c = vectorConfig(synthAggregator({ sampling: [] }).manifests);
    expect(Object.keys(c.transforms ?? {})).toEqual([
      'by_type',
      'heartbeat_events',
      'heartbeat_counter',
      'heartbeat_measure',
      'heartbeat_measures',
      'dedupe',
    ]);
    expect(c.sinks.loki.inputs).toEqual(['dedupe']);
  });

  it('sampleId turns a namespace into a component id', () => {
    expect(sampleId('kube-system')).toBe('sample_kube_system');
    expect(sampleId('a1-b2-c3')).toBe('sample_a1_b2_c3');
  });

  it('loki.tenantId and loki.bufferBytes reach the Loki sink', () => {
    const loki = vectorConfig(
      synthAggregator({ loki: { endpoint: 'https://loki.example.com', tenantId: 'fleet', bufferBytes: 268_435_488 } })
        .manifests,
    ).sinks.loki;
    expect(loki).toMatchObject({
      endpoint: 'https://loki.example.com',
      tenant_id: 'fleet',
      buffer: { type: 'disk', max_size: 268_435_488, when_full: 'block' },
    });
    expect(config.sinks.loki).not.toHaveProperty('tenant_id');
    expect(config.sinks.loki).not.toHaveProperty('auth');
  });

  it('bearer tokens come from directory secret backends over the mounted Secrets', () => {
    const c = vectorConfig(
      synthAggregator({
        loki: { endpoint: LOKI_ENDPOINT, bearerTokenSecret: { name: 'loki-auth', key: 'bearer' } },
        metrics: { remoteWrite: { endpoint: REMOTE_WRITE_ENDPOINT, bearerTokenSecret: { name: 'p', key: 't' } } },
      }).manifests,
    );
    expect(c.secret).toEqual({
      loki: { type: 'directory', path: '/var/run/secrets/vector/loki', remove_trailing_whitespace: true },
      remote_write: {
        type: 'directory',
        path: '/var/run/secrets/vector/remote-write',
        remove_trailing_whitespace: true,
      },
    });
    expect(c.sinks.loki.auth).toEqual({ strategy: 'bearer', token: 'SECRET[loki.token]' });
    expect(c.sinks.metrics_out.auth).toEqual({ strategy: 'bearer', token: 'SECRET[remote_write.token]' });
  });

  it('metrics.exporter serves forwarded metrics instead of pushing them', () => {
    const c = vectorConfig(synthAggregator({ metrics: { exporter: { port: 9090 } } }).manifests);
    expect(c.sinks.metrics_out).toEqual({
      type: 'prometheus_exporter',
      inputs: ['by_type.metrics'],
      address: '0.0.0.0:9090',
    });
    expect(c.secret).toBeUndefined();
  });

  it('buildAggregatorPipeline alone gives the same config the construct renders', () => {
    const pipeline = buildAggregatorPipeline({
      tls: false,
      dataDir: '/vector-data-dir',
      vectorPort: 6000,
      apiPort: 8686,
      metricsPort: 9598,
      maxConnectionAgeSecs: 300,
      dedupe: { fields: ['cluster', 'file', 'stream', 'timestamp', 'line_hash'], cacheEvents: 5000 },
      sampling: [
        { namespace: 'kube-system', rate: 10 },
        { namespace: 'ingress-nginx', rate: 5 },
      ],
      markedClusters: [],
      loki: { endpoint: LOKI_ENDPOINT, bearerToken: false, bufferBytes: 1_073_741_824 },
      metrics: { kind: 'remote_write', endpoint: REMOTE_WRITE_ENDPOINT, bearerToken: false },
      heartbeat: { intervalSeconds: 120, sources: [logHeartbeatLineSource()], port: 9599 },
    });
    expect(pipeline.validate()).toEqual([]);
    expect(pipeline.render()).toBe(text);
  });
});

describe('components added after construction', () => {
  const extended = synthAggregator({}, addUserCounter).manifests;

  it('appear in the ConfigMap, wired to the default pipeline', () => {
    const c = vectorConfig(extended);
    expect(c.transforms?.user_events).toMatchObject({ type: 'filter', inputs: ['by_type.logs'] });
    expect(c.transforms?.user_counter).toMatchObject({ type: 'log_to_metric', inputs: ['user_events'] });
    expect(c.sinks.user_out).toMatchObject({ type: 'prometheus_exporter', address: '0.0.0.0:9700' });
  });

  it('change the checksum annotation, so the pods roll', () => {
    const before = podTemplate(defaults).metadata.annotations?.['checksum/config'];
    const after = podTemplate(extended).metadata.annotations?.['checksum/config'];
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it('open their listening ports on the container', () => {
    expect(vectorContainer(extended).ports).toContainEqual({ name: 'user-out', containerPort: 9700, protocol: 'TCP' });
  });

  it('a duplicate id fails App.synth() with a validation error naming the construct path and the id', () => {
    const app = Testing.app();
    const aggregator = new VectorAggregator(new Chart(app, 'monitoring'), 'Aggregator', REQUIRED_PROPS);
    aggregator.pipeline.addSink('loki', {
      type: 'loki',
      inputs: ['by_type.logs'],
      endpoint: 'http://other-loki:3100',
      encoding: { codec: 'json' },
    });
    expect(() => app.synth()).toThrow(
      `Validation failed with the following errors:\n  [${AGGREGATOR_PATH}/Config] sinks.loki: duplicate id "loki": sinks.loki already has it; ids are unique across sources, transforms and sinks`,
    );
  });

  it('an id the default pipeline uses is a duplicate whatever its class', () => {
    const app = Testing.app();
    const aggregator = new VectorAggregator(new Chart(app, 'monitoring'), 'Aggregator', REQUIRED_PROPS);
    aggregator.pipeline.addSource('dedupe', { type: 'internal_metrics' });
    expect(() => app.synthYaml()).toThrow(
      `[${AGGREGATOR_PATH}/Config] sources.dedupe: duplicate id "dedupe": transforms.dedupe already has it`,
    );
  });

  // A listener without an entry in the names map is named after its component id: a user exporter with id `metrics`
  // must not take the name of the built-in metrics port. Kubernetes rejects two ports of one name in a container
  // ("Duplicate value"), and the schema helper does not check it.
  it('container port names stay unique when a user component id equals a built-in port name', () => {
    const manifests = synthAggregator({}, (a) =>
      a.pipeline.addSink('metrics', {
        type: 'prometheus_exporter',
        inputs: [AGGREGATOR_IDS.internalMetrics],
        address: '0.0.0.0:9600',
      }),
    ).manifests;
    const names = (vectorContainer(manifests).ports ?? []).map((p) => p.name);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(names.length);
  });

  // Cut to 15 characters, a fallback name must not end in "-" (not an IANA_SVC_NAME) nor equal another one.
  it('container port names are valid IANA service names for long component ids', () => {
    const manifests = synthAggregator({}, (a) =>
      a.pipeline
        .addSink('heartbeat_expo_a', {
          type: 'prometheus_exporter',
          inputs: ['vector_metrics'],
          address: '0.0.0.0:9600',
        })
        .addSink('heartbeat_expo_b', {
          type: 'prometheus_exporter',
          inputs: ['vector_metrics'],
          address: '0.0.0.0:9601',
        }),
    ).manifests;
    const names = (vectorContainer(manifests).ports ?? []).map((p) => p.name);
    const ianaServiceName = /^(?=.*[a-z])(?!-)(?!.*--)[a-z0-9-]{1,15}(?<!-)$/;
    for (const name of names) expect(name, name).toMatch(ianaServiceName);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("Vector's component reference", () => {
  const variants: Record<string, readonly Manifest[]> = {
    default: defaults,
    stateless: synthAggregator({ stateless: true }).manifests,
    exporter: synthAggregator({ metrics: { exporter: { port: 9090 } } }).manifests,
    tokens: synthAggregator({
      loki: {
        endpoint: 'https://loki.example.com',
        tenantId: 'fleet',
        bufferBytes: 268_435_488,
        bearerTokenSecret: { name: 'loki', key: 'token' },
      },
      metrics: { remoteWrite: { endpoint: REMOTE_WRITE_ENDPOINT, bearerTokenSecret: { name: 'p', key: 't' } } },
    }).manifests,
    minimal: synthAggregator({ dedupeFields: false, sampling: [], maxConnectionAgeSecs: 10 }).manifests,
    ports: synthAggregator({
      vectorPort: 7000,
      apiPort: 8000,
      metricsPort: 9000,
      sampling: [{ namespace: 'a', rate: 2 }],
    }).manifests,
    extended: synthAggregator({}, addUserCounter).manifests,
    marked: synthAggregator({ markedClusters: ['dev', 'staging'] }).manifests,
  };

  itWithSharedValidator(
    'accepts every variant (which also pass the Kubernetes schemas), and rejects a Loki sink without the unconfined-template flag',
    () => {
      const files: Record<string, string> = {};
      for (const [name, manifests] of Object.entries(variants)) {
        expectValidManifests(manifests);
        // The whole manifest file: the validator finds the ConfigMap and checks its vector.yaml.
        files[`${name}.yaml`] = Yaml.stringify(...manifests);
      }
      files['no-flag.yaml'] = text.replace(/^ *dangerously_allow_unconfined_template_resolution: true\n/m, '');
      expect(files['no-flag.yaml']).not.toBe(text);

      const result = checkWithVectorReference(files);
      const count = Object.keys(files).length;
      expect(result.output).toContain(`${count} configs checked`);
      const problemsOf = (file: string) => result.problems.filter((p) => p.startsWith(`${file}`));
      for (const name of Object.keys(variants)) expect(problemsOf(`${name}.yaml`), name).toEqual([]);
      expect(problemsOf('no-flag.yaml').length).toBeGreaterThan(0);
      expect(problemsOf('no-flag.yaml').every((p) => p.includes('sinks.loki'))).toBe(true);
      expect(problemsOf('no-flag.yaml').join('\n')).toContain('dangerously_allow_unconfined_template_resolution');
    },
  );
});
