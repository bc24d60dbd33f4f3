import { createHash } from 'node:crypto';
import { CADVISOR_METRICS, KUBE_STATE_METRICS, VECTOR_METRICS } from './metrics';
import type { MonitoredWorkload } from './monitored-workload';
import { joinMatchers, podNamePattern } from './promql';

/** A JSON value: what a Grafana dashboard model is made of. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** Resolved settings the dashboard is written from. */
export interface DashboardSettings {
  readonly cluster: string;
  readonly title: string;
  readonly targets: readonly MonitoredWorkload[];
  readonly bufferUsageThreshold: number;
  readonly memoryUsageThreshold: number;
  readonly kubeStateMetricsSelector: string;
  readonly cadvisorSelector: string;
}

// Grafana's schema version of the panel/target layout written below (Grafana 10.x / 11.x read it as is).
const SCHEMA_VERSION = 39;
// `$datasource`, not `${datasource}`: Flux's post-build substitution would replace the braced form with nothing.
const DATASOURCE = { type: 'prometheus', uid: '$datasource' } as const;
const CLUSTER = 'cluster="$cluster"';

/**
 * A stable uid per cluster, unique across clusters even when their names differ only in characters a uid cannot
 * hold (Grafana allows at most 40 of `[a-zA-Z0-9_-]`).
 */
export function dashboardUid(cluster: string): string {
  const slug = cluster
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 24)
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(cluster).digest('hex').slice(0, 8);
  return `vector-${slug}-${hash}`;
}

/** JSON with object keys sorted at every level and 2-space indentation, so equal models give equal bytes. */
export function stableJson(value: Json): string {
  const sort = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as { readonly [key: string]: Json });
      return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sort(x)]));
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
  /** Draws a dashed line at this value (the alert threshold). */
  readonly threshold?: number;
}

function roleTitle(w: MonitoredWorkload): string {
  return `${w.role === 'agent' ? 'Agents' : 'Aggregators'}: ${w.namespace}/${w.workloadName} (${w.workloadKind})`;
}

function panelsFor(w: MonitoredWorkload, s: DashboardSettings): PanelSpec[] {
  const vector = `${CLUSTER}, namespace="${w.namespace}", workload="${w.workloadName}"`;
  const pods = `${CLUSTER}, namespace="${w.namespace}", pod=~"${podNamePattern(w)}", container="${w.containerName}"`;
  const rate = (metric: string, extra = ''): string =>
    `rate(${metric}{${joinMatchers(vector, extra)}}[$__rate_interval])`;
  const bufferKey = 'namespace, pod, component_id, buffer_id, stage';
  const fill = (size: string, max: string): string =>
    `max by (component_id) (${size}{${vector}} / on (${bufferKey}) (${max}{${vector}} > 0))`;
  return [
    {
      title: 'Events in per component',
      description: `${VECTOR_METRICS.receivedEvents}: events each component accepted, per second.`,
      unit: 'cps',
      targets: [{ expr: `sum by (component_id) (${rate(VECTOR_METRICS.receivedEvents)})`, legend: '{{component_id}}' }],
    },
    {
      title: 'Events out per component',
      description: `${VECTOR_METRICS.sentEvents}: events each component emitted, per second.`,
      unit: 'cps',
      targets: [{ expr: `sum by (component_id) (${rate(VECTOR_METRICS.sentEvents)})`, legend: '{{component_id}}' }],
    },
    {
      title: 'Errors per component',
      description: `${VECTOR_METRICS.errors} by error type: the pods' logs name the cause.`,
      unit: 'cps',
      targets: [
        {
          expr: `sum by (component_id, error_type) (${rate(VECTOR_METRICS.errors)})`,
          legend: '{{component_id}} {{error_type}}',
        },
      ],
    },
    {
      title: 'Discarded events',
      description:
        'Events dropped by components (intentional="false" is data loss; "true" is a filter or sample doing its job) ' +
        'and by full buffers set to drop_newest.',
      unit: 'cps',
      targets: [
        {
          expr: `sum by (component_id, intentional) (${rate(VECTOR_METRICS.discardedEvents)})`,
          legend: '{{component_id}} intentional={{intentional}}',
        },
        {
          expr: `sum by (component_id) (${rate(VECTOR_METRICS.bufferDiscardedEvents)})`,
          legend: '{{component_id}} buffer full',
        },
      ],
    },
    {
      title: 'Buffer size (bytes)',
      description: `${VECTOR_METRICS.bufferBytes}, summed over pods: disk buffers and byte-limited memory buffers.`,
      unit: 'bytes',
      targets: [
        { expr: `sum by (component_id) (${VECTOR_METRICS.bufferBytes}{${vector}})`, legend: '{{component_id}}' },
      ],
    },
    {
      title: 'Buffer size (events)',
      description: `${VECTOR_METRICS.bufferEvents}, summed over pods.`,
      unit: 'short',
      targets: [
        { expr: `sum by (component_id) (${VECTOR_METRICS.bufferEvents}{${vector}})`, legend: '{{component_id}}' },
      ],
    },
    {
      title: 'Buffer fill (fullest pod)',
      description:
        'Buffer size against its configured maximum (vector_buffer_max_size_bytes / _events), the fullest pod per ' +
        'component. The dashed line is the alert threshold.',
      unit: 'percentunit',
      threshold: s.bufferUsageThreshold,
      targets: [
        { expr: fill(VECTOR_METRICS.bufferBytes, VECTOR_METRICS.bufferMaxBytes), legend: '{{component_id}} bytes' },
        { expr: fill(VECTOR_METRICS.bufferEvents, VECTOR_METRICS.bufferMaxEvents), legend: '{{component_id}} events' },
      ],
    },
    {
      title: 'Memory against limit per pod',
      description:
        `Working set (${CADVISOR_METRICS.workingSet}) of the ${w.containerName} container against its limit ` +
        `(${KUBE_STATE_METRICS.containerLimits}). The dashed line is the alert threshold.`,
      unit: 'percentunit',
      threshold: s.memoryUsageThreshold,
      targets: [
        {
          expr:
            `max by (pod) (${CADVISOR_METRICS.workingSet}{${joinMatchers(s.cadvisorSelector, pods)}})\n` +
            `/ max by (pod) (${KUBE_STATE_METRICS.containerLimits}{${joinMatchers(
              s.kubeStateMetricsSelector,
              pods,
              'resource="memory"',
            )}} > 0)`,
          legend: '{{pod}}',
        },
      ],
    },
  ];
}

function timeseriesPanel(id: number, spec: PanelSpec, x: number, y: number): Json {
  const thresholds: Json = {
    mode: 'absolute',
    steps: [
      { color: 'green', value: null },
      ...(spec.threshold === undefined ? [] : [{ color: 'red', value: spec.threshold }]),
    ],
  };
  return {
    id,
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        min: 0,
        ...(spec.unit === 'percentunit' ? { max: 1 } : {}),
        thresholds,
        custom: { thresholdsStyle: { mode: spec.threshold === undefined ? 'off' : 'dashed' } },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'], showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    targets: spec.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: t.expr,
      legendFormat: t.legend,
      range: true,
    })),
  };
}

/** The Grafana dashboard model: one row per monitored workload, every query filtered on the `$cluster` variable. */
export function vectorDashboard(s: DashboardSettings): Json {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const w of s.targets) {
    panels.push({
      id: id++,
      type: 'row',
      title: roleTitle(w),
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    panelsFor(w, s).forEach((spec, i) => {
      panels.push(timeseriesPanel(id++, spec, (i % 2) * 12, y + Math.floor(i / 2) * 8));
    });
    y += Math.ceil(panelsFor(w, s).length / 2) * 8;
  }
  const clusterQuery = `label_values(${VECTOR_METRICS.receivedEvents}, cluster)`;
  return {
    id: null,
    uid: dashboardUid(s.cluster),
    title: s.title,
    description: `Vector agents and aggregators of cluster ${s.cluster}, written by cdk8s-vector-fleet.`,
    tags: ['vector', 'vector-fleet'],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: false,
    graphTooltip: 1,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'utc',
    links: [],
    annotations: { list: [] },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
        },
        {
          name: 'cluster',
          label: 'Cluster',
          type: 'query',
          datasource: DATASOURCE,
          definition: clusterQuery,
          query: { query: clusterQuery, refId: 'cluster' },
          current: { selected: true, text: s.cluster, value: s.cluster },
          hide: 0,
          includeAll: false,
          multi: false,
          refresh: 2,
          sort: 1,
          regex: '',
          options: [],
        },
      ],
    },
    panels,
  };
}
