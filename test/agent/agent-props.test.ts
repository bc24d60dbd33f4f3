import { afterAll, describe, expect, it } from 'vitest';
import type { VectorAgentProps } from '../../lib/agent';
import {
  AGENT_PATH,
  AGGREGATOR_ENDPOINT,
  constructionError,
  expectRecordedConfigsAccepted,
  FULL_PROPS,
  newAgent,
  REMOTE_WRITE_URL,
  synthAgent,
} from './agent-fixtures';

afterAll(() => expectRecordedConfigsAccepted());

const RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
const namesOf = (props: Partial<VectorAgentProps>) => synthAgent(props).manifests.map((m) => m.metadata?.name);

describe('VectorAgent props and their defaults', () => {
  it('namespace: vector-system by default; every namespaced object and the binding subject follow it', () => {
    expect(newAgent().agent.namespace).toBe('vector-system');
    const { manifests, one, agent } = synthAgent({ namespace: 'logging' });
    expect(agent.namespace).toBe('logging');
    expect(one('Namespace').metadata?.name).toBe('logging');
    for (const m of manifests.filter((o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))) {
      expect(m.metadata?.namespace, m.kind).toBe('logging');
    }
    expect(one('ClusterRoleBinding').subjects?.[0]?.namespace).toBe('logging');
  });

  it('createNamespace: true by default; false leaves the namespace to someone else', () => {
    expect(synthAgent().all('Namespace')).toHaveLength(1);
    const { all, one } = synthAgent({ createNamespace: false, namespace: 'logging' });
    expect(all('Namespace')).toEqual([]);
    expect(one('DaemonSet').metadata?.namespace).toBe('logging');
  });

  it('name: vector-agent by default; names every object, the ServiceAccount and the instance label', () => {
    const { agent } = newAgent();
    expect([agent.name, agent.serviceAccountName]).toEqual(['vector-agent', 'vector-agent']);
    const custom = synthAgent({ name: 'edge-agent' });
    expect([custom.agent.name, custom.agent.serviceAccountName]).toEqual(['edge-agent', 'edge-agent']);
    expect(custom.pod.serviceAccountName).toBe('edge-agent');
    expect(custom.agent.selectorLabels['app.kubernetes.io/instance']).toBe('edge-agent');
    expect(custom.one('Secret').metadata?.annotations).toEqual({ 'kubernetes.io/service-account.name': 'edge-agent' });
    expect(custom.pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'edge-agent' } });
    // The longest name whose metrics Service name is still a DNS label.
    const longest = `a${'b'.repeat(54)}`;
    expect(namesOf({ name: longest })).toContain(`${longest}-metrics`);
  });

  it('image: overridable by any pinned tag or digest', () => {
    for (const image of [
      'registry.example.com:5000/vector:0.57.0-debian',
      'timberio/vector@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ]) {
      expect(synthAgent({ image }).container.image).toBe(image);
    }
  });

  it('resources: 100m/128Mi requested and 500m/512Mi limit by default, overridable', () => {
    expect(synthAgent().container.resources).toEqual(RESOURCES);
    const resources = { requests: { cpu: '0.25', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };
    expect(synthAgent({ resources }).container.resources).toEqual(resources);
    const equal = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '0.5', memory: '512Mi' } };
    expect(synthAgent({ resources: equal }).container.resources).toEqual(equal);
  });

  it('apiPort and metricsPort: 8686 and 9598 by default; the config, ports, Service and probes follow them', () => {
    const defaults = newAgent().agent;
    expect([defaults.apiPort, defaults.metricsPort]).toEqual([8686, 9598]);
    const { config, container, one, agent } = synthAgent({ apiPort: 18686, metricsPort: 19598 });
    expect([agent.apiPort, agent.metricsPort]).toEqual([18686, 19598]);
    expect(config.api?.address).toBe('0.0.0.0:18686');
    expect(config.sinks?.self_metrics?.address).toBe('0.0.0.0:19598');
    expect(container.ports).toEqual([
      { name: 'api', containerPort: 18686, protocol: 'TCP' },
      { name: 'metrics', containerPort: 19598, protocol: 'TCP' },
    ]);
    expect(one('Service').spec?.ports).toEqual([{ name: 'metrics', port: 19598, targetPort: 'metrics' }]);
    expect(container.livenessProbe?.httpGet?.port).toBe('api');
  });

  it('terminationGracePeriodSeconds: 90 by default, any whole number above 60', () => {
    expect(synthAgent().pod.terminationGracePeriodSeconds).toBe(90);
    expect(synthAgent({ terminationGracePeriodSeconds: 61 }).pod.terminationGracePeriodSeconds).toBe(61);
  });

  it('cluster: baked into the log and metric remaps', () => {
    const { config } = synthAgent({ cluster: { name: 'edge.1', environment: 'staging', region: 'hel1' } });
    expect(config.transforms?.enrich_logs?.source).toContain(
      '.cluster = "edge.1"\n.environment = "staging"\n.region = "hel1"',
    );
    expect(config.transforms?.enrich_metrics?.source).toContain(
      '.tags.cluster = "edge.1"\n.tags.environment = "staging"\n.tags.region = "hel1"',
    );
  });

  it('aggregator.endpoints: every one load-balanced by the vector sink', () => {
    const endpoints = [AGGREGATOR_ENDPOINT, '10.0.0.7:6000', '[fd00::7]:6000'];
    const sink = synthAgent({ aggregator: { endpoints } }).config.sinks?.to_aggregators;
    expect(sink?.routing).toEqual({ endpoints: endpoints.map((e) => `http://${e}`) });
  });

  it('aggregator.bufferBytes: 512 MiB by default, down to Vector minimum of 268435488', () => {
    const buffer = (props: Partial<VectorAgentProps>) => synthAgent(props).config.sinks?.to_aggregators?.buffer;
    expect(buffer({})).toEqual({ type: 'disk', max_size: 536870912, when_full: 'block' });
    expect(buffer({ aggregator: { endpoints: [AGGREGATOR_ENDPOINT], bufferBytes: 268435488 } })).toMatchObject({
      max_size: 268435488,
    });
  });

  it('remoteWrite.endpoint: used as given', () => {
    const endpoint = 'http://prometheus.monitoring.svc:9090/api/v1/write';
    expect(synthAgent({ remoteWrite: { endpoint } }).config.sinks?.remote_write?.endpoint).toBe(endpoint);
  });

  it('kubernetesLogs and parseJson: on by default', () => {
    const { config } = synthAgent();
    expect(config.sources).toHaveProperty('kubernetes_logs');
    expect(config.transforms?.enrich_logs?.source).toContain('parse_json');
  });

  it('globMinimumCooldownMs: 2000 by default, down to 250, with the figure in the comment', () => {
    expect(synthAgent().config.sources?.kubernetes_logs?.glob_minimum_cooldown_ms).toBe(2000);
    const { config, configText } = synthAgent({ globMinimumCooldownMs: 250 });
    expect(config.sources?.kubernetes_logs?.glob_minimum_cooldown_ms).toBe(250);
    expect(configText).toContain('# Rescan /var/log/pods every 250 ms');
  });

  it('hostMetrics and kubeletMetrics: on when remoteWrite is set, off when it is not', () => {
    const on = synthAgent().config.sources;
    expect(on).toHaveProperty('host_metrics');
    expect(on).toHaveProperty('kubelet_cadvisor');
    const off = synthAgent({ remoteWrite: false }).config.sources;
    expect(off).not.toHaveProperty('host_metrics');
    expect(off).not.toHaveProperty('kubelet_cadvisor');
    // Explicitly off with remoteWrite off is fine.
    expect(() => newAgent({ remoteWrite: false, hostMetrics: false, kubeletMetrics: false })).not.toThrow();
  });

  it('kubeletMetrics options: scrape every 30 s without certificate verification by default', () => {
    const scrape = (kubeletMetrics: VectorAgentProps['kubeletMetrics']) =>
      synthAgent({ kubeletMetrics }).config.sources?.kubelet_cadvisor;
    expect(scrape(true)).toMatchObject({ scrape_interval_secs: 30, tls: { verify_certificate: false } });
    expect(scrape({})).toEqual(scrape(true));
    expect(scrape({ scrapeIntervalSecs: 60 })).toMatchObject({ scrape_interval_secs: 60 });
    expect(scrape({ verifyCertificate: true })).toMatchObject({ tls: { verify_certificate: true } });
  });

  it('dataHostPath: /var/lib/vector-agent by default, any absolute path', () => {
    const dataVolume = (props: Partial<VectorAgentProps>) =>
      synthAgent(props).pod.volumes?.find((v) => v.name === 'data');
    expect(dataVolume({})?.hostPath?.path).toBe('/var/lib/vector-agent');
    expect(dataVolume({ dataHostPath: '/mnt/disks/vector' })?.hostPath).toEqual({
      path: '/mnt/disks/vector',
      type: 'DirectoryOrCreate',
    });
  });

  it('hostNetwork: off by default', () => {
    expect(synthAgent().pod.hostNetwork).toBe(false);
    expect(synthAgent({ hostNetwork: true }).pod.hostNetwork).toBe(true);
  });

  it('priorityClassName: system-node-critical by default, overridable', () => {
    expect(synthAgent().pod.priorityClassName).toBe('system-node-critical');
    expect(synthAgent({ priorityClassName: 'logging.critical' }).pod.priorityClassName).toBe('logging.critical');
  });

  it('exposes the pipeline it renders and what monitoring needs', () => {
    const { agent, configText } = synthAgent();
    expect(agent.pipeline.render()).toBe(configText);
    expect(agent.monitoringTarget).toEqual({
      role: 'agent',
      namespace: 'vector-system',
      workloadKind: 'DaemonSet',
      workloadName: 'vector-agent',
      containerName: 'vector',
      selectorLabels: agent.selectorLabels,
      metricsPortName: 'metrics',
      metricsPath: '/metrics',
    });
  });
});

describe('VectorAgent bad props', () => {
  const at = (prop: string, value: string) => `${AGENT_PATH}: invalid ${prop} ${value}: `;
  const IDENTITY = 'use 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  const DNS_LABEL = 'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
  const DNS_SUBDOMAIN = 'use lowercase letters, digits, "-" and ".", at most 253 characters';
  const HOST_PORT = 'use host:port with a DNS name or IP and a port from 1 to 65535, e.g. "vector.example.com:6000"';
  const URL = 'use an http:// or https:// URL, e.g. "https://prometheus.example.com/api/v1/write"';
  const PINNED = 'pin the image to an exact version tag or digest, e.g. "timberio/vector:0.57.0-distroless-libc"';
  const PORT = 'a port is a whole number from 1 to 65535';
  const SECRET_KEY = 'a Secret key: letters, digits, "-", "_" and "."';
  const GRACE = "must exceed Vector's 60 s shutdown limit, or buffers are killed before they flush";
  const SHORT_NAME = 'start with a letter and use at most 55 characters: a Service is named "<name>-metrics"';
  const endpoints = (...list: string[]) => ({ aggregator: { endpoints: list } });
  const remoteWrite = (endpoint: string, bearerTokenSecret?: unknown) => ({
    remoteWrite: { endpoint, ...(bearerTokenSecret === undefined ? {} : { bearerTokenSecret }) },
  });
  const resources = (requests: object, limits: object = RESOURCES.limits) => ({ resources: { requests, limits } });

  it('say the whole story: construct path, prop, value and what is allowed', () => {
    expect(constructionError({ cluster: { ...FULL_PROPS.cluster, name: '' } })).toBe(
      `${AGENT_PATH}: invalid cluster.name "": ${IDENTITY}`,
    );
    expect(constructionError({ image: 'timberio/vector:latest' })).toBe(
      `${AGENT_PATH}: invalid image "timberio/vector:latest": ${PINNED}`,
    );
    expect(constructionError({ aggregator: { endpoints: [AGGREGATOR_ENDPOINT], bufferBytes: 268435487 } })).toBe(
      `${AGENT_PATH}: invalid aggregator.bufferBytes 268435487: Vector's disk buffers hold at least 268435488 bytes`,
    );
    expect(constructionError({ terminationGracePeriodSeconds: 60 })).toBe(
      `${AGENT_PATH}: invalid terminationGracePeriodSeconds 60: ${GRACE}`,
    );
    expect(constructionError({ apiPort: 9598 })).toBe(
      `${AGENT_PATH}: invalid metricsPort 9598: must differ from apiPort (9598)`,
    );
    expect(constructionError({ hostMetrics: true, remoteWrite: false })).toBe(
      `${AGENT_PATH}: invalid remoteWrite false: hostMetrics and kubeletMetrics need a remoteWrite target to ship to`,
    );
    expect(constructionError({ resources: resources({ cpu: '600m', memory: '128Mi' }).resources })).toBe(
      `${AGENT_PATH}: invalid resources.requests.cpu "600m": must not exceed limits.cpu (500m)`,
    );
  });

  const cases: [string, Readonly<Record<string, unknown>>, string][] = [
    ['empty cluster name', { cluster: { ...FULL_PROPS.cluster, name: '' } }, at('cluster.name', '""') + IDENTITY],
    ['no cluster', { cluster: undefined }, at('cluster.name', '(missing)') + IDENTITY],
    [
      'cluster environment with a space',
      { cluster: { ...FULL_PROPS.cluster, environment: 'prod env' } },
      at('cluster.environment', '"prod env"') + IDENTITY,
    ],
    [
      'cluster region starting with "-"',
      { cluster: { ...FULL_PROPS.cluster, region: '-fsn1' } },
      at('cluster.region', '"-fsn1"') + IDENTITY,
    ],
    [
      'cluster name of 64 characters',
      { cluster: { ...FULL_PROPS.cluster, name: 'c'.repeat(64) } },
      at('cluster.name', `"${'c'.repeat(64)}"`) + IDENTITY,
    ],
    ['uppercase namespace', { namespace: 'Vector_System' }, at('namespace', '"Vector_System"') + DNS_LABEL],
    ['empty namespace', { namespace: '' }, at('namespace', '""') + DNS_LABEL],
    ['name with a space', { name: 'vector agent' }, at('name', '"vector agent"') + DNS_LABEL],
    ['name starting with a digit', { name: '1agent' }, at('name', '"1agent"') + SHORT_NAME],
    ['name of 56 characters', { name: 'a'.repeat(56) }, at('name', `"${'a'.repeat(56)}"`) + SHORT_NAME],
    ['image latest', { image: 'timberio/vector:latest' }, at('image', '"timberio/vector:latest"') + PINNED],
    ['image with no tag', { image: 'timberio/vector' }, at('image', '"timberio/vector"') + PINNED],
    [
      'image with a registry port but no tag',
      { image: 'registry.example.com:5000/vector' },
      at('image', '"registry.example.com:5000/vector"') + PINNED,
    ],
    ['no aggregator endpoints', endpoints(), at('aggregator.endpoints', '[]') + 'give at least one host:port'],
    [
      'aggregator endpoints missing',
      { aggregator: {} },
      at('aggregator.endpoints', '(missing)') + 'give at least one host:port of the aggregators',
    ],
    [
      'aggregator endpoint without a port',
      endpoints('vector.example.com'),
      at('aggregator.endpoints[0]', '"vector.example.com"') + HOST_PORT,
    ],
    [
      'aggregator port 0',
      endpoints('vector.example.com:0'),
      at('aggregator.endpoints[0]', '"vector.example.com:0"') + HOST_PORT,
    ],
    [
      'aggregator port 70000',
      endpoints(AGGREGATOR_ENDPOINT, 'vector.example.com:70000'),
      at('aggregator.endpoints[1]', '"vector.example.com:70000"') + HOST_PORT,
    ],
    [
      'aggregator endpoint as a URL',
      endpoints('http://vector.example.com:6000'),
      at('aggregator.endpoints[0]', '"http://vector.example.com:6000"') + HOST_PORT,
    ],
    [
      'fractional buffer',
      { aggregator: { endpoints: [AGGREGATOR_ENDPOINT], bufferBytes: 300000000.5 } },
      at('aggregator.bufferBytes', '300000000.5'),
    ],
    [
      'remote write URL without scheme',
      remoteWrite('prometheus.example.com/api/v1/write'),
      at('remoteWrite.endpoint', '"prometheus.example.com/api/v1/write"') + URL,
    ],
    [
      'remote write ftp URL',
      remoteWrite('ftp://prometheus.example.com/'),
      at('remoteWrite.endpoint', '"ftp://prometheus.example.com/"') + URL,
    ],
    ['empty remote write URL', remoteWrite(''), at('remoteWrite.endpoint', '""') + URL],
    [
      'bearer token Secret name with uppercase',
      remoteWrite(REMOTE_WRITE_URL, { name: 'Remote_Write', key: 'token' }),
      at('remoteWrite.bearerTokenSecret.name', '"Remote_Write"') + DNS_SUBDOMAIN,
    ],
    [
      'bearer token Secret key with a slash',
      remoteWrite(REMOTE_WRITE_URL, { name: 'remote-write', key: 'a/b' }),
      at('remoteWrite.bearerTokenSecret.key', '"a/b"') + SECRET_KEY,
    ],
    [
      'bearer token Secret without key',
      remoteWrite(REMOTE_WRITE_URL, { name: 'remote-write' }),
      at('remoteWrite.bearerTokenSecret.key', '(missing)') + SECRET_KEY,
    ],
    [
      'kubeletMetrics without remote write',
      { kubeletMetrics: { scrapeIntervalSecs: 10 }, remoteWrite: false },
      at('remoteWrite', 'false') + 'hostMetrics and kubeletMetrics need a remoteWrite target',
    ],
    [
      'unparseable cpu',
      resources({ cpu: '100 m', memory: '128Mi' }),
      at('resources.requests.cpu', '"100 m"') + 'use a CPU quantity such as "100m" or "0.5"',
    ],
    [
      'unparseable memory limit',
      resources(RESOURCES.requests, { cpu: '500m', memory: '512MB' }),
      at('resources.limits.memory', '"512MB"') + 'use a memory quantity such as "128Mi" or "1Gi"',
    ],
    ['no limits', { resources: { requests: RESOURCES.requests } }, at('resources.limits.cpu', '(missing)')],
    [
      'memory request above limit',
      resources({ cpu: '100m', memory: '1Gi' }),
      at('resources.requests.memory', '"1Gi"') + 'must not exceed limits.memory (512Mi)',
    ],
    ['grace period 30', { terminationGracePeriodSeconds: 30 }, at('terminationGracePeriodSeconds', '30') + GRACE],
    ['fractional grace period', { terminationGracePeriodSeconds: 90.5 }, at('terminationGracePeriodSeconds', '90.5')],
    ['metricsPort equal to apiPort', { metricsPort: 8686 }, at('metricsPort', '8686') + 'must differ from apiPort'],
    ['apiPort 0', { apiPort: 0 }, at('apiPort', '0') + PORT],
    ['metricsPort 70000', { metricsPort: 70000 }, at('metricsPort', '70000') + PORT],
    ['fractional port', { apiPort: 8686.5 }, at('apiPort', '8686.5') + PORT],
    [
      'cooldown 249 ms',
      { globMinimumCooldownMs: 249 },
      at('globMinimumCooldownMs', '249') + 'use a whole number at least 250',
    ],
    ['fractional cooldown', { globMinimumCooldownMs: 1000.5 }, at('globMinimumCooldownMs', '1000.5')],
    [
      'kubelet scrape interval 0',
      { kubeletMetrics: { scrapeIntervalSecs: 0 } },
      at('kubeletMetrics.scrapeIntervalSecs', '0') + 'use a whole number at least 1',
    ],
    [
      'relative dataHostPath',
      { dataHostPath: 'var/lib/vector-agent' },
      at('dataHostPath', '"var/lib/vector-agent"') + 'use an absolute path on the node, e.g. "/var/lib/vector-agent"',
    ],
    [
      'uppercase priorityClassName',
      { priorityClassName: 'System-Node-Critical' },
      at('priorityClassName', '"System-Node-Critical"') + DNS_SUBDOMAIN,
    ],
    ['empty priorityClassName', { priorityClassName: '' }, at('priorityClassName', '""') + DNS_SUBDOMAIN],
  ];

  it.each(cases)('%s', (_, props, expected) => {
    expect(constructionError(props)).toContain(expected);
  });
});
