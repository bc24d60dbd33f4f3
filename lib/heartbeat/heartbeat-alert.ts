import { Construct } from 'constructs';
import { commonLabels } from '../k8s/labels';
import { type AlertingRule, PrometheusRule } from '../k8s/prometheus-operator';
import { checkDnsLabel, checkDnsSubdomain, checkWholeNumber, propError } from '../k8s/prop-errors';
import { parseDuration } from '../monitoring/promql';
import { httpUrl, labelMap, matcherList, prometheusLabelName } from '../monitoring/validation';
import { HEARTBEAT_METRIC } from '../k8s/heartbeat-line';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from './log-heartbeat';

export const HEARTBEAT_ALERT_NAME = 'VectorHeartbeatMissing';
/** A cluster is silent once its counter has not grown for this many heartbeat intervals. */
export const MISSING_AFTER_INTERVALS = 2.5;

export interface HeartbeatAlertProps {
  /** Namespace of the PrometheusRule: where your Prometheus (or Thanos Ruler) loads rules from. */
  readonly namespace: string;
  /** Name of the PrometheusRule. @default 'vector-heartbeat-alerts' */
  readonly name?: string;
  /** The `LogHeartbeat`s' interval in seconds, a whole number from 1 to 86400. @default 120 */
  readonly intervalSeconds?: number;
  /**
   * How far back a cluster counts as known: a cluster whose counter existed in this window and has stopped growing
   * alerts; a cluster removed on purpose alerts until this long after its last heartbeat. A Prometheus duration longer
   * than 2.5 intervals.
   * @default a day, or {@link SEEN_WINDOW_INTERVALS} intervals when those are longer (see {@link defaultSeenWindow})
   */
  readonly seenWindow?: string;
  /** How long the condition must hold before the alert fires (Prometheus duration). @default one interval, e.g. '2m' */
  readonly for?: string;
  /** The alert's `severity` label: logs of a whole cluster are being lost. @default 'critical' */
  readonly severity?: string;
  /** Labels on the PrometheusRule object that your Prometheus' `ruleSelector` needs. @default {} */
  readonly ruleLabels?: Readonly<Record<string, string>>;
  /** Extra labels on the alert, e.g. `{ team: 'platform' }`. @default {} */
  readonly alertLabels?: Readonly<Record<string, string>>;
  /**
   * PromQL label matchers added to every selection of `vector_heartbeat_total`, e.g. `job="vector-aggregator"`.
   * @default '' (every series of the metric)
   */
  readonly selector?: string;
  /**
   * The label that holds the cluster name on the scraped series. A scrape that sets its own `cluster` target label
   * without `honorLabels` renames the counter's to `exported_cluster`.
   * @default 'cluster'
   */
  readonly clusterLabel?: string;
  /** Set as the `runbook_url` annotation. @default none */
  readonly runbookUrl?: string;
}

/** Resolved settings the rule is written from. */
export interface HeartbeatAlertSettings {
  readonly intervalSeconds: number;
  readonly seenWindow: string;
  readonly for: string;
  readonly severity: string;
  readonly alertLabels: Readonly<Record<string, string>>;
  readonly selector: string;
  readonly clusterLabel: string;
  readonly runbookUrl?: string;
}

/** A Prometheus duration for whole seconds, largest units first: 300 -> `5m`, 90 -> `1m30s`, 0 -> `0s`. */
export function promDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.length === 0 ? '0s' : parts.join('');
}

/**
 * Intervals in the default `seenWindow` once a day holds fewer: room for the 2.5 flat intervals, the alert's `for`
 * and its time firing, before a silent cluster ages out of the known ones.
 */
export const SEEN_WINDOW_INTERVALS = 10;

/** The default `seenWindow`, which follows the interval: `24h` up to 8640 s, then 10 intervals (`240h` for a day). */
export function defaultSeenWindow(intervalSeconds: number): string {
  return promDuration(Math.max(86_400, SEEN_WINDOW_INTERVALS * intervalSeconds));
}

/** 2.5 intervals, rounded up to whole seconds: how long a cluster's counter may stay flat. */
export function missingWindow(intervalSeconds: number): string {
  return promDuration(Math.ceil(MISSING_AFTER_INTERVALS * intervalSeconds));
}

/**
 * `VectorHeartbeatMissing`, per cluster. `absent()` cannot see one cluster falling silent while others beat, so the
 * rule subtracts the clusters that are alive from the clusters that are known:
 *
 * - known: the counter existed at some point in `seenWindow`, so a cluster whose series vanished (its exporter drops
 *   it `flush_period_secs` after the last heartbeat) is still known.
 * - alive: some series of the cluster grew within the window (2.5 intervals), or appeared within it. A series appears
 *   only when an aggregator counts a heartbeat, and its first sample shows no `increase()`; counting appearances keeps
 *   a new cluster silent through its first interval, and counts the first heartbeat an aggregator replica sees after
 *   a restart (new `pod` label) or ever (agents move between replicas). Each replica exports its own series, so both
 *   sets are grouped by cluster; `increase()` handles counter resets of a replica restarted under the same name.
 */
export function heartbeatMissingRule(s: HeartbeatAlertSettings): AlertingRule {
  const window = missingWindow(s.intervalSeconds);
  const series = `${HEARTBEAT_METRIC}${s.selector.trim() === '' ? '' : `{${s.selector}}`}`;
  const by = `(${s.clusterLabel})`;
  const cluster = `{{ $labels.${s.clusterLabel} }}`;
  const pending = parseDuration(s.for) === 0 ? '' : `, then for ${s.for} more`;
  return {
    alert: HEARTBEAT_ALERT_NAME,
    expr: [
      `group by ${by} (max_over_time(${series}[${s.seenWindow}]))`,
      `unless on ${by}`,
      `group by ${by} (`,
      `    increase(${series}[${window}]) > 0`,
      `  or`,
      `    (${series} unless ${series} offset ${window})`,
      `)`,
    ].join('\n'),
    for: s.for,
    labels: { ...s.alertLabels, severity: s.severity },
    annotations: {
      summary: `No Vector heartbeat from cluster ${cluster} for ${window}`,
      description:
        `${HEARTBEAT_METRIC}{${s.clusterLabel}="${cluster}"} has not grown for ${window} ` +
        `(${MISSING_AFTER_INTERVALS} heartbeat intervals of ${s.intervalSeconds} s)${pending}, although the cluster ` +
        `sent heartbeats within the last ${s.seenWindow}: its logs are not reaching the aggregators. Check the ` +
        `heartbeat pod of that cluster (label app.kubernetes.io/name=vector-heartbeat), the Vector agent on its node, ` +
        `and the agents' connection to the aggregators (errors and buffer of their to_aggregators sink). A cluster ` +
        `removed on purpose keeps this alert until ${s.seenWindow} after its last heartbeat.`,
      ...(s.runbookUrl === undefined ? {} : { runbook_url: s.runbookUrl }),
    },
  };
}

/**
 * The alert on pipeline liveness: a PrometheusRule with `VectorHeartbeatMissing`, which fires for each cluster whose
 * `vector_heartbeat_total` (counted by the aggregators, see `heartbeatCounterComponents`) has not grown for 2.5
 * heartbeat intervals while the cluster was known, and also when the cluster's series disappeared altogether.
 */
export class HeartbeatAlert extends Construct {
  readonly alertName = HEARTBEAT_ALERT_NAME;
  readonly rule: AlertingRule;
  readonly prometheusRule: PrometheusRule;
  /** How long a counter may stay flat before the condition holds, e.g. `5m` for 120 s. */
  readonly missingAfter: string;

  constructor(scope: Construct, id: string, props: HeartbeatAlertProps) {
    super(scope, id);
    const settings = this.resolve(props);
    this.missingAfter = missingWindow(settings.intervalSeconds);
    this.rule = heartbeatMissingRule(settings);
    const name = checkDnsSubdomain(this, 'name', props.name ?? 'vector-heartbeat-alerts');
    const labels = commonLabels({ name: 'vector-heartbeat', instance: name, component: 'alerts' });
    this.prometheusRule = new PrometheusRule(this, 'PrometheusRule', {
      metadata: {
        name,
        namespace: checkDnsLabel(this, 'namespace', props.namespace),
        labels: { ...labels, ...props.ruleLabels },
      },
      spec: { groups: [{ name: 'vector-heartbeat', rules: [this.rule] }] },
    });
  }

  private resolve(props: HeartbeatAlertProps): HeartbeatAlertSettings {
    const fail = (problem: string | undefined): void => {
      if (problem !== undefined) throw new Error(`${this.node.path}: ${problem}`);
    };
    const intervalSeconds = checkWholeNumber(
      this,
      'intervalSeconds',
      props.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
      1,
      86_400,
    );
    const windowMs = Math.ceil(MISSING_AFTER_INTERVALS * intervalSeconds) * 1000;
    const seenWindow = props.seenWindow ?? defaultSeenWindow(intervalSeconds);
    const seenMs = typeof seenWindow === 'string' ? parseDuration(seenWindow) : undefined;
    if (seenMs === undefined || seenMs <= windowMs) {
      throw propError(
        this,
        'seenWindow',
        seenWindow,
        `use a Prometheus duration longer than 2.5 intervals (${missingWindow(intervalSeconds)}), e.g. "${defaultSeenWindow(intervalSeconds)}"`,
      );
    }
    const alertFor = props.for ?? promDuration(intervalSeconds);
    if (typeof alertFor !== 'string' || parseDuration(alertFor) === undefined) {
      throw propError(this, 'for', alertFor, 'use a Prometheus duration such as "0s", "2m" or "1h30m"');
    }
    const severity = props.severity ?? 'critical';
    if (typeof severity !== 'string' || severity.trim() === '')
      throw propError(this, 'severity', severity, 'must not be empty');
    const clusterLabel = props.clusterLabel ?? 'cluster';
    fail(prometheusLabelName('clusterLabel', clusterLabel));
    const selector = props.selector ?? '';
    fail(matcherList('selector', selector));
    fail(labelMap('ruleLabels', props.ruleLabels ?? {})[0]);
    const alertLabels = props.alertLabels ?? {};
    for (const [key, value] of Object.entries(alertLabels)) {
      fail(prometheusLabelName('alertLabels', key));
      if (key === clusterLabel || key === 'severity' || key === 'alertname') {
        throw propError(this, 'alertLabels', alertLabels, `"${key}" is set by the alert itself; use another key`);
      }
      // An empty value is no label at all in Prometheus: the label would silently not be there.
      if (typeof value !== 'string' || value === '') {
        throw propError(this, `alertLabels.${key}`, value, 'a label value is a non-empty string');
      }
    }
    if (props.runbookUrl !== undefined) fail(httpUrl('runbookUrl', props.runbookUrl));
    return {
      intervalSeconds,
      seenWindow,
      for: alertFor,
      severity,
      alertLabels,
      selector,
      clusterLabel,
      ...(props.runbookUrl === undefined ? {} : { runbookUrl: props.runbookUrl }),
    };
  }
}
