/**
 * What self-monitoring needs to know about one Vector workload. The agent and aggregator
 * constructs expose one of these, so scrape targets, alerts and dashboards follow their ports,
 * names and labels without any value being copied by hand.
 */
export interface MonitoredWorkload {
  /** `agent` or `aggregator`: used in alert names, the `role` label and dashboard rows. */
  readonly role: 'agent' | 'aggregator';
  readonly namespace: string;
  /** Kind and name of the controller, e.g. DaemonSet `vector-agent`. */
  readonly workloadKind: 'DaemonSet' | 'StatefulSet' | 'Deployment';
  readonly workloadName: string;
  /** Name of the Vector container in the pod. */
  readonly containerName: string;
  /** Labels that select exactly the workload's pods (stable: no version). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Name of the container port that serves Vector's internal metrics in Prometheus format. */
  readonly metricsPortName: string;
  /** HTTP path of the metrics endpoint. */
  readonly metricsPath: string;
  /**
   * More ports to scrape, beside the metrics port, e.g. the aggregator's heartbeat counter. They are not Vector's
   * internal metrics, so the alerts and the dashboard ignore them.
   * @default none
   */
  readonly extraEndpoints?: readonly MonitoredEndpoint[];
}

/** A further scrape endpoint of a workload's pods. */
export interface MonitoredEndpoint {
  /** Name of the container port. */
  readonly portName: string;
  /** HTTP path of the endpoint. */
  readonly path: string;
  /**
   * Keep the scraped series' own labels where they clash with the target's: the heartbeat counter's `cluster` names
   * the source cluster, which the PodMonitor's `cluster` relabelling would otherwise move to `exported_cluster`.
   */
  readonly honorLabels: boolean;
}
