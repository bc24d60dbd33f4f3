import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dashboardUid, stableJson } from '../../lib/monitoring/dashboard';
import { expectRulesValid } from '../helpers/promtool';
import { AGENT, AGGREGATOR, EDGE_AGGREGATOR, manifestOf, monitoring } from './fixtures';

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly datasource: { readonly type: string; readonly uid: string };
}

interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
  readonly fieldConfig?: {
    readonly defaults: { readonly unit: string; readonly thresholds: { readonly steps: { value: number | null }[] } };
  };
}

interface Variable {
  readonly name: string;
  readonly type: string;
  readonly current: { readonly value?: string };
}

interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly templating: { readonly list: readonly Variable[] };
  readonly panels: readonly Panel[];
}

// Every metric a panel may read: what Vector 0.57, cAdvisor and kube-state-metrics export. Kept here, not imported
// from lib/, so a typo in the library cannot agree with itself.
const KNOWN_METRICS = new Set([
  'vector_component_received_events_total',
  'vector_component_sent_events_total',
  'vector_component_errors_total',
  'vector_component_discarded_events_total',
  'vector_buffer_size_bytes',
  'vector_buffer_size_events',
  'vector_buffer_max_size_bytes',
  'vector_buffer_max_size_events',
  'vector_buffer_discarded_events_total',
  'container_memory_working_set_bytes',
  'kube_pod_container_resource_limits',
]);

function configMapText(overrides = {}): string {
  const { chart } = monitoring({ targets: [AGENT, AGGREGATOR, EDGE_AGGREGATOR], ...overrides });
  const data = manifestOf(chart, 'ConfigMap').data ?? {};
  expect(Object.keys(data)).toEqual(['vector-prod-eu-1.json']);
  return data['vector-prod-eu-1.json'];
}

const dashboard = (overrides = {}): Dashboard => JSON.parse(configMapText(overrides)) as Dashboard;
const queryPanels = (d: Dashboard): Panel[] => d.panels.filter((p) => p.type !== 'row');
const exprs = (d: Dashboard): string[] => queryPanels(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr));

describe('Grafana dashboard', () => {
  it('is deterministic JSON: sorted keys at every level, 2-space indent, trailing newline', () => {
    const text = configMapText();
    expect(text).toBe(configMapText());
    expect(stableJson(JSON.parse(text))).toBe(text);
    expect(text.startsWith('{\n  "annotations": ')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(stableJson({ b: [{ d: 1, c: null }], a: 'x' })).toBe(
      '{\n  "a": "x",\n  "b": [\n    {\n      "c": null,\n      "d": 1\n    }\n  ]\n}\n',
    );
  });

  it('is a dashboard model: schema version, title, stable uid, datasource and cluster variables', () => {
    const d = dashboard();
    expect(d.schemaVersion).toBe(39);
    expect(d.title).toBe('Vector fleet / prod-eu-1');
    expect(d.uid).toBe(dashboardUid('prod-eu-1'));
    expect(d.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['cluster', 'query'],
    ]);
    expect(d.templating.list[1].current.value).toBe('prod-eu-1');
    expect(d).toHaveProperty('id', null);
  });

  it('derives a uid Grafana accepts from the cluster name, distinct per cluster', () => {
    expect(dashboardUid('prod-eu-1')).toBe(dashboardUid('prod-eu-1'));
    const uids = ['prod-eu-1', 'prod-eu-2', 'prod.eu_1', 'prod-eu_1', 'Prod-EU-1', 'x'.repeat(63)].map(dashboardUid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboardUid('prod.eu_1')).toMatch(/^vector-prod-eu-1-[0-9a-f]{8}$/);
  });

  it('has one row per workload with events in/out, errors, discards, buffer usage and memory panels', () => {
    const d = dashboard();
    const titles = d.panels.map((p) => (p.type === 'row' ? `# ${p.title}` : p.title));
    const perRow = [
      'Events in per component',
      'Events out per component',
      'Errors per component',
      'Discarded events',
      'Buffer size (bytes)',
      'Buffer size (events)',
      'Buffer fill (fullest pod)',
      'Memory against limit per pod',
    ];
    expect(titles).toEqual([
      '# Agents: vector-system/vector-agent (DaemonSet)',
      ...perRow,
      '# Aggregators: vector-system/vector-aggregator (StatefulSet)',
      ...perRow,
      '# Aggregators: vector-edge/vector-edge-aggregator (Deployment)',
      ...perRow,
    ]);
  });

  it('gives every panel a unique id and a place on the 24-column grid without overlaps', () => {
    const d = dashboard();
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Set<string>();
    for (const p of d.panels) {
      const { h, w, x, y } = p.gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const cell = `${row}:${col}`;
          expect(taken.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          taken.add(cell);
        }
      }
    }
  });

  it('queries through the $datasource variable, with a non-empty expr filtered on $cluster', () => {
    const d = dashboard();
    for (const p of queryPanels(d)) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '$datasource' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.expr.trim(), p.title).not.toBe('');
        expect(t.expr, `${p.title}: ${t.expr}`).toContain('cluster="$cluster"');
        expect(t.datasource.uid).toBe('$datasource');
        expect(t.legendFormat).not.toBe('');
      }
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, p.title).toBe(refIds.length);
    }
  });

  it('reads only metrics that Vector, cAdvisor and kube-state-metrics export', () => {
    const used = new Set(
      exprs(dashboard()).flatMap((e) => [...e.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1])),
    );
    expect([...used].filter((m) => !KNOWN_METRICS.has(m))).toEqual([]);
    expect([...KNOWN_METRICS].filter((m) => !used.has(m))).toEqual([]);
  });

  it('selects each row by namespace and workload, so fleets do not mix', () => {
    const d = dashboard();
    const edgeRow = d.panels.findIndex((p) => p.title.includes('vector-edge'));
    for (const p of d.panels.slice(edgeRow + 1)) {
      for (const t of p.targets ?? []) {
        expect(t.expr).toContain('namespace="vector-edge"');
        expect(t.expr).toMatch(/workload="vector-edge-aggregator"|pod=~"vector-edge-aggregator-/);
      }
    }
  });

  it('has PromQL that Prometheus parses', () => {
    // Grafana's variables become plain values, and each query a recording rule, so `promtool check rules` parses them.
    const rules = exprs(dashboard()).map((expr, i) => ({
      record: `dashboard:query_${i}`,
      expr: expr.replaceAll('$__rate_interval', '2m').replaceAll('$cluster', 'prod-eu-1'),
    }));
    expectRulesValid(stringify({ groups: [{ name: 'dashboard', rules }] }));
  });

  it('draws the alert thresholds on the buffer and memory panels', () => {
    const d = dashboard({ bufferUsageThreshold: 0.9, memoryUsageThreshold: 0.7 });
    const step = (title: string) =>
      queryPanels(d)
        .find((p) => p.title === title)
        ?.fieldConfig?.defaults.thresholds.steps.map((s) => s.value);
    expect(step('Buffer fill (fullest pod)')).toEqual([null, 0.9]);
    expect(step('Memory against limit per pod')).toEqual([null, 0.7]);
    expect(step('Errors per component')).toEqual([null]);
  });

  it('matches the reviewed snapshot of the agent row', () => {
    const d = dashboard({ targets: [AGENT] });
    expect(d.panels).toMatchSnapshot();
  });
});
