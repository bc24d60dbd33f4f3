import type { SecretKeyRef } from '../k8s/vector-workload';
import type { Toleration, TopologySpreadConstraint, WorkloadAffinity } from '../k8s/pod-overrides';
import type { ContainerResources } from '../k8s/resources';
import type { NetworkPeer } from '../network';
import type { JournaldOptions, MultilineOptions } from '../agent';

/**
 * The clusters of a fleet and what each of them runs: plain data, written in TypeScript or as `fleet.yaml`
 * ({@link parseFleetYaml}). Every value that two clusters share (the aggregators' hostname and addresses, the CA, the
 * source clusters' egress addresses, the remote-write and Loki endpoints) is written once, on the cluster that owns it,
 * and flows from there to the others.
 */
export interface Fleet {
  /**
   * The monitoring cluster whose aggregators the source clusters ship to, unless a source cluster names its own
   * ({@link SourceCluster.monitoringCluster}).
   * @default the only cluster with role `monitoring`; with several, every source cluster names its own
   */
  readonly monitoringCluster?: string;
  /**
   * How often every source cluster's log heartbeat prints, in seconds. The aggregators' heartbeat counter and the
   * `VectorHeartbeatMissing` alert follow it, which is why it is set once for the fleet: the alert's window of known
   * clusters is a day, or 10 intervals when those are longer. A whole number from 1 to 86400.
   * @default 120
   */
  readonly heartbeatIntervalSeconds?: number;
  /** One entry per cluster; names are unique. At least one monitoring cluster. */
  readonly clusters: readonly FleetCluster[];
  /**
   * GitOps delivery of the synthesized folders to every cluster: the objects for Flux in `dist/_flux/`
   * ({@link DeliveryInventory}).
   * @default none: apply `dist/<cluster>/` yourself
   */
  readonly delivery?: DeliveryInventory;
}

export type FleetCluster = SourceCluster | MonitoringCluster;
export type FleetClusterRole = FleetCluster['role'];

/** What every cluster has, whatever its role. */
export interface FleetClusterBase {
  /**
   * A DNS label of at most 51 characters, unique in the fleet: the `cluster` label of every event and series, and the
   * folder `dist/<name>/`. 51, because a source cluster's agents present the client certificate `vector-agent.<name>`
   * and X.509 limits a common name to 64 characters.
   */
  readonly name: string;
  /** e.g. `development`, `staging`, `production`. */
  readonly environment: string;
  /** e.g. the Hetzner location `fsn1`. */
  readonly region: string;
  /**
   * The API server as pods reach it: the addresses and port of the `default/kubernetes` Service's endpoints
   * (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`), not its ClusterIP. The agents'
   * network policy allows exactly these, since `kubernetes_logs` watches the API server.
   */
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
  /** The nodes' addresses, where the agents scrape the kubelets (port 10250). */
  readonly nodeCidrs: readonly string[];
  /** The cluster's Prometheus (kube-prometheus-stack, say). @default see {@link PrometheusInventory} */
  readonly prometheus?: PrometheusInventory;
  /**
   * Where the cluster's pods resolve names, for the policies' DNS rule: pods (`{ namespace, podLabels }`) or, for a
   * node-local DNS cache, its address (`{ cidrs: ['169.254.20.10/32'] }`).
   * @default the kube-system pods labelled `k8s-app: kube-dns`
   */
  readonly dns?: NetworkPeer;
  /** Write least-privilege NetworkPolicies (default-deny in every namespace the fleet creates). @default true */
  readonly networkPolicies?: boolean;
  /**
   * Add `secret.reloader.stakater.com/reload` to the Vector workloads, so that Stakater Reloader (installed separately)
   * restarts them when cert-manager renews their certificate; Vector does not reload certificate files itself.
   * @default true
   */
  readonly restartOnCertificateRenewal?: boolean;
  /**
   * How many log bytes per second this cluster's agents ship: sizes the agents' disk buffer and the aggregators' share
   * of it when the monitoring cluster has an {@link MonitoringCluster.outageBudget} (README "Sizing the buffers from
   * an outage budget"). Required on every cluster that ships to a monitoring cluster with an outage budget, and on
   * that monitoring cluster while its own agents run; unused on a monitoring cluster with `agent: false`.
   * @default none: the buffers keep their fixed defaults
   */
  readonly logRate?: LogRateInventory;
  /**
   * The disk each node can give the agent's buffer (under `/var/lib/vector-agent`), in bytes: the synth fails when the
   * agents' buffer, derived or default (536870912), is larger.
   * @default not checked
   */
  readonly nodeDiskBudgetBytes?: number;
}

/**
 * Log bytes per second, as Vector's disk buffers store them (about the events' JSON size), e.g. from
 * `rate(vector_buffer_received_bytes_total{component_id="to_aggregators"}[1h])` of the agents at the busiest hour.
 */
export interface LogRateInventory {
  /** The busiest node's agent: its buffer must hold the longest outage. More than 0, at most {@link bytesPerSecond}. */
  readonly bytesPerSecondPerNode: number;
  /** The whole cluster, every node's agent together: what it adds to the aggregators' buffers. More than 0. */
  readonly bytesPerSecond: number;
}

/**
 * The outages the buffers must ride out without losing a line, in whole minutes: the buffers are sized from the
 * clusters' {@link LogRateInventory} instead of their defaults. Loki down fills the aggregators' buffers; aggregators
 * down (or unreachable) fills the agents'. The two add up: a Loki outage fills the aggregators' buffers first, then
 * the agents', so Loki may be down for about both together.
 */
export interface OutageBudgetInventory {
  /** Loki down: sizes each aggregator replica's Loki buffer, and its volume. @default the 1 GiB default buffer */
  readonly lokiDownMinutes?: number;
  /** The aggregators down: sizes the agents' buffer on every node. @default the 512 MiB default buffer */
  readonly aggregatorDownMinutes?: number;
}

/** The Prometheus of one cluster: where rules and monitors go, and who scrapes. */
export interface PrometheusInventory {
  /** Namespace of the PrometheusRules, PodMonitors' selectors and dashboards. @default 'monitoring' */
  readonly namespace?: string;
  /** Labels of the Prometheus pods, allowed to scrape the Vector workloads. @default { 'app.kubernetes.io/name': 'prometheus' } */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Labels Prometheus selects rules and monitors by. @default { release: 'kube-prometheus-stack' } */
  readonly ruleLabels?: Readonly<Record<string, string>>;
}

/** A cluster whose logs and metrics the fleet collects: it runs Vector agents. */
export interface SourceCluster extends FleetClusterBase {
  readonly role: 'source';
  /**
   * The monitoring cluster this cluster's agents ship to: its aggregators receive the logs, its heartbeat alert
   * watches this cluster, its remote-write endpoint takes the metrics.
   * @default the fleet's `monitoringCluster`, or the only monitoring cluster
   */
  readonly monitoringCluster?: string;
  /**
   * The addresses this cluster's connections leave from, as the monitoring cluster sees them (its NAT or egress
   * addresses). The aggregators' network policy accepts the `vector` port from the union of every source cluster's.
   */
  readonly egressCidrs: readonly string[];
  /**
   * The agents' host and kubelet metrics go to the monitoring cluster's `remoteWrite.external` endpoint with the bearer
   * token of this Secret (in the agents' namespace). `false`: no metrics leave the cluster.
   * @default { tokenSecret: { name: 'prometheus-remote-write', key: 'token' } } when the monitoring cluster has
   *   `remoteWrite.external`, else false
   */
  readonly remoteWrite?: false | { readonly tokenSecret?: SecretKeyRef };
  /** A one-replica Deployment printing a heartbeat line per interval, alerted on per cluster. @default true */
  readonly logHeartbeat?: boolean;
  /**
   * Collect the cluster's Kubernetes events (`KubernetesEvents`: one event exporter and Vector pod in the agents'
   * namespace) and ship them to the aggregators like the logs. On by default: events are what one reads first when
   * something breaks, the API server keeps them for an hour only, and the pod costs 30m / 96Mi requested.
   * @default true
   */
  readonly kubernetesEvents?: boolean;
  /** The network heartbeat server (`/heartbeat/{bytes}`). @default false */
  readonly httpHeartbeat?: false | HttpHeartbeatInventory;
  /** The deployment status API (`/api/healthz/{namespace}/deployment/{name}`). @default false */
  readonly deploymentStatusApi?: false | DeploymentStatusApiInventory;
  /** An Airflow KubernetesExecutor pod template whose Vector sidecar ships task logs to Loki. @default false */
  readonly airflow?: false | AirflowInventory;
  /**
   * Scheduling, resources and node-log options of the Vector agents (`VectorAgent` `pod`, `resources`, `journald`,
   * `multiline`). @default the agent's defaults
   */
  readonly agent?: AgentInventory;
  /**
   * Who issues this cluster's agent client certificate. `sourceCluster`: its own cert-manager, with a CA Issuer over a
   * copy of the monitoring cluster's CA Secret, key included (`VectorClientPki`), so this cluster can sign any
   * certificate of the fleet. `monitoringCluster`: the monitoring cluster's cert-manager
   * (`VectorPki.addClientCertificate`); this cluster gets only its own certificate, never the CA key, and the copy must
   * be renewed with it (External Secrets does that, see {@link certificateDistribution}).
   * @default 'sourceCluster'
   */
  readonly clientCertificateIssuer?: 'sourceCluster' | 'monitoringCluster';
  /**
   * How the CA Secret, or with `clientCertificateIssuer: monitoringCluster` the client certificate, gets here.
   * `externalSecrets`: an ExternalSecret pulls what the monitoring cluster pushes (it must have a
   * `certificateDistribution`); `manual`: copied by hand (README "Copying the CA Secret to a source cluster"), e.g. a
   * cluster without External Secrets.
   * @default the monitoring cluster's: `externalSecrets` with its store's name and kind when it has a
   *   certificateDistribution, else manual
   */
  readonly certificateDistribution?: SourceCertificateDistribution;
  /**
   * Replacing Promtail and node-exporter on this cluster with the fleet's agents, one phase at a time (README
   * "Migrating from Promtail and node-exporter"): the synth marks this cluster's log lines while both stacks run,
   * records node-exporter's series names from the agents' host metrics, and writes `dist/<cluster>/migration.md`, the
   * runbook with this cluster's commands. @default no migration
   */
  readonly migration?: MigrationInventory;
}

/** The phases of a migration, in order: both stacks run; the old agents are scaled down; they are deleted. */
export type MigrationPhase = 'sideBySide' | 'cutover' | 'done';

/** A DaemonSet the migration retires: not the fleet's, so the runbook scales it down with `kubectl`. */
export interface RetiredDaemonSet {
  readonly namespace: string;
  readonly name: string;
}

/** See {@link SourceCluster.migration}. */
export interface MigrationInventory {
  /**
   * `sideBySide`: the agents run beside Promtail and node-exporter, their lines in Loki under `collector="vector"`
   * and the recorded `node_*` series under `job="vector-host-metrics"`, so nothing is counted twice. `cutover`: the
   * old DaemonSets are scaled down; lines keep the label, the recorded series take node-exporter's `job`, so its
   * dashboards and alerts read the agents' series unchanged. `done`: the old DaemonSets are deleted and the label goes.
   */
  readonly phase: MigrationPhase;
  /** The Promtail DaemonSet this cluster runs. At least one of `promtail` and `nodeExporter`. */
  readonly promtail?: RetiredDaemonSet;
  /** The node-exporter DaemonSet this cluster runs; its host metrics reach the monitoring cluster's Prometheus. */
  readonly nodeExporter?: RetiredDaemonSet & {
    /** The `job` label node-exporter's series carry, which its dashboards and alerts select. @default its `name` */
    readonly job?: string;
  };
  /**
   * When the side-by-side run started and ended, as ISO 8601 timestamps with a time zone
   * (`2026-12-01T09:00:00Z`). `cutover` and `done` need both, at least 48 hours apart: two days of both stacks,
   * compared, before the old one goes.
   */
  readonly sideBySide?: { readonly startedAt: string; readonly completedAt?: string };
}

/** How a source cluster gets its certificate material (see {@link SourceCluster.certificateDistribution}). */
export type SourceCertificateDistribution =
  | { readonly method: 'manual' }
  | {
      readonly method: 'externalSecrets';
      /** The store in this cluster that reads the monitoring cluster's backend. @default the monitoring cluster's store name and kind */
      readonly secretStore?: SecretStoreInventory;
      /** How often the ExternalSecret reads the store again. @default the monitoring cluster's refreshInterval */
      readonly refreshInterval?: string;
    };

/** A SecretStore (in the Vector namespace) or ClusterSecretStore of the External Secrets Operator. */
export interface SecretStoreInventory {
  /** The store's name, a DNS subdomain. */
  readonly name: string;
  /** @default 'SecretStore' */
  readonly kind?: 'SecretStore' | 'ClusterSecretStore';
}

/**
 * How the monitoring cluster hands its certificate material to the source clusters: pushed to an external store with
 * External Secrets' PushSecret, which the source clusters read with ExternalSecrets. Set once here, for every source
 * cluster that ships here, because the CA and the keys in the store are this cluster's; a source cluster may still
 * opt out (`certificateDistribution: { method: manual }`) or name its own store.
 */
export interface MonitoringCertificateDistribution {
  readonly method: 'externalSecrets';
  /** The store the PushSecrets write to, in this cluster (the Vector namespace's SecretStore, or a ClusterSecretStore). */
  readonly secretStore: SecretStoreInventory;
  /**
   * Put before each Secret's name to make its key in the store: letters, digits, `-`, `_`, `.` and `/`, at most 180.
   * @default 'vector-fleet-<cluster>-', e.g. `vector-fleet-monitoring-vector-ca`
   */
  readonly remoteKeyPrefix?: string;
  /**
   * How often the PushSecrets push and the ExternalSecrets pull again, a Go duration from `1m` to `36h`. The PushSecret
   * controller does not watch the Secret, so a renewed certificate reaches a source cluster within two intervals.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** Who may reach an HTTP workload: pods of these namespaces (an ingress controller's, say). */
export interface IngressFrom {
  /** Namespaces whose pods may connect, e.g. `['ingress-nginx']`. At least one. */
  readonly ingressNamespaces: readonly string[];
}

export interface HttpHeartbeatInventory extends IngressFrom {
  /** Largest body it serves, in bytes. @default 1048576 */
  readonly maxBodyBytes?: number;
}

export interface DeploymentStatusApiInventory extends IngressFrom {
  /** The Secret (in the API's namespace) holding the basic-auth token. */
  readonly authTokenSecret: SecretKeyRef;
  /** Namespaces whose deployments it may read, with Roles. @default every namespace, with a ClusterRole */
  readonly namespaces?: readonly string[];
}

export interface AirflowInventory {
  /** The Airflow image of the task pods, pinned, e.g. `apache/airflow:2.10.5`. */
  readonly airflowImage: string;
  /** Where Airflow runs its task pods. @default 'airflow' */
  readonly namespace?: string;
  /** `native`: the sidecar as a native sidecar (Kubernetes >= 1.29). @default 'container' */
  readonly sidecarMode?: 'container' | 'native';
  /**
   * The release name of the official Airflow Helm chart that runs the tasks: the template then carries what the
   * chart's own pod template gives task pods (Fernet key and metadata Secrets, `airflow.cfg`, logs volume, worker
   * ServiceAccount), and `airflow-values.yaml` beside the manifests is its `podTemplate` value.
   * @default 'airflow'
   */
  readonly helmReleaseName?: string;
  /**
   * A Secret in {@link namespace} whose key holds a bearer token for the monitoring cluster's external Loki, which task
   * pods push to directly.
   * @default no authentication
   */
  readonly lokiTokenSecret?: SecretKeyRef;
}

/** The cluster that runs the aggregators, Loki and the central Prometheus. */
export interface MonitoringCluster extends FleetClusterBase {
  readonly role: 'monitoring';
  /**
   * A monitoring cluster that no source cluster ships to yet (a spare, or one being built): its aggregators and alerts
   * are synthesized with no source clusters. Without it, a monitoring cluster nobody ships to is refused, since its
   * heartbeat alert would watch nothing.
   * @default false
   */
  readonly standby?: boolean;
  /**
   * Vector agents on the monitoring cluster's own nodes too, so that its pods' logs (Loki's, Prometheus', the
   * aggregators') and its host metrics reach its Loki and Prometheus: they ship to the aggregators' in-cluster Service
   * with a client certificate cert-manager issues here, from the fleet's CA, which then lives in
   * {@link certManagerNamespace} under a ClusterIssuer. `false`: no agent, and the CA stays in the aggregators' namespace.
   * @default { namespace: 'vector-agent' }
   */
  readonly agent?: false | MonitoringAgentInventory;
  /**
   * cert-manager's cluster resource namespace (its `--cluster-resource-namespace`; the namespace its chart installs it
   * in), where a ClusterIssuer reads its CA Secret: with {@link agent} on, the fleet's CA Secret is written there, and
   * source clusters copy it from there.
   * @default 'cert-manager'
   */
  readonly certManagerNamespace?: string;
  readonly aggregator: AggregatorInventory;
  readonly loki: LokiInventory;
  readonly remoteWrite: RemoteWriteInventory;
  /**
   * Distribute the CA Secret (to source clusters that issue their own client certificates) and the client certificates
   * issued here (to the others) with External Secrets, instead of by hand.
   * @default none: copied by hand (README "Copying the CA Secret to a source cluster")
   */
  readonly certificateDistribution?: MonitoringCertificateDistribution;
  /**
   * Size the buffers for these outages, from the `logRate` of every cluster that ships here (its own too, with its
   * agent on): the aggregators' Loki buffers and volumes, and the agents' buffers of those clusters.
   * @default none: the default buffers (1 GiB per aggregator, 512 MiB per node)
   */
  readonly outageBudget?: OutageBudgetInventory;
}

/**
 * Where the Vector agents run and what they may use: a subset of `VectorAgent`'s `pod` and `resources`, the fields a
 * fleet sets per cluster. Checked like the construct checks them.
 */
export interface AgentSchedulingInventory {
  /**
   * Replace the agents' default toleration of every taint (a node without an agent loses its logs), e.g. to keep them
   * off nodes tainted `dedicated=gpu:NoSchedule`.
   * @default [{ operator: 'Exists' }]
   */
  readonly tolerations?: readonly Toleration[];
  /** Node labels the agents are limited to. @default every node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default 'system-node-critical' */
  readonly priorityClassName?: string;
  /** Requests and limits of the Vector container. @default 100m / 128Mi requested, 500m / 512Mi limit */
  readonly resources?: ContainerResources;
}

/** The agents' scheduling fields and what they collect besides container logs. */
export interface AgentInventory extends AgentSchedulingInventory {
  /**
   * Node logs from the systemd journal (`VectorAgent` `journald`): `false` off, `true` kubelet.service and
   * containerd.service, or `{ units, journalDirectory }`. On, the agents run the `-debian` Vector image.
   * @default true
   */
  readonly journald?: boolean | JournaldOptions;
  /**
   * Merge multiline stack traces of container logs (`VectorAgent` `multiline`): `true` Java, Python and Go, or
   * `{ languages, startPattern, expireAfterMs, maxLines }`.
   * @default false
   */
  readonly multiline?: boolean | MultilineOptions;
}

export interface MonitoringAgentInventory extends AgentInventory {
  /**
   * The agents' namespace, Pod Security `privileged` since they read host paths: not the aggregators' (`vector-system`),
   * which stays `restricted`.
   * @default 'vector-agent'
   */
  readonly namespace?: string;
}

export interface AggregatorInventory {
  /**
   * The DNS name of the aggregators' load balancer: the agents of every source cluster connect to it, and the server
   * certificate covers it.
   */
  readonly hostname: string;
  /**
   * What {@link hostname} resolves to, as CIDRs: the agents' network policy may connect there, and the aggregators'
   * accepts connections from there, since a proxying load balancer (Hetzner's) connects from its own address. On
   * Hetzner, pin the address with the `load-balancer.hetzner.cloud/private-ipv4` annotation.
   */
  readonly addresses: readonly string[];
  /** @default 3 */
  readonly replicas?: number;
  /** The `vector` source's port, on the pods and the load balancer. @default 6000 */
  readonly vectorPort?: number;
  /**
   * Annotations of the LoadBalancer Service, e.g. Hetzner's location and private-network ones: label-style keys, and at
   * most 256 KiB of keys and values together (the API server's limit).
   * @default none
   */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
  /** Node labels the aggregators are limited to. @default every node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the aggregators tolerate, e.g. of nodes dedicated to monitoring. @default none */
  readonly tolerations?: readonly Toleration[];
  /**
   * Node affinity and further pod (anti-)affinity terms, added to the aggregators' own required anti-affinity (one
   * replica per node), which stays.
   * @default none
   */
  readonly affinity?: WorkloadAffinity;
  /** E.g. spread the replicas over zones; `labelSelector` defaults to the aggregators' pods. @default none */
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  /** Requests and limits of the Vector container. @default 250m / 512Mi requested, 1 / 1Gi limit */
  readonly resources?: ContainerResources;
  /**
   * A HorizontalPodAutoscaler instead of a fixed count (README "Autoscaling the aggregators"); refused beside
   * {@link replicas}.
   * @default none: {@link replicas}
   */
  readonly autoscaling?: AggregatorAutoscalingInventory;
  /**
   * Each replica's volume, a quantity such as `20Gi`: the synth fails when the Loki buffer (derived from the outage
   * budget, or 1 GiB) does not fit.
   * @default the buffer rounded up to GiB, plus 1Gi
   */
  readonly storageSize?: string;
}

/** The aggregators' HorizontalPodAutoscaler; see `AggregatorAutoscaling` for each value's limits. */
export interface AggregatorAutoscalingInventory {
  /** At least 2, for the PodDisruptionBudget; the outage budget sizes the buffers for this many. @default 3 */
  readonly minReplicas?: number;
  /** At least {@link minReplicas}. */
  readonly maxReplicas: number;
  /** Target CPU use in percent of the request. @default 70 */
  readonly cpuUtilization?: number;
  /** Target memory use in percent of the request. @default 80 */
  readonly memoryUtilization?: number;
}

/** Pods behind an in-cluster Service, for network policies. */
export interface InClusterPods {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** The pods' port when the Service maps another one. @default the URL's port */
  readonly targetPort?: number;
}

/** A URL outside the cluster it is used from, and what its hostname resolves to. */
export interface ExternalEndpoint {
  readonly endpoint: string;
  readonly cidrs: readonly string[];
}

export interface LokiInventory {
  /** Loki's in-cluster URL, where the aggregators push, e.g. `http://loki-gateway.monitoring.svc:80`. */
  readonly endpoint: string;
  /** The pods behind {@link endpoint}. */
  readonly pods: InClusterPods;
  /**
   * Loki as the source clusters reach it, e.g. `https://loki.monitoring.example.com`: needed by Airflow sidecars, which
   * push directly. (Airflow's namespace is Airflow's own, so the fleet writes no policy there that would need its
   * addresses.)
   * @default none
   */
  readonly external?: { readonly endpoint: string };
}

export interface RemoteWriteInventory {
  /** Prometheus' in-cluster remote-write URL, where the aggregators write metrics. */
  readonly endpoint: string;
  /** The pods behind {@link endpoint}. */
  readonly pods: InClusterPods;
  /** The remote-write URL as the source clusters' agents reach it. @default none: source metrics stay home */
  readonly external?: ExternalEndpoint;
}

/**
 * How the fleet is delivered: Flux, running in one management cluster, applies each `<path>/<cluster>/` of the Git
 * repository to its cluster, the monitoring clusters before the source clusters that ship to them.
 */
export interface DeliveryInventory {
  /** The GitOps tool. Only Flux: its `dependsOn` orders the rollout on every commit (see README). */
  readonly tool: 'flux';
  readonly repository: DeliveryRepository;
  /**
   * Where the synthesized folders are in the repository, from its root: the folder the synth writes (CDK8S_OUTDIR, or
   * FLEET_PROMOTE_TO with `cdk8s synth`), which the synth checks when it writes inside a Git work tree.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * The fleet cluster Flux runs in, if it is one: its folder is applied with Flux's own permissions. Every other
   * cluster is reached through the kubeconfig in the Secret `<cluster>-kubeconfig` of {@link namespace}.
   * @default none: Flux runs outside the fleet, and every cluster has a kubeconfig Secret
   */
  readonly managementCluster?: string;
  /** Flux's namespace in the management cluster. @default 'flux-system' */
  readonly namespace?: string;
  /** How often each cluster's folder is applied again, correcting drift (a Go duration). @default '10m' */
  readonly interval?: string;
  /** How long applying a folder and waiting for its objects to be ready may take (a Go duration). @default '10m' */
  readonly timeout?: string;
}

/** The Git repository that holds the committed `dist/`. */
export interface DeliveryRepository {
  /** `https://`, `http://` or `ssh://` URL, e.g. `ssh://git@github.com/example/fleet.git`. */
  readonly url: string;
  /** What to follow: a branch (`{ branch: main }`) or a tag (`{ tag: v1.2.0 }`). @default { branch: 'main' } */
  readonly ref?: { readonly branch: string } | { readonly tag: string };
  /** A Secret in Flux's namespace with the repository's credentials, which you create. @default none: a public repository */
  readonly secretName?: string;
}
