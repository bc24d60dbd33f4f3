import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KUBELET_TOKEN_DIR, REMOTE_WRITE_TOKEN_DIR, VectorAgent } from '../../lib/agent';
import { VECTOR_VERSION } from '../../lib/vector';
import { expectValidChart } from '../helpers/k8s-schema';
import {
  type Container,
  expectRecordedConfigsAccepted,
  FULL_PROPS,
  newAgent,
  type PodSpec,
  REFERENCE_VECTOR_VERSION,
  REMOTE_WRITE_SECRET,
  synthAgent,
} from './agent-fixtures';

afterAll(() => expectRecordedConfigsAccepted());

const SELECTOR = {
  'app.kubernetes.io/name': 'vector',
  'app.kubernetes.io/instance': 'vector-agent',
  'app.kubernetes.io/component': 'agent',
};

const mountsOf = (container: Container) => Object.fromEntries((container.volumeMounts ?? []).map((m) => [m.name, m]));

/** hostPath on the node -> { mountPath, readOnly } in the container, for every hostPath volume. */
function hostPathMounts(pod: PodSpec, container: Container) {
  const mounts = mountsOf(container);
  return Object.fromEntries(
    (pod.volumes ?? []).flatMap((v) =>
      v.hostPath
        ? [[v.hostPath.path, { mountPath: mounts[v.name]?.mountPath, readOnly: mounts[v.name]?.readOnly }]]
        : [],
    ),
  );
}

const checksumOf = (props: Parameters<typeof synthAgent>[0] = {}, customize?: (a: VectorAgent) => void) =>
  synthAgent(props, customize).podTemplate.metadata?.annotations?.['checksum/config'];

describe('VectorAgent objects', () => {
  it('owns a Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding, token Secret, ConfigMap, DaemonSet and Service', () => {
    const { manifests } = synthAgent();
    expect(manifests.map((m) => `${m.kind}/${m.metadata?.name}`)).toEqual([
      'Namespace/vector-system',
      'ServiceAccount/vector-agent',
      'ClusterRole/vector-agent',
      'ClusterRoleBinding/vector-agent',
      'Secret/vector-agent-token',
      'ConfigMap/vector-agent',
      'DaemonSet/vector-agent',
      'Service/vector-agent-metrics',
    ]);
    for (const m of manifests) {
      const clusterScoped = m.kind === 'Namespace' || m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding';
      expect(m.metadata?.namespace, `${m.kind} namespace`).toBe(clusterScoped ? undefined : 'vector-system');
    }
  });

  it('passes the Kubernetes 1.28 schemas, with every part on and with every part off', () => {
    expectValidChart(newAgent().chart);
    expectValidChart(newAgent({ kubernetesLogs: false, aggregator: false, remoteWrite: false }).chart);
  });

  it('labels its namespace Pod Security "privileged": baseline forbids the hostPath volumes the agent mounts', () => {
    const { one, pod } = synthAgent();
    expect(one('Namespace').metadata?.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged',
    });
    expect((pod.volumes ?? []).filter((v) => v.hostPath).length).toBeGreaterThan(0);
  });

  it('grants get/list/watch on pods, namespaces and nodes, and nodes/metrics and nodes/proxy only for the kubelet scrape', () => {
    const metadataRule = {
      apiGroups: [''],
      resources: ['pods', 'namespaces', 'nodes'],
      verbs: ['get', 'list', 'watch'],
    };
    const kubeletRule = { apiGroups: [''], resources: ['nodes/metrics', 'nodes/proxy'], verbs: ['get'] };
    expect(synthAgent().one('ClusterRole').rules).toEqual([metadataRule, kubeletRule]);
    expect(synthAgent({ kubeletMetrics: false }).one('ClusterRole').rules).toEqual([metadataRule]);
    expect(synthAgent({ remoteWrite: false }).one('ClusterRole').rules).toEqual([metadataRule]);
  });

  it('binds the ClusterRole to the ServiceAccount, with the subject in the agent namespace', () => {
    for (const namespace of ['vector-system', 'logging']) {
      const { one } = synthAgent({ namespace });
      expect(one('ClusterRoleBinding').roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'vector-agent',
      });
      expect(one('ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'vector-agent', namespace }]);
      expect(one('ServiceAccount').metadata?.namespace).toBe(namespace);
    }
  });

  it('creates a long-lived token Secret for the kubelet scrape, and none without it', () => {
    const secret = synthAgent().one('Secret');
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(secret.metadata?.annotations).toEqual({ 'kubernetes.io/service-account.name': 'vector-agent' });
    expect(secret.data).toBeUndefined();
    expect(synthAgent({ kubeletMetrics: false }).all('Secret')).toEqual([]);
  });

  it('holds the rendered Vector config in its ConfigMap, mounted into the container', () => {
    const { one, pod, container, config } = synthAgent();
    expect(Object.keys(one('ConfigMap').data ?? {})).toEqual(['vector.yaml']);
    expect(config.sources).toHaveProperty('kubernetes_logs');
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'vector-agent' } });
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/vector', readOnly: true });
    expect(container.args?.slice(0, 2)).toEqual(['--config', '/etc/vector/vector.yaml']);
  });

  it('exposes its metrics port through a headless Service selecting its pods', () => {
    const spec = synthAgent().one('Service').spec;
    expect(spec).toEqual({
      clusterIP: 'None',
      selector: SELECTOR,
      ports: [{ name: 'metrics', port: 9598, targetPort: 'metrics' }],
    });
  });

  it('selects by name, instance and component, never by version', () => {
    const { daemonSet, podTemplate, one, agent } = synthAgent();
    expect(agent.selectorLabels).toEqual(SELECTOR);
    expect(daemonSet.spec?.selector.matchLabels).toEqual(SELECTOR);
    expect(one('Service').spec?.selector).toEqual(SELECTOR);
    expect(podTemplate.metadata?.labels).toMatchObject({ ...SELECTOR, 'app.kubernetes.io/version': VECTOR_VERSION });
    expect(daemonSet.metadata?.labels).toMatchObject({
      ...SELECTOR,
      'app.kubernetes.io/part-of': 'vector-fleet',
      'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
      'app.kubernetes.io/version': VECTOR_VERSION,
    });
  });

  it('names every object explicitly and writes no cdk8s.io labels', () => {
    for (const props of [{}, { name: 'edge-agent', namespace: 'logging' }]) {
      const { manifests, yaml } = synthAgent(props);
      expect(yaml).not.toContain('cdk8s.io/');
      for (const m of manifests) expect(m.metadata?.name, m.kind).toMatch(/^[a-z][-a-z0-9]*$/);
    }
    expect(synthAgent({ name: 'edge-agent' }).manifests.map((m) => m.metadata?.name)).toEqual([
      'vector-system',
      'edge-agent',
      'edge-agent',
      'edge-agent',
      'edge-agent-token',
      'edge-agent',
      'edge-agent',
      'edge-agent-metrics',
    ]);
  });

  it('synthesizes byte-identical YAML twice', () => {
    expect(synthAgent().yaml).toBe(synthAgent().yaml);
    const { chart } = newAgent();
    expect(JSON.stringify(chart.toJson())).toBe(JSON.stringify(chart.toJson()));
  });

  it('matches the reviewed snapshot', () => {
    expect(synthAgent().yaml).toMatchSnapshot();
  });
});

describe('VectorAgent DaemonSet', () => {
  it('pins the image to the Vector version of the shared reference', () => {
    const { container, podTemplate } = synthAgent();
    expect(VECTOR_VERSION).toBe(REFERENCE_VECTOR_VERSION);
    // journald (on by default) runs journalctl, which only the -debian image has.
    expect(container.image).toBe(`timberio/vector:${REFERENCE_VECTOR_VERSION}-debian`);
    expect(synthAgent({ journald: false }).container.image).toBe(
      `timberio/vector:${REFERENCE_VECTOR_VERSION}-distroless-libc`,
    );
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(podTemplate.metadata?.labels?.['app.kubernetes.io/version']).toBe(REFERENCE_VECTOR_VERSION);
  });

  it('serves the API on 0.0.0.0:8686, with liveness and readiness on /health by the port named api', () => {
    const { container, config } = synthAgent();
    expect(config.api).toEqual({ enabled: true, address: '0.0.0.0:8686' });
    expect(container.ports).toEqual([
      { name: 'api', containerPort: 8686, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9598, protocol: 'TCP' },
    ]);
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(probe?.httpGet).toEqual({ path: '/health', port: 'api' });
    }
  });

  it('keeps the data dir on a hostPath', () => {
    const { pod, container, config } = synthAgent();
    expect(pod.volumes).toContainEqual({
      name: 'data',
      hostPath: { path: '/var/lib/vector-agent', type: 'DirectoryOrCreate' },
    });
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: config.data_dir });
  });

  it('mounts read-only exactly the host paths its parts read', () => {
    const data = { '/var/lib/vector-agent': { mountPath: '/var/lib/vector', readOnly: undefined } };
    const logs = { '/var/log/pods': { mountPath: '/var/log/pods', readOnly: true } };
    const procSys = {
      '/proc': { mountPath: '/host/proc', readOnly: true },
      '/sys': { mountPath: '/host/sys', readOnly: true },
    };
    const journal = {
      '/var/log': { mountPath: '/var/log', readOnly: true },
      '/run/log': { mountPath: '/run/log', readOnly: true },
      '/etc/machine-id': { mountPath: '/etc/machine-id', readOnly: true },
    };
    const cases: [Parameters<typeof synthAgent>[0], object][] = [
      [{}, { ...data, ...logs, ...journal, ...procSys }],
      [{ journald: false }, { ...data, ...logs, ...procSys }],
      [
        { hostMetrics: false, journald: false },
        { ...data, ...logs },
      ],
      [
        { kubernetesLogs: false, journald: false },
        { ...data, ...procSys },
      ],
      [{ kubernetesLogs: false, remoteWrite: false, aggregator: false }, data],
    ];
    for (const [props, expected] of cases) {
      const { pod, container } = synthAgent(props);
      expect(hostPathMounts(pod, container), JSON.stringify(props)).toEqual(expected);
    }
  });

  it('mounts every volume it declares, and only Secrets its secret backends read', () => {
    const volumeNames = (props: Parameters<typeof synthAgent>[0]) => {
      const { pod, container } = synthAgent(props);
      const names = (pod.volumes ?? []).map((v) => v.name);
      expect(Object.keys(mountsOf(container)).sort()).toEqual([...names].sort());
      return names;
    };
    expect(volumeNames({})).toEqual([
      'config',
      'data',
      'var-log-pods',
      'host-var-log',
      'host-run-log',
      'host-machine-id',
      'host-proc',
      'host-sys',
      'kubelet-token',
      'remote-write-token',
    ]);
    // remote write is configured but has nothing to ship: no sink, so no Secret the pod would wait for.
    expect(volumeNames({ hostMetrics: false, kubeletMetrics: false, journald: false })).toEqual([
      'config',
      'data',
      'var-log-pods',
    ]);
  });

  it('mounts the token Secrets read-only where the secret backends read them', () => {
    const { pod, container } = synthAgent();
    expect(pod.volumes).toContainEqual({
      name: 'kubelet-token',
      secret: { secretName: 'vector-agent-token', items: [{ key: 'token', path: 'token' }] },
    });
    expect(pod.volumes).toContainEqual({
      name: 'remote-write-token',
      secret: { secretName: REMOTE_WRITE_SECRET.name, items: [{ key: REMOTE_WRITE_SECRET.key, path: 'token' }] },
    });
    expect(mountsOf(container)['kubelet-token']).toEqual({
      name: 'kubelet-token',
      mountPath: KUBELET_TOKEN_DIR,
      readOnly: true,
    });
    expect(mountsOf(container)['remote-write-token']).toEqual({
      name: 'remote-write-token',
      mountPath: REMOTE_WRITE_TOKEN_DIR,
      readOnly: true,
    });
  });

  it('takes the node name and its pod identity from the downward API', () => {
    const env = synthAgent().container.env ?? [];
    const fieldRef = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    expect(env).toEqual(
      expect.arrayContaining([
        fieldRef('VECTOR_SELF_NODE_NAME', 'spec.nodeName'),
        fieldRef('VECTOR_SELF_NODE_IP', 'status.hostIP'),
        fieldRef('VECTOR_SELF_POD_NAME', 'metadata.name'),
        fieldRef('VECTOR_SELF_POD_NAMESPACE', 'metadata.namespace'),
      ]),
    );
  });

  it('points host_metrics at the mounted /proc and /sys, and sets no such variables without it', () => {
    const env = (props: Parameters<typeof synthAgent>[0]) =>
      Object.fromEntries((synthAgent(props).container.env ?? []).flatMap((e) => (e.value ? [[e.name, e.value]] : [])));
    expect(env({})).toEqual({ PROCFS_ROOT: '/host/proc', SYSFS_ROOT: '/host/sys' });
    expect(env({ hostMetrics: false })).toEqual({});
  });

  it('tolerates every taint and runs as system-node-critical', () => {
    const { pod } = synthAgent();
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
  });

  it('requests 128Mi/100m and is limited to 512Mi/500m', () => {
    expect(synthAgent().container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  });

  it('gives Vector more than its 60 s shutdown limit to flush before it is killed', () => {
    expect(synthAgent().pod.terminationGracePeriodSeconds).toBe(90);
  });

  it('runs as the agent ServiceAccount with its token mounted, which kubernetes_logs needs', () => {
    const { pod } = synthAgent();
    expect(pod.serviceAccountName).toBe('vector-agent');
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  it('labels its pods vector.dev/exclude=true, so kubernetes_logs skips its own logs', () => {
    const { podTemplate, config } = synthAgent();
    expect(podTemplate.metadata?.labels?.['vector.dev/exclude']).toBe('true');
    // Vector always adds vector.dev/exclude!=true to its selector; the config must not widen it.
    expect(config.sources?.kubernetes_logs).not.toHaveProperty('extra_label_selector');
  });

  it('uses the host network only when asked, then with ClusterFirstWithHostNet DNS', () => {
    const off = synthAgent().pod;
    expect(off.hostNetwork ?? false).toBe(false);
    expect(off.dnsPolicy).toBeUndefined();
    const on = synthAgent({ hostNetwork: true }).pod;
    expect(on.hostNetwork).toBe(true);
    expect(on.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });

  it('annotates the pod template with the sha256 of the rendered config', () => {
    const { podTemplate, configText } = synthAgent();
    expect(podTemplate.metadata?.annotations).toEqual({
      'checksum/config': createHash('sha256').update(configText).digest('hex'),
    });
  });

  it('changes the checksum when the config changes, and only then', () => {
    const base = checksumOf();
    expect(checksumOf({ cluster: { ...FULL_PROPS.cluster, name: 'prod' } })).not.toBe(base);
    expect(checksumOf({ globMinimumCooldownMs: 5000 })).not.toBe(base);
    for (const props of [
      { resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
      { priorityClassName: 'vector-agent' },
      { hostNetwork: true },
      { terminationGracePeriodSeconds: 120 },
      { image: 'registry.example.com/vector:0.57.0-debian' },
    ]) {
      expect(checksumOf(props), JSON.stringify(props)).toBe(base);
    }
  });

  // Kubernetes rejects a pod whose port names repeat or are not IANA service names (<= 15 of [a-z0-9-],
  // a letter among them, no leading, trailing or double "-").
  it('gives each listener added after construction a container port with a unique, valid name', () => {
    const { container } = synthAgent({}, (agent) =>
      agent.pipeline
        .addSink('metrics', { type: 'prometheus_exporter', inputs: ['enrich_metrics'], address: '0.0.0.0:9100' })
        .addSink('app_metrics_ab_cd', {
          type: 'prometheus_exporter',
          inputs: ['enrich_metrics'],
          address: '0.0.0.0:9101',
        }),
    );
    const ports = container.ports ?? [];
    expect(ports.map((p) => p.containerPort)).toEqual([8686, 9598, 9100, 9101]);
    const names = ports.map((p) => p.name ?? '');
    expect(new Set(names).size, names.join(', ')).toBe(names.length);
    for (const name of names) {
      expect(name.length, name).toBeLessThanOrEqual(15);
      expect(name).toMatch(/^(?!.*--)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it('rolls the pods when a component is added to the pipeline after construction', () => {
    const added = checksumOf({}, (agent) =>
      agent.pipeline.addSink('debug', { type: 'blackhole', inputs: ['enrich_logs'] }),
    );
    expect(added).not.toBe(checksumOf());
  });
});
