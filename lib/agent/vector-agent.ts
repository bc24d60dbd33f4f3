import { isIP } from 'node:net';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { type ClusterIdentity, checkClusterIdentity } from '../k8s/cluster';
import { commonLabels, selectorLabels } from '../k8s/labels';
import {
  checkDnsSubdomain,
  checkHostPort,
  checkUrl,
  checkWholeNumber,
  propError,
  urlHostPort,
} from '../k8s/prop-errors';
import type { ContainerResources } from '../k8s/resources';
import { DEFAULT_AGENT_BUFFER_BYTES } from '../k8s/buffer-sizing';
import { sharedNamespace } from '../k8s/namespace';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import { guardUniqueObjects } from '../k8s/unique-objects';
import { checkWorkloadTls, reloaderAnnotations, tlsVolume, tlsVolumeMount, type WorkloadTls } from '../k8s/tls';
import { VectorConfig } from '../k8s/vector-config';
import { resolveWorkloadProps, type SecretKeyRef, type VectorWorkloadProps } from '../k8s/vector-workload';
import { API_PORT_NAME, CONFIG_VOLUME, DATA_VOLUME, vectorContainer } from '../k8s/vector-container';
import type { MonitoredWorkload } from '../monitoring/monitored-workload';
import { MIN_DISK_BUFFER_BYTES, VECTOR_VERSION, type VectorPipeline } from '../vector';
import {
  AGENT_IDS,
  buildAgentPipeline,
  KUBELET_PORT,
  KUBELET_TOKEN_DIR,
  NODE_IP_ENV,
  NODE_NAME_ENV,
  REMOTE_WRITE_TOKEN_DIR,
} from './agent-pipeline';
import { resolveJournald, resolveMultiline, type JournaldOptions, type MultilineOptions } from './node-logs-props';

/** Where the agent ships logs: the aggregators' `vector` source. */
export interface AgentAggregatorTarget {
  /** `host:port` of the aggregators, e.g. `vector.monitoring.example.com:6000`; several are load-balanced. */
  readonly endpoints: readonly string[];
  /**
   * Disk buffer in front of the aggregators, in bytes, on the node's data dir: logs survive an
   * aggregator outage of this size. At least 268435488 (Vector's minimum).
   * @default 536870912 (512 MiB)
   */
  readonly bufferBytes?: number;
}

/** Where the agent pushes host and kubelet metrics. */
export interface RemoteWriteTarget {
  /** The Prometheus remote-write URL, e.g. `https://prometheus.example.com/api/v1/write`. */
  readonly endpoint: string;
  /** Bearer token for the endpoint, from a Secret (never inlined). @default no authentication */
  readonly bearerTokenSecret?: SecretKeyRef;
}

export interface KubeletMetricsOptions {
  /**
   * Verify the kubelet's serving certificate against the cluster CA. Only works where kubelet
   * certificates are signed by it (`serverTLSBootstrap`).
   * @default false
   */
  readonly verifyCertificate?: boolean;
  /** @default 30 */
  readonly scrapeIntervalSecs?: number;
}

export interface VectorAgentProps extends VectorWorkloadProps {
  /** The cluster the agent runs in; its name, environment and region are baked into every event. */
  readonly cluster: ClusterIdentity;
  /** Where logs go. `false` ships none: add your own sink reading `enrich_logs` to `pipeline`. */
  readonly aggregator: AgentAggregatorTarget | false;
  /** Where host and kubelet metrics go. `false` turns those sources off. */
  readonly remoteWrite: RemoteWriteTarget | false;
  /**
   * mTLS to the aggregators: the agent verifies their certificate and hostname and presents the
   * client certificate from this Secret (e.g. from `VectorClientPki`).
   * @default plain HTTP/2 (only for tests and trusted networks)
   */
  readonly tls?: WorkloadTls;
  /** Collect container logs with `kubernetes_logs`. @default true */
  readonly kubernetesLogs?: boolean;
  /** How often /var/log/pods is rescanned (ms). @default 2000 */
  readonly globMinimumCooldownMs?: number;
  /** Parse JSON log lines into fields, with `severity` from their `level`. @default true */
  readonly parseJson?: boolean;
  /**
   * Node logs (kubelet, container runtime) from the systemd journal, shipped with the container logs. Needs an image
   * with `journalctl`: the default image becomes `timberio/vector:<VECTOR_VERSION>-debian`. Turn it off on nodes
   * without systemd (no `/etc/machine-id`), where the pod would not start.
   * With `aggregator: false` a sink of your own must read `enrich_journald`.
   * @default true when aggregator is set (units kubelet.service and containerd.service)
   */
  readonly journald?: boolean | JournaldOptions;
  /**
   * Merge multiline stack traces (Java, Python, Go, or lines up to a start pattern of yours) of container logs into
   * one event, joined with "\n".
   * @default false
   */
  readonly multiline?: boolean | MultilineOptions;
  /** Collect host metrics. @default true when remoteWrite is set */
  readonly hostMetrics?: boolean;
  /** Scrape the kubelet's cAdvisor metrics. @default true when remoteWrite is set */
  readonly kubeletMetrics?: boolean | KubeletMetricsOptions;
  /** Node directory for checkpoints and the disk buffer. @default '/var/lib/vector-agent' */
  readonly dataHostPath?: string;
  /** Run in the node's network namespace. @default false */
  readonly hostNetwork?: boolean;
  /** The same as `pod.priorityClassName`; give one of them. @default 'system-node-critical' */
  readonly priorityClassName?: string;
}

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};
const DATA_DIR = '/var/lib/vector';
const METRICS_SERVICE_SUFFIX = '-metrics';

/**
 * Vector on every node of a source cluster: container logs, host and kubelet metrics, shipped to
 * the aggregators and to remote write. Owns its namespace, RBAC, ConfigMap, DaemonSet and
 * metrics Service. The agent needs the host (log files, /proc, /sys), so its namespace is
 * Pod Security "privileged" and its container runs as root with every capability dropped.
 */
export class VectorAgent extends Construct {
  /** The agent's Vector configuration; add components before synth. */
  readonly pipeline: VectorPipeline;
  readonly namespace: string;
  readonly name: string;
  readonly serviceAccountName: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly apiPort: number;
  readonly metricsPort: number;
  /** What VectorMonitoring needs to scrape and alert on the agent. */
  readonly monitoringTarget: MonitoredWorkload;
  /** The aggregators the agent connects to (empty when it ships no logs): for egress policies. */
  readonly aggregatorEndpoints: readonly { readonly host: string; readonly port: number }[];
  /** The remote-write endpoint it pushes to, if any: for egress policies. */
  readonly remoteWriteEndpoint: { readonly host: string; readonly port: number } | undefined;
  /** The kubelet port it scrapes on every node, if the kubelet scrape is on. */
  readonly kubeletPort: number | undefined;
  /** Whether it creates its namespace, and so owns it: network policies deny by default only there. */
  readonly ownsNamespace: boolean;
  /** Whether its pods use the node's network, where NetworkPolicy does not reach them. */
  readonly hostNetwork: boolean;

  constructor(scope: Construct, id: string, props: VectorAgentProps) {
    super(scope, id);
    const p = this.resolveProps(props);
    this.namespace = p.namespace;
    this.name = p.name;
    this.serviceAccountName = p.name;
    this.apiPort = p.apiPort;
    this.metricsPort = p.metricsPort;
    this.ownsNamespace = p.createNamespace;
    this.hostNetwork = p.hostNetwork;

    const identity = { name: 'vector', instance: p.name, component: 'agent' };
    const labels = commonLabels({ ...identity, version: VECTOR_VERSION });
    this.selectorLabels = selectorLabels(identity);
    const meta = (name: string) => ({ name, namespace: p.namespace, labels });

    this.pipeline = buildAgentPipeline({
      cluster: props.cluster,
      dataDir: DATA_DIR,
      apiPort: p.apiPort,
      metricsPort: p.metricsPort,
      kubernetesLogs: p.kubernetesLogs,
      globCooldownMs: p.globMinimumCooldownMs,
      hostMetrics: p.hostMetrics,
      kubelet: p.kubelet,
      parseJson: p.parseJson,
      multiline: p.multiline,
      journald: p.journald,
      aggregator:
        props.aggregator === false
          ? false
          : { endpoints: p.aggregatorEndpoints, bufferBytes: p.bufferBytes, tls: p.tls !== undefined },
      remoteWrite:
        props.remoteWrite === false
          ? false
          : { endpoint: props.remoteWrite.endpoint, bearerToken: props.remoteWrite.bearerTokenSecret !== undefined },
    });

    guardUniqueObjects(this);
    if (p.createNamespace) {
      // Baseline forbids hostPath volumes, which the agent needs for log files, /proc and /sys.
      sharedNamespace(this, p.namespace, 'privileged', labels);
    }
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(p.name) });
    this.createRbac(p, labels);
    if (p.kubelet) {
      // A long-lived token: Vector reads secret backends once, so a rotating projected token would expire under it.
      new k8s.KubeSecret(this, 'KubeletToken', {
        metadata: {
          ...meta(`${p.name}-token`),
          annotations: { 'kubernetes.io/service-account.name': p.name },
        },
        type: 'kubernetes.io/service-account-token',
      });
    }

    const config = new VectorConfig(this, 'Config', {
      pipeline: this.pipeline,
      name: p.name,
      namespace: p.namespace,
      labels,
    });
    this.createDaemonSet(p, labels, config);

    new k8s.KubeService(this, 'MetricsService', {
      metadata: meta(`${p.name}${METRICS_SERVICE_SUFFIX}`),
      spec: {
        // Headless: Prometheus scrapes every agent, not one behind a virtual IP.
        clusterIp: 'None',
        selector: { ...this.selectorLabels },
        ports: [{ name: 'metrics', port: p.metricsPort, targetPort: k8s.IntOrString.fromString('metrics') }],
      },
    });

    this.aggregatorEndpoints = p.aggregatorEndpoints.map((e) => checkHostPort(this, 'aggregator.endpoints', e));
    this.remoteWriteEndpoint = this.pipeline.component(AGENT_IDS.remoteWrite)
      ? urlHostPort((props.remoteWrite as RemoteWriteTarget).endpoint)
      : undefined;
    this.kubeletPort = p.kubelet ? KUBELET_PORT : undefined;
    this.monitoringTarget = {
      role: 'agent',
      namespace: p.namespace,
      workloadKind: 'DaemonSet',
      workloadName: p.name,
      containerName: 'vector',
      selectorLabels: this.selectorLabels,
      metricsPortName: 'metrics',
      metricsPath: '/metrics',
    };
  }

  private resolveProps(props: VectorAgentProps) {
    checkClusterIdentity(this, 'cluster', props.cluster);
    const shipsMetrics = props.remoteWrite !== false;
    const kubeletProp = props.kubeletMetrics ?? shipsMetrics;
    const journald = resolveJournald(this, props.journald ?? props.aggregator !== false, props.image);
    const p = {
      journald: journald.settings,
      multiline: resolveMultiline(this, props.multiline, props.kubernetesLogs ?? true),
      ...resolveWorkloadProps(
        this,
        { ...props, image: journald.image },
        {
          name: 'vector-agent',
          resources: DEFAULT_RESOURCES,
          longestServiceSuffix: METRICS_SERVICE_SUFFIX,
        },
      ),
      kubernetesLogs: props.kubernetesLogs ?? true,
      globMinimumCooldownMs: checkWholeNumber(this, 'globMinimumCooldownMs', props.globMinimumCooldownMs ?? 2000, 250),
      parseJson: props.parseJson ?? true,
      hostMetrics: props.hostMetrics ?? shipsMetrics,
      kubelet:
        kubeletProp === false
          ? (false as const)
          : {
              verifyCertificate: (kubeletProp === true ? undefined : kubeletProp.verifyCertificate) ?? false,
              scrapeIntervalSecs: checkWholeNumber(
                this,
                'kubeletMetrics.scrapeIntervalSecs',
                (kubeletProp === true ? undefined : kubeletProp.scrapeIntervalSecs) ?? 30,
                1,
              ),
            },
      dataHostPath: props.dataHostPath ?? '/var/lib/vector-agent',
      hostNetwork: props.hostNetwork ?? false,
      priorityClassName: checkDnsSubdomain(
        this,
        'priorityClassName',
        props.priorityClassName ?? 'system-node-critical',
      ),
      remoteWriteSecret: props.remoteWrite === false ? undefined : props.remoteWrite.bearerTokenSecret,
      tls: props.tls,
      pod: props.pod,
      aggregatorEndpoints: [] as string[],
      bufferBytes: MIN_DISK_BUFFER_BYTES,
    };
    checkWorkloadTls(this, 'tls', p.tls, p.namespace);
    if (props.priorityClassName !== undefined && props.pod?.priorityClassName !== undefined) {
      throw propError(
        this,
        'pod.priorityClassName',
        props.pod.priorityClassName,
        `priorityClassName is given too (${JSON.stringify(props.priorityClassName)}): give one of them`,
      );
    }
    if (!shipsMetrics && (props.hostMetrics || props.kubeletMetrics)) {
      throw propError(
        this,
        'remoteWrite',
        false,
        'hostMetrics and kubeletMetrics need a remoteWrite target to ship to',
      );
    }
    if (props.remoteWrite !== false) {
      checkUrl(this, 'remoteWrite.endpoint', props.remoteWrite.endpoint);
      const ref = props.remoteWrite.bearerTokenSecret;
      if (ref) {
        checkDnsSubdomain(this, 'remoteWrite.bearerTokenSecret.name', ref.name);
        if (!/^[-._a-zA-Z0-9]+$/.test(ref.key ?? '')) {
          throw propError(
            this,
            'remoteWrite.bearerTokenSecret.key',
            ref.key,
            'a Secret key: letters, digits, "-", "_" and "."',
          );
        }
      }
    }
    if (props.aggregator !== false) {
      if (!props.aggregator.endpoints?.length) {
        throw propError(
          this,
          'aggregator.endpoints',
          props.aggregator.endpoints,
          'give at least one host:port of the aggregators',
        );
      }
      p.aggregatorEndpoints = props.aggregator.endpoints.map((e, i) => {
        const { host } = checkHostPort(this, `aggregator.endpoints[${i}]`, e);
        if (p.tls && isIP(host.replace(/^\[|\]$/g, '')) !== 0) {
          // The sink verifies the hostname, and the aggregators' certificate carries DNS names only.
          throw propError(
            this,
            `aggregator.endpoints[${i}]`,
            e,
            'with tls the agent checks the host against the certificate of the aggregators, which holds DNS names ' +
              'only, so an IP address fails every connection: use a DNS name it covers, e.g. the load balancer hostname',
          );
        }
        return e;
      });
      p.bufferBytes = props.aggregator.bufferBytes ?? DEFAULT_AGENT_BUFFER_BYTES;
      if (!Number.isInteger(p.bufferBytes) || p.bufferBytes < MIN_DISK_BUFFER_BYTES) {
        throw propError(
          this,
          'aggregator.bufferBytes',
          p.bufferBytes,
          `Vector's disk buffers hold at least ${MIN_DISK_BUFFER_BYTES} bytes`,
        );
      }
    }
    if (!p.dataHostPath.startsWith('/')) {
      throw propError(
        this,
        'dataHostPath',
        p.dataHostPath,
        'use an absolute path on the node, e.g. "/var/lib/vector-agent"',
      );
    }
    return p;
  }

  private createRbac(p: ReturnType<VectorAgent['resolveProps']>, labels: Record<string, string>): void {
    const rules: k8s.PolicyRule[] = [
      // kubernetes_logs enriches events from the pod, namespace and node objects.
      { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ];
    if (p.kubelet) {
      // The kubelet authorizes /metrics/cadvisor as nodes/metrics (nodes/proxy on older kubelets).
      rules.push({ apiGroups: [''], resources: ['nodes/metrics', 'nodes/proxy'], verbs: ['get'] });
    }
    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: p.name, labels }, rules });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: p.name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: p.name },
      subjects: [{ kind: 'ServiceAccount', name: p.name, namespace: p.namespace }],
    });
  }

  private createDaemonSet(
    p: ReturnType<VectorAgent['resolveProps']>,
    labels: Record<string, string>,
    config: VectorConfig,
  ): void {
    const fieldRef = (name: string, fieldPath: string): k8s.EnvVar => ({
      name,
      valueFrom: { fieldRef: { fieldPath } },
    });
    const hostPath = (name: string, path: string, type: string): k8s.Volume => ({ name, hostPath: { path, type } });
    const volumes: k8s.Volume[] = [
      { name: CONFIG_VOLUME, configMap: { name: config.configMapName } },
      hostPath(DATA_VOLUME, p.dataHostPath, 'DirectoryOrCreate'),
    ];
    const mounts: k8s.VolumeMount[] = [];
    const env: k8s.EnvVar[] = [
      fieldRef(NODE_NAME_ENV, 'spec.nodeName'),
      fieldRef(NODE_IP_ENV, 'status.hostIP'),
      fieldRef('VECTOR_SELF_POD_NAME', 'metadata.name'),
      fieldRef('VECTOR_SELF_POD_NAMESPACE', 'metadata.namespace'),
    ];
    if (p.kubernetesLogs) {
      // containerd and CRI-O write container logs as plain files here; nothing else is read.
      volumes.push(hostPath('var-log-pods', '/var/log/pods', 'Directory'));
      mounts.push({ name: 'var-log-pods', mountPath: '/var/log/pods', readOnly: true });
    }
    if (p.journald) {
      // The parents of the journal directories, not /var/log/journal and /run/log/journal themselves: a hostPath
      // that does not exist is created, and a new /var/log/journal makes journald store the journal on disk from
      // the next boot. /var/log exists on every node; /run is a tmpfs, so a /run/log made here holds nothing and
      // is gone at reboot. journalctl reads only the journal of the machine in /etc/machine-id.
      volumes.push(
        hostPath('host-var-log', '/var/log', 'Directory'),
        hostPath('host-run-log', '/run/log', 'DirectoryOrCreate'),
        hostPath('host-machine-id', '/etc/machine-id', 'File'),
      );
      mounts.push(
        { name: 'host-var-log', mountPath: '/var/log', readOnly: true },
        { name: 'host-run-log', mountPath: '/run/log', readOnly: true },
        { name: 'host-machine-id', mountPath: '/etc/machine-id', readOnly: true },
      );
    }
    if (p.hostMetrics) {
      volumes.push(hostPath('host-proc', '/proc', 'Directory'), hostPath('host-sys', '/sys', 'Directory'));
      mounts.push(
        { name: 'host-proc', mountPath: '/host/proc', readOnly: true },
        { name: 'host-sys', mountPath: '/host/sys', readOnly: true },
      );
      env.push({ name: 'PROCFS_ROOT', value: '/host/proc' }, { name: 'SYSFS_ROOT', value: '/host/sys' });
    }
    if (p.tls && p.aggregatorEndpoints.length > 0) {
      volumes.push(tlsVolume(p.tls));
      mounts.push(tlsVolumeMount);
    }
    if (p.kubelet) {
      volumes.push({
        name: 'kubelet-token',
        secret: { secretName: `${p.name}-token`, items: [{ key: 'token', path: 'token' }] },
      });
      mounts.push({ name: 'kubelet-token', mountPath: KUBELET_TOKEN_DIR, readOnly: true });
    }
    // Only when the remote_write sink exists: a secret volume whose Secret is missing keeps the pod from starting.
    if (p.remoteWriteSecret && this.pipeline.component(AGENT_IDS.remoteWrite)) {
      volumes.push({
        name: 'remote-write-token',
        secret: { secretName: p.remoteWriteSecret.name, items: [{ key: p.remoteWriteSecret.key, path: 'token' }] },
      });
      mounts.push({ name: 'remote-write-token', mountPath: REMOTE_WRITE_TOKEN_DIR, readOnly: true });
    }

    const container = vectorContainer({
      image: p.image,
      pipeline: this.pipeline,
      ports: config.containerPorts({ 'global.api': API_PORT_NAME, [`sinks.${AGENT_IDS.selfMetrics}`]: 'metrics' }),
      resources: p.resources,
      dataDir: DATA_DIR,
      env,
      extraVolumeMounts: mounts,
      // Root, to read the root-owned log files and write the node's data dir; no capability, no escalation.
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsUser: 0,
        runAsGroup: 0,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });

    new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: { name: p.name, namespace: p.namespace, labels, annotations: reloaderAnnotations(p.tls) },
      spec: {
        selector: { matchLabels: { ...this.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: this.podTemplate(p, {
          metadata: {
            // vector.dev/exclude keeps the agent from collecting its own logs (kubernetes_logs always honours it).
            labels: { ...labels, 'vector.dev/exclude': 'true' },
            annotations: config.checksumAnnotations(),
          },
          spec: {
            serviceAccountName: p.name,
            // kubernetes_logs talks to the API server with the service-account token.
            automountServiceAccountToken: true,
            priorityClassName: p.priorityClassName,
            terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
            hostNetwork: p.hostNetwork,
            ...(p.hostNetwork ? { dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
            // Every node, whatever its taints: a node without an agent loses its logs. `pod.tolerations` replace it.
            ...(p.pod?.tolerations ? {} : { tolerations: [{ operator: 'Exists' }] }),
            containers: [container],
            volumes,
          },
        }),
      },
    });
  }

  /** The pod template with `pod` applied; the agent's namespace is Pod Security "privileged" (host paths). */
  private podTemplate(p: ReturnType<VectorAgent['resolveProps']>, template: k8s.PodTemplateSpec): k8s.PodTemplateSpec {
    return withPodOverrides(this, template, p.pod, {
      containerName: 'vector',
      selectorLabels: this.selectorLabels,
      podSecurity: 'privileged',
    });
  }
}
