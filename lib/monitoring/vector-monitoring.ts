import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { commonLabels } from '../k8s/labels';
import { PodMonitor, PrometheusRule, type RelabelConfig } from '../k8s/prometheus-operator';
import { alertKindsFor, alertName, vectorRuleGroup } from './alerts';
import { dashboardUid, stableJson, vectorDashboard } from './dashboard';
import type { MonitoredWorkload } from './monitored-workload';
import type { VectorMonitoringProps } from './monitoring-props';
import { resolveProps } from './resolve-props';

export type { VectorDashboardOptions, VectorMonitoringProps } from './monitoring-props';

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
