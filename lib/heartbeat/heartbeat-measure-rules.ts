import { HEARTBEAT_LAG, HEARTBEAT_LAG_METRIC, HEARTBEAT_SENT_METRIC } from '../k8s/heartbeat-line';
import type { AlertingRule } from '../k8s/prometheus-operator';
import { percent } from '../monitoring/promql';
import { promDuration } from './prom-duration';

export const HEARTBEAT_LOSS_ALERT_NAME = 'VectorHeartbeatLoss';
export const HEARTBEAT_LATENCY_ALERT_NAME = 'VectorHeartbeatLatency';

/** What both rules are written from, beside the settings they share with `VectorHeartbeatMissing`. */
export interface HeartbeatMeasureRuleSettings {
  readonly intervalSeconds: number;
  readonly selector: string;
  readonly clusterLabel: string;
  readonly alertLabels: Readonly<Record<string, string>>;
  readonly runbookUrl?: string;
}

/** Resolved settings of `VectorHeartbeatLoss`. */
export interface HeartbeatLossSettings {
  /** Share of the heartbeats sent in `window` that did not arrive, in (0, 1). */
  readonly threshold: number;
  readonly window: string;
  readonly for: string;
  readonly severity: string;
}

/** Resolved settings of `VectorHeartbeatLatency`. */
export interface HeartbeatLatencySettings {
  /** Mean lag, as a Prometheus duration. */
  readonly threshold: string;
  readonly thresholdSeconds: number;
  /** The window the mean lag is taken over. */
  readonly window: string;
  readonly for: string;
  readonly severity: string;
}

const series = (metric: string, selector: string) => `${metric}${selector.trim() === '' ? '' : `{${selector}}`}`;

/**
 * `VectorHeartbeatLoss`, per cluster and heartbeat pod: the share of the heartbeats sent in the window that no
 * aggregator received.
 *
 * - sent: how far the pod's `seq` advanced in the window. `vector_heartbeat_sent_total` holds, per replica, the last
 *   seq that replica saw; an agent's events may go to any replica, so the largest over the replicas (and over a
 *   short lookback, for a replica that just stopped) is the last seq that arrived anywhere, now and a window ago. A pod unknown a window ago (a new heartbeat pod, seq from 1) gives no
 *   number until a full window has passed.
 * - received: the lines the replicas counted (`_count` of the lag histogram), summed over the replicas; a replica
 *   series that appeared in the window (a restarted aggregator, or one the agent moved to) counts all it holds, as it
 *   started from zero then; `increase()` handles a replica restarted under the same name.
 * - a container restarting in the same pod starts seq at 1 again: across the restart the last seq is lower than, or
 *   as high as, the old container's, so sent comes out below received and the rule stays silent for that window.
 *
 * A pod whose lines all stop sends nothing measurable; `VectorHeartbeatMissing` covers it. Lines delivered twice
 * count twice, which hides as much loss.
 */
export function heartbeatLossRule(s: HeartbeatMeasureRuleSettings, loss: HeartbeatLossSettings): AlertingRule {
  const on = `(${s.clusterLabel}, ${HEARTBEAT_LAG.podTag})`;
  const S = series(HEARTBEAT_SENT_METRIC, s.selector);
  const C = series(`${HEARTBEAT_LAG_METRIC}_count`, s.selector);
  const w = loss.window;
  // The largest seq over a short lookback, not at one instant: the replica holding the latest seq may just have
  // stopped (a rollout), taking its series with it.
  const lookback = promDuration(Math.max(300, 2 * s.intervalSeconds));
  const sentThen = `max by ${on} (max_over_time(${S}[${lookback}] offset ${w}))`;
  const sent = `(max by ${on} (max_over_time(${S}[${lookback}])) - on ${on} ${sentThen})`;
  const cluster = `{{ $labels.${s.clusterLabel} }}`;
  const pod = `{{ $labels.${HEARTBEAT_LAG.podTag} }}`;
  return {
    alert: HEARTBEAT_LOSS_ALERT_NAME,
    expr: [
      `(`,
      `    ${sent}`,
      `  - on ${on}`,
      `    sum by ${on} (`,
      `        (increase(${C}[${w}]) and ${C} offset ${w})`,
      `      or`,
      `        max_over_time(${C}[${w}])`,
      `    )`,
      `)`,
      `/ on ${on}`,
      `(${sent} > 0)`,
      `> ${loss.threshold}`,
    ].join('\n'),
    for: loss.for,
    labels: { ...s.alertLabels, severity: loss.severity },
    annotations: {
      summary: `Vector heartbeats of cluster ${cluster} are being lost (over ${percent(loss.threshold)} in ${w})`,
      description:
        `Of the heartbeat lines pod ${pod} of cluster ${cluster} sent in the last ${w} (its seq advanced, ` +
        `${HEARTBEAT_SENT_METRIC}), more than ${percent(loss.threshold)} reached no aggregator ` +
        `(${HEARTBEAT_LAG_METRIC}_count), for ${loss.for}: the cluster's logs are being dropped on the way. Check ` +
        `the agents' errors and discarded events (vector_component_errors_total, ` +
        `vector_component_discarded_events_total, vector_buffer_discarded_events_total) on that cluster and on the ` +
        `aggregators, a full agent buffer with when_full: drop_newest, and the aggregators' own errors.`,
      ...(s.runbookUrl === undefined ? {} : { runbook_url: s.runbookUrl }),
    },
  };
}

/**
 * `VectorHeartbeatLatency`, per cluster: the mean lag (receive time minus send time) of the heartbeats the aggregators
 * received in the window, from the histogram's `_sum` and `_count` over every replica and heartbeat pod. Only lines
 * that arrived count, so a stale gauge cannot keep it firing after the pipeline caught up.
 */
export function heartbeatLatencyRule(s: HeartbeatMeasureRuleSettings, latency: HeartbeatLatencySettings): AlertingRule {
  const by = `(${s.clusterLabel})`;
  const sum = series(`${HEARTBEAT_LAG_METRIC}_sum`, s.selector);
  const count = series(`${HEARTBEAT_LAG_METRIC}_count`, s.selector);
  const w = latency.window;
  const cluster = `{{ $labels.${s.clusterLabel} }}`;
  return {
    alert: HEARTBEAT_LATENCY_ALERT_NAME,
    expr: [
      `sum by ${by} (increase(${sum}[${w}]))`,
      `/`,
      `(sum by ${by} (increase(${count}[${w}])) > 0)`,
      `> ${latency.thresholdSeconds}`,
    ].join('\n'),
    for: latency.for,
    labels: { ...s.alertLabels, severity: latency.severity },
    annotations: {
      summary: `Vector heartbeats of cluster ${cluster} arrive more than ${latency.threshold} late`,
      description:
        `The heartbeat lines of cluster ${cluster} that reached the aggregators in the last ${w} were sent more ` +
        `than ${latency.threshold} earlier on average (${HEARTBEAT_LAG_METRIC}), for ${latency.for}: its logs ` +
        `arrive late in Loki. Check the agents' buffers (vector_buffer_size_events, a disk buffer filling up), ` +
        `their sink's retries and errors towards the aggregators, the aggregators' CPU and the Loki sink's ` +
        `backpressure. A node clock far behind the aggregators' looks like lag too.`,
      ...(s.runbookUrl === undefined ? {} : { runbook_url: s.runbookUrl }),
    },
  };
}
