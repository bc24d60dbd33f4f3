/**
 * The constructs compose: any set of them in one chart writes each object once, a namespace two of them share is
 * written once at the Pod Security level that admits every pod in it, and everything validates against the schemas.
 */
import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AirflowVectorPodTemplate,
  DeploymentStatusApi,
  HeartbeatAlert,
  HttpHeartbeat,
  LogHeartbeat,
  VectorAgent,
  VectorAggregator,
  VectorClientPki,
  VectorMonitoring,
  VectorNetworkPolicies,
  VectorPki,
} from '../../lib';
import { expectValidManifests } from '../helpers/k8s-schema';

type Manifest = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

const CLUSTER = { name: 'prod', environment: 'production', region: 'fsn1' };
const ENFORCE = 'pod-security.kubernetes.io/enforce';

function chart(): Chart {
  return new Chart(Testing.app(), 'all', { disableResourceNameHashes: true });
}

function synth(c: Chart): Manifest[] {
  const objects = Testing.synth(c) as Manifest[];
  expectValidManifests(objects);
  const keys = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  expect(
    keys.filter((k, i) => keys.indexOf(k) !== i),
    'objects written twice',
  ).toEqual([]);
  return objects;
}

const namespaces = (objects: Manifest[]) =>
  Object.fromEntries(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels?.[ENFORCE]]),
  );

function aggregator(c: Chart, props: Partial<ConstructorParameters<typeof VectorAggregator>[2]> = {}) {
  return new VectorAggregator(c, 'aggregator', {
    loki: { endpoint: 'http://loki-gateway.monitoring.svc:80' },
    metrics: { remoteWrite: { endpoint: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write' } },
    ...props,
  });
}

function agent(c: Chart, endpoint = 'vector-aggregator.vector-system.svc:6000') {
  return new VectorAgent(c, 'agent', { cluster: CLUSTER, aggregator: { endpoints: [endpoint] }, remoteWrite: false });
}

describe('objects two constructs would both write', () => {
  it('fail the synth naming both constructs and what to change', () => {
    const c = chart();
    new VectorPki(c, 'pki', {});
    new VectorClientPki(c, 'client-pki', { clusterName: 'prod' });
    expect(() => Testing.synth(c)).toThrow(
      'Issuer vector-system/vector-ca is written twice, by all/pki and by all/client-pki: give one of them another ' +
        'name or namespace (its name props), or leave one out (e.g. a VectorClientPki beside the VectorPki it would ' +
        'copy: use VectorPki.addClientCertificate there)',
    );
  });
});

describe('constructs in one chart', () => {
  it('agent and aggregator: one vector-system namespace, privileged because the agent needs the host', () => {
    const c = chart();
    agent(c);
    aggregator(c);
    expect(namespaces(synth(c))).toEqual({ 'vector-system': 'privileged' });
  });

  it('aggregator and heartbeats in one namespace: restricted, written once', () => {
    const c = chart();
    aggregator(c, { namespace: 'observability' });
    new LogHeartbeat(c, 'heartbeat', { namespace: 'observability' });
    new HttpHeartbeat(c, 'http-heartbeat', { namespace: 'observability' });
    new DeploymentStatusApi(c, 'status', {
      namespace: 'observability',
      authTokenSecret: { name: 'status-token', key: 'token' },
    });
    const objects = synth(c);
    expect(namespaces(objects)).toEqual({ observability: 'restricted' });
    // The heartbeat's label that marks its namespace is kept although the aggregator created the namespace first.
    const heartbeatOnly = new Chart(Testing.app(), 'one', { disableResourceNameHashes: true });
    new LogHeartbeat(heartbeatOnly, 'heartbeat', { namespace: 'observability' });
    const alone = (Testing.synth(heartbeatOnly) as Manifest[]).find((o) => o.kind === 'Namespace')!;
    const shared = objects.find((o) => o.kind === 'Namespace')!;
    for (const [key, value] of Object.entries(alone.metadata.labels ?? {})) {
      if (!key.startsWith('app.kubernetes.io/')) expect(shared.metadata.labels?.[key], key).toBe(value);
    }
  });

  it('everything: every construct of the library, valid and without duplicates', () => {
    const app = new App({ outdir: '/tmp/unused' });
    const c = new Chart(app, 'all', { disableResourceNameHashes: true });
    const pki = new VectorPki(c, 'pki', {});
    const agg = aggregator(c, { tls: pki.serverTls, loadBalancer: { hostname: 'vector.example.com' } });
    pki.addServer(agg);
    const a = new VectorAgent(c, 'agent', {
      cluster: CLUSTER,
      aggregator: { endpoints: ['vector.example.com:6000'] },
      remoteWrite: false,
      tls: pki.addClientCertificate('prod').clientTls,
    });
    new VectorMonitoring(c, 'monitoring', {
      targets: [a.monitoringTarget, agg.monitoringTarget],
      namespace: 'monitoring',
      cluster: 'prod',
    });
    new HeartbeatAlert(c, 'heartbeat-alert', { namespace: 'monitoring' });
    const beat = new LogHeartbeat(c, 'heartbeat');
    const http = new HttpHeartbeat(c, 'http-heartbeat');
    new AirflowVectorPodTemplate(c, 'airflow', {
      cluster: CLUSTER,
      airflowImage: 'apache/airflow:2.10.5',
      loki: { endpoint: 'http://loki-gateway.monitoring.svc:80' },
    });
    const policies = new VectorNetworkPolicies(c, 'policies', {
      agent: a,
      aggregator: agg,
      apiServer: { cidrs: ['10.0.0.2/32'], port: 6443 },
      nodeCidrs: ['10.0.0.0/24'],
      aggregatorCidrs: ['10.0.1.10/32'],
      sourceClusterCidrs: ['10.0.0.0/24'],
      loki: { namespace: 'monitoring', podLabels: { app: 'loki' } },
      remoteWrite: { namespace: 'monitoring', podLabels: { app: 'prometheus' } },
      prometheus: { namespace: 'monitoring', podLabels: { app: 'prometheus' } },
    });
    policies.addWorkload(beat.networkPolicy());
    policies.addWorkload(http.networkPolicy({ from: [{ namespace: 'ingress-nginx' }] }));
    const objects = synth(c);
    expect(namespaces(objects)['vector-system']).toBe('privileged');
    expect(objects.filter((o) => o.kind === 'Namespace' && o.metadata.name === 'vector-system')).toHaveLength(1);
  });
});
