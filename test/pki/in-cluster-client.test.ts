/**
 * `caScope: 'cluster'` and `addInClusterClient`: the CA under a ClusterIssuer in cert-manager's cluster resource
 * namespace, so that an agent of the monitoring cluster itself, in a privileged namespace of its own, gets a client
 * certificate issued and renewed in place, while the aggregators' namespace stays Pod Security `restricted`.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VectorAgent } from '../../lib/agent';
import { VectorAggregator } from '../../lib/aggregator';
import { VectorPki, type VectorPkiProps } from '../../lib/pki';
import { expectValidManifests } from '../helpers/k8s-schema';
import { AGGREGATOR_PROPS, errorOf, LB_HOSTNAME, type Manifest, PKI_PATH } from './pki-fixtures';

const pki = (props: VectorPkiProps = {}) =>
  new VectorPki(new Chart(Testing.app(), 'monitoring'), 'Pki', { extraDnsNames: [LB_HOSTNAME], ...props });

/** A monitoring chart: the PKI with a cluster-scoped CA, the aggregators, and an agent of the same cluster. */
function monitoringChart(props: VectorPkiProps = { caScope: 'cluster' }) {
  const chart = new Chart(Testing.app(), 'monitoring');
  const caPki = new VectorPki(chart, 'Pki', props);
  const aggregator = new VectorAggregator(chart, 'Aggregator', { ...AGGREGATOR_PROPS, tls: caPki.serverTls });
  caPki.addServer(aggregator);
  const agent = new VectorAgent(chart, 'Agent', {
    namespace: 'vector-agent',
    cluster: { name: 'monitoring', environment: 'production', region: 'fsn1' },
    aggregator: { endpoints: [aggregator.endpoint] },
    remoteWrite: false,
    tls: caPki.addInClusterClient('monitoring', { namespace: 'vector-agent' }),
  });
  return { chart, pki: caPki, aggregator, agent, manifests: Testing.synth(chart) as Manifest[] };
}

const find = (manifests: readonly Manifest[], kind: string, name: string, namespace?: string) =>
  manifests.find((m) => m.kind === kind && m.metadata.name === name && m.metadata.namespace === namespace);

describe("a cluster-scoped CA and the cluster's own agents", () => {
  it("puts the CA in cert-manager's namespace under a ClusterIssuer that signs the server and the agent certificates", () => {
    const { manifests } = monitoringChart();
    expect(find(manifests, 'Certificate', 'vector-ca', 'cert-manager')?.spec).toMatchObject({
      secretName: 'vector-ca',
      isCA: true,
    });
    expect(find(manifests, 'ClusterIssuer', 'vector-ca')?.spec).toEqual({ ca: { secretName: 'vector-ca' } });
    expect(manifests.filter((m) => m.kind === 'Issuer')).toEqual([]);
    const clusterIssuer = { name: 'vector-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' };
    expect(find(manifests, 'Certificate', 'vector-aggregator-tls', 'vector-system')?.spec).toMatchObject({
      issuerRef: clusterIssuer,
    });
    expect(find(manifests, 'Certificate', 'vector-agent-tls', 'vector-agent')?.spec).toMatchObject({
      secretName: 'vector-agent-tls',
      issuerRef: clusterIssuer,
      commonName: 'vector-agent.monitoring',
      usages: ['client auth', 'digital signature'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
    expectValidManifests(manifests);
  });

  it("mounts the agent's certificate in its own privileged namespace and leaves the aggregators' restricted", () => {
    const { manifests, aggregator } = monitoringChart();
    const level = (ns: string) =>
      find(manifests, 'Namespace', ns)?.metadata.labels?.['pod-security.kubernetes.io/enforce'];
    expect(level('vector-system')).toBe('restricted');
    expect(level('vector-agent')).toBe('privileged');
    const daemonSet = find(manifests, 'DaemonSet', 'vector-agent', 'vector-agent') as Manifest;
    const volumes = JSON.stringify((daemonSet.spec as { template: { spec: { volumes: unknown[] } } }).template.spec);
    expect(volumes).toContain('"secretName":"vector-agent-tls"');
    // It connects to the aggregators' Service, a name the server certificate covers.
    const server = find(manifests, 'Certificate', 'vector-aggregator-tls', 'vector-system') as Manifest;
    const host = aggregator.endpoint.split(':')[0];
    expect((server.spec as { dnsNames: string[] }).dnsNames).toContain(host);
  });

  it('takes another cluster resource namespace', () => {
    const { manifests } = monitoringChart({ caScope: 'cluster', clusterResourceNamespace: 'security' });
    expect(find(manifests, 'Certificate', 'vector-ca', 'security')).toBeDefined();
  });

  it('keeps one Secret name per namespace, and allows the same name in two namespaces', () => {
    const p = pki({ caScope: 'cluster' });
    p.addInClusterClient('monitoring', { namespace: 'vector-agent' });
    expect(() =>
      p.addInClusterClient('monitoring', { namespace: 'logging', secretName: 'vector-agent-tls' }),
    ).not.toThrow();
    expect(errorOf(() => p.addInClusterClient('monitoring', { namespace: 'vector-agent' }))).toBe(
      `${PKI_PATH}: invalid addInClusterClient(clusterName, options) options.secretName "vector-agent-tls": addInClusterClient(clusterName, options) options.secretName already uses it in namespace "vector-agent": every certificate needs a Secret of its own`,
    );
  });
});

describe('bad cluster-scope props', () => {
  it('refuses an in-cluster client while the CA Issuer is namespaced, saying which prop to set', () => {
    expect(errorOf(() => pki().addInClusterClient('monitoring', { namespace: 'vector-agent' }))).toBe(
      `${PKI_PATH}: invalid caScope "namespace": the CA Issuer signs only in "vector-system", so it cannot certify agents in "vector-agent": give the PKI caScope: 'cluster'`,
    );
  });

  it('refuses a clusterResourceNamespace that a namespaced CA would ignore', () => {
    expect(errorOf(() => pki({ clusterResourceNamespace: 'cert-manager' }))).toBe(
      `${PKI_PATH}: invalid clusterResourceNamespace "cert-manager": is read only with caScope: 'cluster', where the CA's ClusterIssuer needs it`,
    );
  });

  it('refuses an unknown caScope, a bad namespace and a bad cluster name', () => {
    expect(errorOf(() => pki({ caScope: 'global' as 'cluster' }))).toBe(
      `${PKI_PATH}: invalid caScope "global": use 'namespace' or 'cluster'`,
    );
    expect(errorOf(() => pki({ caScope: 'cluster', clusterResourceNamespace: 'Cert_Manager' }))).toMatch(
      /^monitoring\/Pki: invalid clusterResourceNamespace "Cert_Manager": /,
    );
    const p = pki({ caScope: 'cluster' });
    expect(errorOf(() => p.addInClusterClient('monitoring', { namespace: 'Vector Agent' }))).toMatch(
      /^monitoring\/Pki: invalid addInClusterClient\(clusterName, options\) options\.namespace "Vector Agent": /,
    );
    expect(errorOf(() => p.addInClusterClient('Monitoring', { namespace: 'vector-agent' }))).toMatch(
      /^monitoring\/Pki: invalid addInClusterClient\(clusterName, options\) clusterName "Monitoring": use 1 to 51/,
    );
  });
});
