import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { VectorAgent } from '../agent';
import { VectorAggregator } from '../aggregator';
import { HeartbeatAlert, LogHeartbeat } from '../heartbeat';
import { NodeExporterRecordingRules, VectorMonitoring } from '../monitoring';
import { VectorNetworkPolicies } from '../network';
import { DEFAULT_VECTOR_NAMESPACE } from '../k8s/vector-workload';
import { CertificateExpiryAlert, certificatesIn, DEFAULT_CLUSTER_RESOURCE_NAMESPACE, VectorPki } from '../pki';
import { provideSourceCertificates, type SourceCertificate } from './certificate-distribution';
import { agentBufferBytes, aggregatorBufferBytes } from './fleet-sizing';
import type { ExternalEndpoint, MonitoringCluster, OutageBudgetInventory, SourceCluster } from './inventory';
import { DEFAULT_MONITORING_AGENT_NAMESPACE } from './load-inventory';
import { marksLines, recordedNodeJob } from './migration';
import { resolvePrometheus } from './prometheus';
import { fleetLogHeartbeatProps } from './fleet-heartbeat';
import { agentNodeLogProps, agentSchedulingProps, aggregatorSchedulingProps } from './scheduling-props';

export interface MonitoringClusterChartProps extends ChartProps {
  /** The cluster, from the inventory. */
  readonly cluster: MonitoringCluster;
  /**
   * The clusters that ship to it: their egress addresses, and the load balancer's, may reach the aggregators, and its
   * heartbeat alert watches exactly these (with none, a standby cluster, it has no heartbeat alert).
   */
  readonly sourceClusters: readonly SourceCluster[];
  /** How often the source clusters' log heartbeats print; the counter and the alert follow it. */
  readonly heartbeatIntervalSeconds: number;
}

/**
 * Everything the monitoring cluster runs for the fleet: the PKI (CA and the aggregators' server certificate), the
 * aggregators behind a load balancer, their self-monitoring, the per-cluster heartbeat alert and the network
 * policies. What the source clusters need from it (the endpoint, its addresses, the CA Secret's name, the external
 * Loki and remote-write endpoints) is read off this chart, so no value is copied by hand.
 */
export class MonitoringClusterChart extends Chart {
  /** The cluster's name in the inventory. */
  readonly clusterName: string;
  readonly pki: VectorPki;
  readonly aggregator: VectorAggregator;
  /** The agents on the monitoring cluster's own nodes, unless the inventory says `agent: false`. */
  readonly agent: VectorAgent | undefined;
  readonly policies: VectorNetworkPolicies | undefined;
  /** `host:port` the agents of every source cluster ship to: the load balancer's name, on the server certificate. */
  readonly aggregatorEndpoint: string;
  /** What the load balancer's name resolves to: the agents' egress policy allows it. */
  readonly aggregatorAddresses: readonly string[];
  /** Remote write as the source clusters reach it, if it is reachable from outside. */
  readonly externalRemoteWrite: ExternalEndpoint | undefined;
  /** Loki as the source clusters reach it, if it is reachable from outside. */
  readonly externalLoki: { readonly endpoint: string } | undefined;
  /** The outages the buffers are sized for: the source clusters' agents read it here. */
  readonly outageBudget: OutageBudgetInventory | undefined;
  private readonly sourceCertificates: ReadonlyMap<string, SourceCertificate>;

  constructor(scope: Construct, id: string, props: MonitoringClusterChartProps) {
    super(scope, id, { disableResourceNameHashes: true, ...props });
    const { cluster } = props;
    this.clusterName = cluster.name;
    const prometheus = resolvePrometheus(cluster.prometheus);
    // Who the aggregator pods see connecting: the source clusters where the load balancer keeps client addresses, and
    // the load balancer itself where it proxies (Hetzner's does, so its pods see only its private address).
    const sourceCidrs = [
      ...new Set([...props.sourceClusters.flatMap((c) => c.egressCidrs), ...cluster.aggregator.addresses]),
    ];

    const agent = cluster.agent === false ? undefined : (cluster.agent ?? {});
    this.pki = new VectorPki(this, 'pki', {
      restartOnRenewal: cluster.restartOnCertificateRenewal ?? true,
      // The cluster's own agents run in a namespace of their own, which only a ClusterIssuer signs for.
      ...(agent ? { caScope: 'cluster', clusterResourceNamespace: fleetCaNamespace(cluster) } : {}),
    });
    this.outageBudget = cluster.outageBudget;
    this.aggregator = new VectorAggregator(this, 'aggregator', {
      loki: { endpoint: cluster.loki.endpoint, bufferBytes: aggregatorBufferBytes(cluster, props.sourceClusters) },
      metrics: { remoteWrite: { endpoint: cluster.remoteWrite.endpoint } },
      replicas: cluster.aggregator.replicas,
      // Capacity: an HPA instead of replicas, and the volume the inventory gives (fleet-sizing.ts checks both).
      autoscaling: cluster.aggregator.autoscaling,
      storage: cluster.aggregator.storageSize ? { size: cluster.aggregator.storageSize } : undefined,
      vectorPort: cluster.aggregator.vectorPort,
      ...aggregatorSchedulingProps(cluster.aggregator),
      // No loadBalancerSourceRanges: providers that proxy (Hetzner) ignore them, and the network policy and mTLS decide.
      loadBalancer: { hostname: cluster.aggregator.hostname, annotations: cluster.aggregator.loadBalancerAnnotations },
      tls: this.pki.serverTls,
      // Migrating clusters' lines carry collector="vector" in Loki, apart from Promtail's (README "Migrating from ...").
      markedClusters: props.sourceClusters.filter((c) => marksLines(c.migration)).map((c) => c.name),
      heartbeat: {
        intervalSeconds: props.heartbeatIntervalSeconds,
        // Only the source clusters' LogHeartbeat pods, by Vector's metadata: the same line from any other pod does not count.
        sources: [LogHeartbeat.lineSourceOf(fleetLogHeartbeatProps(props.heartbeatIntervalSeconds))],
      },
    });
    this.pki.addServer(this.aggregator);
    this.sourceCertificates = provideSourceCertificates(this.pki, cluster, props.sourceClusters);
    this.aggregatorEndpoint = `${cluster.aggregator.hostname}:${this.aggregator.vectorPort}`;
    this.aggregatorAddresses = cluster.aggregator.addresses;
    this.externalRemoteWrite = cluster.remoteWrite.external;
    this.externalLoki = cluster.loki.external;

    if (agent) {
      const namespace = agent.namespace ?? DEFAULT_MONITORING_AGENT_NAMESPACE;
      this.agent = new VectorAgent(this, 'agent', {
        namespace,
        cluster: { name: cluster.name, environment: cluster.environment, region: cluster.region },
        // In the cluster: to the aggregators' Service, a name on their server certificate.
        aggregator: {
          endpoints: [this.aggregator.endpoint],
          bufferBytes: agentBufferBytes(cluster, cluster.outageBudget),
        },
        remoteWrite: { endpoint: cluster.remoteWrite.endpoint },
        tls: this.pki.addInClusterClient(cluster.name, { namespace }),
        ...agentSchedulingProps(agent),
        ...agentNodeLogProps(agent),
      });
    }

    new VectorMonitoring(this, 'monitoring', {
      targets: [this.aggregator.monitoringTarget, ...(this.agent ? [this.agent.monitoringTarget] : [])],
      namespace: prometheus.namespace,
      cluster: cluster.name,
      ruleLabels: prometheus.ruleLabels,
    });
    if (props.sourceClusters.length > 0) {
      // Exactly the clusters that ship here, even where several monitoring clusters' series meet (Thanos, federation).
      // Cluster names are DNS labels, which hold no regular-expression syntax.
      new HeartbeatAlert(this, 'heartbeat-alert', {
        namespace: prometheus.namespace,
        ruleLabels: prometheus.ruleLabels,
        intervalSeconds: props.heartbeatIntervalSeconds,
        selector: `cluster=~"${props.sourceClusters.map((c) => c.name).join('|')}"`,
      });
    }

    // node-exporter's names for the host metrics of the clusters replacing it (README "Migrating from ...").
    const nodeExporterClusters = props.sourceClusters.flatMap((c) => {
      const job = recordedNodeJob(c.migration);
      return job === undefined ? [] : [{ cluster: c.name, job }];
    });
    if (nodeExporterClusters.length > 0) {
      new NodeExporterRecordingRules(this, 'node-exporter-names', {
        namespace: prometheus.namespace,
        ruleLabels: prometheus.ruleLabels,
        clusters: nodeExporterClusters,
      });
    }

    // VectorCertificateExpiring for every Certificate of this cluster (CA, server, clients), all created by now.
    new CertificateExpiryAlert(this, 'certificate-alert', {
      namespace: prometheus.namespace,
      ruleLabels: prometheus.ruleLabels,
      cluster: cluster.name,
      certificates: certificatesIn(this),
    });

    this.policies =
      cluster.networkPolicies === false
        ? undefined
        : new VectorNetworkPolicies(this, 'network-policies', {
            aggregator: this.aggregator,
            ...(this.agent ? { agent: this.agent, apiServer: cluster.apiServer, nodeCidrs: cluster.nodeCidrs } : {}),
            sourceClusterCidrs: sourceCidrs,
            loki: cluster.loki.pods,
            remoteWrite: cluster.remoteWrite.pods,
            prometheus: { namespace: prometheus.namespace, podLabels: prometheus.podLabels },
            ...(cluster.dns ? { dns: cluster.dns } : {}),
          });
  }

  /** What the source cluster `name` (one of `sourceClusters`) gets for its agents' client certificate, and how. */
  sourceCertificate(name: string): SourceCertificate {
    const provided = this.sourceCertificates.get(name);
    if (!provided) throw new Error(`${this.node.path}: "${name}" is not a source cluster that ships here`);
    return provided;
  }
}

/**
 * Where a monitoring cluster of the fleet keeps its CA Secret: in cert-manager's namespace, under a ClusterIssuer, when
 * its own agents run (the default), else in the aggregators' namespace. The source clusters copy it from there.
 */
export function fleetCaNamespace(cluster: MonitoringCluster): string {
  return cluster.agent === false
    ? DEFAULT_VECTOR_NAMESPACE
    : (cluster.certManagerNamespace ?? DEFAULT_CLUSTER_RESOURCE_NAMESPACE);
}
