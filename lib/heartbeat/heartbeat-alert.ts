import { Construct } from 'constructs';
import { commonLabels } from '../k8s/labels';
import { type AlertingRule, PrometheusRule } from '../k8s/prometheus-operator';
import { checkDnsLabel, checkDnsSubdomain, checkWholeNumber, propError } from '../k8s/prop-errors';
import { parseDuration } from '../monitoring/promql';
import { httpUrl, labelMap, matcherList, prometheusLabelName } from '../monitoring/validation';
import { HEARTBEAT_LAG, HEARTBEAT_METRIC } from '../k8s/heartbeat-line';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from './log-heartbeat';
import { promDuration } from './prom-duration';
import {
  HEARTBEAT_LATENCY_ALERT_NAME,
  HEARTBEAT_LOSS_ALERT_NAME,
  heartbeatLatencyRule,
  type HeartbeatLatencySettings,
  heartbeatLossRule,
  type HeartbeatLossSettings,
} from './heartbeat-measure-rules';

export { HEARTBEAT_LATENCY_ALERT_NAME, HEARTBEAT_LOSS_ALERT_NAME, promDuration };

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
  /**
   * `VectorHeartbeatLoss` per cluster and heartbeat pod, from `vector_heartbeat_sent_total` and the lag histogram's
   * `_count`; `false` leaves it out.
   * @default threshold 0.1 over '30m', for '10m', severity 'warning'
   */
  readonly loss?: HeartbeatLossProps | false;
  /**
   * `VectorHeartbeatLatency` per cluster, from the lag histogram `vector_heartbeat_lag_seconds`; `false` leaves it out.
   * @default threshold '5m' (mean over '10m'), for '10m', severity 'warning'
   */
  readonly latency?: HeartbeatLatencyProps | false;
}

/** `VectorHeartbeatLoss`: heartbeats sent (their `seq`) but never received. */
export interface HeartbeatLossProps {
  /** Share of the heartbeats sent in `window` that no aggregator received, above which it fires; in (0, 1). @default 0.1 */
  readonly threshold?: number;
  /**
   * The window sent and received heartbeats are counted over: at least 5 heartbeat intervals, as one lost line of
   * few is a large share.
   * @default '30m', or 10 intervals when those are longer
   */
  readonly window?: string;
  /** How long the share must stay above the threshold (Prometheus duration). @default '10m' */
  readonly for?: string;
  /** @default 'warning' */
  readonly severity?: string;
}

/** `VectorHeartbeatLatency`: heartbeats that arrive, but late. */
export interface HeartbeatLatencyProps {
  /** Mean lag (receive time minus send time) above which it fires, a non-zero Prometheus duration. @default '5m' */
  readonly threshold?: string;
  /**
   * The window the mean lag is taken over: at least 2.5 heartbeat intervals, so that it holds two lines.
   * @default '10m', or 2.5 intervals when those are longer
   */
  readonly window?: string;
  /** How long the mean must stay above the threshold (Prometheus duration). @default '10m' */
  readonly for?: string;
  /** @default 'warning' */
  readonly severity?: string;
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
 * The alerts on the log heartbeat, in one PrometheusRule: `VectorHeartbeatMissing` (liveness) fires for each cluster
 * whose `vector_heartbeat_total` (counted by the aggregators, see `heartbeatCounterComponents`) has not grown for 2.5
 * heartbeat intervals while the cluster was known, and also when the cluster's series disappeared altogether;
 * `VectorHeartbeatLoss` when a share of the lines a heartbeat pod sent (its `seq`) never arrived; and
 * `VectorHeartbeatLatency` when the lines arrive late on average (their lag, now minus their send time).
 */
export class HeartbeatAlert extends Construct {
  readonly alertName = HEARTBEAT_ALERT_NAME;
  /** `VectorHeartbeatMissing`. */
  readonly rule: AlertingRule;
  /** `VectorHeartbeatLoss`, unless `loss: false`. */
  readonly lossRule?: AlertingRule;
  /** `VectorHeartbeatLatency`, unless `latency: false`. */
  readonly latencyRule?: AlertingRule;
  /** Every rule of the group, `VectorHeartbeatMissing` first. */
  readonly rules: readonly AlertingRule[];
  readonly prometheusRule: PrometheusRule;
  /** How long a counter may stay flat before the condition holds, e.g. `5m` for 120 s. */
  readonly missingAfter: string;

  constructor(scope: Construct, id: string, props: HeartbeatAlertProps) {
    super(scope, id);
    const settings = this.resolve(props);
    this.missingAfter = missingWindow(settings.intervalSeconds);
    this.rule = heartbeatMissingRule(settings);
    const loss = this.resolveLoss(props.loss, settings.intervalSeconds);
    const latency = this.resolveLatency(props.latency, settings.intervalSeconds);
    if (loss) this.lossRule = heartbeatLossRule(settings, loss);
    if (latency) this.latencyRule = heartbeatLatencyRule(settings, latency);
    this.rules = [
      this.rule,
      ...(this.lossRule ? [this.lossRule] : []),
      ...(this.latencyRule ? [this.latencyRule] : []),
    ];
    const name = checkDnsSubdomain(this, 'name', props.name ?? 'vector-heartbeat-alerts');
    const labels = commonLabels({ name: 'vector-heartbeat', instance: name, component: 'alerts' });
    this.prometheusRule = new PrometheusRule(this, 'PrometheusRule', {
      metadata: {
        name,
        namespace: checkDnsLabel(this, 'namespace', props.namespace),
        labels: { ...labels, ...props.ruleLabels },
      },
      spec: { groups: [{ name: 'vector-heartbeat', rules: [...this.rules] }] },
    });
  }

  private checkFor(prop: string, value: unknown): string {
    if (typeof value !== 'string' || parseDuration(value) === undefined) {
      throw propError(this, prop, value, 'use a Prometheus duration such as "0s", "2m" or "1h30m"');
    }
    return value;
  }

  private checkSeverity(prop: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') throw propError(this, prop, value, 'must not be empty');
    return value;
  }

  /** A window of at least `minSeconds` (`what` says why), `defaultSeconds` when not given. */
  private checkWindow(prop: string, value: unknown, defaultSeconds: number, minSeconds: number, what: string): string {
    const window = value ?? promDuration(defaultSeconds);
    const ms = typeof window === 'string' ? parseDuration(window) : undefined;
    if (ms === undefined || ms < minSeconds * 1000) {
      throw propError(
        this,
        prop,
        window,
        `use a Prometheus duration of at least ${promDuration(minSeconds)} (${what})`,
      );
    }
    return window as string;
  }

  private resolveLoss(
    props: HeartbeatLossProps | false | undefined,
    interval: number,
  ): HeartbeatLossSettings | undefined {
    if (props === false) return undefined;
    const p = props ?? {};
    const threshold = p.threshold ?? 0.1;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0 || threshold >= 1) {
      throw propError(this, 'loss.threshold', threshold, 'use a share between 0 and 1 (exclusive), e.g. 0.1 for 10 %');
    }
    return {
      threshold,
      window: this.checkWindow(
        'loss.window',
        p.window,
        Math.max(1800, 10 * interval),
        5 * interval,
        `5 heartbeat intervals of ${interval} s`,
      ),
      for: this.checkFor('loss.for', p.for ?? '10m'),
      severity: this.checkSeverity('loss.severity', p.severity ?? 'warning'),
    };
  }

  private resolveLatency(
    props: HeartbeatLatencyProps | false | undefined,
    interval: number,
  ): HeartbeatLatencySettings | undefined {
    if (props === false) return undefined;
    const p = props ?? {};
    const threshold = p.threshold ?? '5m';
    const thresholdMs = typeof threshold === 'string' ? parseDuration(threshold) : undefined;
    if (thresholdMs === undefined || thresholdMs === 0) {
      throw propError(this, 'latency.threshold', threshold, 'use a non-zero Prometheus duration such as "5m"');
    }
    const min = Math.ceil(MISSING_AFTER_INTERVALS * interval);
    return {
      threshold,
      thresholdSeconds: thresholdMs / 1000,
      window: this.checkWindow(
        'latency.window',
        p.window,
        Math.max(600, min),
        min,
        `2.5 heartbeat intervals of ${interval} s`,
      ),
      for: this.checkFor('latency.for', p.for ?? '10m'),
      severity: this.checkSeverity('latency.severity', p.severity ?? 'warning'),
    };
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
      if (key === clusterLabel || key === 'severity' || key === 'alertname' || key === HEARTBEAT_LAG.podTag) {
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
