import type { AlertingRule, RuleGroup } from '../k8s/prometheus-operator';
import { CADVISOR_METRICS, KUBE_STATE_METRICS, VECTOR_METRICS } from './metrics';
import type { MonitoredWorkload } from './monitored-workload';
import { joinMatchers, matchers, percent, podNamePattern, vectorSeriesMatchers } from './promql';

/** Every alert VectorMonitoring can write; a workload gets `podsUnavailable` or `replicasDown` by its kind. */
export const VECTOR_ALERT_KINDS = [
  'targetDown',
  'podsUnavailable',
  'replicasDown',
  'componentErrors',
  'eventsDiscarded',
  'bufferDiscarding',
  'bufferNearlyFull',
  'memoryNearLimit',
] as const;

export type VectorAlertKind = (typeof VECTOR_ALERT_KINDS)[number];

/** How long each condition must hold before its alert fires (Prometheus durations). */
export interface VectorAlertDurations {
  /** A pod's metrics endpoint cannot be scraped (`up == 0`). @default '5m' */
  readonly targetDown?: string;
  /** A DaemonSet has nodes without an available pod (kube-state-metrics). Covers rollouts. @default '15m' */
  readonly podsUnavailable?: string;
  /** A StatefulSet or Deployment has fewer ready/available replicas than desired. @default '10m' */
  readonly replicasDown?: string;
  /** A component keeps reporting errors. @default '15m' */
  readonly componentErrors?: string;
  /** A component discards events because of errors. @default '10m' */
  readonly eventsDiscarded?: string;
  /** A full buffer (`when_full: drop_newest`) drops events. @default '5m' */
  readonly bufferDiscarding?: string;
  /** A buffer is fuller than `bufferUsageThreshold`. @default '15m' */
  readonly bufferNearlyFull?: string;
  /** The Vector container uses more than `memoryUsageThreshold` of its memory limit. @default '15m' */
  readonly memoryNearLimit?: string;
}

/** The `severity` label of each alert, as your Alertmanager routes expect it. */
export interface VectorAlertSeverities {
  /** @default 'critical' */
  readonly targetDown?: string;
  /** @default 'warning' */
  readonly podsUnavailable?: string;
  /** @default 'critical' */
  readonly replicasDown?: string;
  /** @default 'warning' */
  readonly componentErrors?: string;
  /** @default 'warning' */
  readonly eventsDiscarded?: string;
  /** Events are being lost. @default 'critical' */
  readonly bufferDiscarding?: string;
  /** @default 'warning' */
  readonly bufferNearlyFull?: string;
  /** @default 'warning' */
  readonly memoryNearLimit?: string;
}

export const DEFAULT_ALERT_FOR: Readonly<Record<VectorAlertKind, string>> = {
  targetDown: '5m',
  podsUnavailable: '15m',
  replicasDown: '10m',
  componentErrors: '15m',
  eventsDiscarded: '10m',
  bufferDiscarding: '5m',
  bufferNearlyFull: '15m',
  memoryNearLimit: '15m',
};

export const DEFAULT_SEVERITIES: Readonly<Record<VectorAlertKind, string>> = {
  targetDown: 'critical',
  podsUnavailable: 'warning',
  replicasDown: 'critical',
  componentErrors: 'warning',
  eventsDiscarded: 'warning',
  bufferDiscarding: 'critical',
  bufferNearlyFull: 'warning',
  memoryNearLimit: 'warning',
};

const ALERT_SUFFIX: Readonly<Record<VectorAlertKind, string>> = {
  targetDown: 'Down',
  podsUnavailable: 'PodsUnavailable',
  replicasDown: 'ReplicasDown',
  componentErrors: 'ComponentErrors',
  eventsDiscarded: 'EventsDiscarded',
  bufferDiscarding: 'BufferDiscardingEvents',
  bufferNearlyFull: 'BufferNearlyFull',
  memoryNearLimit: 'MemoryNearLimit',
};

/** Resolved (defaulted and validated) settings the rules are written from. */
export interface AlertSettings {
  readonly cluster: string;
  readonly rateWindow: string;
  readonly bufferUsageThreshold: number;
  readonly memoryUsageThreshold: number;
  readonly componentErrorRateThreshold: number;
  readonly discardedEventRateThreshold: number;
  readonly alertFor: Readonly<Record<VectorAlertKind, string>>;
  readonly severities: Readonly<Record<VectorAlertKind, string>>;
  readonly alertLabels: Readonly<Record<string, string>>;
  readonly runbookBaseUrl?: string;
  readonly kubeStateMetricsSelector: string;
  readonly cadvisorSelector: string;
}

/** `VectorAgentDown`, `VectorAggregatorReplicasDown`, ... */
export function alertName(role: MonitoredWorkload['role'], kind: VectorAlertKind): string {
  return `Vector${role === 'agent' ? 'Agent' : 'Aggregator'}${ALERT_SUFFIX[kind]}`;
}

/** The alerts one workload gets: a DaemonSet is judged per node, a StatefulSet or Deployment by its replica count. */
export function alertKindsFor(workload: MonitoredWorkload): VectorAlertKind[] {
  return VECTOR_ALERT_KINDS.filter((kind) =>
    kind === 'podsUnavailable'
      ? workload.workloadKind === 'DaemonSet'
      : kind === 'replicasDown'
        ? workload.workloadKind !== 'DaemonSet'
        : true,
  );
}

interface AlertText {
  readonly expr: string;
  readonly summary: string;
  readonly description: string;
}

/** One rule group per workload: its name is unique because a role is monitored once per namespace. */
export function vectorRuleGroup(workload: MonitoredWorkload, settings: AlertSettings): RuleGroup {
  const rules: AlertingRule[] = alertKindsFor(workload).map((kind) => {
    const name = alertName(workload.role, kind);
    const text = alertText(kind, workload, settings);
    return {
      alert: name,
      expr: text.expr,
      for: settings.alertFor[kind],
      labels: {
        ...settings.alertLabels,
        severity: settings.severities[kind],
        cluster: settings.cluster,
        role: workload.role,
        workload: workload.workloadName,
      },
      annotations: {
        summary: text.summary,
        description: text.description,
        ...(settings.runbookBaseUrl === undefined
          ? {}
          : { runbook_url: `${settings.runbookBaseUrl.replace(/\/+$/, '')}/${name.toLowerCase()}` }),
      },
    };
  });
  return { name: `vector-${workload.role}.${workload.namespace}`, rules };
}

// Labels that identify one component of one workload; `cluster` is absent from series a per-cluster Prometheus
// scrapes itself, which is harmless in `by`/`on` (an absent label equals an absent label).
const COMPONENT = 'cluster, namespace, workload, component_id, component_kind, component_type';
const BUFFER =
  'cluster, namespace, workload, pod, node, component_id, component_kind, component_type, buffer_id, stage';

function alertText(kind: VectorAlertKind, w: MonitoredWorkload, s: AlertSettings): AlertText {
  const role = `Vector ${w.role}`;
  const where = `${w.namespace}/${w.workloadName}`;
  const forText = s.alertFor[kind];
  const vector = vectorSeriesMatchers(s.cluster, w);
  const podSelector = Object.entries(w.selectorLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const listPods = `kubectl -n ${w.namespace} get pods -l ${podSelector} -o wide`;
  const ksm = (labels: Record<string, string>): string => joinMatchers(s.kubeStateMetricsSelector, matchers(labels));
  const window = s.rateWindow;

  switch (kind) {
    case 'targetDown':
      return {
        expr: `up{${vector}} == 0`,
        summary: `${role} pod {{ $labels.pod }} on node {{ $labels.node }} is down`,
        description:
          `Prometheus has not been able to scrape {{ $labels.namespace }}/{{ $labels.pod }} (${w.workloadKind} ${where}) ` +
          `on node {{ $labels.node }} for ${forText}: Vector is not running or not serving metrics on port ` +
          `"${w.metricsPortName}"${
            w.workloadKind === 'DaemonSet'
              ? ', so the logs of this node are probably not being shipped'
              : ', so the remaining replicas carry its load'
          }. Check the pod's status, restarts and events ` +
          `(kubectl -n ${w.namespace} describe pod {{ $labels.pod }}) and its logs ` +
          `(kubectl -n ${w.namespace} logs {{ $labels.pod }} -c ${w.containerName}).`,
      };
    case 'podsUnavailable':
      return {
        expr: `${KUBE_STATE_METRICS.daemonSetUnavailable}{${ksm({ namespace: w.namespace, daemonset: w.workloadName })}} > 0`,
        summary: `{{ $value }} node(s) have no available ${role} pod (DaemonSet ${where})`,
        description:
          `DaemonSet ${where} has had {{ $value }} node(s) without an available pod for ${forText}; ` +
          `those nodes ship no logs. A pod that never started (image pull, scheduling, admission, crash loop) has no ` +
          `scrape target, so only this alert sees it. Find the pods with ${listPods} and check their events ` +
          `(kubectl -n ${w.namespace} describe daemonset ${w.workloadName}).`,
      };
    case 'replicasDown': {
      const statefulSet = w.workloadKind === 'StatefulSet';
      const key = statefulSet ? 'statefulset' : 'deployment';
      const ready = statefulSet ? KUBE_STATE_METRICS.statefulSetReady : KUBE_STATE_METRICS.deploymentAvailable;
      const desired = statefulSet ? KUBE_STATE_METRICS.statefulSetDesired : KUBE_STATE_METRICS.deploymentDesired;
      const selector = ksm({ namespace: w.namespace, [key]: w.workloadName });
      const word = statefulSet ? 'ready' : 'available';
      return {
        expr: [`${ready}{${selector}}`, `  < on (cluster, namespace, ${key})`, `${desired}{${selector}}`].join('\n'),
        summary: `${role} ${w.workloadKind} ${where} has only {{ $value }} ${word} replica(s)`,
        description:
          `${w.workloadKind} ${where} has had fewer ${word} replicas than desired for ${forText}. Agents fail over ` +
          `to the remaining replicas, which may fall behind, fill their buffers and drop events. Check ${listPods} ` +
          `and the pods' events (scheduling, volume binding, crash loops, failing probes).`,
      };
    }
    case 'componentErrors':
      return {
        expr: [
          `sum by (${COMPONENT}, error_type) (`,
          `  rate(${VECTOR_METRICS.errors}{${vector}}[${window}])`,
          `) > ${s.componentErrorRateThreshold}`,
        ].join('\n'),
        summary: `${role} component {{ $labels.component_id }} reports {{ $labels.error_type }} errors (${where})`,
        description:
          `The {{ $labels.component_kind }} {{ $labels.component_id }} ({{ $labels.component_type }}) of ${where} ` +
          `has reported {{ $labels.error_type }} errors at {{ printf "%.2f" $value }}/s for ${forText} ` +
          `(threshold ${s.componentErrorRateThreshold}/s). Check the ERROR lines of the pods' logs that name it ` +
          `(kubectl -n ${w.namespace} logs -l ${podSelector} -c ${w.containerName} --since=30m ` +
          `| grep {{ $labels.component_id }}) and the system it reads from or writes to.`,
      };
    case 'eventsDiscarded':
      return {
        expr: [
          `sum by (${COMPONENT}) (`,
          `  rate(${VECTOR_METRICS.discardedEvents}{${vector}, intentional="false"}[${window}])`,
          `) > ${s.discardedEventRateThreshold}`,
        ].join('\n'),
        summary: `${role} component {{ $labels.component_id }} is losing events (${where})`,
        description:
          `The {{ $labels.component_kind }} {{ $labels.component_id }} ({{ $labels.component_type }}) of ${where} ` +
          `has discarded {{ printf "%.2f" $value }} events/s because of errors for ${forText}; these events are lost. ` +
          `Intentional drops (filter, sample, throttle) are not counted. Check the pods' logs for the component's ` +
          `errors and whether its destination rejects the events (bad payloads, auth, limits).`,
      };
    case 'bufferDiscarding':
      return {
        expr: [
          `sum by (${COMPONENT}, buffer_id) (`,
          `  rate(${VECTOR_METRICS.bufferDiscardedEvents}{${vector}}[${window}])`,
          `) > ${s.discardedEventRateThreshold}`,
        ].join('\n'),
        summary: `Buffer of ${role} component {{ $labels.component_id }} is dropping events (${where})`,
        description:
          `The buffer in front of {{ $labels.component_id }} ({{ $labels.component_type }}) in ${where} has dropped ` +
          `{{ printf "%.2f" $value }} events/s for ${forText}: it is full and set to when_full: drop_newest, so events ` +
          `are lost. Its destination is slower than the input or unreachable: check the sink's errors and sent ` +
          `events, then give it a larger or a disk buffer.`,
      };
    case 'bufferNearlyFull': {
      const ratio = (size: string, max: string): string[] => [
        `(`,
        `  max by (${BUFFER}) (${size}{${vector}})`,
        `  / max by (${BUFFER}) (${max}{${vector}} > 0)`,
        `) > ${s.bufferUsageThreshold}`,
      ];
      return {
        expr: [
          ...ratio(VECTOR_METRICS.bufferBytes, VECTOR_METRICS.bufferMaxBytes),
          'or',
          ...ratio(VECTOR_METRICS.bufferEvents, VECTOR_METRICS.bufferMaxEvents),
        ].join('\n'),
        summary: `Buffer of {{ $labels.component_id }} in ${role} pod {{ $labels.pod }} is {{ $value | humanizePercentage }} full`,
        description:
          `The buffer in front of {{ $labels.component_id }} ({{ $labels.component_type }}) in ` +
          `{{ $labels.namespace }}/{{ $labels.pod }} on node {{ $labels.node }} has been above ` +
          `${percent(s.bufferUsageThreshold)} of its configured maximum for ${forText}. A full buffer blocks its ` +
          `inputs (when_full: block) or drops events (drop_newest). Check whether the destination is down or slow ` +
          `(the sink's errors and sent events) and whether the buffer is sized for the traffic.`,
      };
    }
    case 'memoryNearLimit': {
      const podMatchers = `namespace="${w.namespace}", pod=~"${podNamePattern(w)}", container="${w.containerName}"`;
      const by = 'cluster, namespace, pod, container';
      return {
        expr: [
          `max by (${by}) (`,
          `  ${CADVISOR_METRICS.workingSet}{${joinMatchers(s.cadvisorSelector, podMatchers)}}`,
          `)`,
          `/ max by (${by}) (`,
          `  ${KUBE_STATE_METRICS.containerLimits}{${joinMatchers(s.kubeStateMetricsSelector, podMatchers, 'resource="memory"')}} > 0`,
          `)`,
          `> ${s.memoryUsageThreshold}`,
        ].join('\n'),
        summary: `${role} pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit`,
        description:
          `Container ${w.containerName} of {{ $labels.namespace }}/{{ $labels.pod }} has used more than ` +
          `${percent(s.memoryUsageThreshold)} of its memory limit for ${forText}. At the limit it is OOM-killed and ` +
          `loses what its memory buffers hold. Look for a growing memory buffer behind a slow sink or for ` +
          `high-cardinality tags, and raise the limit if the load is legitimate.`,
      };
    }
  }
}
