/**
 * The Kubernetes objects VectorAggregator owns: what each one is for, Pod Security "restricted",
 * names, labels and selectors, storage sizing, and what it exposes to other constructs.
 */
import { createHash } from 'node:crypto';
import { Testing, Yaml } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { expectValidManifests } from '../helpers/k8s-schema';
import {
  configText,
  type Manifest,
  newAggregator,
  only,
  type PodSpecJson,
  podTemplate,
  REFERENCE_VECTOR_VERSION,
  synthAggregator,
  vectorContainer,
  workload,
} from './aggregator-fixtures';

const GIB = 1024 ** 3;
const SELECTOR = {
  'app.kubernetes.io/name': 'vector',
  'app.kubernetes.io/instance': 'vector-aggregator',
  'app.kubernetes.io/component': 'aggregator',
};
const HETZNER = {
  'load-balancer.hetzner.cloud/location': 'fsn1',
  'load-balancer.hetzner.cloud/use-private-ip': 'true',
  'load-balancer.hetzner.cloud/disable-public-network': 'true',
};

interface ServiceSpecJson {
  readonly type?: string;
  readonly clusterIP?: string;
  readonly publishNotReadyAddresses?: boolean;
  readonly selector: Record<string, string>;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: string | number }[];
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly externalTrafficPolicy?: string;
}

interface ClaimTemplateJson {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec: {
    readonly accessModes: readonly string[];
    readonly storageClassName?: string;
    readonly resources: { readonly requests: { readonly storage: string } };
  };
}

const serviceSpec = (m: Manifest) => m.spec as unknown as ServiceSpecJson;
const claimTemplates = (manifests: readonly Manifest[]) =>
  (workload(manifests).spec as { volumeClaimTemplates?: ClaimTemplateJson[] }).volumeClaimTemplates ?? [];
const kindsAndNames = (manifests: readonly Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);

/**
 * Where the pod spec breaks Pod Security "restricted" (Kubernetes 1.28 pod security standards),
 * one line per violation.
 */
function restrictedViolations(pod: PodSpecJson): string[] {
  const problems: string[] = [];
  const allowedVolumes = new Set([
    'configMap',
    'csi',
    'downwardAPI',
    'emptyDir',
    'ephemeral',
    'persistentVolumeClaim',
    'projected',
    'secret',
  ]);
  for (const v of pod.volumes ?? []) {
    for (const source of Object.keys(v).filter((k) => k !== 'name')) {
      if (!allowedVolumes.has(source)) problems.push(`volume ${v.name} uses ${source}`);
    }
  }
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[ns]) problems.push(`pod sets ${ns}`);
  const podContext = (pod.securityContext ?? {}) as {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) problems.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${c.name}: allowPrivilegeEscalation is not false`);
    if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${c.name}: does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE') problems.push(`${c.name}: adds capability ${cap}`);
    }
    if ((sc.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${c.name}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? podContext.runAsUser) === 0) problems.push(`${c.name}: runs as UID 0`);
    const seccomp = sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${c.name}: seccomp ${seccomp}`);
    for (const p of c.ports ?? []) if (p.hostPort) problems.push(`${c.name}: hostPort ${p.hostPort}`);
  }
  return problems;
}

describe('default aggregator', () => {
  const { aggregator, manifests } = synthAggregator();

  it('owns a restricted Namespace, ServiceAccount, ConfigMap, three Services, a PDB and a StatefulSet', () => {
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/vector-system',
      'ServiceAccount/vector-aggregator',
      'ConfigMap/vector-aggregator',
      'Service/vector-aggregator',
      'Service/vector-aggregator-headless',
      'PodDisruptionBudget/vector-aggregator',
      'StatefulSet/vector-aggregator',
    ]);
    for (const m of manifests.filter((o) => o.kind !== 'Namespace')) {
      expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toBe('vector-system');
    }
    expect(only(manifests, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('passes the Kubernetes schemas', () => {
    expectValidManifests(manifests);
  });

  it('runs 3 replicas behind the headless Service, started in parallel, each with its own volume', () => {
    const spec = workload(manifests).spec as {
      replicas: number;
      serviceName: string;
      podManagementPolicy: string;
      selector: { matchLabels: Record<string, string> };
    };
    expect(spec.replicas).toBe(3);
    expect(spec.serviceName).toBe('vector-aggregator-headless');
    expect(spec.podManagementPolicy).toBe('Parallel');
    expect(spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(claimTemplates(manifests)).toEqual([
      {
        metadata: { name: 'data', labels: SELECTOR },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
      },
    ]);
    expect(vectorContainer(manifests).volumeMounts).toContainEqual({ name: 'data', mountPath: '/vector-data-dir' });
    // The data volume comes from the claim template, not from a pod volume.
    expect(podTemplate(manifests).spec.volumes?.map((v) => v.name)).toEqual(['config']);
  });

  it('requires one replica per node by anti-affinity on the selector labels', () => {
    const anti = podTemplate(manifests).spec.affinity?.podAntiAffinity;
    expect(anti?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    expect(anti?.preferredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
  });

  it('has a ClusterIP Service for the agents and a headless one for pods, metrics and the heartbeat counter', () => {
    const clusterIp = serviceSpec(only(manifests, 'Service', 'vector-aggregator'));
    expect(clusterIp).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      ports: [{ name: 'vector', port: 6000, targetPort: 'vector' }],
    });
    const headless = serviceSpec(only(manifests, 'Service', 'vector-aggregator-headless'));
    expect(headless).toEqual({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: SELECTOR,
      ports: [
        { name: 'vector', port: 6000, targetPort: 'vector' },
        { name: 'metrics', port: 9598, targetPort: 'metrics' },
        { name: 'heartbeat', port: 9599, targetPort: 'heartbeat' },
      ],
    });
    const containerPorts = vectorContainer(manifests).ports?.map((p) => p.name);
    for (const port of [...clusterIp.ports, ...headless.ports]) expect(containerPorts).toContain(port.targetPort);
  });

  it('keeps at most one aggregator down in a voluntary disruption', () => {
    expect(only(manifests, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: SELECTOR },
    });
  });

  it('gives the pods a ServiceAccount with no API token: the aggregator never calls the API server', () => {
    expect(only(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    const pod = podTemplate(manifests).spec;
    expect(pod.serviceAccountName).toBe('vector-aggregator');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('exposes its endpoint, selector labels and ports', () => {
    expect(aggregator.endpoint).toBe('vector-aggregator.vector-system.svc:6000');
    expect(aggregator.selectorLabels).toEqual(SELECTOR);
    expect([aggregator.name, aggregator.namespace]).toEqual(['vector-aggregator', 'vector-system']);
    expect([aggregator.vectorPort, aggregator.apiPort, aggregator.metricsPort]).toEqual([6000, 8686, 9598]);
  });

  it('gives monitoring the StatefulSet, its selector, the container port named metrics and the heartbeat port', () => {
    const container = vectorContainer(manifests);
    expect(aggregator.monitoringTarget).toEqual({
      role: 'aggregator',
      namespace: 'vector-system',
      workloadKind: 'StatefulSet',
      workloadName: workload(manifests).metadata.name,
      containerName: container.name,
      selectorLabels: SELECTOR,
      metricsPortName: 'metrics',
      metricsPath: '/metrics',
      extraEndpoints: [{ portName: 'heartbeat', path: '/metrics', honorLabels: true }],
    });
    expect(workload(manifests).kind).toBe(aggregator.monitoringTarget.workloadKind);
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9598, protocol: 'TCP' });
    expect(container.ports).toContainEqual({ name: 'heartbeat', containerPort: 9599, protocol: 'TCP' });
  });

  it('matches the reviewed snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });
});

describe('hardening', () => {
  const variants = {
    default: synthAggregator().manifests,
    stateless: synthAggregator({ stateless: true }).manifests,
    tokens: synthAggregator({
      loki: { endpoint: 'https://loki.example.com', bearerTokenSecret: { name: 'loki', key: 'token' } },
      metrics: {
        remoteWrite: { endpoint: 'https://prom.example.com/api/v1/write', bearerTokenSecret: { name: 'p', key: 't' } },
      },
    }).manifests,
  };

  it.each(Object.entries(variants))('%s: the pod meets Pod Security "restricted"', (_, manifests) => {
    const pod = podTemplate(manifests).spec;
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(vectorContainer(manifests).securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(JSON.stringify(manifests)).not.toContain('hostPath');
  });

  it('the restricted check itself finds what the profile forbids', () => {
    const pod = podTemplate(variants.default).spec;
    const [container] = pod.containers;
    const broken: PodSpecJson = {
      ...pod,
      hostNetwork: true,
      volumes: [...(pod.volumes ?? []), { name: 'logs', hostPath: { path: '/var/log' } }],
      containers: [
        {
          ...container,
          securityContext: { ...container.securityContext, allowPrivilegeEscalation: true, capabilities: {} },
        },
      ],
    };
    expect(restrictedViolations(broken)).toEqual([
      'volume logs uses hostPath',
      'pod sets hostNetwork',
      'vector: allowPrivilegeEscalation is not false',
      'vector: does not drop ALL capabilities',
    ]);
  });

  it('pins the image to the Vector version of the shared reference', () => {
    const container = vectorContainer(variants.default);
    expect(container.image).toBe(`timberio/vector:${REFERENCE_VECTOR_VERSION}-distroless-libc`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(workload(variants.default).metadata.labels?.['app.kubernetes.io/version']).toBe(REFERENCE_VECTOR_VERSION);
  });

  it('sets explicit requests and limits', () => {
    expect(vectorContainer(variants.default).resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
  });

  it('gives Vector more than its 60 s shutdown to flush buffers, 90 s by default', () => {
    expect(podTemplate(variants.default).spec.terminationGracePeriodSeconds).toBe(90);
  });

  it('probes the API /health on the api port, which the config binds', () => {
    const container = vectorContainer(variants.default);
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(probe?.httpGet).toEqual({ path: '/health', port: 'api' });
    }
    expect(container.ports).toContainEqual({ name: 'api', containerPort: 8686, protocol: 'TCP' });
    expect(configText(variants.default)).toContain('address: 0.0.0.0:8686\n  enabled: true');
  });

  it('annotates the pod template with the checksum of the rendered config', () => {
    for (const manifests of Object.values(variants)) {
      const sha = createHash('sha256').update(configText(manifests)).digest('hex');
      expect(podTemplate(manifests).metadata.annotations).toEqual({ 'checksum/config': sha });
    }
    const checksum = (m: readonly Manifest[]) => podTemplate(m).metadata.annotations?.['checksum/config'];
    // Stateless changes the workload, not the config; secrets do change the config.
    expect(checksum(variants.stateless)).toBe(checksum(variants.default));
    expect(checksum(variants.tokens)).not.toBe(checksum(variants.default));
  });

  it('mounts the config read-only and runs Vector with it', () => {
    const container = vectorContainer(variants.default);
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/vector', readOnly: true });
    expect(podTemplate(variants.default).spec.volumes).toContainEqual({
      name: 'config',
      configMap: { name: 'vector-aggregator' },
    });
    expect(container.args).toEqual(['--config', '/etc/vector/vector.yaml']);
  });
});

describe('stateless', () => {
  const { aggregator, manifests } = synthAggregator({ stateless: true });

  it('runs a Deployment with a size-limited emptyDir instead of a StatefulSet with claims', () => {
    expect(manifests.map((m) => m.kind)).not.toContain('StatefulSet');
    const deployment = only(manifests, 'Deployment', 'vector-aggregator');
    const spec = deployment.spec as { replicas: number; selector: unknown; volumeClaimTemplates?: unknown };
    expect(spec.replicas).toBe(3);
    expect(spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(spec.volumeClaimTemplates).toBeUndefined();
    expect(podTemplate(manifests).spec.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '2Gi' } });
    expect(vectorContainer(manifests).volumeMounts).toContainEqual({ name: 'data', mountPath: '/vector-data-dir' });
    expectValidManifests(manifests);
  });

  it('keeps the anti-affinity, the PDB, the Services and the checksum', () => {
    expect(
      podTemplate(manifests).spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    ).toEqual([{ labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' }]);
    expect(kindsAndNames(manifests)).toEqual(
      expect.arrayContaining([
        'PodDisruptionBudget/vector-aggregator',
        'Service/vector-aggregator',
        'Service/vector-aggregator-headless',
      ]),
    );
    expect(podTemplate(manifests).metadata.annotations?.['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells monitoring it is a Deployment', () => {
    expect(aggregator.monitoringTarget).toMatchObject({
      workloadKind: 'Deployment',
      workloadName: 'vector-aggregator',
    });
  });

  it('sizes the emptyDir like the volume, and takes storage.size', () => {
    const sized = synthAggregator({ stateless: true, storage: { size: '5Gi' } }).manifests;
    expect(podTemplate(sized).spec.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '5Gi' } });
  });
});

describe('storage', () => {
  const claimSize = (props: Parameters<typeof synthAggregator>[0]) =>
    claimTemplates(synthAggregator(props).manifests)[0].spec.resources.requests.storage;

  it.each([
    [268_435_488, '2Gi'],
    [GIB, '2Gi'],
    [GIB + 1, '3Gi'],
    [3 * GIB, '4Gi'],
  ])('sizes the claim for a %s-byte buffer as the buffer rounded up to GiB plus 1Gi: %s', (bufferBytes, size) => {
    expect(claimSize({ loki: { endpoint: 'http://loki:3100', bufferBytes } })).toBe(size);
  });

  it('takes storage.size as given', () => {
    expect(claimSize({ storage: { size: '20Gi' } })).toBe('20Gi');
  });

  it('passes storageClassName through, and leaves it out by default', () => {
    const manifests = synthAggregator({ storage: { storageClassName: 'hcloud-volumes' } }).manifests;
    expect(claimTemplates(manifests)[0].spec.storageClassName).toBe('hcloud-volumes');
    expect(claimTemplates(manifests)[0].spec.resources.requests.storage).toBe('2Gi');
    expect(claimTemplates(synthAggregator().manifests)[0].spec).not.toHaveProperty('storageClassName');
  });
});

describe('load balancer', () => {
  const lb = {
    annotations: HETZNER,
    sourceRanges: ['10.0.0.0/16', '192.168.0.0/24'],
    hostname: 'vector.monitoring.example.com',
  };
  const { aggregator, manifests } = synthAggregator({ loadBalancer: lb });

  it('is absent by default', () => {
    expect(synthAggregator().manifests.filter((m) => (m.spec as { type?: string })?.type === 'LoadBalancer')).toEqual(
      [],
    );
  });

  it('is a LoadBalancer Service with the provider annotations and source ranges, keeping client addresses', () => {
    const service = only(manifests, 'Service', 'vector-aggregator-lb');
    expect(service.metadata.annotations).toEqual(HETZNER);
    expect(serviceSpec(service)).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: SELECTOR,
      ports: [{ name: 'vector', port: 6000, targetPort: 'vector' }],
      loadBalancerSourceRanges: ['10.0.0.0/16', '192.168.0.0/24'],
    });
    expectValidManifests(manifests);
  });

  it('externalTrafficPolicy: Cluster when asked for', () => {
    const service = only(
      synthAggregator({ loadBalancer: { externalTrafficPolicy: 'Cluster' } }).manifests,
      'Service',
      'vector-aggregator-lb',
    );
    expect(serviceSpec(service).externalTrafficPolicy).toBe('Cluster');
  });

  it('leaves annotations and source ranges out when none are given', () => {
    const service = only(synthAggregator({ loadBalancer: {} }).manifests, 'Service', 'vector-aggregator-lb');
    expect(service.metadata.annotations).toBeUndefined();
    expect(serviceSpec(service).loadBalancerSourceRanges).toBeUndefined();
  });

  it('adds its hostname to dnsNames', () => {
    expect(aggregator.dnsNames).toContain('vector.monitoring.example.com');
    expect(newAggregator({ loadBalancer: {} }).aggregator.dnsNames).not.toContain('vector.monitoring.example.com');
  });
});

describe('dnsNames', () => {
  /** Whether a certificate for `pattern` covers `name`: a leading `*` stands for exactly one label. */
  const covers = (pattern: string, name: string) =>
    pattern.startsWith('*.') ? name.slice(name.indexOf('.') + 1) === pattern.slice(2) : pattern === name;
  const serviceNames = (service: string, namespace: string) => [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];

  it.each([
    ['default', {}],
    ['renamed, with a load balancer', { name: 'agg', namespace: 'obs', replicas: 5, loadBalancer: {} }],
    ['stateless', { stateless: true }],
  ])('%s: covers every name of every Service it creates', (_, props) => {
    const { aggregator, manifests } = synthAggregator(props);
    const services = manifests.filter((m) => m.kind === 'Service');
    expect(services.length).toBeGreaterThanOrEqual(2);
    for (const s of services) {
      for (const name of serviceNames(s.metadata.name, aggregator.namespace)) {
        expect(aggregator.dnsNames, name).toContain(name);
      }
    }
  });

  it.each([
    ['default', {}, 3],
    ['five replicas', { name: 'agg', namespace: 'obs', replicas: 5 }, 5],
  ])('%s: covers the per-pod names under the headless Service', (_, props, replicas) => {
    const { aggregator, manifests } = synthAggregator(props);
    const { serviceName } = workload(manifests).spec as { serviceName: string };
    for (let i = 0; i < replicas; i++) {
      for (const suffix of ['svc', 'svc.cluster.local']) {
        const pod = `${aggregator.name}-${i}.${serviceName}.${aggregator.namespace}.${suffix}`;
        expect(
          aggregator.dnsNames.some((pattern) => covers(pattern, pod)),
          pod,
        ).toBe(true);
      }
    }
  });

  it('lists each name once and no name of another namespace', () => {
    const { aggregator } = newAggregator({ namespace: 'obs', loadBalancer: { hostname: 'agg.example.com' } });
    expect(new Set(aggregator.dnsNames).size).toBe(aggregator.dnsNames.length);
    expect(aggregator.dnsNames.filter((n) => n.includes('vector-system'))).toEqual([]);
  });

  it('the endpoint is one of them, with the vector port', () => {
    const { aggregator } = newAggregator({ vectorPort: 7000 });
    const [host, port] = aggregator.endpoint.split(':');
    expect(aggregator.dnsNames).toContain(host);
    expect(port).toBe('7000');
  });
});

describe('names and labels', () => {
  const all = [
    synthAggregator().manifests,
    synthAggregator({ stateless: true, loadBalancer: { hostname: 'a.example.com' } }).manifests,
  ];

  it('names every object explicitly, with no hash suffix and no cdk8s labels', () => {
    for (const manifests of all) {
      expect(JSON.stringify(manifests)).not.toContain('cdk8s.io/');
      for (const m of manifests) expect(m.metadata.name).toMatch(/^vector-(aggregator(-headless|-lb)?|system)$/);
    }
  });

  it('follows the name and namespace props everywhere', () => {
    const manifests = synthAggregator({ name: 'agg', namespace: 'observability', loadBalancer: {} }).manifests;
    expect(kindsAndNames(manifests)).toEqual([
      'Namespace/observability',
      'ServiceAccount/agg',
      'ConfigMap/agg',
      'Service/agg',
      'Service/agg-headless',
      'Service/agg-lb',
      'PodDisruptionBudget/agg',
      'StatefulSet/agg',
    ]);
    expect(manifests.filter((m) => m.kind !== 'Namespace').map((m) => m.metadata.namespace)).toEqual(
      Array(7).fill('observability'),
    );
    const pod = podTemplate(manifests);
    expect(pod.spec.serviceAccountName).toBe('agg');
    expect(pod.spec.volumes).toContainEqual({ name: 'config', configMap: { name: 'agg' } });
    expect(pod.metadata.labels['app.kubernetes.io/instance']).toBe('agg');
    expect((workload(manifests).spec as { serviceName: string }).serviceName).toBe('agg-headless');
    expectValidManifests(manifests);
  });

  it('labels every object with the recommended labels, including the version', () => {
    for (const m of all[0]) {
      expect(m.metadata.labels, `${m.kind}/${m.metadata.name}`).toMatchObject({
        ...SELECTOR,
        'app.kubernetes.io/part-of': 'vector-fleet',
        'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
        'app.kubernetes.io/version': REFERENCE_VECTOR_VERSION,
      });
    }
  });

  it('selects by the stable labels only: never the version, which changes on upgrade', () => {
    const selectors: unknown[] = [];
    const collect = (value: unknown, key = ''): void => {
      if (Array.isArray(value)) value.forEach((v) => collect(v));
      else if (typeof value === 'object' && value !== null) {
        if (key === 'selector' || key === 'labelSelector') selectors.push(value);
        for (const [k, v] of Object.entries(value)) collect(v, k);
      }
    };
    for (const manifests of all) collect(manifests);
    // Workload, PDB, anti-affinity and three Services (x2 variants).
    expect(selectors.length).toBeGreaterThanOrEqual(10);
    for (const s of selectors) {
      const labels = (s as { matchLabels?: Record<string, string> }).matchLabels ?? s;
      expect(labels).toEqual(SELECTOR);
    }
    for (const manifests of all) expect(podTemplate(manifests).metadata.labels).toMatchObject(SELECTOR);
  });

  it('leaves the Namespace to someone else with createNamespace: false', () => {
    const manifests = synthAggregator({ createNamespace: false }).manifests;
    expect(manifests.map((m) => m.kind)).not.toContain('Namespace');
    expect(manifests).toHaveLength(6);
  });
});

describe('workload props', () => {
  it('takes replicas, image, resources and terminationGracePeriodSeconds', () => {
    const manifests = synthAggregator({
      replicas: 5,
      image: 'registry.example.com/vector:0.57.0-debian',
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      terminationGracePeriodSeconds: 120,
    }).manifests;
    expect((workload(manifests).spec as { replicas: number }).replicas).toBe(5);
    const container = vectorContainer(manifests);
    expect(container.image).toBe('registry.example.com/vector:0.57.0-debian');
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
    expect(podTemplate(manifests).spec.terminationGracePeriodSeconds).toBe(120);
  });

  it('names container ports after the config, following the port props', () => {
    const manifests = synthAggregator({ vectorPort: 7000, apiPort: 8000, metricsPort: 9000 }).manifests;
    expect(vectorContainer(manifests).ports).toEqual([
      { name: 'api', containerPort: 8000, protocol: 'TCP' },
      { name: 'vector', containerPort: 7000, protocol: 'TCP' },
      { name: 'heartbeat', containerPort: 9599, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9000, protocol: 'TCP' },
    ]);
    expect(serviceSpec(only(manifests, 'Service', 'vector-aggregator-headless')).ports).toEqual([
      { name: 'vector', port: 7000, targetPort: 'vector' },
      { name: 'metrics', port: 9000, targetPort: 'metrics' },
      { name: 'heartbeat', port: 9599, targetPort: 'heartbeat' },
    ]);
  });

  it('names the exporter port of forwarded metrics', () => {
    const manifests = synthAggregator({ metrics: { exporter: { port: 9090 } } }).manifests;
    expect(vectorContainer(manifests).ports).toContainEqual({
      name: 'prom-exporter',
      containerPort: 9090,
      protocol: 'TCP',
    });
  });

  it('mounts bearer-token Secrets read-only where the directory secret backends read them', () => {
    const manifests = synthAggregator({
      loki: { endpoint: 'https://loki.example.com', bearerTokenSecret: { name: 'loki-auth', key: 'bearer' } },
      metrics: {
        remoteWrite: {
          endpoint: 'https://prom.example.com/api/v1/write',
          bearerTokenSecret: { name: 'prom-auth', key: 'token' },
        },
      },
    }).manifests;
    const pod = podTemplate(manifests).spec;
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'loki-token', secret: { secretName: 'loki-auth', items: [{ key: 'bearer', path: 'token' }] } },
        { name: 'remote-write-token', secret: { secretName: 'prom-auth', items: [{ key: 'token', path: 'token' }] } },
      ]),
    );
    const mounts = vectorContainer(manifests).volumeMounts;
    expect(mounts).toContainEqual({ name: 'loki-token', mountPath: '/var/run/secrets/vector/loki', readOnly: true });
    expect(mounts).toContainEqual({
      name: 'remote-write-token',
      mountPath: '/var/run/secrets/vector/remote-write',
      readOnly: true,
    });
    // Referenced, never inlined.
    expect(configText(manifests)).not.toMatch(/loki-auth|prom-auth/);
    expectValidManifests(manifests);
  });
});

describe('determinism', () => {
  it('synthesizes byte-identical YAML twice', () => {
    const yaml = () => {
      const { chart } = synthAggregator({ loadBalancer: { annotations: HETZNER, hostname: 'a.example.com' } });
      return Yaml.stringify(...(Testing.synth(chart) as Manifest[]));
    };
    expect(yaml()).toBe(yaml());
  });

  it('does not depend on the order props were written in', () => {
    const a = synthAggregator({ loadBalancer: { annotations: HETZNER } }).manifests;
    const reversed = Object.fromEntries(Object.entries(HETZNER).reverse());
    const b = synthAggregator({ loadBalancer: { annotations: reversed } }).manifests;
    expect(Yaml.stringify(...b)).toBe(Yaml.stringify(...a));
  });
});
