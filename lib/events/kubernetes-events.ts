import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CONFIG_CHECKSUM_ANNOTATION, sha256 } from '../k8s/checksum';
import { checkClusterIdentity, type ClusterIdentity } from '../k8s/cluster';
import { parseImageReference } from '../k8s/image-reference';
import { commonLabels, selectorLabels } from '../k8s/labels';
import { labelValueProblem } from '../k8s/metadata';
import type { PodOverrides } from '../k8s/pod-overrides';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import {
  checkCidr,
  checkDnsLabel,
  checkHostPort,
  checkPinnedImage,
  checkPort,
  checkWholeNumber,
  propError,
} from '../k8s/prop-errors';
import { checkResources, type ContainerResources, toResourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';
import { checkWorkloadTls, reloaderAnnotations, tlsVolume, tlsVolumeMount, type WorkloadTls } from '../k8s/tls';
import { VectorConfig } from '../k8s/vector-config';
import { API_PORT_NAME, CONFIG_VOLUME, DATA_VOLUME, vectorContainer } from '../k8s/vector-container';
import { DEFAULT_VECTOR_IMAGE, DEFAULT_VECTOR_NAMESPACE } from '../k8s/vector-workload';
import type { VectorPipeline } from '../vector';
import type { NetworkPolicyWorkload } from '../network/workload-policy';
import { buildEventsPipeline } from './events-pipeline';
import { exporterConfig } from './exporter-config';

/** resmoio/kubernetes-event-exporter, its latest release (v1.7, February 2024); distroless, runs as 65532. */
export const DEFAULT_EVENT_EXPORTER_IMAGE = 'ghcr.io/resmoio/kubernetes-event-exporter:v1.7';
/** The exporter's metrics and health address (`-metrics-address`, its default `:2112`): `/-/healthy`, `/-/ready`. */
const EXPORTER_METRICS_PORT = 2112;
const EXPORTER_CONFIG_DIR = '/etc/event-exporter';
const EXPORTER_CONFIG_FILE = 'config.yaml';
const DATA_DIR = '/var/lib/vector';
/** Both images run as this user: the exporter's distroless `nonroot`, and Vector, which needs no root. */
const UID = 65532;

export interface KubernetesEventsProps {
  /** Who the cluster is: `cluster`, `environment` and `region` on every event, as the agents set them. */
  readonly cluster: ClusterIdentity;
  /**
   * The aggregators, as `host:port` of their `vector` source, the same the agents ship to.
   * At least one.
   */
  readonly aggregator: { readonly endpoints: readonly string[] };
  /**
   * The client certificate Secret for mTLS to the aggregators, usually the agents' (`VectorClientPki.clientTls`); it must
   * be in `namespace`.
   * @default none: plain gRPC, for tests only
   */
  readonly tls?: WorkloadTls;
  /** Namespace of the Deployment; the agents' by default, whose client certificate Secret it mounts. @default 'vector-system' */
  readonly namespace?: string;
  /** Name of the Deployment, its ServiceAccount, ConfigMaps and ClusterRole. @default 'vector-kubernetes-events' */
  readonly name?: string;
  /** Pinned event exporter image. @default 'ghcr.io/resmoio/kubernetes-event-exporter:v1.7' */
  readonly exporterImage?: string;
  /** Pinned Vector image. @default `timberio/vector:<VECTOR_VERSION>-distroless-libc` */
  readonly vectorImage?: string;
  /**
   * Events older than this many seconds when the exporter first sees them are skipped: after a restart it lists the
   * events the API server still holds (an hour by default), and these were mostly shipped already. 1 to 3600.
   * @default 60
   */
  readonly maxEventAgeSeconds?: number;
  /** Port on 127.0.0.1 where Vector receives the exporter's posts. @default 8080 */
  readonly receiverPort?: number;
  /** Port of Vector's API (`/health` for probes). @default 8686 */
  readonly apiPort?: number;
  /** @default requests 10m / 32Mi, limits 100m / 128Mi */
  readonly exporterResources?: ContainerResources;
  /** @default requests 20m / 64Mi, limits 200m / 256Mi */
  readonly vectorResources?: ContainerResources;
  /**
   * Scheduling and escape hatches for the pod (node selector, affinity, tolerations, extra env, volumes, labels,
   * annotations, image pull secrets), added to what the construct writes.
   * @default none
   */
  readonly pod?: PodOverrides;
}

/** What `networkPolicy` needs that the construct does not know. */
export interface KubernetesEventsNetworkPolicyOptions {
  /**
   * The addresses the aggregator endpoints resolve to: NetworkPolicy cannot match DNS names. At least one.
   */
  readonly aggregatorCidrs: readonly string[];
}

const DEFAULT_EXPORTER_RESOURCES: ContainerResources = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { cpu: '100m', memory: '128Mi' },
};
const DEFAULT_VECTOR_RESOURCES: ContainerResources = {
  requests: { cpu: '20m', memory: '64Mi' },
  limits: { cpu: '200m', memory: '256Mi' },
};

/**
 * Collects the cluster's Kubernetes events (core/v1 Events of every namespace) and ships them to the aggregators as log
 * events, through the same mTLS path as the agents' logs.
 *
 * Vector 0.57 has no `kubernetes_events` source, so one pod runs two containers: the event exporter
 * (resmoio/kubernetes-event-exporter), which watches the events API and posts each event as JSON to a webhook, and
 * Vector, whose `http_server` source takes the posts on 127.0.0.1 only, adds `cluster` and the involved object's
 * namespace, kind and name, and ships them with a `vector` sink. One replica per cluster, not one per node: the events
 * API is cluster-wide, and two exporters would send every event twice.
 *
 * Owns a ServiceAccount, a ClusterRole allowing list and watch on events and nothing else, its binding, the exporter's
 * and Vector's ConfigMaps and the Deployment. Its pod is Pod Security "restricted" (non-root, read-only root
 * filesystem, no capabilities), although it shares the agents' privileged namespace.
 */
export class KubernetesEvents extends Construct {
  readonly namespace: string;
  readonly name: string;
  /** Labels that select its pod (no version). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The Vector pipeline, for components of your own; rendered at synth. */
  readonly pipeline: VectorPipeline;
  readonly exporterImage: string;
  readonly vectorImage: string;
  /** The aggregator endpoints as `host:port`. */
  readonly aggregatorEndpoints: readonly string[];
  /** The exporter's config, as its ConfigMap holds it. */
  readonly exporterConfig: string;

  constructor(scope: Construct, id: string, props: KubernetesEventsProps) {
    super(scope, id);
    const cluster = checkClusterIdentity(this, 'cluster', props.cluster);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? DEFAULT_VECTOR_NAMESPACE);
    this.name = checkDnsLabel(this, 'name', props.name ?? 'vector-kubernetes-events');
    this.exporterImage = checkPinnedImage(
      this,
      'exporterImage',
      props.exporterImage ?? DEFAULT_EVENT_EXPORTER_IMAGE,
      DEFAULT_EVENT_EXPORTER_IMAGE,
    );
    this.vectorImage = checkPinnedImage(
      this,
      'vectorImage',
      props.vectorImage ?? DEFAULT_VECTOR_IMAGE,
      DEFAULT_VECTOR_IMAGE,
    );
    const maxEventAgeSeconds = checkWholeNumber(this, 'maxEventAgeSeconds', props.maxEventAgeSeconds ?? 60, 1, 3600);
    const receiverPort = checkPort(this, 'receiverPort', props.receiverPort ?? 8080);
    const apiPort = checkPort(this, 'apiPort', props.apiPort ?? 8686);
    for (const [prop, port] of [
      ['receiverPort', receiverPort],
      ['apiPort', apiPort],
    ] as const) {
      if (port === EXPORTER_METRICS_PORT) {
        throw propError(
          this,
          prop,
          port,
          `must differ from ${EXPORTER_METRICS_PORT}, the exporter's metrics port in the same pod`,
        );
      }
    }
    if (receiverPort === apiPort)
      throw propError(this, 'apiPort', apiPort, `must differ from receiverPort (${receiverPort})`);
    const endpoints = props.aggregator?.endpoints;
    if (!Array.isArray(endpoints) || endpoints.length === 0) {
      throw propError(
        this,
        'aggregator.endpoints',
        endpoints,
        'give at least one aggregator as host:port, e.g. "vector.example.com:6000"',
      );
    }
    endpoints.forEach((e, i) => checkHostPort(this, `aggregator.endpoints[${i}]`, e));
    this.aggregatorEndpoints = [...endpoints];
    const tls = checkWorkloadTls(this, 'tls', props.tls, this.namespace);
    const exporterResources = checkResources(
      this,
      'exporterResources',
      props.exporterResources ?? DEFAULT_EXPORTER_RESOURCES,
    );
    const vectorResources = checkResources(this, 'vectorResources', props.vectorResources ?? DEFAULT_VECTOR_RESOURCES);

    const identity = { name: 'vector-kubernetes-events', instance: this.name, component: 'kubernetes-events' };
    const labels = commonLabels({ ...identity, version: exporterVersion(this.exporterImage) });
    this.selectorLabels = selectorLabels(identity);
    const meta = { name: this.name, namespace: this.namespace, labels };

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta, automountServiceAccountToken: false });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: this.name, labels },
      // The exporter's informer lists and watches core/v1 events (pkg/kube/watcher.go); omitLookup keeps it off the
      // involved objects, so nothing else is needed.
      rules: [{ apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: this.name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });

    this.exporterConfig = exporterConfig({ webhookUrl: `http://127.0.0.1:${receiverPort}/`, maxEventAgeSeconds });
    const exporterConfigMap = `${this.name}-exporter`;
    new k8s.KubeConfigMap(this, 'ExporterConfig', {
      metadata: { ...meta, name: exporterConfigMap },
      data: { [EXPORTER_CONFIG_FILE]: this.exporterConfig },
    });
    this.pipeline = buildEventsPipeline({
      cluster,
      dataDir: DATA_DIR,
      apiPort,
      receiverPort,
      endpoints: this.aggregatorEndpoints,
      tls: tls !== undefined,
    });
    const config = new VectorConfig(this, 'VectorConfig', {
      pipeline: this.pipeline,
      name: `${this.name}-vector`,
      namespace: this.namespace,
      labels,
    });

    const exporterProbe = (path: string, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('metrics') },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const exporter: k8s.Container = {
      name: 'exporter',
      image: this.exporterImage,
      imagePullPolicy: 'IfNotPresent',
      args: [`-conf=${EXPORTER_CONFIG_DIR}/${EXPORTER_CONFIG_FILE}`, `-metrics-address=:${EXPORTER_METRICS_PORT}`],
      ports: [{ name: 'metrics', containerPort: EXPORTER_METRICS_PORT, protocol: 'TCP' }],
      livenessProbe: { ...exporterProbe('/-/healthy', 6), initialDelaySeconds: 5 },
      readinessProbe: exporterProbe('/-/ready', 3),
      resources: toResourceRequirements(exporterResources),
      securityContext: restrictedContainerSecurityContext(UID),
      volumeMounts: [{ name: 'exporter-config', mountPath: EXPORTER_CONFIG_DIR, readOnly: true }],
    };
    const vector = vectorContainer({
      image: this.vectorImage,
      pipeline: this.pipeline,
      // The receiver listens on loopback only, so it is no container port.
      ports: [{ name: API_PORT_NAME, containerPort: apiPort, protocol: 'TCP' }],
      resources: vectorResources,
      securityContext: restrictedContainerSecurityContext(UID),
      dataDir: DATA_DIR,
      extraVolumeMounts: tls ? [tlsVolumeMount] : [],
    });
    const volumes: k8s.Volume[] = [
      { name: 'exporter-config', configMap: { name: exporterConfigMap, defaultMode: 0o444 } },
      { name: CONFIG_VOLUME, configMap: { name: config.configMapName, defaultMode: 0o444 } },
      { name: DATA_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
      ...(tls ? [tlsVolume(tls)] : []),
    ];
    const withPod = (template: k8s.PodTemplateSpec) =>
      withPodOverrides(this, template, props.pod, {
        containerName: 'vector',
        selectorLabels: this.selectorLabels,
        podSecurity: 'restricted',
      });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { ...meta, annotations: reloaderAnnotations(tls) },
      spec: {
        // One exporter per cluster: a second would send every event twice.
        replicas: 1,
        selector: { matchLabels: { ...this.selectorLabels } },
        // The old pod stops before the new one starts, so no event is watched by two exporters at once.
        strategy: { type: 'Recreate' },
        template: withPod({
          metadata: {
            labels,
            annotations: {
              ...config.checksumAnnotations(),
              [`${CONFIG_CHECKSUM_ANNOTATION}-exporter`]: sha256(this.exporterConfig),
            },
          },
          spec: {
            serviceAccountName: this.name,
            // The exporter watches the events API with the service-account token (in-cluster config).
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            // Above Vector's 60 s shutdown limit, so what it holds is sent before the pod is killed.
            terminationGracePeriodSeconds: 90,
            securityContext: restrictedPodSecurityContext(UID),
            containers: [exporter, vector],
            volumes,
          },
        }),
      },
    });
  }

  /**
   * The description of its NetworkPolicy, for `VectorNetworkPolicies.addWorkload`: nothing in (the kubelet's probes
   * need no rule), and out to the API server (give `apiServer` to the policies), the cluster DNS (the aggregator
   * endpoints are names) and the aggregators' addresses on their ports.
   */
  networkPolicy(options: KubernetesEventsNetworkPolicyOptions): NetworkPolicyWorkload {
    const cidrs = options?.aggregatorCidrs;
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      throw propError(
        this,
        'networkPolicy.aggregatorCidrs',
        cidrs,
        `give the addresses ${this.aggregatorEndpoints.join(', ')} resolve to as CIDRs: NetworkPolicy cannot match DNS names`,
      );
    }
    cidrs.forEach((c, i) => checkCidr(this, `networkPolicy.aggregatorCidrs[${i}]`, c));
    const ports = [...new Set(this.aggregatorEndpoints.map((e) => Number(e.slice(e.lastIndexOf(':') + 1))))];
    return {
      name: this.name,
      namespace: this.namespace,
      selectorLabels: this.selectorLabels,
      egress: [{ peers: [{ cidrs: [...cidrs] }], ports: ports.map((port) => ({ port })) }],
      dns: true,
      apiServer: true,
    };
  }
}

/** The exporter's tag for `app.kubernetes.io/version` (it is what the pod mostly is); none for a digest. */
function exporterVersion(image: string): string | undefined {
  const parsed = parseImageReference(image);
  const tag = 'reference' in parsed && parsed.reference.digest === undefined ? parsed.reference.tag : undefined;
  return tag !== undefined && labelValueProblem(tag) === undefined ? tag : undefined;
}
