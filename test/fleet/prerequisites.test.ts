/**
 * Every cluster folder of the fleet holds prerequisites.yaml, derived from the objects synthesized into it: the real
 * fleet's list names the namespaces, Secrets (with their keys), CRDs, Services and Airflow chart objects its manifests
 * need, a reference added to a fleet chart shows up, and the list is not a manifest of the kustomization.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkFleet,
  type ClusterOutput,
  fleetPrerequisiteHints,
  type MonitoringCluster,
  MonitoringClusterChart,
  parseFleetYaml,
  type SourceCluster,
  SourceClusterChart,
  synthesizeCluster,
  synthesizeFleet,
} from '../../lib/fleet';
import { shippingTarget } from '../../lib/fleet/load-inventory';
import { type Prerequisite, parsePrerequisitesFile, PREREQUISITES_FILE } from '../../lib';

const FLEET_FILE = resolve(__dirname, '..', '..', 'fleet.yaml');
const fleet = () => parseFleetYaml(readFileSync(FLEET_FILE, 'utf8'), 'fleet.yaml');

let outputs: ClusterOutput[];
beforeAll(() => {
  outputs = synthesizeFleet(fleet(), 'fleet.yaml');
});

const listOf = (cluster: string): readonly Prerequisite[] => {
  const out = outputs.find((o) => o.cluster === cluster) as ClusterOutput;
  const file = parsePrerequisitesFile(out.files[PREREQUISITES_FILE], `${cluster}/${PREREQUISITES_FILE}`);
  expect(file.cluster).toBe(cluster);
  return file.prerequisites;
};
/** `Kind namespace/name [keys]`, the short form the assertions below compare. */
const short = (p: Prerequisite) =>
  `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}${p.keys ? ` [${p.keys.join(' ')}]` : ''}${p.versions ? ` (${p.versions.join(' ')})` : ''}`;

const AGENT_CLUSTER_CRDS = [
  'CustomResourceDefinition certificates.cert-manager.io (v1)',
  'CustomResourceDefinition issuers.cert-manager.io (v1)',
  'CustomResourceDefinition podmonitors.monitoring.coreos.com (v1)',
  'CustomResourceDefinition prometheusrules.monitoring.coreos.com (v1)',
];

describe("the example fleet's prerequisites.yaml", () => {
  it('is in every folder, and the kustomization does not list it', () => {
    for (const out of outputs) {
      expect(Object.keys(out.files), out.cluster).toContain(PREREQUISITES_FILE);
      expect(parse(out.files['kustomization.yaml']).resources, out.cluster).toEqual([`${out.cluster}.k8s.yaml`]);
    }
  });

  it('lists for the monitoring cluster the CRDs, its Prometheus namespace and the Loki and Prometheus Services', () => {
    // Its CA is under a ClusterIssuer, in cert-manager's namespace (its own agents run there too), and it pushes
    // certificates to the store with External Secrets.
    expect(listOf('monitoring').map(short)).toEqual([
      'CustomResourceDefinition certificates.cert-manager.io (v1)',
      'CustomResourceDefinition clusterissuers.cert-manager.io (v1)',
      'CustomResourceDefinition podmonitors.monitoring.coreos.com (v1)',
      'CustomResourceDefinition prometheusrules.monitoring.coreos.com (v1)',
      'CustomResourceDefinition pushsecrets.external-secrets.io (v1alpha1)',
      'Namespace cert-manager',
      'Namespace monitoring',
      // Its aggregators autoscale on CPU and memory, which the resource metrics API (metrics-server) serves.
      'APIService v1beta1.metrics.k8s.io',
      'ClusterSecretStore vector-fleet',
      'Service monitoring/loki-gateway',
      'Service monitoring/prometheus-operated',
    ]);
    const store = listOf('monitoring').find((p) => p.kind === 'ClusterSecretStore') as Prerequisite;
    expect(store.why).toEqual([
      'PushSecret cert-manager/vector-ca: spec.secretStoreRefs[0]',
      'PushSecret vector-system/vector-agent-staging-tls: spec.secretStoreRefs[0]',
    ]);
    const loki = listOf('monitoring').find((p) => p.name === 'loki-gateway') as Prerequisite;
    expect(loki.why).toEqual([
      expect.stringMatching(
        /^ConfigMap vector-system\/vector-aggregator: data\["vector.yaml"\] line \d+ \(endpoint: http:\/\/loki-gateway.monitoring.svc:80\)$/,
      ),
    ]);
    expect(loki.how).toMatch(/^Loki, which the aggregators write to \(loki.endpoint of monitoring in fleet.yaml/);
  });

  it('lists for management the CA copy, the remote-write token and the status API token, each with its keys', () => {
    expect(listOf('management').map(short)).toEqual([
      ...AGENT_CLUSTER_CRDS,
      'Namespace monitoring',
      'Secret deployment-status/deployment-status-api-token [token]',
      'Secret vector-system/prometheus-remote-write [token]',
      'Secret vector-system/vector-ca [tls.crt tls.key]',
    ]);
    const byName = (name: string) => listOf('management').find((p) => p.name === name) as Prerequisite;
    expect(byName('vector-ca').why).toEqual(['Issuer vector-system/vector-ca: spec.ca.secretName']);
    expect(byName('vector-ca').how).toContain(
      'kubectl --context monitoring -n cert-manager get secret vector-ca -o json',
    );
    expect(byName('vector-ca').how).toContain('kubectl --context management -n vector-system apply -f vector-ca.json');
    expect(byName('prometheus-remote-write').why).toEqual([
      'DaemonSet vector-system/vector-agent: spec.template.spec.volumes[remote-write-token].secret',
    ]);
    expect(byName('deployment-status-api-token').why).toEqual([
      'Deployment deployment-status/deployment-status-api: spec.template.spec.containers[api].env[AUTH_TOKEN_BASIC].valueFrom.secretKeyRef',
    ]);
  });

  it("lists for dev the Airflow chart's objects that the pod template inside a ConfigMap names, and its namespace", () => {
    // Its CA comes with External Secrets, so the ExternalSecret's store is listed, not the CA Secret.
    expect(listOf('dev').map(short)).toEqual([
      'CustomResourceDefinition certificates.cert-manager.io (v1)',
      'CustomResourceDefinition externalsecrets.external-secrets.io (v1)',
      'CustomResourceDefinition issuers.cert-manager.io (v1)',
      'CustomResourceDefinition podmonitors.monitoring.coreos.com (v1)',
      'CustomResourceDefinition prometheusrules.monitoring.coreos.com (v1)',
      'Namespace airflow',
      'Namespace monitoring',
      'ClusterSecretStore vector-fleet',
      'ConfigMap airflow/airflow-airflow-config [airflow.cfg]',
      'Secret airflow/airflow-airflow-metadata [connection]',
      'Secret airflow/airflow-fernet-key [fernet-key]',
      'Secret vector-system/prometheus-remote-write [token]',
      'ServiceAccount airflow/airflow-worker',
    ]);
    const fernet = listOf('dev').find((p) => p.name === 'airflow-fernet-key') as Prerequisite;
    expect(fernet.why).toContain(
      'ConfigMap airflow/airflow-vector-capture-pod-template: data["pod_template_file.yaml"].spec.containers[base].env[AIRFLOW__CORE__FERNET_KEY].valueFrom.secretKeyRef',
    );
    expect(fernet.how).toMatch(/^written by the Airflow Helm release airflow .*helm upgrade --install airflow/);
  });

  it('does not list what a folder creates: its namespaces, ConfigMaps, token Secret and certificate Secrets', () => {
    for (const cluster of ['management', 'dev', 'staging']) {
      const names = listOf(cluster).map(short);
      for (const created of [
        'Namespace vector-system',
        'Namespace logging',
        'ConfigMap vector-system/vector-agent',
        'ConfigMap airflow/airflow-vector-capture',
        'Secret vector-system/vector-agent-token',
        'Secret vector-system/vector-agent-tls',
        'ServiceAccount vector-system/vector-agent',
        'ClusterRole vector-agent',
        'Issuer vector-system/vector-ca',
        'PriorityClass system-node-critical',
      ]) {
        expect(
          names.filter((n) => n.startsWith(created)),
          `${cluster}: ${created}`,
        ).toEqual([]);
      }
    }
  });

  it('has a hint for every well-known object only where the manifests really need it (no hint goes stale)', () => {
    const checked = checkFleet(fleet(), 'fleet.yaml');
    for (const cluster of checked.clusters) {
      const target = cluster.role === 'source' ? shippingTarget(checked, cluster) : undefined;
      const list = listOf(cluster.name);
      for (const hint of fleetPrerequisiteHints(cluster, target)) {
        const used = list.some((p) => p.how === hint.how);
        expect(used, `${cluster.name}: the hint for ${hint.kind} ${hint.name ?? `${hint.namePrefix}*`}`).toBe(true);
      }
    }
  });
});

describe('synthesizeCluster', () => {
  const checked = checkFleet(fleet(), 'fleet.yaml');
  const source = checked.clusters.find((c): c is SourceCluster => c.name === 'staging') as SourceCluster;
  const target = shippingTarget(checked, source) as MonitoringCluster;
  const build = () => {
    const monitoring = new MonitoringClusterChart(new App(), target.name, {
      cluster: target,
      sourceClusters: [source],
      heartbeatIntervalSeconds: 120,
    });
    const app = new App();
    const chart = new SourceClusterChart(app, source.name, {
      cluster: source,
      shipsTo: monitoring,
      heartbeatIntervalSeconds: 120,
    });
    return { app, chart };
  };

  it('writes exactly what app.synthYaml() writes', () => {
    expect(synthesizeCluster('staging', build().app, []).manifests).toBe(build().app.synthYaml());
  });

  it('lists a Secret that an object added to a fleet chart refers to and nobody creates', () => {
    const { app, chart } = build();
    new k8s.KubeDeployment(chart, 'shop', {
      metadata: { name: 'shop', namespace: 'logging' },
      spec: {
        selector: { matchLabels: { app: 'shop' } },
        template: {
          metadata: { labels: { app: 'shop' } },
          spec: {
            containers: [
              {
                name: 'shop',
                image: 'example/shop:1.0.0',
                env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'url' } } }],
              },
            ],
          },
        },
      },
    });
    const { prerequisites } = parsePrerequisitesFile(synthesizeCluster('staging', app, []).prerequisites, 'p.yaml');
    expect(prerequisites.find((p) => p.name === 'shop-db')).toEqual({
      group: '',
      kind: 'Secret',
      namespace: 'logging',
      name: 'shop-db',
      keys: ['url'],
      why: ['Deployment logging/shop: spec.template.spec.containers[shop].env[DB].valueFrom.secretKeyRef'],
      how: 'kubectl create secret generic shop-db -n logging --from-literal=url=...',
    });
  });
});
