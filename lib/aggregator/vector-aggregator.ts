import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { commonLabels, selectorLabels } from '../k8s/labels';
import {
  checkCidr,
  checkDnsLabel,
  checkDnsSubdomain,
  checkPort,
  checkUrl,
  checkWholeNumber,
  propError,
  urlHostPort,
} from '../k8s/prop-errors';
import { type ContainerResources, memoryBytes } from '../k8s/resources';
import { podSecurityLabels, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';
import { checkWorkloadTls, reloaderAnnotations, tlsVolume, tlsVolumeMount, type WorkloadTls } from '../k8s/tls';
import { VectorConfig } from '../k8s/vector-config';
import { API_PORT_NAME, CONFIG_VOLUME, DATA_VOLUME, vectorContainer } from '../k8s/vector-container';
import { resolveWorkloadProps, type SecretKeyRef, type VectorWorkloadProps } from '../k8s/vector-workload';
// Constants only, from the modules themselves: lib/heartbeat imports nothing from lib/aggregator.
import { DEFAULT_HEARTBEAT_EXPORTER_PORT } from '../heartbeat/heartbeat-counter';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from '../heartbeat/log-heartbeat';
import type { MonitoredWorkload } from '../monitoring/monitored-workload';
import { MIN_DISK_BUFFER_BYTES, VECTOR_VERSION, type VectorPipeline } from '../vector';
import {
  AGGREGATOR_IDS,
  buildAggregatorPipeline,
  LOKI_AUTH_DIR,
  type NamespaceSampling,
  REMOTE_WRITE_AUTH_DIR,
} from './aggregator-pipeline';

/** Grafana Loki, where the aggregators push logs. */
export interface LokiTarget {
  /** Base URL, e.g. `http://loki-gateway.monitoring.svc:80`. */
  readonly endpoint: string;
  /** `X-Scope-OrgID` for multi-tenant Loki. @default none */
  readonly tenantId?: string;
  /** Bearer token from a Secret in the aggregator's namespace. @default no authentication */
  readonly bearerTokenSecret?: SecretKeyRef;
  /**
   * Disk buffer in front of Loki, in bytes: logs survive a Loki outage of this size. At least
   * 268435488 (Vector's minimum).
   * @default 1073741824 (1 GiB)
   */
  readonly bufferBytes?: number;
}

/** Where metrics the agents forward go: pushed by remote write, or served for scraping. */
export type AggregatorMetricsTarget =
  | { readonly remoteWrite: { readonly endpoint: string; readonly bearerTokenSecret?: SecretKeyRef } }
  | { readonly exporter: { readonly port: number } };

export interface AggregatorStorage {
  /** PVC size per replica; must hold the disk buffers. @default buffer size rounded up to GiB, plus 1Gi */
  readonly size?: string;
  /** @default the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** An extra Service of type LoadBalancer, for agents in other clusters. */
export interface AggregatorLoadBalancer {
  /**
   * Provider annotations, e.g. for Hetzner: `load-balancer.hetzner.cloud/location: fsn1`,
   * `load-balancer.hetzner.cloud/use-private-ip: "true"`, `load-balancer.hetzner.cloud/disable-public-network: "true"`.
   * @default none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Client CIDRs the load balancer accepts. @default all */
  readonly sourceRanges?: readonly string[];
  /** DNS name the agents use to reach it (for certificates and the agents' endpoint). @default none */
  readonly hostname?: string;
  /**
   * `Local` keeps the agents' source addresses (no SNAT to a node): `VectorNetworkPolicies`' `sourceClusterCidrs`
   * match those addresses, so with `Cluster` they would have to list the nodes' addresses instead. `Local` sends
   * traffic only to nodes running an aggregator, which the provider's health check (on `healthCheckNodePort`) finds.
   * @default 'Local'
   */
  readonly externalTrafficPolicy?: 'Local' | 'Cluster';
}

/**
 * The aggregators' half of LogHeartbeat's pipeline liveness: heartbeat lines from the agents are counted per cluster
 * (`vector_heartbeat_total{cluster}`, see `heartbeatCounterComponents`) and served on a port of their own for
 * `HeartbeatAlert`. It reads the fields the agents' JSON parsing (`VectorAgent` `parseJson`, on by default) puts on
 * the event.
 */
export interface AggregatorHeartbeat {
  /**
   * The `LogHeartbeat`s' interval in seconds (give `HeartbeatAlert` the same); sets how long a quiet cluster's
   * counter stays exposed. A whole number from 1 to 86400.
   * @default 120 (`DEFAULT_HEARTBEAT_INTERVAL_SECONDS`)
   */
  readonly intervalSeconds?: number;
  /** Count only heartbeats from this namespace (the `LogHeartbeat`s'). @default any namespace */
  readonly namespace?: string;
  /** Port of the heartbeat exporter: container port `heartbeat`, on the headless Service. @default 9599 */
  readonly port?: number;
}

export interface VectorAggregatorProps extends VectorWorkloadProps {
  /** Where logs go. */
  readonly loki: LokiTarget;
  /** Where metrics from the agents go. */
  readonly metrics: AggregatorMetricsTarget;
  /** Replicas; agents spread over them. @default 3 */
  readonly replicas?: number;
  /**
   * Run as a Deployment with an emptyDir instead of a StatefulSet with a volume per replica.
   * Buffers then die with the pod.
   * @default false
   */
  readonly stateless?: boolean;
  /** Port of the `vector` source the agents send to. @default 6000 */
  readonly vectorPort?: number;
  /** Connections older than this are closed, so agents rebalance over replicas. @default 300 */
  readonly maxConnectionAgeSecs?: number;
  /**
   * Drop events delivered twice (an agent re-sends what the aggregators did not acknowledge before a disconnect),
   * compared on these fields. The timestamp is among them so that a container printing the same line twice, or a
   * heartbeat every interval, keeps every line. `false` turns it off.
   * @default cluster, namespace, pod, container, message, timestamp
   */
  readonly dedupeFields?: readonly string[] | false;
  /**
   * Namespaces whose logs are sampled (keep 1 in `rate`); every other namespace is kept whole.
   * @default kube-system 1 in 10, ingress-nginx 1 in 5
   */
  readonly sampling?: readonly NamespaceSampling[];
  /** @default buffer size rounded up to GiB, plus 1Gi; default StorageClass */
  readonly storage?: AggregatorStorage;
  /** An extra LoadBalancer Service. @default none */
  readonly loadBalancer?: AggregatorLoadBalancer;
  /**
   * Count LogHeartbeat lines per cluster for `HeartbeatAlert`, on port 9599. On by default because every cluster of
   * the fleet runs a `LogHeartbeat` and it costs three small components and a port; `false` leaves it out (e.g. to
   * add `addHeartbeatCounter` yourself with other inputs).
   * @default { intervalSeconds: 120, port: 9599 }, any namespace
   */
  readonly heartbeat?: false | AggregatorHeartbeat;
  /**
   * mTLS on the `vector` source: the server certificate, key and CA from this Secret (e.g. from
   * `VectorPki`); agents must present a client certificate signed by that CA.
   * @default plain HTTP/2 (only for tests and trusted networks)
   */
  readonly tls?: WorkloadTls;
}

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};
const DEFAULT_SAMPLING: readonly NamespaceSampling[] = [
  { namespace: 'kube-system', rate: 10 },
  { namespace: 'ingress-nginx', rate: 5 },
];
const DEDUPE_FIELDS = ['cluster', 'namespace', 'pod', 'container', 'message', 'timestamp'];
const DATA_DIR = '/vector-data-dir';
/** A non-root UID; the distroless image runs as whatever user it is given. */
const VECTOR_UID = 65532;
const GIB = 1024 ** 3;
const HEADLESS_SUFFIX = '-headless';
const HEARTBEAT_PORT_NAME = 'heartbeat';

/**
 * Vector aggregators in the monitoring cluster: receive from every agent, deduplicate, sample the
 * noisy namespaces, and push to Loki and Prometheus through disk buffers. Owns its ServiceAccount,
 * ConfigMap, StatefulSet (or Deployment), PodDisruptionBudget and Services. Pod Security "restricted".
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
    const p = this.resolveProps(props);
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

    if (p.createNamespace) {
      new k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: p.namespace, labels: { ...labels, ...podSecurityLabels('restricted') } },
      });
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

  private resolveProps(props: VectorAggregatorProps) {
    const base = resolveWorkloadProps(this, props, {
      name: 'vector-aggregator',
      resources: DEFAULT_RESOURCES,
      longestServiceSuffix: HEADLESS_SUFFIX,
    });
    const p = {
      ...base,
      replicas: checkWholeNumber(this, 'replicas', props.replicas ?? 3, 1),
      stateless: props.stateless ?? false,
      vectorPort: checkPort(this, 'vectorPort', props.vectorPort ?? 6000),
      maxConnectionAgeSecs: checkWholeNumber(this, 'maxConnectionAgeSecs', props.maxConnectionAgeSecs ?? 300, 10),
      dedupeFields: props.dedupeFields ?? DEDUPE_FIELDS,
      sampling: props.sampling ?? DEFAULT_SAMPLING,
      bufferBytes: props.loki?.bufferBytes ?? GIB,
      storageSize: '',
      heartbeat: this.resolveHeartbeat(props.heartbeat),
      externalTrafficPolicy: props.loadBalancer?.externalTrafficPolicy ?? 'Local',
    };
    const ports = { apiPort: p.apiPort, metricsPort: p.metricsPort, vectorPort: p.vectorPort };
    if (new Set(Object.values(ports)).size !== 3) {
      throw propError(
        this,
        'vectorPort',
        p.vectorPort,
        `apiPort, metricsPort and vectorPort must all differ; got ${JSON.stringify(ports)}`,
      );
    }
    checkUrl(this, 'loki.endpoint', props.loki?.endpoint);
    if (!Number.isInteger(p.bufferBytes) || p.bufferBytes < MIN_DISK_BUFFER_BYTES) {
      throw propError(
        this,
        'loki.bufferBytes',
        p.bufferBytes,
        `Vector's disk buffers hold at least ${MIN_DISK_BUFFER_BYTES} bytes`,
      );
    }
    if ('remoteWrite' in props.metrics) {
      checkUrl(this, 'metrics.remoteWrite.endpoint', props.metrics.remoteWrite.endpoint);
    } else {
      checkPort(this, 'metrics.exporter.port', props.metrics.exporter.port);
      if (Object.values(ports).includes(props.metrics.exporter.port)) {
        throw propError(
          this,
          'metrics.exporter.port',
          props.metrics.exporter.port,
          `must differ from ${JSON.stringify(ports)}`,
        );
      }
    }
    for (const [prop, ref] of [
      ['loki.bearerTokenSecret', props.loki.bearerTokenSecret],
      [
        'metrics.remoteWrite.bearerTokenSecret',
        'remoteWrite' in props.metrics ? props.metrics.remoteWrite.bearerTokenSecret : undefined,
      ],
    ] as const) {
      if (!ref) continue;
      checkDnsSubdomain(this, `${prop}.name`, ref.name);
      // Mounted as a Secret volume item: Kubernetes accepts only these characters in a key.
      if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
        throw propError(this, `${prop}.key`, ref.key, 'a Secret key: letters, digits, "-", "_" and "."');
      }
    }
    if (p.dedupeFields !== false && p.dedupeFields.length === 0) {
      throw propError(
        this,
        'dedupeFields',
        p.dedupeFields,
        'list the fields that make two events the same, or false to turn deduplication off',
      );
    }
    const seen = new Set<string>();
    for (const [i, s] of p.sampling.entries()) {
      checkDnsLabel(this, `sampling[${i}].namespace`, s.namespace);
      if (seen.has(s.namespace))
        throw propError(this, `sampling[${i}].namespace`, s.namespace, 'each namespace may be sampled once');
      seen.add(s.namespace);
      checkWholeNumber(this, `sampling[${i}].rate`, s.rate, 2);
    }
    if (p.stateless && props.storage?.storageClassName) {
      throw propError(
        this,
        'storage.storageClassName',
        props.storage.storageClassName,
        'a stateless aggregator has no volumes: drop it, or stateless',
      );
    }
    if (p.heartbeat) {
      const taken = {
        ...ports,
        ...('exporter' in props.metrics ? { 'metrics.exporter.port': props.metrics.exporter.port } : {}),
      };
      if (Object.values(taken).includes(p.heartbeat.port)) {
        throw propError(this, 'heartbeat.port', p.heartbeat.port, `must differ from ${JSON.stringify(taken)}`);
      }
    }
    if (!['Local', 'Cluster'].includes(p.externalTrafficPolicy)) {
      throw propError(
        this,
        'loadBalancer.externalTrafficPolicy',
        p.externalTrafficPolicy,
        'use "Local" (keeps client addresses, which sourceClusterCidrs match) or "Cluster"',
      );
    }
    if (props.loadBalancer?.hostname !== undefined) {
      checkDnsSubdomain(this, 'loadBalancer.hostname', props.loadBalancer.hostname);
    }
    for (const [i, range] of (props.loadBalancer?.sourceRanges ?? []).entries()) {
      checkCidr(this, `loadBalancer.sourceRanges[${i}]`, range);
    }
    const minimumStorage = Math.ceil(p.bufferBytes / GIB) * GIB + GIB;
    p.storageSize = props.storage?.size ?? `${minimumStorage / GIB}Gi`;
    const size = memoryBytes(p.storageSize);
    if (size === undefined || size < p.bufferBytes) {
      throw propError(
        this,
        'storage.size',
        p.storageSize,
        `use a quantity that holds the ${p.bufferBytes}-byte Loki buffer, e.g. "${minimumStorage / GIB}Gi"`,
      );
    }
    return p;
  }

  private resolveHeartbeat(
    heartbeat: VectorAggregatorProps['heartbeat'],
  ): { intervalSeconds: number; namespace: string | undefined; port: number } | false {
    if (heartbeat === false) return false;
    if (heartbeat !== undefined && (typeof heartbeat !== 'object' || heartbeat === null || Array.isArray(heartbeat))) {
      throw propError(this, 'heartbeat', heartbeat, 'use false, or { intervalSeconds?, namespace?, port? }');
    }
    const h = heartbeat ?? {};
    return {
      intervalSeconds: checkWholeNumber(
        this,
        'heartbeat.intervalSeconds',
        h.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
        1,
        86_400,
      ),
      namespace: h.namespace === undefined ? undefined : checkDnsLabel(this, 'heartbeat.namespace', h.namespace),
      port: checkPort(this, 'heartbeat.port', h.port ?? DEFAULT_HEARTBEAT_EXPORTER_PORT),
    };
  }

  private createWorkload(
    p: ReturnType<VectorAggregator['resolveProps']>,
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
    const template = { metadata: { labels, annotations: config.checksumAnnotations() }, spec: podSpec };
    const metadata = { name: p.name, namespace: p.namespace, labels, annotations: reloaderAnnotations(props.tls) };
    const selector = { matchLabels: { ...this.selectorLabels } };

    if (p.stateless) {
      new k8s.KubeDeployment(this, 'Deployment', {
        metadata,
        spec: {
          replicas: p.replicas,
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
        replicas: p.replicas,
        serviceName: headless,
        // Replicas are interchangeable: start and stop them together, not one by one.
        podManagementPolicy: 'Parallel',
        selector,
        template,
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
