/**
 * VectorPki, the monitoring cluster's side: the objects it writes, how they reference each other,
 * the names on the server certificate, and the key, usages and lifetimes of every certificate.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VectorAggregator } from '../../lib/aggregator';
import { VectorPki } from '../../lib/pki';
import { expectValidChart } from '../helpers/k8s-schema';
import {
  AGGREGATOR_PROPS,
  certificate,
  certificates,
  issuerOf,
  LB_HOSTNAME,
  manifests,
  monitoringChart,
  only,
  sourceChart,
} from './pki-fixtures';

const kindsAndNames = (chart: Chart) =>
  manifests(chart)
    .filter((m) => m.apiVersion === 'cert-manager.io/v1')
    .map((m) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`);

describe('VectorPki objects', () => {
  it('writes a self-signed ClusterIssuer, the CA Certificate, the CA Issuer and the server Certificate, with stable names', () => {
    expect(kindsAndNames(monitoringChart().chart)).toEqual([
      'ClusterIssuer /vector-selfsigned',
      'Certificate vector-system/vector-ca',
      'Issuer vector-system/vector-ca',
      'Certificate vector-system/vector-aggregator-tls',
    ]);
  });

  it('puts every namespaced object in the namespace prop, the aggregators’ namespace', () => {
    const { chart } = monitoringChart({ namespace: 'logging' }, { namespace: 'logging' });
    expect(kindsAndNames(chart)).toEqual([
      'ClusterIssuer /vector-selfsigned',
      'Certificate logging/vector-ca',
      'Issuer logging/vector-ca',
      'Certificate logging/vector-aggregator-tls',
    ]);
  });

  it('takes its issuer and Secret names from props, and exposes them', () => {
    const { chart, pki } = monitoringChart({
      selfSignedIssuerName: 'fleet-root',
      caIssuerName: 'fleet-ca-issuer',
      caSecretName: 'fleet-ca',
      serverSecretName: 'fleet-aggregator-tls',
    });
    expect(kindsAndNames(chart)).toEqual([
      'ClusterIssuer /fleet-root',
      'Certificate vector-system/fleet-ca',
      'Issuer vector-system/fleet-ca-issuer',
      'Certificate vector-system/fleet-aggregator-tls',
    ]);
    expect([pki.selfSignedIssuerName, pki.caIssuerName, pki.caSecretName, pki.serverSecretName]).toEqual([
      'fleet-root',
      'fleet-ca-issuer',
      'fleet-ca',
      'fleet-aggregator-tls',
    ]);
    expect(pki.serverTls).toEqual({
      secretName: 'fleet-aggregator-tls',
      namespace: 'vector-system',
      restartOnRenewal: false,
    });
  });

  it('passes the cert-manager CRD schemas, with and without client certificates', () => {
    const { chart, pki } = monitoringChart();
    expectValidChart(chart);
    pki.addClientCertificate('dev');
    expectValidChart(chart);
  });
});

describe('VectorPki references', () => {
  it('has every Certificate name an issuer of the output: a ClusterIssuer, or an Issuer in its own namespace', () => {
    const { chart, pki } = monitoringChart();
    pki.addClientCertificate('dev');
    const all = manifests(chart);
    const certs = certificates(all);
    expect(certs).toHaveLength(3);
    for (const cert of certs) {
      expect(issuerOf(all, cert), `issuer of Certificate ${cert.metadata.name}`).toBeDefined();
    }
  });

  it('has the CA signed by the self-signed ClusterIssuer, and everything else by the CA Issuer', () => {
    const { chart, pki } = monitoringChart();
    pki.addClientCertificate('dev');
    const all = manifests(chart);
    const signer = (name: string) => issuerOf(all, certificate(all, name));
    expect(signer('vector-ca')).toMatchObject({ kind: 'ClusterIssuer', spec: { selfSigned: {} } });
    for (const name of ['vector-aggregator-tls', 'vector-agent-dev-tls']) {
      expect(signer(name)).toMatchObject({ kind: 'Issuer', metadata: { name: 'vector-ca' } });
    }
  });

  it('has the CA Issuer sign with the Secret the CA Certificate writes', () => {
    const all = manifests(monitoringChart({ caSecretName: 'fleet-ca' }).chart);
    const [ca] = certificates(all).filter((c) => c.spec.isCA);
    expect(ca.spec.secretName).toBe('fleet-ca');
    expect(only(all, 'Issuer').spec).toEqual({ ca: { secretName: 'fleet-ca' } });
  });
});

describe('VectorPki server certificate names', () => {
  it('covers exactly the aggregator’s dnsNames, the load balancer hostname among them', () => {
    const { chart, aggregator } = monitoringChart();
    expect(aggregator.dnsNames).toContain(LB_HOSTNAME);
    expect(certificate(manifests(chart), 'vector-aggregator-tls').spec.dnsNames).toEqual(aggregator.dnsNames);
  });

  it('follows the aggregator’s name, namespace and load balancer', () => {
    const { chart, aggregator } = monitoringChart(
      { namespace: 'logging' },
      { name: 'agg', namespace: 'logging', loadBalancer: undefined },
    );
    const names = certificate(manifests(chart), 'vector-aggregator-tls').spec.dnsNames;
    expect(names).toEqual(aggregator.dnsNames);
    expect(names).toContain('agg.logging.svc.cluster.local');
    expect(names).not.toContain(LB_HOSTNAME);
  });

  it('appends extraDnsNames once each, after the aggregator’s own', () => {
    const { chart, aggregator, pki } = monitoringChart({ extraDnsNames: ['vector.example.org', LB_HOSTNAME] });
    const names = certificate(manifests(chart), 'vector-aggregator-tls').spec.dnsNames;
    expect(names).toEqual([...aggregator.dnsNames, 'vector.example.org']);
    expect(pki.dnsNames).toEqual(names);
  });

  it('takes an aggregator built first through the server prop, with the same result', () => {
    const chart = new Chart(Testing.app(), 'monitoring');
    const aggregator = new VectorAggregator(chart, 'Aggregator', {
      ...AGGREGATOR_PROPS,
      tls: { secretName: 'vector-aggregator-tls' },
    });
    new VectorPki(chart, 'Pki', { server: aggregator });
    expect(certificate(manifests(chart), 'vector-aggregator-tls').spec.dnsNames).toEqual(aggregator.dnsNames);
  });
});

describe('VectorPki keys and usages', () => {
  it('makes the CA an ECDSA P-256 CA for signing certificates only, keeping its key on renewal', () => {
    expect(certificate(manifests(monitoringChart().chart), 'vector-ca').spec).toMatchObject({
      isCA: true,
      commonName: 'vector-fleet-ca',
      usages: ['cert sign', 'crl sign'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
    });
  });

  it('makes the server certificate an ECDSA P-256 server certificate without key encipherment, with a new key each time', () => {
    const spec = certificate(manifests(monitoringChart().chart), 'vector-aggregator-tls').spec;
    expect(spec.isCA).toBeUndefined();
    expect(spec.usages).toEqual(['server auth', 'digital signature']);
    expect(spec.privateKey).toEqual({ algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' });
  });

  it('makes client certificates ECDSA P-256 client certificates named after the cluster', () => {
    const { chart, pki } = monitoringChart();
    const issued = pki.addClientCertificate('dev');
    expect(issued).toEqual({
      clusterName: 'dev',
      commonName: 'vector-agent.dev',
      secretName: 'vector-agent-dev-tls',
      clientTls: { secretName: 'vector-agent-dev-tls', restartOnRenewal: false },
    });
    expect(certificate(manifests(chart), 'vector-agent-dev-tls').spec).toMatchObject({
      secretName: 'vector-agent-dev-tls',
      commonName: 'vector-agent.dev',
      usages: ['client auth', 'digital signature'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
  });

  it('issues client certificates the same way in the monitoring cluster and with VectorClientPki', () => {
    const { chart, pki } = monitoringChart();
    pki.addClientCertificate('dev');
    const here = certificate(manifests(chart), 'vector-agent-dev-tls').spec;
    const there = certificate(manifests(sourceChart().chart), 'vector-agent-tls').spec;
    const comparable = ({ secretName: _s, ...rest }: typeof here) => rest;
    expect(comparable(here)).toEqual(comparable(there));
  });
});

describe('VectorPki lifetimes', () => {
  const lifetimes = (chart: Chart) =>
    Object.fromEntries(
      certificates(manifests(chart)).map((c) => [c.metadata.name, [c.spec.duration, c.spec.renewBefore]]),
    );

  it('defaults to a 10-year CA renewed a year ahead, and 90-day certificates renewed 30 days ahead', () => {
    const { chart, pki } = monitoringChart();
    pki.addClientCertificate('dev');
    expect(lifetimes(chart)).toEqual({
      'vector-ca': ['87600h', '8760h'],
      'vector-aggregator-tls': ['2160h', '720h'],
      'vector-agent-dev-tls': ['2160h', '720h'],
    });
  });

  it('takes each lifetime from its prop, one value at a time', () => {
    const { chart, pki } = monitoringChart({
      caCertificate: { duration: '175200h', commonName: 'example-ca' },
      serverCertificate: { renewBefore: '1000h' },
      clientCertificates: { duration: '8760h', renewBefore: '2160h' },
    });
    pki.addClientCertificate('dev');
    expect(lifetimes(chart)).toEqual({
      'vector-ca': ['175200h', '8760h'],
      'vector-aggregator-tls': ['2160h', '1000h'],
      'vector-agent-dev-tls': ['8760h', '2160h'],
    });
    expect(certificate(manifests(chart), 'vector-ca').spec.commonName).toBe('example-ca');
  });

  it('hands restartOnRenewal to the server and client WorkloadTls', () => {
    const pki = new VectorPki(new Chart(Testing.app(), 'monitoring'), 'Pki', {
      restartOnRenewal: true,
      extraDnsNames: [LB_HOSTNAME],
    });
    expect(pki.serverTls).toEqual({
      secretName: 'vector-aggregator-tls',
      namespace: 'vector-system',
      restartOnRenewal: true,
    });
    // No namespace: the Secret is copied into the agents' namespace of the source cluster, whichever that is.
    expect(pki.addClientCertificate('dev').clientTls).toEqual({
      secretName: 'vector-agent-dev-tls',
      restartOnRenewal: true,
    });
  });
});
