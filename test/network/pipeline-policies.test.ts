/**
 * Policies follow the final pipeline: a sink or scrape source a user adds to the agent's or the aggregator's pipeline,
 * before or after the policies construct, gets an egress rule from its endpoint options and the `egress` prop, a
 * component that listens gets ingress from the `ingress` prop, and what cannot be placed fails the synth naming the
 * component and the prop that fixes it.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VectorAgent } from '../../lib/agent';
import { VectorNetworkPolicies, type VectorNetworkPoliciesProps } from '../../lib/network';
import type { VectorPipeline } from '../../lib/vector';
import { thrownMessage } from '../helpers/errors';
import type { PodEndpoint } from '../helpers/network-policy';
import {
  constructionError,
  monitoringCluster,
  PODS,
  POLICIES_PATH,
  type PolicyFixture,
  PROMETHEUS_PEER,
  SOURCE_AGENT_PROPS,
  SOURCE_POLICY_PROPS,
  sourceCluster,
  synth,
  tcp,
  udp,
} from './network-fixtures';

const S3_CIDRS = ['52.219.0.0/20'];
const S3 = { ip: '52.219.4.10' };
const KAFKA_CIDRS = ['198.51.100.96/28'];
const KAFKA = { ip: '198.51.100.100' };
const COLLECTOR = { ip: '203.0.113.50' };
const ELSEWHERE = { ip: '93.184.216.34' };
const INGEST_LABELS = { 'app.kubernetes.io/name': 'ingest' };
const INGEST: PodEndpoint = { namespace: 'logging', podLabels: { ...INGEST_LABELS, 'pod-template-hash': 'abc' } };

/** Props typed loosely on purpose: JavaScript and YAML-fed callers are not type-checked. */
const loose = (props: Record<string, unknown>) => props as Partial<VectorNetworkPoliciesProps>;

function agentOf(fixture: PolicyFixture): VectorAgent {
  if (!fixture.agent) throw new Error('fixture without an agent');
  return fixture.agent;
}

const archive = (pipeline: VectorPipeline, region = 'eu-central-1') =>
  pipeline.addSink('archive', {
    type: 'aws_s3',
    inputs: ['enrich_logs'],
    bucket: 'logs-archive',
    region,
    encoding: { codec: 'json' },
  });

const customSink = (pipeline: VectorPipeline, id: string, type: string, options: Record<string, unknown>) =>
  pipeline.addCustomSink(id, {
    type,
    inputs: ['enrich_logs'],
    accepts: ['logs'],
    options: { encoding: { codec: 'json' }, ...options },
  });

const customSource = (pipeline: VectorPipeline, id: string, type: string, options: Record<string, unknown>) => {
  pipeline.addCustomSource(id, { type, emits: ['logs'], options });
  pipeline.addInputs('enrich_logs', id);
};

/** The problems of a failed synth, each as `[construct path] message`; fails when the synth succeeds. */
function synthProblems(fixture: PolicyFixture): string[] {
  const [head, ...lines] = thrownMessage(() => synth(fixture), 'expected the synth to fail').split('\n');
  expect(head).toBe('Validation failed with the following errors:');
  return lines.map((l) => l.trim());
}

const problem = (prop: string, value: string, allowed: string) =>
  `[${POLICIES_PATH}] ${POLICIES_PATH}: invalid ${prop} ${value}: ${allowed}`;
const error = (prop: string, value: string, allowed: string) =>
  `${POLICIES_PATH}: invalid ${prop} ${value}: ${allowed}`;

describe("egress for the sinks a user adds to the agent's pipeline", () => {
  it('opens an aws_s3 sink its regional HTTPS endpoint at the CIDRs given, added after the policies', () => {
    const fixture = sourceCluster({}, { egress: { archive: { cidrs: S3_CIDRS } } });
    archive(agentOf(fixture).pipeline);
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(tcp(agent, S3, 443), tcp(agent, { ip: '52.219.15.255' }, 443));
    s.expectDenied(
      tcp(agent, S3, 80),
      tcp(agent, S3, 8443),
      tcp(agent, ELSEWHERE, 443),
      tcp(agent, { ip: '52.219.16.1' }, 443),
    );
  });

  it('covers a sink added before the policies construct too', () => {
    const chart = new Chart(Testing.app(), 'cluster');
    const agent = new VectorAgent(chart, 'agent', SOURCE_AGENT_PROPS);
    archive(agent.pipeline);
    const policies = new VectorNetworkPolicies(chart, 'policies', {
      ...SOURCE_POLICY_PROPS,
      agent,
      egress: { archive: { cidrs: S3_CIDRS } },
    });
    const s = synth({ chart, policies, agent, aggregator: undefined });
    s.expectAllowed(tcp(s.agentPod as PodEndpoint, S3, 443));
    s.expectDenied(tcp(s.agentPod as PodEndpoint, S3, 80));
  });

  it("opens an http sink its URI's port", () => {
    const fixture = sourceCluster({}, { egress: { collector: { cidrs: ['203.0.113.50/32'] } } });
    customSink(agentOf(fixture).pipeline, 'collector', 'http', { uri: 'https://collector.example.com:8443/ingest' });
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(tcp(agent, COLLECTOR, 8443));
    s.expectDenied(tcp(agent, COLLECTOR, 443), tcp(agent, COLLECTOR, 80), tcp(agent, { ip: '203.0.113.51' }, 8443));
  });

  it("opens a kafka sink every bootstrap server's port, 9092 where none is written", () => {
    const fixture = sourceCluster({}, { egress: { events: { cidrs: KAFKA_CIDRS } } });
    customSink(agentOf(fixture).pipeline, 'events', 'kafka', {
      bootstrap_servers: 'kafka-1.example.com:9093,kafka-2.example.com',
      topic: 'logs',
    });
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(tcp(agent, KAFKA, 9092), tcp(agent, KAFKA, 9093));
    s.expectDenied(tcp(agent, KAFKA, 9094), tcp(agent, KAFKA, 443), tcp(agent, ELSEWHERE, 9092));
  });

  it('opens the ports given instead, e.g. for brokers advertised on other ports', () => {
    const fixture = sourceCluster(
      {},
      { egress: { events: { cidrs: KAFKA_CIDRS, ports: [{ port: 9092, endPort: 9095 }] } } },
    );
    customSink(agentOf(fixture).pipeline, 'events', 'kafka', {
      bootstrap_servers: 'kafka.example.com:9092',
      topic: 't',
    });
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(tcp(agent, KAFKA, 9092), tcp(agent, KAFKA, 9095));
    s.expectDenied(tcp(agent, KAFKA, 9096));
  });

  it('places an endpoint given as a template once its destination and ports are given', () => {
    const fixture = sourceCluster({}, { egress: { tenants: { cidrs: ['203.0.113.0/24'], ports: [{ port: 443 }] } } });
    customSink(agentOf(fixture).pipeline, 'tenants', 'http', { uri: 'https://{{ tenant }}.example.com/ingest' });
    const s = synth(fixture);
    s.expectAllowed(tcp(s.agentPod as PodEndpoint, COLLECTOR, 443));
    s.expectDenied(tcp(s.agentPod as PodEndpoint, COLLECTOR, 80));
  });

  it('selects the pods behind an in-cluster Service, on their targetPort', () => {
    const fixture = sourceCluster(
      {},
      { egress: { ingest: { namespace: 'logging', podLabels: INGEST_LABELS, targetPort: 9000 } } },
    );
    customSink(agentOf(fixture).pipeline, 'ingest', 'http', { uri: 'http://ingest.logging.svc:8080/' });
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(tcp(agent, INGEST, 9000));
    s.expectDenied(
      tcp(agent, INGEST, 8080),
      tcp(agent, { namespace: 'logging', podLabels: { app: 'other' } }, 9000),
      tcp(agent, { ...INGEST, namespace: 'default' }, 9000),
    );
  });

  it('needs no prop for a vector sink to the aggregator given, by its Service name', () => {
    const fixture = monitoringCluster();
    customSink(agentOf(fixture).pipeline, 'audit', 'vector', {
      routing: { endpoints: ['http://vector-aggregator-headless.vector-system.svc:6000'] },
      encoding: undefined,
    });
    const s = synth(fixture);
    s.expectAllowed(tcp(s.agentPod as PodEndpoint, s.aggregatorPod as PodEndpoint, 6000));
  });

  it('adds the rules after the built-in ones, leaving those as they were', () => {
    const plain = synth(sourceCluster()).policies[1].spec.egress ?? [];
    const fixture = sourceCluster({}, { egress: { archive: { cidrs: S3_CIDRS } } });
    archive(agentOf(fixture).pipeline);
    const egress = synth(fixture).policies[1].spec.egress ?? [];
    expect(egress.slice(0, plain.length)).toEqual(plain);
    expect(egress.slice(plain.length)).toEqual([
      { to: [{ ipBlock: { cidr: '52.219.0.0/20' } }], ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
  });
});

describe("the aggregator's pipeline", () => {
  it('gets egress for a sink a user adds, and the API server for a kubernetes_logs source', () => {
    const fixture = monitoringCluster({}, false, { egress: { archive: { cidrs: S3_CIDRS } } });
    const pipeline = (fixture.aggregator as NonNullable<PolicyFixture['aggregator']>).pipeline;
    pipeline.addSink('archive', {
      type: 'aws_s3',
      inputs: ['agents'],
      bucket: 'b',
      region: 'eu-west-1',
      encoding: { codec: 'json' },
    });
    pipeline.addSource('own_logs', { type: 'kubernetes_logs' });
    pipeline.addInputs('archive', 'own_logs');
    const s = synth(fixture);
    const aggregator = s.aggregatorPod as PodEndpoint;
    s.expectAllowed(tcp(aggregator, S3, 443), tcp(aggregator, { ip: '172.16.0.10' }, 6443));
    s.expectDenied(tcp(aggregator, S3, 80));
  });
});

describe('ingress for the components a user adds that listen', () => {
  it('lets the peers given reach an http_server source on its port, and nobody else', () => {
    const fixture = sourceCluster({}, { ingress: { webhook: [{ namespace: 'default', podLabels: { app: 'web' } }] } });
    customSource(agentOf(fixture).pipeline, 'webhook', 'http_server', { address: '0.0.0.0:8080' });
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(tcp(PODS.web, agent, 8080));
    s.expectDenied(tcp(PODS.web, agent, 8081), tcp(PODS.grafana, agent, 8080), tcp(ELSEWHERE, agent, 8080));
  });

  it('opens a UDP syslog source over UDP only, and [] lets nobody in', () => {
    const fixture = sourceCluster({}, { ingress: { syslog: [{ cidrs: ['10.0.0.0/24'] }], quiet: [] } });
    customSource(agentOf(fixture).pipeline, 'syslog', 'syslog', { address: '0.0.0.0:5514', mode: 'udp' });
    customSource(agentOf(fixture).pipeline, 'quiet', 'http_server', { address: '0.0.0.0:8081' });
    const s = synth(fixture);
    const agent = s.agentPod as PodEndpoint;
    s.expectAllowed(udp({ ip: '10.0.0.7' }, agent, 5514));
    s.expectDenied(
      tcp({ ip: '10.0.0.7' }, agent, 5514),
      tcp(PODS.web, agent, 8081),
      tcp({ ip: '10.0.0.7' }, agent, 8081),
    );
  });
});

describe('what cannot be placed fails the synth, naming the component and the prop', () => {
  it('a sink outside the cluster with no destination given', () => {
    const fixture = sourceCluster();
    archive(agentOf(fixture).pipeline);
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.archive',
        '(missing)',
        'sinks.archive (aws_s3) of cluster/agent sends to https://s3.eu-central-1.amazonaws.com:443, which no policy ' +
          'admits; NetworkPolicy cannot match DNS names: give the addresses it resolves to as { cidrs }',
      ),
    ]);
  });

  it('an aws_s3 sink without a region, which the environment gives', () => {
    const fixture = sourceCluster();
    agentOf(fixture).pipeline.addSink('archive', {
      type: 'aws_s3',
      inputs: ['enrich_logs'],
      bucket: 'b',
      encoding: { codec: 'json' },
    });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.archive',
        '(missing)',
        'sinks.archive (aws_s3) of cluster/agent sends to https://s3.<region of the environment>.amazonaws.com:443, ' +
          'which no policy admits; NetworkPolicy cannot match DNS names: give the addresses it resolves to as { cidrs }',
      ),
    ]);
  });

  it('every bootstrap server of a kafka sink, and an in-cluster Service, each with its advice', () => {
    const fixture = sourceCluster();
    customSink(agentOf(fixture).pipeline, 'events', 'kafka', {
      bootstrap_servers: 'kafka-1.example.com:9093,kafka-2.example.com',
      topic: 'logs',
    });
    customSink(agentOf(fixture).pipeline, 'ingest', 'http', { uri: 'http://ingest.logging.svc.cluster.local/' });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.events',
        '(missing)',
        'sinks.events (kafka) of cluster/agent sends to kafka-1.example.com:9093, kafka-2.example.com:9092, which no ' +
          'policy admits; NetworkPolicy cannot match DNS names: give the addresses it resolves to as { cidrs }',
      ),
      problem(
        'egress.ingest',
        '(missing)',
        'sinks.ingest (http) of cluster/agent sends to http://ingest.logging.svc.cluster.local:80, which no policy ' +
          'admits; the policies see the pods behind an in-cluster Service: give them as ' +
          '{ namespace: "logging", podLabels, targetPort? }',
      ),
    ]);
  });

  it('a templated endpoint, and one given as ports-less destination', () => {
    const fixture = sourceCluster({}, { egress: { given: { cidrs: ['203.0.113.0/24'] } } });
    customSink(agentOf(fixture).pipeline, 'tenants', 'http', { uri: 'https://{{ tenant }}.example.com/ingest' });
    agentOf(fixture).pipeline.addSecretBackend('urls', { type: 'directory', path: '/var/run/secrets/urls' });
    customSink(agentOf(fixture).pipeline, 'given', 'http', { uri: 'https://SECRET[urls.collector]/ingest' });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.tenants',
        '(missing)',
        'sinks.tenants (http) of cluster/agent sends to uri "https://{{ tenant }}.example.com/ingest" (its host is a ' +
          'template or secret, filled in only when Vector runs), which no policy admits; give where it leads and the ports it ' +
          'uses as { cidrs, ports } or { namespace, podLabels?, ports }',
      ),
      problem(
        'egress.given.ports',
        '(missing)',
        'sinks.given (http) of cluster/agent sends to uri "https://SECRET[urls.collector]/ingest" (its host is a ' +
          'template or secret, filled in only when Vector runs), whose port the policies cannot know: give the ports it ' +
          'connects to',
      ),
    ]);
  });

  it('a scrape source and a sink of a type whose endpoints are not known', () => {
    const fixture = sourceCluster();
    customSource(agentOf(fixture).pipeline, 'app_metrics', 'prometheus_scrape', {
      endpoints: ['http://203.0.113.7:9100/metrics'],
    });
    agentOf(fixture).pipeline.setInputs('enrich_logs', ['kubernetes_logs']);
    agentOf(fixture).pipeline.addInputs('enrich_metrics', 'app_metrics');
    customSink(agentOf(fixture).pipeline, 'vendor', 'new_relic', {
      account_id: '1',
      license_key: 'key',
      api: 'logs',
      encoding: { timestamp_format: 'rfc3339' }, // new_relic takes no codec
    });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.app_metrics',
        '(missing)',
        'sources.app_metrics (prometheus_scrape) of cluster/agent connects to http://203.0.113.7:9100, which no ' +
          'policy admits; NetworkPolicy cannot match DNS names: give the addresses it resolves to as { cidrs }',
      ),
      problem(
        'egress.vendor',
        '(missing)',
        'sinks.vendor (new_relic) of cluster/agent sends to an endpoint the policies cannot read (no endpoint options ' +
          'of a new_relic sink are known), which no policy admits; give where it leads and the ports it uses as { cidrs, ports } or ' +
          '{ namespace, podLabels?, ports }',
      ),
    ]);
  });

  it('a component that listens, with nobody said', () => {
    const fixture = sourceCluster();
    customSource(agentOf(fixture).pipeline, 'webhook', 'http_server', { address: '0.0.0.0:8080' });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'ingress.webhook',
        '(missing)',
        'sources.webhook (http_server) of cluster/agent listens on 0.0.0.0:8080, which no policy admits: give who may ' +
          'connect as a list of { namespace, podLabels? } or { cidrs }, or [] for nobody',
      ),
    ]);
  });

  it('a vector sink to the aggregator on another port than its vector port', () => {
    const fixture = monitoringCluster();
    customSink(agentOf(fixture).pipeline, 'audit', 'vector', {
      routing: { endpoints: ['http://vector-aggregator.vector-system.svc:7000'] },
      encoding: undefined,
    });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.audit',
        '(missing)',
        'sinks.audit (vector) of cluster/agent sends to http://vector-aggregator.vector-system.svc:7000, but ' +
          'cluster/aggregator listens on port 6000',
      ),
    ]);
  });

  it('CIDRs for an in-cluster Service, and pods in another namespace than its own', () => {
    const fixture = sourceCluster(
      {},
      { egress: { a: { cidrs: ['10.96.0.10/32'] }, b: { namespace: 'default', podLabels: INGEST_LABELS } } },
    );
    customSink(agentOf(fixture).pipeline, 'a', 'http', { uri: 'http://ingest.logging.svc:8080/' });
    customSink(agentOf(fixture).pipeline, 'b', 'http', { uri: 'http://ingest.logging.svc:8080/' });
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.a.cidrs',
        '["10.96.0.10/32"]',
        'http://ingest.logging.svc:8080 is an in-cluster Service, and policies see the pods behind it: give them as ' +
          '{ namespace: "logging", podLabels }',
      ),
      problem('egress.b.namespace', '"default"', 'http://ingest.logging.svc:8080 is a Service in namespace "logging"'),
    ]);
  });
});

describe('prop entries no component uses fail the synth', () => {
  it('an unknown component id, with the closest one', () => {
    const fixture = sourceCluster({}, { egress: { archve: { cidrs: S3_CIDRS }, archive: { cidrs: S3_CIDRS } } });
    archive(agentOf(fixture).pipeline);
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.archve',
        '{"cidrs":["52.219.0.0/20"]}',
        'no component of the pipeline of cluster/agent has the id "archve" (did you mean "archive"?)',
      ),
    ]);
  });

  it('a built-in component, a component that connects nowhere, and one that listens nowhere', () => {
    const fixture = sourceCluster(
      {},
      {
        egress: { to_aggregators: { cidrs: S3_CIDRS }, debug: { cidrs: S3_CIDRS } },
        ingress: { self_metrics: [PROMETHEUS_PEER], debug: [] },
      },
    );
    customSink(agentOf(fixture).pipeline, 'debug', 'console', {});
    expect(synthProblems(fixture)).toEqual([
      problem(
        'egress.to_aggregators',
        '{"cidrs":["52.219.0.0/20"]}',
        "sinks.to_aggregators of cluster/agent is built in: its rule follows from the construct's wiring",
      ),
      problem('egress.debug', '{"cidrs":["52.219.0.0/20"]}', 'sinks.debug (console) of cluster/agent connects nowhere'),
      problem(
        'ingress.self_metrics',
        '[{"namespace":"monitoring","podLabels":{"app.kubernetes.io/name":"prometheus"}}]',
        "sinks.self_metrics of cluster/agent is built in: its rule follows from the construct's wiring",
      ),
      problem('ingress.debug', '[]', 'sinks.debug (console) of cluster/agent listens nowhere'),
    ]);
  });
});

describe('bad entries are refused in the constructor', () => {
  it.each([
    [
      'a CIDR that does not parse',
      { a: { cidrs: ['52.219.0.0/33'] } },
      'egress.a.cidrs[0]',
      '"52.219.0.0/33"',
      'use a CIDR block such as "10.0.0.0/16" or "2001:db8::/32"',
    ],
    ['no CIDR', { a: { cidrs: [] } }, 'egress.a.cidrs', '[]', 'give at least one CIDR block, e.g. ["203.0.113.10/32"]'],
    [
      'port 0',
      { a: { cidrs: S3_CIDRS, ports: [{ port: 0 }] } },
      'egress.a.ports[0].port',
      '0',
      'a port is a whole number from 1 to 65535',
    ],
    [
      'an empty port list',
      { a: { cidrs: S3_CIDRS, ports: [] } },
      'egress.a.ports',
      '[]',
      'give at least one port: an empty list would open every port',
    ],
    [
      'targetPort 0',
      { a: { namespace: 'logging', targetPort: 0 } },
      'egress.a.targetPort',
      '0',
      'a port is a whole number from 1 to 65535',
    ],
    [
      'targetPort and ports',
      { a: { namespace: 'logging', targetPort: 9000, ports: [{ port: 9000 }] } },
      'egress.a.targetPort',
      '9000',
      'give targetPort or ports, not both',
    ],
    [
      'neither shape',
      { a: { podLabels: INGEST_LABELS } },
      'egress.a',
      '{"podLabels":{"app.kubernetes.io/name":"ingest"}}',
      'give { namespace, podLabels? } for pods, or { cidrs } for addresses outside the cluster',
    ],
  ])('egress: %s', (_, egress, prop, shown, allowed) => {
    expect(constructionError(() => sourceCluster({}, loose({ egress })))).toBe(error(prop, shown, allowed));
  });

  it('ingress: not a list, and a bad peer', () => {
    expect(constructionError(() => sourceCluster({}, loose({ ingress: { a: { cidrs: S3_CIDRS } } })))).toBe(
      error(
        'ingress.a',
        '{"cidrs":["52.219.0.0/20"]}',
        'give an object of component id: a list of peers ({ namespace, podLabels? } or { cidrs }), [] for nobody',
      ),
    );
    expect(constructionError(() => sourceCluster({}, loose({ ingress: { a: [{ cidrs: ['10.0.0.1/24'] }] } })))).toBe(
      error(
        'ingress.a[0].cidrs[0]',
        '"10.0.0.1/24"',
        'the address has bits set beyond the /24 prefix; write the network address',
      ),
    );
  });
});
