import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Certificate, ClusterIssuer, Issuer } from '../../lib/k8s/cert-manager';
import { expectValidChart, validateManifests } from '../helpers/k8s-schema';

describe('cert-manager L1 classes', () => {
  it('write the three kinds with exactly the fields given, valid against the CRD schemas', () => {
    const chart = Testing.chart();
    new ClusterIssuer(chart, 'root', { metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } });
    new Issuer(chart, 'ca', {
      metadata: { name: 'ca', namespace: 'vector-system', labels: { app: 'vector' } },
      spec: { ca: { secretName: 'ca' } },
    });
    new Certificate(chart, 'cert', {
      metadata: { name: 'server', namespace: 'vector-system' },
      spec: {
        secretName: 'server-tls',
        issuerRef: { name: 'ca', kind: 'Issuer', group: 'cert-manager.io' },
        commonName: 'vector',
        dnsNames: ['vector.example.com', '*.vector.svc'],
        uris: ['spiffe://fleet/vector'],
        ipAddresses: ['10.0.0.1'],
        subject: { organizations: ['fleet'] },
        duration: '2160h',
        renewBefore: '720h',
        isCA: false,
        usages: ['server auth', 'digital signature'],
        privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
        secretTemplate: { labels: { team: 'platform' } },
        revisionHistoryLimit: 3,
      },
    });
    expectValidChart(chart);
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: 'selfsigned' },
        spec: { selfSigned: {} },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'ca', namespace: 'vector-system', labels: { app: 'vector' } },
        spec: { ca: { secretName: 'ca' } },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'server', namespace: 'vector-system' },
        spec: {
          secretName: 'server-tls',
          issuerRef: { name: 'ca', kind: 'Issuer', group: 'cert-manager.io' },
          commonName: 'vector',
          dnsNames: ['vector.example.com', '*.vector.svc'],
          uris: ['spiffe://fleet/vector'],
          ipAddresses: ['10.0.0.1'],
          subject: { organizations: ['fleet'] },
          duration: '2160h',
          renewBefore: '720h',
          isCA: false,
          usages: ['server auth', 'digital signature'],
          privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
          secretTemplate: { labels: { team: 'platform' } },
          revisionHistoryLimit: 3,
        },
      },
    ]);
  });

  it('are caught by the schema helper when a field is wrong', () => {
    const chart = Testing.chart();
    new Certificate(chart, 'cert', {
      metadata: { name: 'server' },
      // A value the TypeScript types reject, the way an untyped caller would write it.
      spec: { secretName: 'server-tls', issuerRef: { name: 'ca' }, privateKey: JSON.parse('{"algorithm":"EC"}') },
    });
    expect(validateManifests(chart.toJson()).map((p) => p.message)).toEqual([
      '/spec/privateKey/algorithm: must be equal to one of the allowed values ("RSA", "ECDSA", "Ed25519")',
    ]);
  });

  it('require an explicit metadata.name', () => {
    const chart = Testing.chart();
    expect(() => new ClusterIssuer(chart, 'ci', { metadata: { name: '' }, spec: { selfSigned: {} } })).toThrow(
      'ClusterIssuer: metadata.name is required (this library writes no generated names)',
    );
    expect(() => new Issuer(chart, 'i', { metadata: { name: '' }, spec: { ca: { secretName: 'ca' } } })).toThrow(
      'Issuer: metadata.name is required',
    );
    expect(
      () =>
        new Certificate(chart, 'c', { metadata: { name: '' }, spec: { secretName: 's', issuerRef: { name: 'i' } } }),
    ).toThrow('Certificate: metadata.name is required');
  });

  it('expose their group, version and kind', () => {
    expect([Certificate.GVK, Issuer.GVK, ClusterIssuer.GVK]).toEqual([
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer' },
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer' },
    ]);
  });
});
