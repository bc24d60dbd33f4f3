import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { commonLabels } from '../../lib/k8s/labels';
import { VECTOR_ALERT_KINDS, VectorMonitoring, type VectorMonitoringProps } from '../../lib/monitoring';
import type { MonitoredWorkload } from '../../lib/monitoring/monitored-workload';
import { expectValidChart } from '../helpers/k8s-schema';
import { AGENT, AGGREGATOR, BASE_PROPS, CLUSTER, EDGE_AGGREGATOR, manifestOf, manifests, monitoring } from './fixtures';
import { thrownMessage } from '../helpers/errors';

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

interface Group {
  readonly name: string;
  readonly rules: Rule[];
}

interface Endpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly relabelings: Record<string, unknown>[];
}

const groupsOf = (overrides: Partial<VectorMonitoringProps> = {}): Group[] =>
  manifestOf(monitoring(overrides).chart, 'PrometheusRule').spec?.groups as Group[];

const rulesOf = (overrides: Partial<VectorMonitoringProps> = {}): Rule[] =>
  groupsOf(overrides).flatMap((group) => group.rules);

const ruleOf = (alert: string, overrides: Partial<VectorMonitoringProps> = {}): Rule => {
  const found = rulesOf(overrides).find((r) => r.alert === alert);
  if (!found) throw new Error(`no alert ${alert}`);
  return found;
};

const endpointOf = (overrides: Partial<VectorMonitoringProps> = {}, name = 'vector-agent'): Endpoint =>
  (manifestOf(monitoring(overrides).chart, 'PodMonitor', name).spec?.podMetricsEndpoints as Endpoint[])[0];

const dashboardModel = (overrides: Partial<VectorMonitoringProps> = {}): Record<string, unknown> => {
  const data = manifestOf(monitoring(overrides).chart, 'ConfigMap').data ?? {};
  return JSON.parse(Object.values(data)[0]) as Record<string, unknown>;
};

/** The message a construction throws, so tests can compare it whole. */
function errorOf(props: Partial<VectorMonitoringProps>): string {
  return thrownMessage(() => monitoring(props), 'expected VectorMonitoring to reject its props');
}

const PATH = 'test/monitoring';
const LABELS = commonLabels({ name: 'vector', instance: 'vector-monitoring', component: 'monitoring' });

describe('VectorMonitoring objects and defaults', () => {
  it('writes one PodMonitor per target, one PrometheusRule and one dashboard ConfigMap, with stable names', () => {
    const { chart } = monitoring();
    expect(manifests(chart).map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'PodMonitor vector-system/vector-agent',
      'PodMonitor vector-system/vector-aggregator',
      'PrometheusRule monitoring/vector-alerts',
      'ConfigMap monitoring/vector-dashboard',
    ]);
  });

  it('passes the Kubernetes and prometheus-operator CRD schemas', () => {
    expectValidChart(monitoring().chart);
    expectValidChart(monitoring({ targets: [AGENT, AGGREGATOR, EDGE_AGGREGATOR], ...EVERY_PROP }).chart);
    expectValidChart(monitoring({ dashboard: { enabled: false } }).chart);
  });

  it('labels every object with the recommended labels only, and no cdk8s labels', () => {
    const { chart } = monitoring();
    for (const m of manifests(chart)) {
      const extra = m.kind === 'ConfigMap' ? { grafana_dashboard: '1' } : {};
      expect(m.metadata.labels, `${m.kind} ${m.metadata.name}`).toEqual({ ...LABELS, ...extra });
    }
    expect(JSON.stringify(manifests(chart))).not.toContain('cdk8s.io');
  });

  it('scrapes each target on its named metrics port every 30s, labelling node, cluster, role and workload', () => {
    const agent = manifestOf(monitoring().chart, 'PodMonitor', 'vector-agent');
    expect(agent.spec).toEqual({
      selector: { matchLabels: AGENT.selectorLabels },
      namespaceSelector: { matchNames: ['vector-system'] },
      podMetricsEndpoints: [
        {
          port: 'metrics',
          path: '/metrics',
          interval: '30s',
          relabelings: [
            { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' },
            { targetLabel: 'cluster', replacement: CLUSTER, action: 'replace' },
            { targetLabel: 'role', replacement: 'agent', action: 'replace' },
            { targetLabel: 'workload', replacement: 'vector-agent', action: 'replace' },
          ],
        },
      ],
    });
    expect(endpointOf({}, 'vector-aggregator').relabelings[2]).toEqual({
      targetLabel: 'role',
      replacement: 'aggregator',
      action: 'replace',
    });
  });

  it('follows the target: port name, path, namespace and selector', () => {
    const target: MonitoredWorkload = {
      ...AGENT,
      namespace: 'logging',
      metricsPortName: 'prom',
      metricsPath: '/internal/metrics',
      selectorLabels: { app: 'collector' },
    };
    const pm = manifestOf(monitoring({ targets: [target] }).chart, 'PodMonitor');
    expect(pm.metadata.namespace).toBe('logging');
    expect(pm.spec?.selector).toEqual({ matchLabels: { app: 'collector' } });
    expect(pm.spec?.namespaceSelector).toEqual({ matchNames: ['logging'] });
    const endpoint = (pm.spec?.podMetricsEndpoints as Endpoint[])[0];
    expect([endpoint.port, endpoint.path]).toEqual(['prom', '/internal/metrics']);
  });

  it('writes one rule group per target, with the alerts its workload kind calls for', () => {
    const groups = groupsOf({ targets: [AGENT, AGGREGATOR, EDGE_AGGREGATOR] });
    expect(groups.map((g) => [g.name, g.rules.map((r) => r.alert)])).toEqual([
      [
        'vector-agent.vector-system',
        [
          'VectorAgentDown',
          'VectorAgentPodsUnavailable',
          'VectorAgentComponentErrors',
          'VectorAgentEventsDiscarded',
          'VectorAgentBufferDiscardingEvents',
          'VectorAgentBufferNearlyFull',
          'VectorAgentMemoryNearLimit',
        ],
      ],
      [
        'vector-aggregator.vector-system',
        [
          'VectorAggregatorDown',
          'VectorAggregatorReplicasDown',
          'VectorAggregatorComponentErrors',
          'VectorAggregatorEventsDiscarded',
          'VectorAggregatorBufferDiscardingEvents',
          'VectorAggregatorBufferNearlyFull',
          'VectorAggregatorMemoryNearLimit',
        ],
      ],
      ['vector-aggregator.vector-edge', groups[1].rules.map((r) => r.alert)],
    ]);
    const { construct } = monitoring();
    expect(construct.alertNames).toEqual(groups.slice(0, 2).flatMap((g) => g.rules.map((r) => r.alert)));
  });

  it('uses the default durations and severities, and labels every alert with cluster, role and workload', () => {
    const rules = rulesOf();
    expect(Object.fromEntries(rules.map((r) => [r.alert, [r.for, r.labels.severity]]))).toEqual({
      VectorAgentDown: ['5m', 'critical'],
      VectorAgentPodsUnavailable: ['15m', 'warning'],
      VectorAgentComponentErrors: ['15m', 'warning'],
      VectorAgentEventsDiscarded: ['10m', 'warning'],
      VectorAgentBufferDiscardingEvents: ['5m', 'critical'],
      VectorAgentBufferNearlyFull: ['15m', 'warning'],
      VectorAgentMemoryNearLimit: ['15m', 'warning'],
      VectorAggregatorDown: ['5m', 'critical'],
      VectorAggregatorReplicasDown: ['10m', 'critical'],
      VectorAggregatorComponentErrors: ['15m', 'warning'],
      VectorAggregatorEventsDiscarded: ['10m', 'warning'],
      VectorAggregatorBufferDiscardingEvents: ['5m', 'critical'],
      VectorAggregatorBufferNearlyFull: ['15m', 'warning'],
      VectorAggregatorMemoryNearLimit: ['15m', 'warning'],
    });
    for (const r of rules) {
      const role = r.alert.startsWith('VectorAgent') ? 'agent' : 'aggregator';
      expect(r.labels).toEqual({ severity: r.labels.severity, cluster: CLUSTER, role, workload: `vector-${role}` });
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'summary']);
    }
  });

  it('selects Vector series by cluster, namespace and workload, and the rest by namespace and workload name', () => {
    const vector = 'cluster="prod-eu-1", namespace="vector-system", workload="vector-agent"';
    expect(ruleOf('VectorAgentDown').expr).toBe(`up{${vector}} == 0`);
    for (const alert of ['ComponentErrors', 'EventsDiscarded', 'BufferDiscardingEvents', 'BufferNearlyFull']) {
      expect(ruleOf(`VectorAgent${alert}`).expr).toContain(`{${vector}`);
    }
    expect(ruleOf('VectorAgentPodsUnavailable').expr).toBe(
      'kube_daemonset_status_number_unavailable{job="kube-state-metrics", namespace="vector-system", daemonset="vector-agent"} > 0',
    );
    expect(ruleOf('VectorAggregatorReplicasDown').expr).toBe(
      [
        'kube_statefulset_status_replicas_ready{job="kube-state-metrics", namespace="vector-system", statefulset="vector-aggregator"}',
        '  < on (cluster, namespace, statefulset)',
        'kube_statefulset_replicas{job="kube-state-metrics", namespace="vector-system", statefulset="vector-aggregator"}',
      ].join('\n'),
    );
    expect(ruleOf('VectorAgentMemoryNearLimit').expr).toBe(
      [
        'max by (cluster, namespace, pod, container) (',
        '  container_memory_working_set_bytes{job="kubelet", metrics_path="/metrics/cadvisor", namespace="vector-system", pod=~"vector-agent-[a-z0-9]{5}", container="vector"}',
        ')',
        '/ max by (cluster, namespace, pod, container) (',
        '  kube_pod_container_resource_limits{job="kube-state-metrics", namespace="vector-system", pod=~"vector-agent-[a-z0-9]{5}", container="vector", resource="memory"} > 0',
        ')',
        '> 0.8',
      ].join('\n'),
    );
  });

  it('judges a Deployment by its available replicas and matches its pods by the ReplicaSet naming', () => {
    const props = { targets: [EDGE_AGGREGATOR] };
    expect(ruleOf('VectorAggregatorReplicasDown', props).expr).toBe(
      [
        'kube_deployment_status_replicas_available{job="kube-state-metrics", namespace="vector-edge", deployment="vector-edge-aggregator"}',
        '  < on (cluster, namespace, deployment)',
        'kube_deployment_spec_replicas{job="kube-state-metrics", namespace="vector-edge", deployment="vector-edge-aggregator"}',
      ].join('\n'),
    );
    expect(ruleOf('VectorAggregatorMemoryNearLimit', props).expr).toContain(
      'pod=~"vector-edge-aggregator-[a-z0-9]{1,10}-[a-z0-9]{5}"',
    );
    expect(ruleOf('VectorAggregatorMemoryNearLimit').expr).toContain('pod=~"vector-aggregator-[0-9]+"');
  });

  it('escapes regex characters of a workload name in pod patterns', () => {
    const dotted = { ...AGENT, workloadName: 'vector.agent' };
    expect(ruleOf('VectorAgentMemoryNearLimit', { targets: [dotted] }).expr).toContain(
      'pod=~"vector\\\\.agent-[a-z0-9]{5}"',
    );
  });

  it('reads buffer fill from vector_buffer_max_size_bytes and vector_buffer_max_size_events', () => {
    const expr = ruleOf('VectorAgentBufferNearlyFull').expr;
    expect(expr).toContain('/ max by');
    expect(expr.match(/vector_buffer_[a-z_]+/g)).toEqual([
      'vector_buffer_size_bytes',
      'vector_buffer_max_size_bytes',
      'vector_buffer_size_events',
      'vector_buffer_max_size_events',
    ]);
  });

  it('counts only unintended component drops, but every buffer drop', () => {
    expect(ruleOf('VectorAgentEventsDiscarded').expr).toContain('intentional="false"');
    expect(ruleOf('VectorAgentBufferDiscardingEvents').expr).not.toContain('intentional');
  });

  it('writes no runbook_url without a runbook base URL', () => {
    expect(rulesOf().some((r) => 'runbook_url' in r.annotations)).toBe(false);
  });

  it('exposes the dashboard uid, derived from the cluster name', () => {
    const { construct } = monitoring();
    expect(construct.dashboardUid).toMatch(/^vector-prod-eu-1-[0-9a-f]{8}$/);
    expect(dashboardModel().uid).toBe(construct.dashboardUid);
    expect(construct.dashboardConfigMap).toBeDefined();
  });

  it('synthesizes byte-identical output twice', () => {
    const synth = () =>
      JSON.stringify(Testing.synth(monitoring({ targets: [AGENT, AGGREGATOR, EDGE_AGGREGATOR] }).chart));
    expect(synth()).toBe(synth());
  });

  it('matches the reviewed snapshot', () => {
    const { chart } = monitoring({ ruleLabels: { release: 'kube-prometheus-stack' } });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});

const EVERY_PROP: Partial<VectorMonitoringProps> = {
  name: 'fleet',
  ruleLabels: { release: 'kube-prometheus-stack', 'example.com/team': 'platform' },
  scrapeInterval: '15s',
  rateWindow: '2m',
  bufferUsageThreshold: 0.9,
  memoryUsageThreshold: 0.75,
  componentErrorRateThreshold: 0.5,
  discardedEventRateThreshold: 1,
  alertFor: { targetDown: '2m' },
  severities: { memoryNearLimit: 'info' },
  alertLabels: { team: 'platform' },
  runbookBaseUrl: 'https://runbooks.example.com/vector/',
  kubeStateMetricsSelector: 'job="ksm", cluster="prod-eu-1"',
  cadvisorSelector: '',
  dashboard: {
    namespace: 'grafana',
    labels: { team: 'platform' },
    annotations: { grafana_folder: 'Vector' },
    title: 'Vector (production EU)',
  },
};

describe('VectorMonitoring props', () => {
  it('name: names the rule, the dashboard ConfigMap and its key, and the instance label', () => {
    const { chart } = monitoring({ name: 'fleet' });
    expect(manifestOf(chart, 'PrometheusRule').metadata.name).toBe('fleet-alerts');
    const cm = manifestOf(chart, 'ConfigMap');
    expect(cm.metadata.name).toBe('fleet-dashboard');
    expect(Object.keys(cm.data ?? {})).toEqual(['fleet-prod-eu-1.json']);
    expect(cm.metadata.labels?.['app.kubernetes.io/instance']).toBe('fleet-monitoring');
  });

  it('namespace: holds the PrometheusRule and, by default, the dashboard', () => {
    const { chart } = monitoring({ namespace: 'observability' });
    expect(manifestOf(chart, 'PrometheusRule').metadata.namespace).toBe('observability');
    expect(manifestOf(chart, 'ConfigMap').metadata.namespace).toBe('observability');
    expect(manifestOf(chart, 'PodMonitor', 'vector-agent').metadata.namespace).toBe('vector-system');
  });

  it('cluster: is relabelled onto every series, put on every alert and selects the dashboard', () => {
    const props = { cluster: 'dev' };
    expect(endpointOf(props).relabelings[1]).toEqual({ targetLabel: 'cluster', replacement: 'dev', action: 'replace' });
    expect(rulesOf(props).every((r) => r.labels.cluster === 'dev')).toBe(true);
    expect(ruleOf('VectorAgentDown', props).expr).toContain('cluster="dev"');
    const model = dashboardModel(props);
    expect(model.title).toBe('Vector fleet / dev');
    expect(monitoring(props).construct.dashboardUid).toMatch(/^vector-dev-/);
  });

  it('ruleLabels: go on the PrometheusRule and every PodMonitor, not on the dashboard', () => {
    const { chart } = monitoring({ ruleLabels: { release: 'kube-prometheus-stack' } });
    for (const m of manifests(chart)) {
      expect(m.metadata.labels?.release, `${m.kind} ${m.metadata.name}`).toBe(
        m.kind === 'ConfigMap' ? undefined : 'kube-prometheus-stack',
      );
    }
  });

  it('scrapeInterval: sets every endpoint interval', () => {
    expect(endpointOf({ scrapeInterval: '1m' }).interval).toBe('1m');
  });

  it('rateWindow: sets the rate() window of the error and discard alerts', () => {
    const rules = rulesOf({ rateWindow: '10m' });
    const rated = rules.filter((r) => r.expr.includes('rate('));
    expect(rated.map((r) => r.alert)).toEqual([
      'VectorAgentComponentErrors',
      'VectorAgentEventsDiscarded',
      'VectorAgentBufferDiscardingEvents',
      'VectorAggregatorComponentErrors',
      'VectorAggregatorEventsDiscarded',
      'VectorAggregatorBufferDiscardingEvents',
    ]);
    expect(rated.every((r) => r.expr.includes('[10m])') && !r.expr.includes('[5m]'))).toBe(true);
  });

  it('bufferUsageThreshold and memoryUsageThreshold: set the alert thresholds and their descriptions', () => {
    const props = { bufferUsageThreshold: 0.9, memoryUsageThreshold: 0.75 };
    const buffer = ruleOf('VectorAgentBufferNearlyFull', props);
    expect(buffer.expr.match(/\) > [0-9.]+/g)).toEqual([') > 0.9', ') > 0.9']);
    expect(buffer.annotations.description).toContain('above 90 % of its configured maximum');
    const memory = ruleOf('VectorAgentMemoryNearLimit', props);
    expect(memory.expr.endsWith('\n> 0.75')).toBe(true);
    expect(memory.annotations.description).toContain('more than 75 % of its memory limit');
  });

  it('componentErrorRateThreshold and discardedEventRateThreshold: set the rate thresholds', () => {
    const props = { componentErrorRateThreshold: 0.5, discardedEventRateThreshold: 2 };
    expect(ruleOf('VectorAgentComponentErrors', props).expr.endsWith(') > 0.5')).toBe(true);
    expect(ruleOf('VectorAgentComponentErrors', props).annotations.description).toContain('(threshold 0.5/s)');
    expect(ruleOf('VectorAgentEventsDiscarded', props).expr.endsWith(') > 2')).toBe(true);
    expect(ruleOf('VectorAgentBufferDiscardingEvents', props).expr.endsWith(') > 2')).toBe(true);
  });

  it('alertFor: overrides the duration of the named alerts only, and the text follows', () => {
    const rules = rulesOf({ alertFor: { targetDown: '2m', memoryNearLimit: '1h' } });
    const agentDown = rules.find((r) => r.alert === 'VectorAgentDown');
    expect(agentDown?.for).toBe('2m');
    expect(agentDown?.annotations.description).toContain('on node {{ $labels.node }} for 2m:');
    expect(rules.find((r) => r.alert === 'VectorAggregatorMemoryNearLimit')?.for).toBe('1h');
    expect(rules.find((r) => r.alert === 'VectorAgentBufferNearlyFull')?.for).toBe('15m');
    expect(ruleOf('VectorAgentDown', { alertFor: { targetDown: undefined } }).for).toBe('5m');
  });

  it('severities: overrides the severity label of the named alerts only', () => {
    const rules = rulesOf({ severities: { componentErrors: 'page', bufferNearlyFull: 'info' } });
    expect(rules.filter((r) => r.labels.severity === 'page').map((r) => r.alert)).toEqual([
      'VectorAgentComponentErrors',
      'VectorAggregatorComponentErrors',
    ]);
    expect(rules.filter((r) => r.labels.severity === 'info').map((r) => r.alert)).toEqual([
      'VectorAgentBufferNearlyFull',
      'VectorAggregatorBufferNearlyFull',
    ]);
  });

  it('alertLabels: are added to every alert', () => {
    expect(rulesOf({ alertLabels: { team: 'platform' } }).every((r) => r.labels.team === 'platform')).toBe(true);
  });

  it('runbookBaseUrl: adds runbook_url per alert', () => {
    const rules = rulesOf({ runbookBaseUrl: 'https://runbooks.example.com/vector/' });
    expect(rules[0].annotations.runbook_url).toBe('https://runbooks.example.com/vector/vectoragentdown');
    expect(rules.every((r) => r.annotations.runbook_url?.endsWith(`/${r.alert.toLowerCase()}`))).toBe(true);
  });

  it('kubeStateMetricsSelector and cadvisorSelector: pick the series the Kubernetes alerts read; empty means none', () => {
    const props = { kubeStateMetricsSelector: 'job="ksm", cluster="prod-eu-1"', cadvisorSelector: '' };
    expect(ruleOf('VectorAgentPodsUnavailable', props).expr).toBe(
      'kube_daemonset_status_number_unavailable{job="ksm", cluster="prod-eu-1", namespace="vector-system", daemonset="vector-agent"} > 0',
    );
    const memory = ruleOf('VectorAgentMemoryNearLimit', props).expr;
    expect(memory).toContain('container_memory_working_set_bytes{namespace="vector-system", ');
    expect(memory).toContain('kube_pod_container_resource_limits{job="ksm", cluster="prod-eu-1", namespace=');
  });

  it('dashboard: can be turned off', () => {
    const { chart, construct } = monitoring({ dashboard: { enabled: false } });
    expect(manifests(chart).map((m) => m.kind)).toEqual(['PodMonitor', 'PodMonitor', 'PrometheusRule']);
    expect(construct.dashboardConfigMap).toBeUndefined();
  });

  it('dashboard: namespace, labels, annotations and title are overridable; grafana_dashboard is always "1"', () => {
    const { chart } = monitoring({ dashboard: EVERY_PROP.dashboard });
    const cm = manifestOf(chart, 'ConfigMap');
    expect(cm.metadata.namespace).toBe('grafana');
    expect(cm.metadata.labels).toEqual({ ...LABELS, team: 'platform', grafana_dashboard: '1' });
    expect(cm.metadata.annotations).toEqual({ grafana_folder: 'Vector' });
    expect(dashboardModel({ dashboard: EVERY_PROP.dashboard }).title).toBe('Vector (production EU)');
    expect(
      manifestOf(monitoring({ dashboard: { labels: { grafana_dashboard: '1' } } }).chart, 'ConfigMap'),
    ).toBeDefined();
  });

  it('every prop at once still gives schema-valid objects', () => {
    const { chart } = monitoring(EVERY_PROP);
    expectValidChart(chart);
    expect(manifests(chart).map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'PodMonitor vector-system/vector-agent',
      'PodMonitor vector-system/vector-aggregator',
      'PrometheusRule monitoring/fleet-alerts',
      'ConfigMap grafana/fleet-dashboard',
    ]);
  });

  it.each(VECTOR_ALERT_KINDS.map((kind) => [kind]))('alert kind %s can be tuned by alertFor and severities', (kind) => {
    const rules = rulesOf({
      alertFor: { [kind]: '42m' },
      severities: { [kind]: 'tuned' },
    } as Partial<VectorMonitoringProps>);
    const tuned = rules.filter((r) => r.for === '42m');
    expect(tuned.length, `some alert follows alertFor.${kind}`).toBeGreaterThan(0);
    for (const rule of tuned) expect(rule.labels?.severity).toBe('tuned');
    expect(rules.filter((r) => r.labels?.severity === 'tuned')).toEqual(tuned);
  });
});

describe('VectorMonitoring rejects bad props with the construct path, the prop, the value and what is allowed', () => {
  const cases: [string, Partial<VectorMonitoringProps>, string][] = [
    [
      'no targets',
      { targets: [] },
      'invalid targets []: must list at least one MonitoredWorkload (the monitoringTarget of a VectorAgent or VectorAggregator)',
    ],
    [
      'a role twice in one namespace',
      { targets: [AGENT, { ...AGENT, workloadName: 'vector-agent-2' }] },
      'invalid targets[1]: role "agent" in namespace "vector-system" is already targets[0]; each role is monitored ' +
        'once per namespace (alert names and rule groups are per role and namespace)',
    ],
    [
      'a workload twice',
      { targets: [AGENT, { ...AGENT, role: 'aggregator' }] },
      'invalid targets[1]: workload "vector-system/vector-agent" is already targets[0] (its PodMonitor would be written twice)',
    ],
    [
      'an empty pod selector',
      { targets: [{ ...AGENT, selectorLabels: {} }] },
      "invalid targets[0].selectorLabels {}: must select the workload's pods; an empty selector would scrape every pod " +
        'in namespace "vector-system"',
    ],
    [
      'a bad port name',
      { targets: [{ ...AGENT, metricsPortName: 'vector-metrics-port' }] },
      'invalid targets[0].metricsPortName "vector-metrics-port": must be a container port name (at most 15 lowercase ' +
        "alphanumerics and '-', with at least one letter)",
    ],
    [
      'a relative metrics path',
      { targets: [{ ...AGENT, metricsPath: 'metrics' }] },
      'invalid targets[0].metricsPath "metrics": must be an HTTP path starting with \'/\', without spaces, query or fragment',
    ],
    [
      'an unknown workload kind',
      { targets: [{ ...AGENT, workloadKind: 'ReplicaSet' as MonitoredWorkload['workloadKind'] }] },
      'invalid targets[0].workloadKind "ReplicaSet": must be one of "DaemonSet", "StatefulSet", "Deployment"',
    ],
    [
      'a bad namespace',
      { namespace: 'Monitoring' },
      'invalid namespace "Monitoring": must be a DNS label of at most 63 characters (lowercase alphanumerics and \'-\', ' +
        'starting and ending with an alphanumeric)',
    ],
    [
      'an empty cluster',
      { cluster: '' },
      "invalid cluster \"\": must be a non-empty Kubernetes label value (at most 63 alphanumerics, '-', '_' or '.', " +
        'starting and ending with an alphanumeric)',
    ],
    [
      'a name too long for its suffixes',
      { name: 'v'.repeat(54) },
      `invalid name "${'v'.repeat(54)}": must be a DNS label of at most 53 characters (lowercase alphanumerics and ` +
        "'-', starting and ending with an alphanumeric)",
    ],
    [
      'a ratio above 1',
      { bufferUsageThreshold: 80 },
      'invalid bufferUsageThreshold 80: must be a ratio in (0, 1], e.g. 0.8 for 80 %',
    ],
    [
      'a ratio of 0',
      { memoryUsageThreshold: 0 },
      'invalid memoryUsageThreshold 0: must be a ratio in (0, 1], e.g. 0.8 for 80 %',
    ],
    [
      'a negative rate threshold',
      { componentErrorRateThreshold: -1 },
      'invalid componentErrorRateThreshold -1: must be a finite number >= 0 (errors per second)',
    ],
    [
      'a non-finite rate threshold',
      { discardedEventRateThreshold: Number.POSITIVE_INFINITY },
      'invalid discardedEventRateThreshold Infinity: must be a finite number >= 0 (events per second)',
    ],
    [
      'a duration in words',
      { alertFor: { targetDown: '5 minutes' } },
      'invalid alertFor.targetDown "5 minutes": must be a Prometheus duration such as 30s, 5m or 1h30m (units ms, s, ' +
        'm, h, d, w, y, largest first)',
    ],
    [
      'units out of order',
      { alertFor: { memoryNearLimit: '30m1h' } },
      'invalid alertFor.memoryNearLimit "30m1h": must be a Prometheus duration such as 30s, 5m or 1h30m (units ms, s, ' +
        'm, h, d, w, y, largest first)',
    ],
    [
      'a misspelt alert kind',
      { alertFor: { targetdown: '5m' } as VectorMonitoringProps['alertFor'] },
      'unknown alertFor key "targetdown": allowed keys are targetDown, podsUnavailable, replicasDown, componentErrors, ' +
        'eventsDiscarded, bufferDiscarding, bufferNearlyFull, memoryNearLimit',
    ],
    [
      'an empty severity',
      { severities: { targetDown: '' } },
      'invalid severities.targetDown "": must be a non-empty Kubernetes label value (at most 63 alphanumerics, \'-\', ' +
        "'_' or '.', starting and ending with an alphanumeric)",
    ],
    [
      'a zero scrape interval',
      { scrapeInterval: '0s' },
      'invalid scrapeInterval "0s": must be a non-zero Prometheus duration such as 30s, 5m or 1h30m (units ms, s, m, ' +
        'h, d, w, y, largest first)',
    ],
    [
      'an interval in words',
      { scrapeInterval: '30 seconds' },
      'invalid scrapeInterval "30 seconds": must be a non-zero Prometheus duration such as 30s, 5m or 1h30m (units ms, ' +
        's, m, h, d, w, y, largest first)',
    ],
    [
      'a rate window too short for the scrape interval',
      { rateWindow: '1m' },
      'invalid rateWindow "1m": must be at least 4 × scrapeInterval (30s), so every window holds enough samples for ' +
        'rate() even when a scrape fails',
    ],
    [
      'a label key with a space',
      { ruleLabels: { 'release name': 'kps' } },
      'invalid ruleLabels key "release name": must be a Kubernetes label key (an optional DNS-subdomain prefix and ' +
        "'/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)",
    ],
    [
      'a label value with a slash',
      { ruleLabels: { release: 'kube/prometheus' } },
      'invalid ruleLabels["release"] "kube/prometheus": must be a Kubernetes label value (at most 63 alphanumerics, ' +
        "'-', '_' or '.', starting and ending with an alphanumeric)",
    ],
    [
      'an alert label Prometheus cannot hold',
      { alertLabels: { 'team-name': 'platform' } },
      'invalid alertLabels key "team-name": must be a Prometheus label name (letters, digits and \'_\', not starting ' +
        "with a digit or '__')",
    ],
    [
      'an alert label the construct sets',
      { alertLabels: { severity: 'page' } },
      'invalid alertLabels key "severity": VectorMonitoring sets alertname, severity, cluster, role, workload itself',
    ],
    [
      'a runbook base that is not a URL',
      { runbookBaseUrl: 'runbooks.example.com' },
      'invalid runbookBaseUrl "runbooks.example.com": must be an http(s) URL without query or fragment',
    ],
    [
      'a selector without quotes',
      { kubeStateMetricsSelector: 'job=kube-state-metrics' },
      'invalid kubeStateMetricsSelector "job=kube-state-metrics": must be PromQL label matchers separated by commas, ' +
        'e.g. job="kube-state-metrics", cluster="prod" (or \'\' for none)',
    ],
    [
      'a selector in braces',
      { cadvisorSelector: '{job="kubelet"}' },
      'invalid cadvisorSelector "{job=\\"kubelet\\"}": must be PromQL label matchers separated by commas, ' +
        'e.g. job="kube-state-metrics", cluster="prod" (or \'\' for none)',
    ],
    [
      'a dashboard label that turns the sidecar off',
      { dashboard: { labels: { grafana_dashboard: '0' } } },
      'invalid dashboard.labels["grafana_dashboard"] "0": it is always "1", the value Grafana\'s dashboard sidecar ' +
        'looks for; leave it out',
    ],
    [
      'a bad dashboard namespace',
      { dashboard: { namespace: 'grafana_dashboards' } },
      'invalid dashboard.namespace "grafana_dashboards": must be a DNS label of at most 63 characters (lowercase ' +
        "alphanumerics and '-', starting and ending with an alphanumeric)",
    ],
    [
      'a bad dashboard annotation key',
      { dashboard: { annotations: { 'grafana folder': 'Vector' } } },
      'invalid dashboard.annotations key "grafana folder": must be a Kubernetes label key (an optional DNS-subdomain ' +
        "prefix and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)",
    ],
    [
      'an empty dashboard title',
      { dashboard: { title: ' ' } },
      'invalid dashboard.title " ": must be a non-empty string',
    ],
  ];

  it.each(cases)('%s', (_name, props, message) => {
    expect(errorOf(props)).toBe(`${PATH}: ${message}`);
  });

  it('reports every problem at once, one per line', () => {
    expect(
      errorOf({ scrapeInterval: '30 seconds', bufferUsageThreshold: 2, alertLabels: { role: 'x' } }).split('\n'),
    ).toEqual([
      `${PATH}: invalid scrapeInterval "30 seconds": must be a non-zero Prometheus duration such as 30s, 5m or 1h30m (units ms, s, m, h, d, w, y, largest first)`,
      `${PATH}: invalid bufferUsageThreshold 2: must be a ratio in (0, 1], e.g. 0.8 for 80 %`,
      `${PATH}: invalid alertLabels key "role": VectorMonitoring sets alertname, severity, cluster, role, workload itself`,
    ]);
  });

  it('names the construct path of a nested construct', () => {
    const chart = Testing.chart();
    expect(() => new VectorMonitoring(chart, 'self-monitoring', { ...BASE_PROPS, targets: [] })).toThrow(
      /^test\/self-monitoring: invalid targets \[\]/,
    );
  });

  it('accepts the boundaries: a ratio of exactly 1, zero rate thresholds, a zero `for`, a window of exactly 4 scrapes', () => {
    expect(() =>
      monitoring({
        bufferUsageThreshold: 1,
        memoryUsageThreshold: 1,
        componentErrorRateThreshold: 0,
        discardedEventRateThreshold: 0,
        alertFor: { targetDown: '0', bufferDiscarding: '0s' },
        scrapeInterval: '1m',
        rateWindow: '4m',
      }),
    ).not.toThrow();
  });
});
