import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { commonLabels } from '../k8s/labels';
import { PodMonitor, PrometheusRule, type RelabelConfig } from '../k8s/prometheus-operator';
import {
  alertKindsFor,
  alertName,
  vectorRuleGroup,
  type VectorAlertDurations,
  type VectorAlertSeverities,
} from './alerts';
import { dashboardUid, stableJson, vectorDashboard } from './dashboard';
import type { MonitoredWorkload } from './monitored-workload';
import { resolveProps } from './resolve-props';

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

/**
 * Self-monitoring of a Vector fleet in one cluster: a PodMonitor per workload (labelling every series with `cluster`,
 * `node`, `role` and `workload`; also scraping the workload's `extraEndpoints`, such as the heartbeat counter), a
 * PrometheusRule with the alerts a platform engineer gets paged for (pods down or missing, errors, lost events, full
 * buffers, memory near the limit), and a Grafana dashboard ConfigMap.
 *
 * Alerts select by cluster, namespace and workload name, so two fleets on one Prometheus never mix.
 */
export class VectorMonitoring extends Construct {
  /** One per target, in the target's namespace. */
  public readonly podMonitors: readonly PodMonitor[];
  public readonly prometheusRule: PrometheusRule;
  /** The dashboard ConfigMap, unless `dashboard.enabled` is false. */
  public readonly dashboardConfigMap?: k8s.KubeConfigMap;
  /** The Grafana uid of the dashboard: stable, derived from the cluster name. */
  public readonly dashboardUid: string;
  /** Every alert name the PrometheusRule defines, in order. */
  public readonly alertNames: readonly string[];

  constructor(scope: Construct, id: string, props: VectorMonitoringProps) {
    super(scope, id);
    const resolved = resolveProps(this.node.path, props);
    const labels = commonLabels({ name: 'vector', instance: `${resolved.name}-monitoring`, component: 'monitoring' });

    this.podMonitors = props.targets.map(
      (target) =>
        // In the target's namespace, not the rule's: a Prometheus with `ignoreNamespaceSelectors` only scrapes pods
        // in the monitor's own namespace.
        new PodMonitor(this, `pod-monitor-${target.role}-${target.namespace}`, {
          metadata: {
            name: target.workloadName,
            namespace: target.namespace,
            labels: { ...labels, ...resolved.ruleLabels },
          },
          spec: {
            selector: { matchLabels: target.selectorLabels },
            namespaceSelector: { matchNames: [target.namespace] },
            podMetricsEndpoints: [
              {
                port: target.metricsPortName,
                path: target.metricsPath,
                interval: resolved.scrapeInterval,
                relabelings: [
                  ...targetRelabelings(props.cluster, target),
                  { targetLabel: 'workload', replacement: target.workloadName, action: 'replace' },
                ],
              },
              ...(target.extraEndpoints ?? []).map((endpoint) => ({
                port: endpoint.portName,
                path: endpoint.path,
                interval: resolved.scrapeInterval,
                ...(endpoint.honorLabels ? { honorLabels: true } : {}),
                // No `workload`: the alerts select Vector's own series (and `up`) by it, and a second `up` per pod
                // would page twice for one pod down.
                relabelings: targetRelabelings(props.cluster, target),
              })),
            ],
          },
        }),
    );

    this.prometheusRule = new PrometheusRule(this, 'prometheus-rule', {
      metadata: {
        name: `${resolved.name}-alerts`,
        namespace: props.namespace,
        labels: { ...labels, ...resolved.ruleLabels },
      },
      spec: { groups: props.targets.map((target) => vectorRuleGroup(target, resolved.alert)) },
    });
    this.alertNames = props.targets.flatMap((target) =>
      alertKindsFor(target).map((kind) => alertName(target.role, kind)),
    );

    this.dashboardUid = dashboardUid(props.cluster);
    if (resolved.dashboard.enabled) {
      const model = vectorDashboard({
        cluster: props.cluster,
        title: resolved.dashboard.title,
        targets: props.targets,
        bufferUsageThreshold: resolved.alert.bufferUsageThreshold,
        memoryUsageThreshold: resolved.alert.memoryUsageThreshold,
        kubeStateMetricsSelector: resolved.alert.kubeStateMetricsSelector,
        cadvisorSelector: resolved.alert.cadvisorSelector,
      });
      this.dashboardConfigMap = new k8s.KubeConfigMap(this, 'dashboard', {
        metadata: {
          name: `${resolved.name}-dashboard`,
          namespace: resolved.dashboard.namespace,
          labels: { ...labels, ...resolved.dashboard.labels, grafana_dashboard: '1' },
          ...(Object.keys(resolved.dashboard.annotations).length === 0
            ? {}
            : { annotations: { ...resolved.dashboard.annotations } }),
        },
        data: { [`${resolved.name}-${props.cluster}.json`]: stableJson(model) },
      });
    }
  }
}

/**
 * The target labels every endpoint of a workload gets. With `honorLabels` a scraped series' own label wins, so the
 * heartbeat counter keeps the source cluster's name in `cluster` while its `up` carries this cluster's.
 */
function targetRelabelings(cluster: string, target: MonitoredWorkload): RelabelConfig[] {
  return [
    // A DaemonSet's pods are per node: alerts and the dashboard name the node.
    { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' },
    { targetLabel: 'cluster', replacement: cluster, action: 'replace' },
    { targetLabel: 'role', replacement: target.role, action: 'replace' },
  ];
}
