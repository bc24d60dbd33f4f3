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
  it('writes one PrometheusRule with VectorHeartbeatMissing, named explicitly, in the given namespace', () => {
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
    expect(spec.groups[0].rules).toEqual([construct.rule]);
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
