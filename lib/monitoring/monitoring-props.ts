import type { VectorAlertDurations, VectorAlertSeverities } from './alerts';
import type { MonitoredWorkload } from './monitored-workload';

/** The Grafana dashboard ConfigMap, picked up by Grafana's dashboard sidecar. */
export interface VectorDashboardOptions {
  /** Write the dashboard ConfigMap. @default true */
  readonly enabled?: boolean;
  /** Namespace of the ConfigMap: where your Grafana sidecar looks. @default the `namespace` prop */
  readonly namespace?: string;
  /** Extra labels on the ConfigMap; `grafana_dashboard: "1"` is always set. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on the ConfigMap, e.g. the sidecar's folder annotation `grafana_folder`. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Dashboard title. @default 'Vector fleet / <cluster>' */
  readonly title?: string;
}

export interface VectorMonitoringProps {
  /** The Vector workloads to scrape, alert on and chart: the agent's and aggregators' `MonitoredWorkload`. */
  readonly targets: readonly MonitoredWorkload[];
  /** Namespace of the PrometheusRule (and, by default, the dashboard ConfigMap). */
  readonly namespace: string;
  /** Cluster name: every scraped series, every alert and the dashboard carry it as the `cluster` label. */
  readonly cluster: string;
  /** Base of the object names: `<name>-alerts`, `<name>-dashboard`. @default 'vector' */
  readonly name?: string;
  /**
   * Labels your Prometheus' `ruleSelector` and `podMonitorSelector` select on, put on the PrometheusRule and every
   * PodMonitor, e.g. `{ release: 'kube-prometheus-stack' }`. @default {}
   */
  readonly ruleLabels?: Readonly<Record<string, string>>;
  /** How often Prometheus scrapes each Vector pod. @default '30s' */
  readonly scrapeInterval?: string;
  /** The `rate()` window of the error and discard alerts; at least 4 × `scrapeInterval`. @default '5m' */
  readonly rateWindow?: string;
  /** Fill ratio of a buffer (size / configured maximum) above which `*BufferNearlyFull` fires. @default 0.8 */
  readonly bufferUsageThreshold?: number;
  /** Ratio of the Vector container's memory working set to its limit above which `*MemoryNearLimit` fires. @default 0.8 */
  readonly memoryUsageThreshold?: number;
  /** Errors per second of one component above which `*ComponentErrors` fires. @default 0 (any sustained error) */
  readonly componentErrorRateThreshold?: number;
  /** Events per second lost by one component or buffer above which the discard alerts fire. @default 0 (any loss) */
  readonly discardedEventRateThreshold?: number;
  /** How long each condition must hold before its alert fires. @default see `VectorAlertDurations` */
  readonly alertFor?: VectorAlertDurations;
  /** The `severity` label of each alert. @default see `VectorAlertSeverities` */
  readonly severities?: VectorAlertSeverities;
  /** Extra labels on every alert, e.g. `{ team: 'platform' }` for routing. @default {} */
  readonly alertLabels?: Readonly<Record<string, string>>;
  /** When set, every alert gets `runbook_url: <runbookBaseUrl>/<alertname in lowercase>`. @default no runbook_url */
  readonly runbookBaseUrl?: string;
  /**
   * Label matchers that pick kube-state-metrics' series, e.g. add `cluster="prod"` when rules run in a central
   * Prometheus or Thanos Ruler. @default 'job="kube-state-metrics"'
   */
  readonly kubeStateMetricsSelector?: string;
  /** Label matchers that pick cAdvisor's series. @default 'job="kubelet", metrics_path="/metrics/cadvisor"' */
  readonly cadvisorSelector?: string;
  /** The Grafana dashboard ConfigMap. @default enabled, in `namespace` */
  readonly dashboard?: VectorDashboardOptions;
}
