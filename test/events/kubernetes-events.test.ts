import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_EVENT_EXPORTER_IMAGE,
  EVENTS_IDS,
  KubernetesEvents,
  type KubernetesEventsProps,
} from '../../lib/events';
import { formatProblem } from '../../lib/vector';
import {
  constructionError,
  expectNoCdk8sLabels,
  kindsAndNames,
  type Manifest,
  restrictedContainer,
  restrictedPod,
  synth,
} from '../heartbeat/heartbeat-fixtures';
import { expectAcceptedByVectorReference, itWithSharedValidator } from '../helpers/vector-reference';

export const EVENTS_PROPS: KubernetesEventsProps = {
  cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
  aggregator: { endpoints: ['vector.monitoring.example.com:6000'] },
  tls: { secretName: 'vector-agent-tls' },
};

const events = (props: Partial<KubernetesEventsProps> = {}) =>
  synth((chart) => new KubernetesEvents(chart, 'events', { ...EVENTS_PROPS, ...props }));
const error = (props: Partial<KubernetesEventsProps>) =>
  constructionError((chart) => new KubernetesEvents(chart, 'events', { ...EVENTS_PROPS, ...props }));

const vectorConfig = (manifests: readonly Manifest[]) => {
  const cm = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'vector-kubernetes-events-vector');
  return (cm as unknown as { data: Record<string, string> }).data['vector.yaml'];
};

describe('KubernetesEvents objects', () => {
  it('owns a ServiceAccount, a ClusterRole and its binding, two ConfigMaps and a one-replica Deployment', () => {
    const { manifests, deployment } = events();
    expect(kindsAndNames(manifests)).toEqual([
      'ServiceAccount/vector-system/vector-kubernetes-events',
      'ClusterRole/vector-kubernetes-events',
      'ClusterRoleBinding/vector-kubernetes-events',
      'ConfigMap/vector-system/vector-kubernetes-events-exporter',
      'ConfigMap/vector-system/vector-kubernetes-events-vector',
      'Deployment/vector-system/vector-kubernetes-events',
    ]);
    expectNoCdk8sLabels(manifests);
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy).toEqual({ type: 'Recreate' });
  });

  it('labels every object with the recommended labels, the exporter tag as version, never in the selector', () => {
    const { manifests, deployment } = events();
    for (const m of manifests) {
      expect(m.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'vector-kubernetes-events',
        'app.kubernetes.io/instance': 'vector-kubernetes-events',
        'app.kubernetes.io/component': 'kubernetes-events',
        'app.kubernetes.io/part-of': 'vector-fleet',
        'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
        'app.kubernetes.io/version': 'v1.7',
      });
    }
    expect(deployment.selector.matchLabels?.['app.kubernetes.io/version']).toBeUndefined();
    const digest = events({ exporterImage: `ghcr.io/resmoio/kubernetes-event-exporter@sha256:${'a'.repeat(64)}` });
    expect(digest.deployment.template.metadata?.labels?.['app.kubernetes.io/version']).toBeUndefined();
  });

  it('RBAC: list and watch on core events, nothing else, bound to its ServiceAccount with a namespace', () => {
    const { one } = events();
    expect(one('ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] }]);
    expect(one('ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'vector-kubernetes-events', namespace: 'vector-system' },
    ]);
  });

  it('exporter config: every event to the loopback webhook, no object lookups, the age limit given', () => {
    const config = parse(events({ maxEventAgeSeconds: 120, receiverPort: 9000 }).construct.exporterConfig);
    expect(config).toEqual({
      logLevel: 'info',
      logFormat: 'json',
      maxEventAgeSeconds: 120,
      omitLookup: true,
      route: { routes: [{ match: [{ receiver: 'vector' }] }] },
      receivers: [{ name: 'vector', webhook: { endpoint: 'http://127.0.0.1:9000/' } }],
    });
  });

  it('pod: restricted, token mounted for the exporter, pinned images, probes, resources, mTLS Secret mounted', () => {
    const { pod, deployment } = events();
    expect(pod.securityContext).toEqual(restrictedPod(65532));
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('vector-kubernetes-events');
    const [exporter, vector] = pod.containers;
    expect(exporter.image).toBe(DEFAULT_EVENT_EXPORTER_IMAGE);
    expect(vector.image).toMatch(/^timberio\/vector:0\.57\.\d+-distroless-libc$/);
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual(restrictedContainer(65532));
      expect(c.resources?.limits).toBeDefined();
      expect(c.resources?.requests).toBeDefined();
      expect(c.livenessProbe?.httpGet).toBeDefined();
      expect(c.readinessProbe?.httpGet).toBeDefined();
    }
    expect(exporter.readinessProbe?.httpGet?.path).toBe('/-/ready');
    expect(exporter.livenessProbe?.httpGet?.path).toBe('/-/healthy');
    expect(exporter.args).toEqual(['-conf=/etc/event-exporter/config.yaml', '-metrics-address=:2112']);
    expect(pod.volumes?.find((v) => v.name === 'tls')?.secret?.secretName).toBe('vector-agent-tls');
    expect(vector.volumeMounts?.map((m) => m.mountPath)).toContain('/var/run/secrets/vector/tls');
    const annotations = deployment.template.metadata?.annotations ?? {};
    expect(Object.keys(annotations).sort()).toEqual(['checksum/config', 'checksum/config-exporter'].sort());
  });

  it('a changed exporter config rolls the pod', () => {
    const a = events().deployment.template.metadata?.annotations;
    const b = events({ maxEventAgeSeconds: 30 }).deployment.template.metadata?.annotations;
    expect(a?.['checksum/config-exporter']).not.toBe(b?.['checksum/config-exporter']);
  });

  it('Vector config: http_server on loopback, enrichment, vector sink over mTLS to the aggregators', () => {
    const { manifests, construct } = events();
    expect(construct.pipeline.validate().map(formatProblem)).toEqual([]);
    const config = parse(vectorConfig(manifests));
    expect(config.sources[EVENTS_IDS.exporter]).toMatchObject({ type: 'http_server', address: '127.0.0.1:8080' });
    expect(config.sinks[EVENTS_IDS.toAggregators]).toMatchObject({
      type: 'vector',
      inputs: [EVENTS_IDS.enrich],
      routing: { endpoints: ['https://vector.monitoring.example.com:6000'] },
      tls: {
        ca_file: '/var/run/secrets/vector/tls/ca.crt',
        crt_file: '/var/run/secrets/vector/tls/tls.crt',
        key_file: '/var/run/secrets/vector/tls/tls.key',
        verify_certificate: true,
        verify_hostname: true,
      },
    });
  });

  itWithSharedValidator('its Vector config passes the shared reference validator', () => {
    expectAcceptedByVectorReference({ 'events.yaml': vectorConfig(events().manifests) });
  });
});

describe('KubernetesEvents bad props', () => {
  it.each([
    [{ aggregator: { endpoints: [] } }, 'test/events: invalid aggregator.endpoints []', 'at least one aggregator'],
    [{ aggregator: { endpoints: ['no-port'] } }, 'aggregator.endpoints[0]', 'host:port'],
    [{ exporterImage: 'ghcr.io/resmoio/kubernetes-event-exporter:latest' }, 'exporterImage', 'pin the image'],
    [{ vectorImage: 'timberio/vector' }, 'vectorImage', 'pin the image'],
    [{ maxEventAgeSeconds: 0 }, 'maxEventAgeSeconds', '0'],
    [{ receiverPort: 2112 }, 'receiverPort', "the exporter's metrics port"],
    [{ apiPort: 8080 }, 'apiPort', 'must differ from receiverPort (8080)'],
    [{ namespace: 'Bad_NS' }, 'namespace', 'Bad_NS'],
    [{ tls: { secretName: 'vector-agent-tls', namespace: 'other' } }, 'tls.namespace', 'other'],
    [{ cluster: { name: 'dev', environment: 'bad env', region: 'fsn1' } }, 'cluster.environment', 'bad env'],
  ] as const)('%j is refused naming %s', (props, prop, words) => {
    const message = error(props as Partial<KubernetesEventsProps>);
    expect(message).toContain(prop);
    expect(message).toContain(words);
  });

  it('networkPolicy without aggregator addresses names the endpoints', () => {
    const message = constructionError((chart) =>
      new KubernetesEvents(chart, 'events', EVENTS_PROPS).networkPolicy({ aggregatorCidrs: [] }),
    );
    expect(message).toContain('networkPolicy.aggregatorCidrs');
    expect(message).toContain('vector.monitoring.example.com:6000');
  });
});
