import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { commonLabels, selectorLabels } from '../k8s/labels';
import { urlHostPort } from '../k8s/prop-errors';
import { sharedNamespace } from '../k8s/namespace';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import { guardUniqueObjects } from '../k8s/unique-objects';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';
import { checkWorkloadTls, reloaderAnnotations, tlsVolume, tlsVolumeMount } from '../k8s/tls';
import { VectorConfig } from '../k8s/vector-config';
import { API_PORT_NAME, CONFIG_VOLUME, DATA_VOLUME, vectorContainer } from '../k8s/vector-container';
import type { SecretKeyRef } from '../k8s/vector-workload';
import type { MonitoredWorkload } from '../monitoring/monitored-workload';
import { VECTOR_VERSION, type VectorPipeline } from '../vector';
import { AGGREGATOR_IDS, buildAggregatorPipeline, LOKI_AUTH_DIR, REMOTE_WRITE_AUTH_DIR } from './aggregator-pipeline';
import { createAutoscaler } from './aggregator-autoscaling';
import type { VectorAggregatorProps } from './aggregator-props';
import { HEADLESS_SUFFIX, resolveAggregatorProps, type ResolvedAggregatorProps } from './resolve-aggregator-props';

const DATA_DIR = '/vector-data-dir';
/** A non-root UID; the distroless image runs as whatever user it is given. */
const VECTOR_UID = 65532;
const HEARTBEAT_PORT_NAME = 'heartbeat';

/**
 * Vector aggregators in the monitoring cluster: receive from every agent, deduplicate, sample the
 * noisy namespaces, and push to Loki and Prometheus through disk buffers. Owns its ServiceAccount,
 * ConfigMap, StatefulSet (or Deployment), PodDisruptionBudget, Services and, with `autoscaling`, a
 * HorizontalPodAutoscaler. Pod Security "restricted".
 */
export class VectorAggregator extends Construct {
  readonly pipeline: VectorPipeline;
  readonly namespace: string;
  readonly name: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly vectorPort: number;
  readonly apiPort: number;
  readonly metricsPort: number;
  /** In-cluster address of the `vector` source, `host:port`. */
  readonly endpoint: string;
  /** Every DNS name the aggregators are reached by (Services, pods, load balancer): for certificates. */
  readonly dnsNames: readonly string[];
  /**
   * The names of {@link dnsNames} that resolve inside the aggregators' own cluster (Services and pods, not the load
   * balancer's hostname): a client using one of these reaches the pods, which network policies can select.
   */
  readonly clusterDnsNames: readonly string[];
  /** Whether it creates its namespace, and so owns it: network policies deny by default only there. */
  readonly ownsNamespace: boolean;
  readonly monitoringTarget: MonitoredWorkload;
  /** Loki's host and port: for egress policies. */
  readonly lokiEndpoint: { readonly host: string; readonly port: number };
  /** The remote-write endpoint for forwarded metrics, if used: for egress policies. */
  readonly remoteWriteEndpoint: { readonly host: string; readonly port: number } | undefined;
  /** The port of the forwarded-metrics exporter, if used: for ingress policies. */
  readonly exporterPort: number | undefined;
  /** The port of the heartbeat counter's exporter (container port `heartbeat`), unless `heartbeat: false`. */
  readonly heartbeatPort: number | undefined;

  constructor(scope: Construct, id: string, props: VectorAggregatorProps) {
    super(scope, id);
    const p = resolveAggregatorProps(this, props);
    this.namespace = p.namespace;
    this.name = p.name;
    this.vectorPort = p.vectorPort;
    this.apiPort = p.apiPort;
    this.metricsPort = p.metricsPort;
    this.heartbeatPort = p.heartbeat ? p.heartbeat.port : undefined;
    const identity = { name: 'vector', instance: p.name, component: 'aggregator' };
    const labels = commonLabels({ ...identity, version: VECTOR_VERSION });
    this.selectorLabels = selectorLabels(identity);
    const meta = (name: string) => ({ name, namespace: p.namespace, labels });
    const headless = `${p.name}${HEADLESS_SUFFIX}`;
    this.endpoint = `${p.name}.${p.namespace}.svc:${p.vectorPort}`;
    const serviceNames = (service: string) => [
      service,
      `${service}.${p.namespace}`,
      `${service}.${p.namespace}.svc`,
      `${service}.${p.namespace}.svc.cluster.local`,
    ];
    this.clusterDnsNames = [
      ...serviceNames(p.name),
      // The headless name resolves to every pod: clients that balance over the pods themselves connect by it.
      ...serviceNames(headless),
      `*.${headless}.${p.namespace}.svc`,
      `*.${headless}.${p.namespace}.svc.cluster.local`,
      ...(props.loadBalancer ? serviceNames(`${p.name}-lb`) : []),
    ];
    this.dnsNames = [...this.clusterDnsNames, ...(props.loadBalancer?.hostname ? [props.loadBalancer.hostname] : [])];
    this.ownsNamespace = p.createNamespace;

    this.pipeline = buildAggregatorPipeline({
      dataDir: DATA_DIR,
      vectorPort: p.vectorPort,
      apiPort: p.apiPort,
      metricsPort: p.metricsPort,
      maxConnectionAgeSecs: p.maxConnectionAgeSecs,
      tls: checkWorkloadTls(this, 'tls', props.tls, p.namespace) !== undefined,
      dedupe: p.dedupeFields === false ? false : { fields: p.dedupeFields, cacheEvents: 5000 },
      sampling: p.sampling,
      markedClusters: p.markedClusters,
      loki: {
        endpoint: props.loki.endpoint,
        tenantId: props.loki.tenantId,
        bearerToken: props.loki.bearerTokenSecret !== undefined,
        bufferBytes: p.bufferBytes,
      },
      metrics:
        'remoteWrite' in props.metrics
          ? {
              kind: 'remote_write',
              endpoint: props.metrics.remoteWrite.endpoint,
              bearerToken: props.metrics.remoteWrite.bearerTokenSecret !== undefined,
            }
          : { kind: 'exporter', port: props.metrics.exporter.port },
      heartbeat: p.heartbeat,
    });

    guardUniqueObjects(this);
    if (p.createNamespace) {
      sharedNamespace(this, p.namespace, 'restricted', labels);
    }
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: meta(p.name),
      // The aggregator never talks to the API server.
      automountServiceAccountToken: false,
    });
    const config = new VectorConfig(this, 'Config', {
      pipeline: this.pipeline,
      name: p.name,
      namespace: p.namespace,
      labels,
    });

    const servicePorts = [{ name: 'vector', port: p.vectorPort, targetPort: k8s.IntOrString.fromString('vector') }];
    new k8s.KubeService(this, 'Service', {
      metadata: meta(p.name),
      spec: { type: 'ClusterIP', selector: { ...this.selectorLabels }, ports: servicePorts },
    });
    new k8s.KubeService(this, 'HeadlessService', {
      metadata: meta(headless),
      spec: {
        clusterIp: 'None',
        // Per-pod DNS for the StatefulSet and per-pod scraping; ready or not, so peers resolve during rollout.
        publishNotReadyAddresses: true,
        selector: { ...this.selectorLabels },
        ports: [
          ...servicePorts,
          { name: 'metrics', port: p.metricsPort, targetPort: k8s.IntOrString.fromString('metrics') },
          // With metrics.exporter, Prometheus scrapes the forwarded metrics from every replica here.
          ...('exporter' in props.metrics
            ? [
                {
                  name: 'prom-exporter',
                  port: props.metrics.exporter.port,
                  targetPort: k8s.IntOrString.fromString('prom-exporter'),
                },
              ]
            : []),
          // The heartbeat counter is per replica too: HeartbeatAlert groups the replicas' series by cluster.
          ...(p.heartbeat
            ? [
                {
                  name: HEARTBEAT_PORT_NAME,
                  port: p.heartbeat.port,
                  targetPort: k8s.IntOrString.fromString(HEARTBEAT_PORT_NAME),
                },
              ]
            : []),
        ],
      },
    });
    if (props.loadBalancer) {
      new k8s.KubeService(this, 'LoadBalancerService', {
        metadata: { ...meta(`${p.name}-lb`), annotations: { ...props.loadBalancer.annotations } },
        spec: {
          type: 'LoadBalancer',
          externalTrafficPolicy: p.externalTrafficPolicy,
          selector: { ...this.selectorLabels },
          ports: servicePorts,
          ...(props.loadBalancer.sourceRanges
            ? { loadBalancerSourceRanges: [...props.loadBalancer.sourceRanges] }
            : {}),
        },
      });
    }
    new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: meta(p.name),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.selectorLabels } } },
    });
    this.createWorkload(p, props, labels, headless, config);

    this.lokiEndpoint = urlHostPort(props.loki.endpoint);
    this.remoteWriteEndpoint =
      'remoteWrite' in props.metrics ? urlHostPort(props.metrics.remoteWrite.endpoint) : undefined;
    this.exporterPort = 'exporter' in props.metrics ? props.metrics.exporter.port : undefined;
    this.monitoringTarget = {
      role: 'aggregator',
      namespace: p.namespace,
      workloadKind: p.stateless ? 'Deployment' : 'StatefulSet',
      workloadName: p.name,
      containerName: 'vector',
      selectorLabels: this.selectorLabels,
      metricsPortName: 'metrics',
      metricsPath: '/metrics',
      // The counter's own `cluster` tag names the source cluster: honorLabels keeps it from being relabelled.
      ...(p.heartbeat
        ? { extraEndpoints: [{ portName: HEARTBEAT_PORT_NAME, path: '/metrics', honorLabels: true }] }
        : {}),
    };
  }

  private createWorkload(
    p: ResolvedAggregatorProps,
    props: VectorAggregatorProps,
    labels: Record<string, string>,
    headless: string,
    config: VectorConfig,
  ): void {
    const volumes: k8s.Volume[] = [{ name: CONFIG_VOLUME, configMap: { name: config.configMapName } }];
    const mounts: k8s.VolumeMount[] = [];
    const secretVolume = (name: string, ref: SecretKeyRef | undefined, dir: string) => {
      if (!ref) return;
      volumes.push({ name, secret: { secretName: ref.name, items: [{ key: ref.key, path: 'token' }] } });
      mounts.push({ name, mountPath: dir, readOnly: true });
    };
    if (props.tls) {
      volumes.push(tlsVolume(props.tls));
      mounts.push(tlsVolumeMount);
    }
    secretVolume('loki-token', props.loki.bearerTokenSecret, LOKI_AUTH_DIR);
    secretVolume(
      'remote-write-token',
      'remoteWrite' in props.metrics ? props.metrics.remoteWrite.bearerTokenSecret : undefined,
      REMOTE_WRITE_AUTH_DIR,
    );
    if (p.stateless) {
      volumes.push({ name: DATA_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString(p.storageSize) } });
    }

    const container = vectorContainer({
      image: p.image,
      pipeline: this.pipeline,
      ports: config.containerPorts({
        'global.api': API_PORT_NAME,
        [`sources.${AGGREGATOR_IDS.agents}`]: 'vector',
        [`sinks.${AGGREGATOR_IDS.selfMetrics}`]: 'metrics',
        [`sinks.${AGGREGATOR_IDS.metrics}`]: 'prom-exporter',
        [`sinks.${AGGREGATOR_IDS.heartbeatMetrics}`]: HEARTBEAT_PORT_NAME,
      }),
      resources: p.resources,
      dataDir: DATA_DIR,
      extraVolumeMounts: mounts,
      securityContext: restrictedContainerSecurityContext(VECTOR_UID),
    });
    const podSpec: k8s.PodSpec = {
      serviceAccountName: p.name,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
      securityContext: restrictedPodSecurityContext(VECTOR_UID),
      // One replica per node: a node failure takes down one aggregator, not the pipeline.
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { ...this.selectorLabels } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
      containers: [container],
      volumes,
    };
    // `pod` adds to this pod, never replacing it: the required anti-affinity above stays whatever the user adds.
    const template = withPodOverrides(
      this,
      { metadata: { labels, annotations: config.checksumAnnotations() }, spec: podSpec },
      props.pod,
      { containerName: 'vector', selectorLabels: this.selectorLabels, podSecurity: 'restricted' },
    );
    const metadata = { name: p.name, namespace: p.namespace, labels, annotations: reloaderAnnotations(props.tls) };
    const selector = { matchLabels: { ...this.selectorLabels } };
    // With an HPA, no spec.replicas: an apply leaves the HPA's count alone (cdk8s-plus' StatefulSet does the same).
    const replicas = p.autoscaling ? undefined : p.replicas;
    if (p.autoscaling)
      createAutoscaler(this, p.autoscaling, { kind: p.stateless ? 'Deployment' : 'StatefulSet', metadata });

    if (p.stateless) {
      new k8s.KubeDeployment(this, 'Deployment', {
        metadata,
        spec: {
          replicas,
          selector,
          template,
          // Required anti-affinity leaves no node for a surge pod when replicas equal nodes: replace in place.
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) },
          },
        },
      });
      return;
    }
    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        replicas,
        serviceName: headless,
        // Replicas are interchangeable: start and stop them together, not one by one.
        podManagementPolicy: 'Parallel',
        selector,
        template,
        // Kubernetes' default, written out where it matters: a scaled-away replica's volume, and the events in its
        // buffer, wait for that ordinal to return.
        ...(p.autoscaling
          ? { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Retain', whenDeleted: 'Retain' } }
          : {}),
        volumeClaimTemplates: [
          {
            metadata: { name: DATA_VOLUME, labels: { ...this.selectorLabels } },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(props.storage?.storageClassName ? { storageClassName: props.storage.storageClassName } : {}),
              resources: { requests: { storage: k8s.Quantity.fromString(p.storageSize) } },
            },
          },
        ],
      },
    });
  }
}
