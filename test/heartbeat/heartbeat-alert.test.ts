import { describe, expect, it } from 'vitest';
import { Testing } from 'cdk8s';
import { heartbeatCounterComponents, VectorAggregator } from '../../lib/aggregator';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  HeartbeatAlert,
  type HeartbeatAlertProps,
  LogHeartbeat,
  missingWindow,
  promDuration,
} from '../../lib/heartbeat';
import { constructionError, expectNoCdk8sLabels, kindsAndNames, synth } from './heartbeat-fixtures';

const BASE: HeartbeatAlertProps = { namespace: 'monitoring' };
const alert = (props: Partial<HeartbeatAlertProps> = {}) =>
  synth((chart) => new HeartbeatAlert(chart, 'alert', { ...BASE, ...props }));
const error = (props: Partial<HeartbeatAlertProps>) =>
  constructionError((chart) => new HeartbeatAlert(chart, 'alert', { ...BASE, ...props }));

interface RuleSpec {
  groups: { name: string; rules: { alert: string; expr: string; for: string; labels: Record<string, string> }[] }[];
}
const ruleOf = (props: Partial<HeartbeatAlertProps> = {}) =>
  (alert(props).one('PrometheusRule').spec as RuleSpec).groups[0].rules[0];

const EXPR = [
  'group by (cluster) (max_over_time(vector_heartbeat_total[24h]))',
  'unless on (cluster)',
  'group by (cluster) (',
  '    increase(vector_heartbeat_total[5m]) > 0',
  '  or',
  '    (vector_heartbeat_total unless vector_heartbeat_total offset 5m)',
  ')',
].join('\n');

describe('HeartbeatAlert', () => {
  it('writes one PrometheusRule with VectorHeartbeatMissing, Loss and Latency, named explicitly, in the given namespace', () => {
    const { manifests, one, construct } = alert();
    expect(kindsAndNames(manifests)).toEqual(['PrometheusRule/monitoring/vector-heartbeat-alerts']);
    expectNoCdk8sLabels(manifests);
    expect(one('PrometheusRule').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'vector-heartbeat',
      'app.kubernetes.io/instance': 'vector-heartbeat-alerts',
      'app.kubernetes.io/component': 'alerts',
      'app.kubernetes.io/part-of': 'vector-fleet',
      'app.kubernetes.io/managed-by': 'cdk8s-vector-fleet',
    });
    const spec = one('PrometheusRule').spec as RuleSpec;
    expect(spec.groups.map((g) => g.name)).toEqual(['vector-heartbeat']);
    expect(spec.groups[0].rules).toEqual([construct.rule, construct.lossRule, construct.latencyRule]);
    expect(spec.groups[0].rules.map((r) => r.alert)).toEqual([
      'VectorHeartbeatMissing',
      'VectorHeartbeatLoss',
      'VectorHeartbeatLatency',
    ]);
    expect(construct.alertName).toBe('VectorHeartbeatMissing');
    expect(construct.missingAfter).toBe('5m');
  });

  it('compares known clusters with clusters that beat within 2.5 intervals, per cluster', () => {
    const rule = ruleOf();
    expect(rule.alert).toBe('VectorHeartbeatMissing');
    expect(rule.expr).toBe(EXPR);
    expect(rule.for).toBe('2m');
    expect(rule.labels).toEqual({ severity: 'critical' });
  });

  it('matches the snapshot', () => {
    expect(alert().manifests).toMatchSnapshot();
  });

  it('intervalSeconds: the same default as LogHeartbeat and the aggregator counter, DEFAULT_HEARTBEAT_INTERVAL_SECONDS', () => {
    expect(DEFAULT_HEARTBEAT_INTERVAL_SECONDS).toBe(120);
    const chart = Testing.chart();
    expect(new LogHeartbeat(chart, 'beat').intervalSeconds).toBe(120);
    expect(new HeartbeatAlert(chart, 'alert', BASE).missingAfter).toBe(missingWindow(120));
    expect(heartbeatCounterComponents({ inputs: ['x'] }).exporter.notes.comment).toContain('(every 120 s)');
    const aggregator = new VectorAggregator(chart, 'aggregator', {
      loki: { endpoint: 'http://loki:3100' },
      metrics: { exporter: { port: 9090 } },
    });
    expect(aggregator.pipeline.render()).toContain('(every 120 s)');
  });

  it('intervalSeconds: 120 by default; sets the window (2.5 intervals, rounded up) and the default for', () => {
    const rule = ruleOf({ intervalSeconds: 60 });
    expect(rule.expr).toContain('increase(vector_heartbeat_total[2m30s]) > 0');
    expect(rule.expr).toContain('unless vector_heartbeat_total offset 2m30s)');
    expect(rule.for).toBe('1m');
    expect(ruleOf({ intervalSeconds: 1 }).expr).toContain('[3s]');
    expect(ruleOf({ intervalSeconds: 3600 }).expr).toContain('[2h30m]');
  });

  it('seenWindow, for, severity, alertLabels, runbookUrl: overridable', () => {
    const rule = ruleOf({
      seenWindow: '7d',
      for: '0s',
      severity: 'page',
      alertLabels: { team: 'platform' },
      runbookUrl: 'https://runbooks.example.com/vector-heartbeat-missing',
    }) as unknown as {
      expr: string;
      for: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    expect(rule.expr).toContain('max_over_time(vector_heartbeat_total[7d])');
    expect(rule.for).toBe('0s');
    expect(rule.labels).toEqual({ team: 'platform', severity: 'page' });
    expect(rule.annotations.runbook_url).toBe('https://runbooks.example.com/vector-heartbeat-missing');
    expect(rule.annotations.description).not.toContain('then for');
  });

  it('selector and clusterLabel: narrow the series and name the label the cluster is in', () => {
    const rule = ruleOf({ selector: 'job="vector-aggregator"', clusterLabel: 'exported_cluster' }) as unknown as {
      expr: string;
      annotations: Record<string, string>;
    };
    expect(rule.expr).toBe(
      EXPR.replaceAll('vector_heartbeat_total', 'vector_heartbeat_total{job="vector-aggregator"}').replaceAll(
        '(cluster)',
        '(exported_cluster)',
      ),
    );
    expect(rule.annotations.summary).toBe('No Vector heartbeat from cluster {{ $labels.exported_cluster }} for 5m');
  });

  it('name, namespace and ruleLabels: on the PrometheusRule object', () => {
    const { one } = alert({
      name: 'heartbeat',
      namespace: 'prometheus',
      ruleLabels: { release: 'kube-prometheus-stack' },
    });
    expect(one('PrometheusRule').metadata).toMatchObject({
      name: 'heartbeat',
      namespace: 'prometheus',
      labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/instance': 'heartbeat' },
    });
  });

  it.each<[string, Partial<HeartbeatAlertProps>, string]>([
    [
      'namespace missing',
      { namespace: undefined },
      'test/alert: invalid namespace (missing): use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'name',
      { name: 'Heartbeat' },
      'test/alert: invalid name "Heartbeat": use lowercase letters, digits, "-" and ".", at most 253 characters',
    ],
    [
      'intervalSeconds',
      { intervalSeconds: 0 },
      'test/alert: invalid intervalSeconds 0: use a whole number from 1 to 86400',
    ],
    [
      'seenWindow not a duration',
      { seenWindow: '1 day' },
      'test/alert: invalid seenWindow "1 day": use a Prometheus duration longer than 2.5 intervals (5m), e.g. "24h"',
    ],
    [
      'seenWindow as short as the window',
      { seenWindow: '5m' },
      'test/alert: invalid seenWindow "5m": use a Prometheus duration longer than 2.5 intervals (5m), e.g. "24h"',
    ],
    [
      'for',
      { for: '2 minutes' },
      'test/alert: invalid for "2 minutes": use a Prometheus duration such as "0s", "2m" or "1h30m"',
    ],
    ['severity', { severity: ' ' }, 'test/alert: invalid severity " ": must not be empty'],
    [
      'clusterLabel',
      { clusterLabel: 'cluster-name' },
      "test/alert: invalid clusterLabel key \"cluster-name\": must be a Prometheus label name (letters, digits and '_', not starting with a digit or '__')",
    ],
    [
      'selector',
      { selector: 'job=vector' },
      'test/alert: invalid selector "job=vector": must be PromQL label matchers separated by commas, e.g. job="kube-state-metrics", cluster="prod" (or \'\' for none)',
    ],
    [
      'ruleLabels',
      { ruleLabels: { release: 'kube prometheus' } },
      "test/alert: invalid ruleLabels[\"release\"] \"kube prometheus\": must be a Kubernetes label value (at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)",
    ],
    [
      'alertLabels key',
      { alertLabels: { 'team-name': 'x' } },
      "test/alert: invalid alertLabels key \"team-name\": must be a Prometheus label name (letters, digits and '_', not starting with a digit or '__')",
    ],
    [
      'alertLabels overriding the cluster',
      { alertLabels: { cluster: 'x' } },
      'test/alert: invalid alertLabels {"cluster":"x"}: "cluster" is set by the alert itself; use another key',
    ],
    [
      'alertLabels overriding the severity',
      { alertLabels: { severity: 'x' } },
      'test/alert: invalid alertLabels {"severity":"x"}: "severity" is set by the alert itself; use another key',
    ],
    [
      'alertLabels overriding the alertname',
      { alertLabels: { alertname: 'x' } },
      'test/alert: invalid alertLabels {"alertname":"x"}: "alertname" is set by the alert itself; use another key',
    ],
    [
      'alertLabels overriding the heartbeat pod of the loss alert',
      { alertLabels: { heartbeat_pod: 'x' } },
      'test/alert: invalid alertLabels {"heartbeat_pod":"x"}: "heartbeat_pod" is set by the alert itself; use another key',
    ],
    [
      'loss.threshold 0',
      { loss: { threshold: 0 } },
      'test/alert: invalid loss.threshold 0: use a share between 0 and 1 (exclusive), e.g. 0.1 for 10 %',
    ],
    [
      'loss.threshold 10 (a percentage)',
      { loss: { threshold: 10 } },
      'test/alert: invalid loss.threshold 10: use a share between 0 and 1 (exclusive), e.g. 0.1 for 10 %',
    ],
    [
      'loss.window shorter than 5 intervals',
      { loss: { window: '9m' } },
      'test/alert: invalid loss.window "9m": use a Prometheus duration of at least 10m (5 heartbeat intervals of 120 s)',
    ],
    [
      'loss.window not a duration',
      { loss: { window: 'half an hour' } },
      'test/alert: invalid loss.window "half an hour": use a Prometheus duration of at least 10m (5 heartbeat intervals of 120 s)',
    ],
    [
      'loss.for',
      { loss: { for: 'ten minutes' } },
      'test/alert: invalid loss.for "ten minutes": use a Prometheus duration such as "0s", "2m" or "1h30m"',
    ],
    ['loss.severity', { loss: { severity: '' } }, 'test/alert: invalid loss.severity "": must not be empty'],
    [
      'latency.threshold 0s',
      { latency: { threshold: '0s' } },
      'test/alert: invalid latency.threshold "0s": use a non-zero Prometheus duration such as "5m"',
    ],
    [
      'latency.threshold in seconds as a number',
      { latency: { threshold: 300 as unknown as string } },
      'test/alert: invalid latency.threshold 300: use a non-zero Prometheus duration such as "5m"',
    ],
    [
      'latency.window shorter than 2.5 intervals',
      { latency: { window: '4m' } },
      'test/alert: invalid latency.window "4m": use a Prometheus duration of at least 5m (2.5 heartbeat intervals of 120 s)',
    ],
    [
      'latency.for',
      { latency: { for: '-1m' } },
      'test/alert: invalid latency.for "-1m": use a Prometheus duration such as "0s", "2m" or "1h30m"',
    ],
    ['latency.severity', { latency: { severity: ' ' } }, 'test/alert: invalid latency.severity " ": must not be empty'],
    [
      'alertLabels with a number value',
      { alertLabels: { team: 42 as unknown as string } },
      'test/alert: invalid alertLabels.team 42: a label value is a non-empty string',
    ],
    [
      'alertLabels with a null value',
      { alertLabels: { team: null as unknown as string } },
      'test/alert: invalid alertLabels.team null: a label value is a non-empty string',
    ],
    [
      'alertLabels with an empty value',
      { alertLabels: { team: '' } },
      'test/alert: invalid alertLabels.team "": a label value is a non-empty string',
    ],
    [
      'runbookUrl',
      { runbookUrl: 'runbooks/heartbeat' },
      'test/alert: invalid runbookUrl "runbooks/heartbeat": must be an http(s) URL without query or fragment',
    ],
  ])('rejects %s', (_case, props, message) => {
    expect(error(props)).toBe(message);
  });
});

const LOSS_EXPR = [
  '(',
  '    (max by (cluster, heartbeat_pod) (max_over_time(vector_heartbeat_sent_total[5m])) - on (cluster, heartbeat_pod) max by (cluster, heartbeat_pod) (max_over_time(vector_heartbeat_sent_total[5m] offset 30m)))',
  '  - on (cluster, heartbeat_pod)',
  '    sum by (cluster, heartbeat_pod) (',
  '        (increase(vector_heartbeat_lag_seconds_count[30m]) and vector_heartbeat_lag_seconds_count offset 30m)',
  '      or',
  '        max_over_time(vector_heartbeat_lag_seconds_count[30m])',
  '    )',
  ')',
  '/ on (cluster, heartbeat_pod)',
  '((max by (cluster, heartbeat_pod) (max_over_time(vector_heartbeat_sent_total[5m])) - on (cluster, heartbeat_pod) max by (cluster, heartbeat_pod) (max_over_time(vector_heartbeat_sent_total[5m] offset 30m))) > 0)',
  '> 0.1',
].join('\n');

const LATENCY_EXPR = [
  'sum by (cluster) (increase(vector_heartbeat_lag_seconds_sum[10m]))',
  '/',
  '(sum by (cluster) (increase(vector_heartbeat_lag_seconds_count[10m])) > 0)',
  '> 300',
].join('\n');

describe('HeartbeatAlert: VectorHeartbeatLoss and VectorHeartbeatLatency', () => {
  const rules = (props: Partial<HeartbeatAlertProps> = {}) => {
    const construct = new HeartbeatAlert(Testing.chart(), 'alert', { ...BASE, ...props });
    return { loss: construct.lossRule, latency: construct.latencyRule, all: construct.rules };
  };

  it('by default: loss over 10 % of 30m for 10m, mean lag over 5m within 10m for 10m, both warnings', () => {
    const { loss, latency } = rules();
    expect(loss).toMatchObject({ alert: 'VectorHeartbeatLoss', expr: LOSS_EXPR, for: '10m' });
    expect(loss?.labels).toEqual({ severity: 'warning' });
    expect(latency).toMatchObject({ alert: 'VectorHeartbeatLatency', expr: LATENCY_EXPR, for: '10m' });
    expect(latency?.labels).toEqual({ severity: 'warning' });
  });

  it('threshold, window, for and severity of each: overridable; alertLabels, runbookUrl shared with the missing alert', () => {
    const { loss, latency } = rules({
      loss: { threshold: 0.25, window: '1h', for: '0s', severity: 'critical' },
      latency: { threshold: '90s', window: '15m', for: '5m', severity: 'info' },
      alertLabels: { team: 'platform' },
      runbookUrl: 'https://runbooks.example.com/heartbeat',
    });
    expect(loss?.expr).toBe(LOSS_EXPR.replaceAll('30m', '1h').replace('> 0.1', '> 0.25'));
    expect([loss?.for, loss?.labels]).toEqual(['0s', { team: 'platform', severity: 'critical' }]);
    expect(loss?.annotations?.summary).toBe(
      'Vector heartbeats of cluster {{ $labels.cluster }} are being lost (over 25 % in 1h)',
    );
    expect(latency?.expr).toBe(LATENCY_EXPR.replaceAll('10m', '15m').replace('> 300', '> 90'));
    expect([latency?.for, latency?.labels]).toEqual(['5m', { team: 'platform', severity: 'info' }]);
    expect(latency?.annotations?.summary).toBe(
      'Vector heartbeats of cluster {{ $labels.cluster }} arrive more than 90s late',
    );
    for (const rule of [loss, latency]) {
      expect(rule?.annotations?.runbook_url).toBe('https://runbooks.example.com/heartbeat');
    }
  });

  it('the windows follow a long interval: loss 10 intervals, latency 2.5, the seq lookback 2', () => {
    const { loss, latency } = rules({ intervalSeconds: 600, seenWindow: '240h' });
    expect(loss?.expr).toContain('increase(vector_heartbeat_lag_seconds_count[1h40m])');
    expect(loss?.expr).toContain('max_over_time(vector_heartbeat_sent_total[20m] offset 1h40m)');
    expect(latency?.expr).toContain('increase(vector_heartbeat_lag_seconds_sum[25m])');
  });

  it('selector and clusterLabel apply to every series and grouping', () => {
    const { loss, latency } = rules({ selector: 'job="vector-aggregator"', clusterLabel: 'exported_cluster' });
    const narrowed = (expr: string) =>
      expr
        .replace(/(vector_heartbeat_\w+)(?=[[ )])/g, '$1{job="vector-aggregator"}')
        .replaceAll('(cluster', '(exported_cluster');
    expect(loss?.expr).toBe(narrowed(LOSS_EXPR));
    expect(latency?.expr).toBe(narrowed(LATENCY_EXPR));
  });

  it('loss: false or latency: false leaves that rule out', () => {
    expect(rules({ loss: false }).all.map((r) => r.alert)).toEqual([
      'VectorHeartbeatMissing',
      'VectorHeartbeatLatency',
    ]);
    expect(rules({ latency: false }).all.map((r) => r.alert)).toEqual([
      'VectorHeartbeatMissing',
      'VectorHeartbeatLoss',
    ]);
    expect(rules({ loss: false, latency: false }).loss).toBeUndefined();
  });
});

describe('durations', () => {
  it('promDuration writes whole seconds largest unit first', () => {
    expect([promDuration(0), promDuration(3), promDuration(90), promDuration(300), promDuration(3661)]).toEqual([
      '0s',
      '3s',
      '1m30s',
      '5m',
      '1h1m1s',
    ]);
  });

  it('missingWindow is 2.5 intervals rounded up to a second', () => {
    expect([missingWindow(120), missingWindow(61), missingWindow(1)]).toEqual(['5m', '2m33s', '3s']);
  });
});
