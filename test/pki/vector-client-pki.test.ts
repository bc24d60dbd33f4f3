/**
 * VectorClientPki, a source cluster's side: a CA Issuer over the copy of the monitoring cluster's CA
 * Secret, and the agents' client certificate.
 */
import { describe, expect, it } from 'vitest';
import type { VectorClientPkiProps } from '../../lib/pki';
import { expectValidChart } from '../helpers/k8s-schema';
import { certificate, certificates, issuerOf, manifests, monitoringChart, only, sourceChart } from './pki-fixtures';

describe('VectorClientPki', () => {
  it('writes a CA Issuer and the client Certificate in the agents’ namespace, with stable names', () => {
    const all = manifests(sourceChart().chart).filter((m) => m.apiVersion === 'cert-manager.io/v1');
    expect(all.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'Issuer vector-system/vector-ca',
      'Certificate vector-system/vector-agent-tls',
    ]);
  });

  it('signs with the CA Secret of the monitoring cluster’s PKI, copied under the same name', () => {
    const monitoring = monitoringChart();
    const source = manifests(sourceChart().chart);
    expect(only(source, 'Issuer').spec).toEqual({ ca: { secretName: monitoring.pki.caSecretName } });
    const renamed = manifests(sourceChart({ caSecretName: 'fleet-ca', caIssuerName: 'fleet-ca-issuer' }).chart);
    expect(only(renamed, 'Issuer')).toMatchObject({
      metadata: { name: 'fleet-ca-issuer' },
      spec: { ca: { secretName: 'fleet-ca' } },
    });
  });

  it('has its client Certificate name the Issuer it writes, in the same namespace', () => {
    const cases: Partial<VectorClientPkiProps>[] = [{}, { namespace: 'logging', caIssuerName: 'fleet-ca-issuer' }];
    for (const props of cases) {
      const all = manifests(sourceChart(props, { namespace: props.namespace }).chart);
      const [cert] = certificates(all);
      expect(issuerOf(all, cert)).toBe(only(all, 'Issuer'));
    }
  });

  it('makes an ECDSA P-256 client certificate for vector-agent.<cluster>, with a new key each time', () => {
    const { chart, clientPki } = sourceChart({ clusterName: 'prod-eu-1' });
    expect(certificate(manifests(chart), 'vector-agent-tls').spec).toEqual({
      secretName: 'vector-agent-tls',
      issuerRef: { name: 'vector-ca', kind: 'Issuer', group: 'cert-manager.io' },
      commonName: 'vector-agent.prod-eu-1',
      usages: ['client auth', 'digital signature'],
      duration: '2160h',
      renewBefore: '720h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      revisionHistoryLimit: 3,
    });
    expect(clientPki.commonName).toBe('vector-agent.prod-eu-1');
  });

  it('takes the Secret name, the lifetime and restartOnRenewal from props, and exposes clientTls', () => {
    const { chart, clientPki } = sourceChart({
      clientSecretName: 'agent-mtls',
      clientCertificate: { duration: '720h', renewBefore: '240h' },
      restartOnRenewal: true,
    });
    expect(certificate(manifests(chart), 'agent-mtls').spec).toMatchObject({
      secretName: 'agent-mtls',
      duration: '720h',
      renewBefore: '240h',
    });
    expect(clientPki.clientSecretName).toBe('agent-mtls');
    expect(clientPki.clientTls).toEqual({
      secretName: 'agent-mtls',
      namespace: 'vector-system',
      restartOnRenewal: true,
    });
    expect(sourceChart().clientPki.clientTls).toEqual({
      secretName: 'vector-agent-tls',
      namespace: 'vector-system',
      restartOnRenewal: false,
    });
    expect(sourceChart({ namespace: 'logging' }, { namespace: 'logging' }).clientPki.clientTls.namespace).toBe(
      'logging',
    );
  });

  it('passes the Kubernetes and cert-manager CRD schemas', () => {
    expectValidChart(sourceChart().chart);
    expectValidChart(sourceChart({ namespace: 'logging', restartOnRenewal: true }, { namespace: 'logging' }).chart);
  });
});
