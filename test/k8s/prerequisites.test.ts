/**
 * The prerequisites of a set of manifests are derived from the objects: each reference to an object the manifests do
 * not create, with its keys or versions, every referring field, and how to provide it. Test charts add references
 * one at a time and see them listed, or not listed when the chart creates the object or Kubernetes provides it.
 */
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kubectlResource, resourcePlural } from '../../lib/k8s/built-in-objects';
import type { Manifest } from '../../lib/k8s/object-references';
import { derivePrerequisites, type Prerequisite } from '../../lib/k8s/prerequisites';
import { parsePrerequisitesFile, renderPrerequisitesFile } from '../../lib/k8s/prerequisites-file';
import { expectValidManifests } from '../helpers/k8s-schema';

const container = (extra: Partial<k8s.Container> = {}): k8s.Container => ({
  name: 'app',
  image: 'example/app:1.0.0',
  ...extra,
});

/** A chart `shop` in namespace `shop` (created) with a Deployment `api` whose pod spec is `spec`, plus `add`. */
function manifests(spec: Partial<k8s.PodSpec>, add?: (chart: Chart) => void): Manifest[] {
  const app = new App();
  const chart = new Chart(app, 'shop', { disableResourceNameHashes: true });
  new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'shop' } });
  new k8s.KubeDeployment(chart, 'api', {
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [container()], ...spec } },
    },
  });
  add?.(chart);
  const objects = chart.toJson() as Manifest[];
  expectValidManifests(objects);
  return objects;
}

const find = (list: readonly Prerequisite[], kind: string, name: string) =>
  list.find((p) => p.kind === kind && p.name === name);

describe('derivePrerequisites', () => {
  it('lists a Secret a secretKeyRef names and nobody creates, with its key, the field and a kubectl command', () => {
    const list = derivePrerequisites(
      manifests({
        containers: [
          container({ env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }),
        ],
      }),
    );
    expect(list).toEqual([
      {
        group: '',
        kind: 'Secret',
        namespace: 'shop',
        name: 'db',
        keys: ['password'],
        why: ['Deployment shop/api: spec.template.spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef'],
        how: 'kubectl create secret generic db -n shop --from-literal=password=...',
      },
    ]);
  });

  it('does not list a Secret the manifests create, nor a namespace they create', () => {
    const spec = {
      containers: [container({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] })],
    };
    const list = derivePrerequisites(
      manifests(spec, (chart) => {
        new k8s.KubeSecret(chart, 'db', { metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'x' } });
      }),
    );
    expect(list).toEqual([]);
  });

  it('lists a Secret created in another namespace: objects are matched by namespace too', () => {
    const spec = { containers: [container({ envFrom: [{ secretRef: { name: 'db' } }] })] };
    const list = derivePrerequisites(
      manifests(spec, (chart) => {
        new k8s.KubeSecret(chart, 'db', { metadata: { name: 'db', namespace: 'default' } });
      }),
    );
    expect(list.map((p) => `${p.kind} ${p.namespace}/${p.name}`)).toEqual(['Secret shop/db']);
    expect(list[0].why).toEqual(['Deployment shop/api: spec.template.spec.containers[app].envFrom[0].secretRef']);
  });

  it('merges every reference to one object: keys from items, subPath mounts and keyRefs, each field once', () => {
    const list = derivePrerequisites(
      manifests({
        containers: [
          container({
            env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }],
            volumeMounts: [{ name: 'whole', mountPath: '/etc/app/app.ini', subPath: 'app.ini' }],
          }),
        ],
        volumes: [
          { name: 'picked', configMap: { name: 'settings', items: [{ key: 'level', path: 'level' }] } },
          { name: 'whole', configMap: { name: 'settings' } },
          {
            name: 'tokens',
            projected: { sources: [{ secret: { name: 'tokens', items: [{ key: 'a', path: 'a' }] } }] },
          },
        ],
      }),
    );
    expect(find(list, 'ConfigMap', 'settings')).toMatchObject({
      keys: ['app.ini', 'level', 'mode'],
      why: [
        'Deployment shop/api: spec.template.spec.containers[app].env[MODE].valueFrom.configMapKeyRef',
        'Deployment shop/api: spec.template.spec.volumes[picked].configMap',
        'Deployment shop/api: spec.template.spec.volumes[whole].configMap',
      ],
    });
    expect(find(list, 'Secret', 'tokens')).toMatchObject({
      keys: ['a'],
      why: ['Deployment shop/api: spec.template.spec.volumes[tokens].projected.sources[0].secret'],
    });
  });

  it('lists ServiceAccounts, PriorityClasses and image pull Secrets, but not the built-in ones', () => {
    const own = derivePrerequisites(
      manifests({
        serviceAccountName: 'api',
        priorityClassName: 'shop-high',
        imagePullSecrets: [{ name: 'registry' }],
      }),
    );
    expect(own.map((p) => `${p.kind} ${p.namespace ?? ''}/${p.name}`)).toEqual([
      'PriorityClass /shop-high',
      'Secret shop/registry',
      'ServiceAccount shop/api',
    ]);
    expect(find(own, 'PriorityClass', 'shop-high')?.how).toBe('kubectl create priorityclass shop-high --value=...');
    const builtIn = derivePrerequisites(
      manifests({ serviceAccountName: 'default', priorityClassName: 'system-node-critical' }),
    );
    expect(builtIn).toEqual([]);
  });

  it('leaves out references marked optional: the pod starts without them', () => {
    const list = derivePrerequisites(
      manifests({
        containers: [
          container({
            env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'maybe', key: 'x', optional: true } } }],
            envFrom: [{ configMapRef: { name: 'maybe-too', optional: true } }],
          }),
        ],
        volumes: [{ name: 'v', secret: { secretName: 'maybe-three', optional: true } }],
      }),
    );
    expect(list).toEqual([]);
  });

  it('lists the CRD of every kind outside the built-in API groups with the versions used, and its namespace', () => {
    const crdUser: Manifest[] = [
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'a', namespace: 'tls' }, spec: {} },
      { apiVersion: 'example.com/v1beta1', kind: 'Policy', metadata: { name: 'p' } },
      { apiVersion: 'example.com/v1', kind: 'Policy', metadata: { name: 'q' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'default' } },
    ];
    const list = derivePrerequisites(crdUser);
    expect(list.map((p) => [p.kind, p.name, p.versions])).toEqual([
      ['CustomResourceDefinition', 'certificates.cert-manager.io', ['v1']],
      ['CustomResourceDefinition', 'policies.example.com', ['v1', 'v1beta1']],
      ['Namespace', 'tls', undefined],
    ]);
    expect(find(list, 'CustomResourceDefinition', 'certificates.cert-manager.io')?.how).toMatch(
      /^install cert-manager: .*helm install cert-manager jetstack\/cert-manager .*\(the CRD must serve v1\)$/,
    );
    expect(find(list, 'CustomResourceDefinition', 'policies.example.com')?.how).toBe(
      'install the operator or chart that defines policies.example.com (the CRD must serve v1, v1beta1)',
    );
    // A CRD the manifests define is created by them.
    const defined = derivePrerequisites([
      ...crdUser.slice(1, 2),
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'policies.example.com' },
        spec: { group: 'example.com', names: { kind: 'Policy', plural: 'policies' } },
      },
    ]);
    expect(defined).toEqual([]);
  });

  it("lists a Certificate's Issuer or ClusterIssuer and a CA issuer's Secret with tls.crt and tls.key, not the Certificate's own Secret", () => {
    const list = derivePrerequisites([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tls' } },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'server', namespace: 'tls' },
        spec: { secretName: 'server-tls', issuerRef: { name: 'ca' } },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'public', namespace: 'tls' },
        spec: { secretName: 'public-tls', issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'ca', namespace: 'tls' },
        spec: { ca: { secretName: 'root-ca' } },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'tls' },
        spec: { containers: [container()], volumes: [{ name: 'c', secret: { secretName: 'server-tls' } }] },
      },
    ]);
    const names = list
      .filter((p) => p.kind !== 'CustomResourceDefinition')
      .map((p) => `${p.kind} ${p.namespace ?? ''}/${p.name}`);
    expect(names).toEqual(['ClusterIssuer /letsencrypt', 'Secret tls/root-ca']);
    expect(find(list, 'Secret', 'root-ca')).toMatchObject({
      keys: ['tls.crt', 'tls.key'],
      why: ['Issuer tls/ca: spec.ca.secretName'],
    });
    expect(find(list, 'ClusterIssuer', 'letsencrypt')?.why).toEqual(['Certificate tls/public: spec.issuerRef']);
  });

  it('lists ClusterRoles and ServiceAccounts of bindings that are not built in or created', () => {
    const list = derivePrerequisites([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'b' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'kube-system' }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'c' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    ]);
    expect(list.map((p) => [p.kind, p.namespace, p.name, p.why])).toEqual([
      ['ClusterRole', undefined, 'reader', ['ClusterRoleBinding b: roleRef']],
      ['ServiceAccount', 'kube-system', 'bot', ['ClusterRoleBinding b: subjects[0]']],
    ]);
  });

  it('walks a Pod kept in a ConfigMap, also inside a string of a values file, and the Services of *.svc hosts', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'template' },
      spec: {
        serviceAccountName: 'worker',
        containers: [container({ env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'fernet', key: 'key' } } }] })],
      },
    };
    const list = derivePrerequisites(
      manifests({}, (chart) => {
        new k8s.KubeConfigMap(chart, 'templates', {
          metadata: { name: 'templates', namespace: 'shop' },
          data: {
            'pod.yaml': stringify(pod),
            'values.yaml': stringify({ podTemplate: stringify(pod) }),
            'vector.yaml': 'sinks:\n  loki:\n    endpoint: http://loki-gateway.logs.svc.cluster.local:3100\n',
          },
        });
      }),
    );
    expect(find(list, 'Secret', 'fernet')?.why).toEqual([
      'ConfigMap shop/templates: data["pod.yaml"].spec.containers[app].env[K].valueFrom.secretKeyRef',
      'ConfigMap shop/templates: data["values.yaml"].podTemplate.spec.containers[app].env[K].valueFrom.secretKeyRef',
    ]);
    expect(find(list, 'ServiceAccount', 'worker')?.namespace).toBe('shop');
    expect(find(list, 'Service', 'loki-gateway')).toMatchObject({
      namespace: 'logs',
      why: [
        'ConfigMap shop/templates: data["vector.yaml"] line 3 (endpoint: http://loki-gateway.logs.svc.cluster.local:3100)',
      ],
      how: 'deploy the workload behind loki-gateway.logs.svc: a Service loki-gateway in namespace logs',
    });
  });

  it('uses the first matching hint instead of the generic rule', () => {
    const spec = {
      containers: [container({ envFrom: [{ secretRef: { name: 'release-db' } }, { secretRef: { name: 'other' } }] })],
    };
    const list = derivePrerequisites(manifests(spec), [
      { kind: 'Secret', namespace: 'elsewhere', namePrefix: 'release-', how: 'not this one' },
      { kind: 'Secret', namespace: 'shop', namePrefix: 'release-', how: 'helm install release' },
    ]);
    expect(list.map((p) => [p.name, p.how])).toEqual([
      ['other', 'kubectl create secret generic other -n shop --from-file=...'],
      ['release-db', 'helm install release'],
    ]);
  });
});

describe('the prerequisites file', () => {
  it('reads back what it writes', () => {
    const prerequisites = derivePrerequisites(manifests({ serviceAccountName: 'api', priorityClassName: 'high' }));
    const text = renderPrerequisitesFile({ cluster: 'shop', prerequisites });
    expect(text).toMatch(/^# Written by cdk8s-vector-fleet: what the manifests of shop refer to/);
    expect(parsePrerequisitesFile(text, 'dist/shop/prerequisites.yaml')).toEqual({ cluster: 'shop', prerequisites });
  });

  it('refuses a file that is not one, naming the path and the field, and says to synth again', () => {
    expect(() => parsePrerequisitesFile('cluster: shop\nprerequisites:\n  - kind: Secret\n', 'p.yaml')).toThrow(
      'p.yaml: not a prerequisites file (prerequisites.0.name: Invalid input: expected string, received undefined; ' +
        'prerequisites.0.why: Invalid input: expected array, received undefined; ' +
        'prerequisites.0.how: Invalid input: expected string, received undefined); run `npm run synth` to write it again',
    );
    expect(() => parsePrerequisitesFile('a: [', 'p.yaml')).toThrow(/^p\.yaml: not YAML \(.*\); run `npm run synth`/);
  });
});

describe('resource names', () => {
  it('spells plurals as kubectl and CRDs do', () => {
    expect(['Issuer', 'NetworkPolicy', 'Ingress', 'Endpoints', 'PrometheusRule'].map(resourcePlural)).toEqual([
      'issuers',
      'networkpolicies',
      'ingresses',
      'endpoints',
      'prometheusrules',
    ]);
    expect(kubectlResource('Secret', '')).toBe('secrets');
    expect(kubectlResource('ClusterIssuer', 'cert-manager.io')).toBe('clusterissuers.cert-manager.io');
  });
});
