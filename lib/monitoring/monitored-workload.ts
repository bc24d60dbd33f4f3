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
}
