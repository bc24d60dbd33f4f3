import { afterAll, describe, expect, it } from 'vitest';
import {
  AGENT_IDS,
  CLUSTER_CA_FILE,
  KUBELET_TOKEN_DIR,
  NODE_IP_ENV,
  REMOTE_WRITE_TOKEN_DIR,
  enrichLogsVrl,
  type VectorAgentProps,
} from '../../lib/agent';
import { runRemap } from '../../lib/vector';
import {
  AGENT_PATH,
  AGGREGATOR_ENDPOINT,
  CLUSTER,
  downwardApiEnv,
  expectRecordedConfigsAccepted,
  interpolatedNames,
  newAgent,
  REMOTE_WRITE_SECRET,
  REMOTE_WRITE_URL,
  synthAgent,
} from './agent-fixtures';

afterAll(() => expectRecordedConfigsAccepted());

const INTERPOLATION_FLAG = '--dangerously-allow-env-var-interpolation';

const idsOf = (section: Readonly<Record<string, unknown>> | undefined) => Object.keys(section ?? {});
const vrl = (props: Partial<VectorAgentProps>, id: string) =>
  synthAgent(props).config.transforms?.[id]?.source as string;

/** The App-level synth error for an agent whose pipeline `customize` extends. */
function synthError(customize: (agent: ReturnType<typeof newAgent>['agent']) => void): string {
  const { app, agent } = newAgent();
  customize(agent);
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

describe('the default agent pipeline', () => {
  it('wires logs to the aggregators, host and kubelet metrics to remote write, its own metrics to an exporter', () => {
    const { config } = synthAgent();
    expect(idsOf(config.sources)).toEqual([
      'kubernetes_logs',
      'journald',
      'host_metrics',
      'kubelet_cadvisor',
      'vector_metrics',
    ]);
    expect(idsOf(config.transforms)).toEqual(['enrich_logs', 'enrich_journald', 'enrich_metrics']);
    expect(idsOf(config.sinks)).toEqual(['self_metrics', 'to_aggregators', 'remote_write']);
    const inputs = (id: string) => (config.transforms?.[id] ?? config.sinks?.[id])?.inputs;
    expect(inputs('enrich_logs')).toEqual(['kubernetes_logs']);
    expect(inputs('enrich_metrics')).toEqual(['host_metrics', 'kubelet_cadvisor']);
    expect(inputs('enrich_journald')).toEqual(['journald']);
    expect(inputs('to_aggregators')).toEqual(['enrich_logs', 'enrich_journald']);
    expect(inputs('remote_write')).toEqual(['enrich_metrics']);
    expect(inputs('self_metrics')).toEqual(['vector_metrics']);
    expect(config.sinks?.self_metrics).toMatchObject({ type: 'prometheus_exporter', address: '0.0.0.0:9598' });
    expect(config.sources?.vector_metrics).toEqual({ type: 'internal_metrics' });
  });

  it('exports the component ids users wire to', () => {
    const { config } = synthAgent({ multiline: true });
    const rendered = [...idsOf(config.sources), ...idsOf(config.transforms), ...idsOf(config.sinks)].sort();
    expect(Object.values(AGENT_IDS).sort()).toEqual(rendered);
  });

  it('rescans /var/log/pods every 2000 ms, saying in a comment why and what the default is', () => {
    const { config, configText } = synthAgent();
    expect(config.sources?.kubernetes_logs).toEqual({ type: 'kubernetes_logs', glob_minimum_cooldown_ms: 2000 });
    const comment = configText.slice(0, configText.indexOf('  kubernetes_logs:'));
    expect(comment).toContain("# Rescan /var/log/pods every 2000 ms instead of Vector's 60000");
    expect(comment).toContain('a pod that lives\n  # for seconds is otherwise gone before its file is found');
  });

  it('reads host metrics from the mounted /proc and /sys', () => {
    const { config, configText } = synthAgent();
    expect(config.sources?.host_metrics).toEqual({ type: 'host_metrics', namespace: 'host' });
    expect(configText).toContain("# Reads the node's /proc and /sys, mounted read-only at PROCFS_ROOT and SYSFS_ROOT.");
  });

  it('scrapes the node kubelet over HTTPS with a service-account token from a directory secret backend', () => {
    const { config } = synthAgent();
    expect(config.sources?.kubelet_cadvisor).toEqual({
      type: 'prometheus_scrape',
      endpoints: [`https://\${${NODE_IP_ENV}}:10250/metrics/cadvisor`],
      scrape_interval_secs: 30,
      auth: { strategy: 'bearer', token: 'SECRET[kubelet.token]' },
      tls: { verify_certificate: false, verify_hostname: false },
    });
    expect(config.secret?.kubelet).toEqual({
      type: 'directory',
      path: KUBELET_TOKEN_DIR,
      remove_trailing_whitespace: true,
    });
  });

  it('verifies the kubelet certificate against the cluster CA when asked', () => {
    const tls = synthAgent({ kubeletMetrics: { verifyCertificate: true } }).config.sources?.kubelet_cadvisor?.tls;
    expect(tls).toEqual({ verify_certificate: true, verify_hostname: false, ca_file: CLUSTER_CA_FILE });
    const { pod } = synthAgent();
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  it('bakes cluster, environment and region into the log remap, with Kubernetes metadata fields', () => {
    const source = vrl({}, 'enrich_logs');
    for (const line of [
      '.cluster = "dev"',
      '.environment = "development"',
      '.region = "fsn1"',
      '.namespace = .kubernetes.pod_namespace',
      '.pod = .kubernetes.pod_name',
      '.container = .kubernetes.container_name',
      '.node = .kubernetes.pod_node_name',
    ]) {
      expect(source.split('\n'), line).toContain(line);
    }
    expect(source).not.toContain('$');
    const other = vrl({ cluster: { name: 'prod-1', environment: 'production', region: 'nbg1' } }, 'enrich_logs');
    expect(other).toContain('.cluster = "prod-1"\n.environment = "production"\n.region = "nbg1"\n');
  });

  it("runs enrich_logs (enrich-logs.test.ts executes it): JSON lines parsed, never over Vector's fields", () => {
    expect(vrl({}, 'enrich_logs')).toBe(enrichLogsVrl(CLUSTER, true));
    const { agent } = newAgent();
    const outcome = runRemap(agent.pipeline, AGENT_IDS.enrichLogs, {
      message: '{"level":"error","message":"m","namespace":"kube-system"}',
      kubernetes: { pod_namespace: 'shop', pod_name: 'web-1', container_name: 'web', pod_node_name: 'n1' },
    });
    expect(outcome).toMatchObject({
      dropped: false,
      event: { message: 'm', severity: 'error', namespace: 'shop', line_fields: { namespace: 'kube-system' } },
    });
  });

  it('tags metrics with the cluster identity and the node', () => {
    expect(vrl({}, 'enrich_metrics')).toBe(
      [
        '.tags.cluster = "dev"',
        '.tags.environment = "development"',
        '.tags.region = "fsn1"',
        '.tags.node = get_env_var("VECTOR_SELF_NODE_NAME") ?? "unknown"',
        '',
      ].join('\n'),
    );
  });

  it('reads in VRL only environment variables the container sets from the downward API', () => {
    const { configText, container } = synthAgent();
    const names = new Set([...configText.matchAll(/get_env_var\("([^"]+)"\)/g)].map((m) => m[1]));
    expect([...names]).toEqual(['VECTOR_SELF_NODE_NAME']);
    expect(downwardApiEnv(container)).toMatchObject({ VECTOR_SELF_NODE_NAME: 'spec.nodeName' });
  });

  it('ships logs to the aggregators through a disk buffer', () => {
    expect(synthAgent().config.sinks?.to_aggregators).toEqual({
      type: 'vector',
      inputs: ['enrich_logs', 'enrich_journald'],
      routing: { endpoints: [`http://${AGGREGATOR_ENDPOINT}`] },
      compression: 'zstd',
      buffer: { type: 'disk', max_size: 536870912, when_full: 'block' },
    });
  });

  it('pushes metrics by remote write with a bearer token from a Secret, never inlined', () => {
    const { config, yaml } = synthAgent();
    expect(config.sinks?.remote_write).toEqual({
      type: 'prometheus_remote_write',
      inputs: ['enrich_metrics'],
      endpoint: REMOTE_WRITE_URL,
      auth: { strategy: 'bearer', token: 'SECRET[remote_write.token]' },
    });
    expect(config.secret?.remote_write).toEqual({
      type: 'directory',
      path: REMOTE_WRITE_TOKEN_DIR,
      remove_trailing_whitespace: true,
    });
    expect(yaml).toContain(`secretName: ${REMOTE_WRITE_SECRET.name}`);
  });
});

describe('turning parts of the pipeline off', () => {
  it('kubernetesLogs: false drops the logs source, its remap and the aggregator sink', () => {
    const { config } = synthAgent({ kubernetesLogs: false, journald: false });
    expect(idsOf(config.sources)).toEqual(['host_metrics', 'kubelet_cadvisor', 'vector_metrics']);
    expect(idsOf(config.transforms)).toEqual(['enrich_metrics']);
    expect(idsOf(config.sinks)).toEqual(['self_metrics', 'remote_write']);
  });

  it('hostMetrics: false keeps the kubelet scrape on remote write', () => {
    const { config } = synthAgent({ hostMetrics: false });
    expect(config.sources).not.toHaveProperty('host_metrics');
    expect(config.transforms?.enrich_metrics?.inputs).toEqual(['kubelet_cadvisor']);
  });

  it('kubeletMetrics: false drops the scrape, its secret backend and interpolation', () => {
    const { config, configText } = synthAgent({ kubeletMetrics: false });
    expect(config.sources).not.toHaveProperty('kubelet_cadvisor');
    expect(idsOf(config.secret)).toEqual(['remote_write']);
    expect(config.transforms?.enrich_metrics?.inputs).toEqual(['host_metrics']);
    expect(configText).not.toContain('$');
  });

  it('no metrics source leaves remote write with nothing to ship: no sink, no secret backend', () => {
    const { config } = synthAgent({ hostMetrics: false, kubeletMetrics: false });
    expect(config.transforms).not.toHaveProperty('enrich_metrics');
    expect(config.sinks).not.toHaveProperty('remote_write');
    expect(config.secret).toBeUndefined();
  });

  it('parseJson: false keeps lines as they are, with severity from a leading level word', () => {
    const source = vrl({ parseJson: false }, 'enrich_logs');
    expect(source).toBe(enrichLogsVrl(CLUSTER, false));
    expect(source).not.toContain('parse_json');
    expect(source).toContain('.cluster = "dev"');
  });

  it('aggregator: false ships no logs; a sink of your own can read enrich_logs instead', () => {
    const { config } = synthAgent({ aggregator: false }, (agent) =>
      agent.pipeline.addSink('loki', {
        type: 'loki',
        inputs: [AGENT_IDS.enrichLogs],
        endpoint: 'http://loki.monitoring.svc:3100',
        encoding: { codec: 'json' },
        labels: { cluster: CLUSTER.name },
      }),
    );
    expect(config.sinks).not.toHaveProperty('to_aggregators');
    expect(config.sinks?.loki).toMatchObject({ type: 'loki', inputs: ['enrich_logs'] });
  });

  it('remoteWrite: false turns off the metrics sources, their remap, the sink and the kubelet Secret', () => {
    const { config, all } = synthAgent({ remoteWrite: false, journald: false });
    expect(idsOf(config.sources)).toEqual(['kubernetes_logs', 'vector_metrics']);
    expect(idsOf(config.transforms)).toEqual(['enrich_logs']);
    expect(idsOf(config.sinks)).toEqual(['self_metrics', 'to_aggregators']);
    expect(config.secret).toBeUndefined();
    expect(all('Secret')).toEqual([]);
  });

  it('remote write without bearerTokenSecret sends no credentials and mounts no Secret', () => {
    const { config, pod } = synthAgent({ remoteWrite: { endpoint: REMOTE_WRITE_URL } });
    expect(config.sinks?.remote_write).not.toHaveProperty('auth');
    expect(idsOf(config.secret)).toEqual(['kubelet']);
    expect((pod.volumes ?? []).map((v) => v.name)).not.toContain('remote-write-token');
  });

  it('with every optional part off, Vector still serves its API and its own metrics', () => {
    const { config } = synthAgent({ kubernetesLogs: false, aggregator: false, remoteWrite: false });
    expect(config).toEqual({
      data_dir: '/var/lib/vector',
      api: { enabled: true, address: '0.0.0.0:8686' },
      sources: { vector_metrics: { type: 'internal_metrics' } },
      sinks: { self_metrics: { type: 'prometheus_exporter', inputs: ['vector_metrics'], address: '0.0.0.0:9598' } },
    });
  });
});

describe('components added after construction', () => {
  it('appear in the synthesized ConfigMap', () => {
    const { config } = synthAgent({}, (agent) => {
      agent.pipeline
        .addTransform('errors_only', {
          type: 'filter',
          inputs: [AGENT_IDS.enrichLogs],
          condition: '.severity == "error"',
        })
        .addSink('debug', { type: 'blackhole', inputs: ['errors_only'] });
    });
    expect(config.transforms?.errors_only).toEqual({
      type: 'filter',
      inputs: ['enrich_logs'],
      condition: '.severity == "error"',
    });
    expect(config.sinks?.debug).toEqual({ type: 'blackhole', inputs: ['errors_only'] });
  });

  it('fail the synth under the config construct path when they break the pipeline', () => {
    const message = synthError((agent) => agent.pipeline.addSink('debug', { type: 'blackhole', inputs: ['nowhere'] }));
    expect(message).toContain(`[${AGENT_PATH}/Config] sinks.debug: unknown input "nowhere"`);
  });
});

describe('environment variables in the config', () => {
  const variants: Partial<VectorAgentProps>[] = [
    {},
    { kubeletMetrics: false },
    { remoteWrite: false },
    { kubeletMetrics: { verifyCertificate: true, scrapeIntervalSecs: 10 } },
    { kubernetesLogs: false, hostMetrics: false },
  ];

  it('passes --dangerously-allow-env-var-interpolation exactly when the kubelet scrape is on', () => {
    for (const props of variants) {
      const { container, config } = synthAgent(props);
      const scrapes = config.sources?.kubelet_cadvisor !== undefined;
      expect(container.args?.includes(INTERPOLATION_FLAG), JSON.stringify(props)).toBe(scrapes);
    }
    expect(synthAgent().container.args).toEqual(['--config', '/etc/vector/vector.yaml', INTERPOLATION_FLAG]);
    expect(synthAgent({ kubeletMetrics: false }).container.args).toEqual(['--config', '/etc/vector/vector.yaml']);
  });

  it('names in ${...} only variables the container sets from the downward API', () => {
    for (const props of variants) {
      const { configText, container } = synthAgent(props);
      const fromDownwardApi = downwardApiEnv(container);
      for (const name of interpolatedNames(configText)) {
        expect(fromDownwardApi, `${name} in ${JSON.stringify(props)}`).toHaveProperty(name);
      }
      // No bare $NAME either: with interpolation on, Vector would replace it too.
      expect(configText.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, '')).not.toContain('$');
    }
    const { configText, container } = synthAgent();
    expect(interpolatedNames(configText)).toEqual([NODE_IP_ENV]);
    expect(downwardApiEnv(container)[NODE_IP_ENV]).toBe('status.hostIP');
  });

  it('fails the synth, naming the construct path, when a component adds another ${VAR}', () => {
    const message = synthError((agent) =>
      agent.pipeline
        .addSource('app_metrics', { type: 'prometheus_scrape', endpoints: ['http://${APP_HOST}:9090/metrics'] })
        .addInputs(AGENT_IDS.enrichMetrics, 'app_metrics'),
    );
    expect(message).toBe(
      [
        'Validation failed with the following errors:',
        `  [${AGENT_PATH}/Config] sources.app_metrics: \`endpoints[0]\` contains "\${APP_HOST}", but "APP_HOST" is not in interpolatedEnvVars (${NODE_IP_ENV}); write $$ for a literal dollar sign`,
      ].join('\n'),
    );
  });

  it('fails the synth for a ${VAR} when interpolation is off, saying to bake the value in', () => {
    const { app, agent } = newAgent({ kubeletMetrics: false });
    agent.pipeline
      .addSource('app_metrics', { type: 'prometheus_scrape', endpoints: ['http://${APP_HOST}:9090/metrics'] })
      .addInputs(AGENT_IDS.enrichMetrics, 'app_metrics');
    expect(() => app.synth()).toThrow(
      `[${AGENT_PATH}/Config] sources.app_metrics: \`endpoints[0]\` contains "\${APP_HOST}": Vector 0.57 does not interpolate environment variables by default, so it would stay literal; bake the value in at synth time`,
    );
  });

  // Vector interpolates the whole file once the flag is on, the `secret` section included.
  it('fails the synth when a secret backend added to the pipeline names another ${VAR}', () => {
    const message = synthError((agent) =>
      agent.pipeline.addSecretBackend('extra', { type: 'directory', path: '/var/run/secrets/${SECRET_DIR}' }),
    );
    expect(message).toContain(`[${AGENT_PATH}/Config] global.secret`);
    expect(message).toContain('"SECRET_DIR" is not in interpolatedEnvVars');
  });
});
