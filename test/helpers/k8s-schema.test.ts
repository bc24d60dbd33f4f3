import { dirname, join } from 'node:path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { expectValidApp, expectValidChart, expectValidManifests, validateManifests } from './k8s-schema';

const labels = { app: 'web' };

function deployment(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vector-config', namespace: 'vector-system' },
  data: { 'vector.yaml': 'sources: {}\n' },
};

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vector-system' } };

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'vector-agent', namespace: 'vector-system' },
  spec: {
    selector: { matchLabels: { app: 'vector-agent' } },
    template: {
      metadata: { labels: { app: 'vector-agent' } },
      spec: {
        containers: [
          {
            name: 'vector',
            image: 'timberio/vector:0.40.0-debian',
            ports: [{ containerPort: 8686, name: 'api' }],
            volumeMounts: [{ name: 'var-log', mountPath: '/var/log', readOnly: true }],
          },
        ],
        volumes: [{ name: 'var-log', hostPath: { path: '/var/log' } }],
      },
    },
  },
};

function certificate(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'aggregator-tls', namespace: 'vector-system' },
    spec: {
      secretName: 'aggregator-tls',
      dnsNames: ['aggregator.vector-system.svc'],
      issuerRef: { name: 'fleet-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      ...spec,
    },
  };
}

function prometheusRule(rule: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'vector-alerts', namespace: 'vector-system' },
    spec: {
      groups: [
        {
          name: 'vector',
          rules: [
            { alert: 'VectorDown', expr: 'up{job="vector"} == 0', for: '5m', labels: { severity: 'page' }, ...rule },
          ],
        },
      ],
    },
  };
}

describe('validateManifests', () => {
  it('accepts valid core, apps, cert-manager and prometheus-operator objects', () => {
    expect(validateManifests([deployment(), configMap, namespace, daemonSet, certificate(), prometheusRule()])).toEqual(
      [],
    );
    expect(() => expectValidManifests([deployment(), configMap, namespace, daemonSet])).not.toThrow();
  });

  it('reports a wrongly typed field with the object and the path', () => {
    const problems = validateManifests([deployment({ replicas: 'three' })]);
    expect(problems).toEqual([
      { object: 'apps/v1 Deployment default/web', message: '/spec/replicas: must be integer' },
    ]);
    expect(() => expectValidManifests([deployment({ replicas: 'three' })])).toThrow(
      '1 schema problem(s):\napps/v1 Deployment default/web: /spec/replicas: must be integer',
    );
  });

  it('lists every problem, one per line', () => {
    const broken = [deployment({ replicas: 'three' }), { ...configMap, data: { 'vector.yaml': 42 } }];
    expect(() => expectValidManifests(broken)).toThrow(
      [
        '2 schema problem(s):',
        'apps/v1 Deployment default/web: /spec/replicas: must be integer',
        'v1 ConfigMap vector-system/vector-config: /data/vector.yaml: must be string',
      ].join('\n'),
    );
  });

  it('reports a required field missing from a cert-manager CRD', () => {
    const cert = certificate();
    const spec = cert.spec as Record<string, unknown>;
    delete spec.secretName;
    expect(validateManifests([cert])).toEqual([
      {
        object: 'cert-manager.io/v1 Certificate vector-system/aggregator-tls',
        message: '/spec: must have required property secretName',
      },
    ]);
  });

  it('reports a wrongly typed field in a prometheus-operator CRD', () => {
    expect(validateManifests([prometheusRule({ labels: ['severity', 'page'] })])).toEqual([
      {
        object: 'monitoring.coreos.com/v1 PrometheusRule vector-system/vector-alerts',
        message: '/spec/groups/0/rules/0/labels: must be object',
      },
    ]);
  });

  it('names the allowed values of an enum', () => {
    const problems = validateManifests([certificate({ privateKey: { algorithm: 'DSA' } })]);
    expect(problems.map((p) => p.message)).toEqual([
      '/spec/privateKey/algorithm: must be equal to one of the allowed values ("RSA", "ECDSA", "Ed25519")',
    ]);
  });

  it('refuses kinds it has no schema for instead of passing them', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(validateManifests([widget])).toEqual([
      {
        object: 'example.com/v1 Widget w',
        message: 'unknown kind example.com/v1 Widget: no schema to validate it against',
      },
    ]);
    // A known apiVersion is not enough: a sub-type of it is not a kind, and neither is a kind of another version.
    expect(validateManifests([{ ...widget, apiVersion: 'apps/v1', kind: 'DeploymentSpec' }])[0]?.message).toBe(
      'unknown kind apps/v1 DeploymentSpec: no schema to validate it against',
    );
    expect(validateManifests([{ ...widget, apiVersion: 'v1', kind: 'Deployment' }])[0]?.message).toBe(
      'unknown kind v1 Deployment: no schema to validate it against',
    );
    expect(validateManifests([{ ...widget, apiVersion: 'v1', kind: '../apps/v1/Deployment' }])[0]?.message).toBe(
      'unknown kind v1 ../apps/v1/Deployment: no schema to validate it against',
    );
  });

  it('refuses objects without apiVersion or kind', () => {
    expect(validateManifests([{ metadata: { name: 'x' } }, 'nope'])).toEqual([
      {
        object: '<no apiVersion> <no kind> x',
        message: 'apiVersion and kind must both be strings: no schema to validate it against',
      },
      { object: '<not an object: "nope">', message: 'manifest is not a JSON object' },
    ]);
  });

  it('requires a non-empty metadata.name', () => {
    expect(validateManifests([{ ...namespace, metadata: {} }])).toEqual([
      { object: 'v1 Namespace <no name>', message: 'metadata.name is missing or empty' },
    ]);
    expect(validateManifests([{ ...configMap, metadata: { name: '', namespace: 'vector-system' } }])).toEqual([
      { object: 'v1 ConfigMap vector-system/<no name>', message: 'metadata.name is missing or empty' },
    ]);
    expect(validateManifests([{ apiVersion: 'v1', kind: 'ConfigMap' }])).toEqual([
      { object: 'v1 ConfigMap <no name>', message: 'metadata.name is missing or empty' },
    ]);
  });

  it('finds every kind the model packages export', () => {
    // Guards the lazy lookup (folder listing + `<version>/<Kind>` module) against the packages' own export lists.
    const kinds: string[] = [];
    for (const pkg of [
      'kubernetes-models',
      '@kubernetes-models/cert-manager',
      '@kubernetes-models/prometheus-operator',
    ]) {
      const root = dirname(require.resolve(`${pkg}/package.json`));
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every version module, by name
      const exportsMap: unknown = require(`${pkg}/package.json`).exports;
      for (const subpath of Object.keys(exportsMap as Record<string, unknown>)) {
        if (!/(^|\/)v\d+((alpha|beta)\d+)?$/.test(subpath)) continue;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- every version module, by name
        const mod = require(join(root, subpath)) as Record<string, unknown>;
        for (const value of Object.values(mod)) {
          const apiVersion: unknown = typeof value === 'function' ? Reflect.get(value, 'apiVersion') : undefined;
          const kind: unknown = typeof value === 'function' ? Reflect.get(value, 'kind') : undefined;
          if (typeof apiVersion === 'string' && typeof kind === 'string') kinds.push(`${apiVersion} ${kind}`);
        }
      }
    }
    const unique = [...new Set(kinds)];
    expect(unique.length).toBeGreaterThan(250);
    for (const expected of [
      'v1 Service',
      'batch/v1 CronJob',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
      'networking.k8s.io/v1 NetworkPolicy',
      'policy/v1 PodDisruptionBudget',
      'cert-manager.io/v1 ClusterIssuer',
      'acme.cert-manager.io/v1 Order',
      'monitoring.coreos.com/v1 ServiceMonitor',
      'monitoring.coreos.com/v1 PodMonitor',
    ]) {
      expect(unique).toContain(expected);
    }
    const objects = unique.map((key) => {
      const [apiVersion, kind] = key.split(' ');
      return { apiVersion, kind, metadata: { name: 'x' } };
    });
    const unknown = validateManifests(objects).filter((p) => p.message.startsWith('unknown kind'));
    expect(unknown).toEqual([]);
  });

  it('validates a hundred objects quickly', () => {
    const objects = Array.from({ length: 25 }, () => [deployment(), daemonSet, certificate(), prometheusRule()]).flat();
    const start = performance.now();
    expect(validateManifests(objects)).toEqual([]);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('expectValidChart / expectValidApp', () => {
  it('accepts a chart with a cdk8s-plus Deployment', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', {
      replicas: 2,
      containers: [{ image: 'nginx:1.25', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
    });
    expect(chart.toJson().map((o: { kind: string }) => o.kind)).toEqual(['Deployment']);
    expect(() => expectValidChart(chart)).not.toThrow();
  });

  it('reports problems across all charts of an app', () => {
    const app = new App();
    const good = new Chart(app, 'good');
    new kplus.ConfigMap(good, 'config', { data: { a: 'b' } });
    const bad = new Chart(app, 'bad', { namespace: 'vector-system' });
    const web = new kplus.Deployment(bad, 'web', { containers: [{ image: 'nginx:1.25' }] });
    ApiObject.of(web).addJsonPatch(JsonPatch.add('/spec/replicas', 'three'));
    expect(() => expectValidApp(app)).toThrow(
      /^1 schema problem\(s\):\napps\/v1 Deployment vector-system\/bad-web-c\w+: \/spec\/replicas: must be integer$/,
    );
  });
});
