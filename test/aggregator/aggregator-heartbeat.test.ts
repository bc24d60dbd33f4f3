/**
 * The aggregator's built-in heartbeat counter (`heartbeat` prop): the LogHeartbeat lines of every cluster counted into
 * `vector_heartbeat_total{cluster}` from the route (before the dedupe), served on its own port, which the headless
 * Service, the monitoring target and the network policies follow; its props and their errors; and the real config
 * with the counter against Vector's own component reference.
 */
import { Chart, Testing, Yaml } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  addHeartbeatCounter,
  AGGREGATOR_IDS,
  heartbeatCounterComponents,
  logHeartbeatLineSource,
  VectorAggregator,
  type VectorAggregatorProps,
} from '../../lib/aggregator';
import { expectValidManifests } from '../helpers/k8s-schema';
import { checkWithVectorReference, itWithSharedValidator } from '../helpers/vector-reference';
import {
  AGGREGATOR_PATH,
  constructionError,
  type Manifest,
  newAggregator,
  only,
  REQUIRED_PROPS,
  synthAggregator,
  vectorConfig,
  vectorContainer,
} from './aggregator-fixtures';

const error = (prop: string, value: string, allowed: string) =>
  `${AGGREGATOR_PATH}: invalid ${prop} ${value}: ${allowed}`;
const headlessPorts = (manifests: readonly Manifest[]) =>
  (only(manifests, 'Service', 'vector-aggregator-headless').spec as { ports: { name: string; port: number }[] }).ports;

describe('heartbeat counter, on by default', () => {
  const { aggregator, manifests } = synthAggregator();
  const config = vectorConfig(manifests);

  it("is the library's heartbeatCounterComponents, reading the route's logs before the dedupe", () => {
    const expected = heartbeatCounterComponents({ inputs: ['by_type.logs'] });
    expect(config.transforms?.[AGGREGATOR_IDS.heartbeatEvents]).toEqual(expected.filter.spec);
    expect(config.transforms?.[AGGREGATOR_IDS.heartbeatCounter]).toEqual(expected.counter.spec);
    expect(config.sinks[AGGREGATOR_IDS.heartbeatMetrics]).toEqual(expected.exporter.spec);
    expect(config.transforms?.heartbeat_events.inputs).toEqual(['by_type.logs']);
    expect(config.transforms?.dedupe.inputs).toEqual(['by_type.logs']);
    expect(config.sinks.heartbeat_metrics).toMatchObject({
      address: '0.0.0.0:9599',
      flush_period_secs: 600,
      suppress_timestamp: true,
    });
  });

  it("counts only the default LogHeartbeat's pods, by Vector's kubernetes metadata", () => {
    expect(config.transforms?.heartbeat_events.condition).toBe(
      '.heartbeat == true && .message == "Vector heartbeat - logging pipeline active" && is_string(.cluster) && ' +
        '.kubernetes.pod_namespace == "logging" && ' +
        '.kubernetes.pod_labels."app.kubernetes.io/component" == "log-heartbeat" && ' +
        '.kubernetes.pod_labels."app.kubernetes.io/instance" == "vector-heartbeat" && ' +
        '.kubernetes.pod_labels."app.kubernetes.io/name" == "vector-heartbeat"',
    );
  });

  it('serves the counter on container port "heartbeat" (9599), on the headless Service, and exposes the port', () => {
    expect(vectorContainer(manifests).ports).toContainEqual({
      name: 'heartbeat',
      containerPort: 9599,
      protocol: 'TCP',
    });
    expect(headlessPorts(manifests)).toContainEqual({ name: 'heartbeat', port: 9599, targetPort: 'heartbeat' });
    const clusterIp = only(manifests, 'Service', 'vector-aggregator').spec as { ports: { name: string }[] };
    expect(clusterIp.ports.map((p) => p.name)).toEqual(['vector']);
    expect(aggregator.heartbeatPort).toBe(9599);
  });

  it('asks monitoring to scrape the heartbeat port with honorLabels, keeping the source cluster label', () => {
    expect(aggregator.monitoringTarget.extraEndpoints).toEqual([
      { portName: 'heartbeat', path: '/metrics', honorLabels: true },
    ]);
  });

  it('still reads the route when dedupe is off', () => {
    const c = vectorConfig(synthAggregator({ dedupeFields: false }).manifests);
    expect(c.transforms?.heartbeat_events.inputs).toEqual(['by_type.logs']);
  });
});

describe('heartbeat props', () => {
  it('intervalSeconds sets the flush period (5 intervals, at least 600 s); sources name the heartbeat pods', () => {
    const sources = [logHeartbeatLineSource('beats', 'hb')];
    const c = vectorConfig(synthAggregator({ heartbeat: { intervalSeconds: 300, sources } }).manifests);
    expect(c.sinks.heartbeat_metrics.flush_period_secs).toBe(1500);
    expect(c.transforms?.heartbeat_events.condition).toContain(' && .kubernetes.pod_namespace == "beats" && ');
    expect(c.transforms?.heartbeat_events.condition).toMatch(/"app.kubernetes.io\/instance" == "hb" && /);
    expect(
      vectorConfig(synthAggregator({ heartbeat: { intervalSeconds: 1 } }).manifests).sinks.heartbeat_metrics,
    ).toMatchObject({ flush_period_secs: 600 });
  });

  it('port moves the exporter, the container port, the Service port and heartbeatPort', () => {
    const { aggregator, manifests } = synthAggregator({ heartbeat: { port: 9700 } });
    expect(vectorConfig(manifests).sinks.heartbeat_metrics.address).toBe('0.0.0.0:9700');
    expect(vectorContainer(manifests).ports).toContainEqual({
      name: 'heartbeat',
      containerPort: 9700,
      protocol: 'TCP',
    });
    expect(headlessPorts(manifests)).toContainEqual({ name: 'heartbeat', port: 9700, targetPort: 'heartbeat' });
    expect(aggregator.heartbeatPort).toBe(9700);
  });

  it('false leaves the counter, its port, its Service port and its scrape endpoint out', () => {
    const { aggregator, manifests } = synthAggregator({ heartbeat: false });
    const c = vectorConfig(manifests);
    expect(Object.keys(c.transforms ?? {})).not.toContain('heartbeat_events');
    expect(Object.keys(c.sinks)).toEqual(['loki', 'metrics_out', 'self_metrics']);
    expect(vectorContainer(manifests).ports?.map((p) => p.name)).not.toContain('heartbeat');
    expect(headlessPorts(manifests).map((p) => p.name)).toEqual(['vector', 'metrics']);
    expect(aggregator.heartbeatPort).toBeUndefined();
    expect(aggregator.monitoringTarget).not.toHaveProperty('extraEndpoints');
  });

  it('false lets addHeartbeatCounter add the counter by hand, and its exporter still gets the port name "heartbeat"', () => {
    const { manifests } = synthAggregator({ heartbeat: false }, (a) =>
      addHeartbeatCounter(a.pipeline, { inputs: [`${AGGREGATOR_IDS.byType}.logs`] }),
    );
    expect(vectorContainer(manifests).ports).toContainEqual({
      name: 'heartbeat',
      containerPort: 9599,
      protocol: 'TCP',
    });
  });

  it.each<[string, VectorAggregatorProps['heartbeat'], string]>([
    [
      'intervalSeconds 0',
      { intervalSeconds: 0 },
      error('heartbeat.intervalSeconds', '0', 'use a whole number from 1 to 86400'),
    ],
    [
      'intervalSeconds 1.5',
      { intervalSeconds: 1.5 },
      error('heartbeat.intervalSeconds', '1.5', 'use a whole number from 1 to 86400'),
    ],
    [
      'intervalSeconds 86401',
      { intervalSeconds: 86_401 },
      error('heartbeat.intervalSeconds', '86401', 'use a whole number from 1 to 86400'),
    ],
    ['port 0', { port: 0 }, error('heartbeat.port', '0', 'a port is a whole number from 1 to 65535')],
    ['port 65536', { port: 65_536 }, error('heartbeat.port', '65536', 'a port is a whole number from 1 to 65535')],
    [
      'port equal to metricsPort',
      { port: 9598 },
      error('heartbeat.port', '9598', 'must differ from {"apiPort":8686,"metricsPort":9598,"vectorPort":6000}'),
    ],
    [
      'port equal to vectorPort',
      { port: 6000 },
      error('heartbeat.port', '6000', 'must differ from {"apiPort":8686,"metricsPort":9598,"vectorPort":6000}'),
    ],
    [
      'a source namespace',
      { sources: [{ namespace: 'Logging', podLabels: { app: 'hb' } }] },
      error(
        'heartbeat.sources[0].namespace',
        '"Logging"',
        'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
      ),
    ],
  ])('refuses %s', (_case, heartbeat, message) => {
    expect(constructionError({ heartbeat })).toBe(message);
  });

  it('refuses a port equal to the forwarded-metrics exporter, and a metricsPort on the default heartbeat port', () => {
    expect(constructionError({ metrics: { exporter: { port: 9090 } }, heartbeat: { port: 9090 } })).toBe(
      error(
        'heartbeat.port',
        '9090',
        'must differ from {"apiPort":8686,"metricsPort":9598,"vectorPort":6000,"metrics.exporter.port":9090}',
      ),
    );
    expect(constructionError({ metricsPort: 9599 })).toBe(
      error('heartbeat.port', '9599', 'must differ from {"apiPort":8686,"metricsPort":9599,"vectorPort":6000}'),
    );
    expect(() => newAggregator({ metricsPort: 9599, heartbeat: { port: 9600 } })).not.toThrow();
  });

  it.each([[true], ['on'], [[]]])('refuses heartbeat %j from an untyped caller', (heartbeat) => {
    expect(constructionError({ heartbeat: heartbeat as unknown as false })).toBe(
      error('heartbeat', JSON.stringify(heartbeat), 'use false, or { intervalSeconds?, sources?, port? }'),
    );
  });

  it('accepts the edges: interval 1 and 86400, ports 1 and 65535', () => {
    for (const heartbeat of [{ intervalSeconds: 1 }, { intervalSeconds: 86_400 }, { port: 1 }, { port: 65_535 }]) {
      expect(() => newAggregator({ heartbeat })).not.toThrow();
    }
  });
});

describe('heartbeat components added by hand beside the built-in one', () => {
  const synthWith = (add: (a: VectorAggregator) => void) => {
    const app = Testing.app();
    add(new VectorAggregator(new Chart(app, 'monitoring'), 'Aggregator', REQUIRED_PROPS));
    return () => app.synth();
  };

  it('another listener on the heartbeat port fails the synth, naming both components', () => {
    const synth = synthWith((a) =>
      a.pipeline.addSink('my_exporter', {
        type: 'prometheus_exporter',
        inputs: [AGGREGATOR_IDS.internalMetrics],
        address: '0.0.0.0:9599',
      }),
    );
    expect(synth).toThrow(
      `[${AGGREGATOR_PATH}/Config] sinks.my_exporter: listens on 0.0.0.0:9599, which sinks.heartbeat_metrics already binds`,
    );
  });

  it('addHeartbeatCounter with the default ids (the old recipe) fails the synth with duplicate ids', () => {
    const synth = synthWith((a) =>
      addHeartbeatCounter(a.pipeline, { inputs: ['by_type.logs'], exporterAddress: '0.0.0.0:9700' }),
    );
    expect(synth).toThrow(`[${AGGREGATOR_PATH}/Config] transforms.heartbeat_events: duplicate id "heartbeat_events"`);
  });
});

describe("the real aggregator config with the heartbeat counter and Vector's component reference", () => {
  itWithSharedValidator(
    'accepts the default, tuned and exporter-mode configs, which also pass the Kubernetes schemas',
    () => {
      const variants: Record<string, readonly Manifest[]> = {
        'heartbeat-default': synthAggregator().manifests,
        'heartbeat-tuned': synthAggregator({
          heartbeat: { intervalSeconds: 300, sources: [logHeartbeatLineSource('logging', 'hb')], port: 9700 },
          dedupeFields: false,
        }).manifests,
        'heartbeat-exporter': synthAggregator({ stateless: true, metrics: { exporter: { port: 9090 } } }).manifests,
      };
      const files: Record<string, string> = {};
      for (const [name, manifests] of Object.entries(variants)) {
        expectValidManifests(manifests);
        expect(vectorConfig(manifests).sinks).toHaveProperty('heartbeat_metrics');
        files[`${name}.yaml`] = Yaml.stringify(...manifests);
      }
      const result = checkWithVectorReference(files);
      expect(result.output).toContain(`${Object.keys(files).length} configs checked`);
      expect(result.problems).toEqual([]);
    },
  );
});
