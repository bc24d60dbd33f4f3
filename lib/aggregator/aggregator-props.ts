import type { HeartbeatLineSource } from '../k8s/heartbeat-line';
import type { WorkloadTls } from '../k8s/tls';
import type { SecretKeyRef, VectorWorkloadProps } from '../k8s/vector-workload';
import type { AggregatorAutoscaling } from './aggregator-autoscaling';
import type { NamespaceSampling } from './aggregator-pipeline';

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
 * (`vector_heartbeat_total{cluster}`, see `heartbeatCounterComponents`), their lag and sequence numbers measured
 * (`vector_heartbeat_lag_seconds`, `vector_heartbeat_sent_total`, per cluster and `heartbeat_pod`), and served on a
 * port of their own for `HeartbeatAlert`. It reads the fields the agents' JSON parsing (`VectorAgent` `parseJson`, on by default) puts on
 * the event, and counts a line only when Vector's metadata says it comes from one of `sources`.
 */
export interface AggregatorHeartbeat {
  /**
   * The `LogHeartbeat`s' interval in seconds (give `HeartbeatAlert` the same); sets how long a quiet cluster's
   * counter stays exposed. A whole number from 1 to 86400.
   * @default 120 (`DEFAULT_HEARTBEAT_INTERVAL_SECONDS`)
   */
  readonly intervalSeconds?: number;
  /**
   * The `LogHeartbeat`s whose lines count: each one's `lineSource` (its namespace and pod selector labels). The same
   * line printed by any other pod is not counted, so it cannot keep a cluster's heartbeat alive.
   * @default the default `LogHeartbeat`'s (namespace `logging`, name `vector-heartbeat`)
   */
  readonly sources?: readonly HeartbeatLineSource[];
  /** Port of the heartbeat exporter: container port `heartbeat`, on the headless Service. @default 9599 */
  readonly port?: number;
}

export interface VectorAggregatorProps extends VectorWorkloadProps {
  /** Where logs go. */
  readonly loki: LokiTarget;
  /** Where metrics from the agents go. */
  readonly metrics: AggregatorMetricsTarget;
  /** Replicas; agents spread over them. Refused with `autoscaling`, which sets the count. @default 3 */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler on CPU and memory instead of a fixed count: the StatefulSet (or Deployment) then has no
   * `spec.replicas`, so a GitOps apply never scales it back, and scale-down is slow (README "Autoscaling the
   * aggregators"). With `stateless` it needs `acceptBufferLossOnScaleDown: true`.
   * @default none: a fixed `replicas`
   */
  readonly autoscaling?: AggregatorAutoscaling;
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
   * compared on these fields. The default names one delivery of one line in Vector's values only: the cluster, the
   * file and stream it was read from, the container runtime's write time (nanoseconds) and the agent's digest of the
   * raw line, so two different lines are never taken for one, whatever their JSON says. `false` turns it off.
   * @default cluster, file, stream, timestamp, line_hash (`DELIVERY_FIELDS`)
   */
  readonly dedupeFields?: readonly string[] | false;
  /**
   * Namespaces whose logs are sampled (keep 1 in `rate`); every other namespace is kept whole.
   * @default kube-system 1 in 10, ingress-nginx 1 in 5
   */
  readonly sampling?: readonly NamespaceSampling[];
  /**
   * Clusters whose lines get the Loki label `collector="vector"` (`COLLECTOR_LABEL`), to tell them apart from another
   * collector's copies of the same lines while both run: a cluster migrating from Promtail. Values of the agents'
   * `cluster` field.
   * @default none: no line gets the label
   */
  readonly markedClusters?: readonly string[];
  /** @default buffer size rounded up to GiB, plus 1Gi; default StorageClass */
  readonly storage?: AggregatorStorage;
  /** An extra LoadBalancer Service. @default none */
  readonly loadBalancer?: AggregatorLoadBalancer;
  /**
   * Count LogHeartbeat lines per cluster for `HeartbeatAlert`, on port 9599. On by default because every cluster of
   * the fleet runs a `LogHeartbeat` and it costs three small components and a port; `false` leaves it out (e.g. to
   * add `addHeartbeatCounter` yourself with other inputs).
   * @default { intervalSeconds: 120, port: 9599 }, the default LogHeartbeat's lines
   */
  readonly heartbeat?: false | AggregatorHeartbeat;
  /**
   * mTLS on the `vector` source: the server certificate, key and CA from this Secret (e.g. from
   * `VectorPki`); agents must present a client certificate signed by that CA.
   * @default plain HTTP/2 (only for tests and trusted networks)
   */
  readonly tls?: WorkloadTls;
}
