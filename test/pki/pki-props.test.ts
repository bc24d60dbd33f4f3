/**
 * Bad props of VectorPki and VectorClientPki: each is refused at synth time with the construct
 * path, the prop, the value and what is allowed, before cert-manager could refuse it (or, worse,
 * accept it) in a cluster.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { goDurationSeconds } from '../../lib/pki/lifetime';
import { VectorPki, type VectorPkiProps } from '../../lib/pki';
import { CLIENT_PKI_PATH, errorOf, LB_HOSTNAME, PKI_PATH, sourceChart } from './pki-fixtures';

/** A PKI alone in a monitoring chart, with a DNS name so that only the prop under test is wrong. */
const pki = (props: VectorPkiProps = {}) =>
  new VectorPki(new Chart(Testing.app(), 'monitoring'), 'Pki', { extraDnsNames: [LB_HOSTNAME], ...props });

const DNS_NAME_RULE =
  'use a lowercase DNS name of letters, digits, "-" and ".", e.g. "vector.example.com", optionally starting with "*."';
const SUBDOMAIN_RULE = 'use lowercase letters, digits, "-" and ".", at most 253 characters';
const DURATION_RULE = 'use a Go duration of at least 1h in h, m or s, e.g. "2160h" for 90 days (there is no "d" unit)';
const RENEW_RULE = 'use a Go duration of at least 5m in h, m or s, e.g. "720h" for 30 days (there is no "d" unit)';
const CLUSTER_RULE =
  'use 1 to 51 lowercase letters, digits and "-", starting and ending with a letter or digit (the common name "vector-agent.<cluster>" has at most 64 characters)';

describe('VectorPki DNS names', () => {
  it('fails the synth of a PKI that certifies no DNS name at all', () => {
    const chart = new Chart(Testing.app(), 'monitoring');
    new VectorPki(chart, 'Pki', { extraDnsNames: [] });
    expect(errorOf(() => Testing.synth(chart))).toBe(
      'Validation failed with the following errors:\n' +
        `  [${PKI_PATH}] ${PKI_PATH}: invalid server (missing): the server certificate needs at least one DNS name: ` +
        'call addServer(aggregator), or set server or extraDnsNames',
    );
  });

  it('refuses a server whose DNS name list is empty', () => {
    expect(errorOf(() => pki({ server: { namespace: 'vector-system', dnsNames: [] } }))).toBe(
      `${PKI_PATH}: invalid server.dnsNames []: list at least one DNS name the server is reached by`,
    );
    expect(errorOf(() => pki().addServer({ namespace: 'vector-system', dnsNames: [] }))).toBe(
      `${PKI_PATH}: invalid server.dnsNames []: list at least one DNS name the server is reached by`,
    );
  });

  it('refuses an invalid DNS name, among the extra names or a server’s', () => {
    expect(errorOf(() => pki({ extraDnsNames: [LB_HOSTNAME, 'Vector_Aggregator'] }))).toBe(
      `${PKI_PATH}: invalid extraDnsNames[1] "Vector_Aggregator": ${DNS_NAME_RULE}`,
    );
    for (const bad of ['vector..example.com', 'vector.*.example.com', '-vector.example.com', `${'a'.repeat(64)}.com`]) {
      expect(errorOf(() => pki({ server: { namespace: 'vector-system', dnsNames: [bad] } }))).toBe(
        `${PKI_PATH}: invalid server.dnsNames[0] ${JSON.stringify(bad)}: ${DNS_NAME_RULE}`,
      );
    }
    expect(() => pki({ extraDnsNames: ['*.vector-aggregator-headless.vector-system.svc', 'a.b'] })).not.toThrow();
  });

  it('refuses a server outside the PKI’s namespace, where its Secret would not be', () => {
    expect(
      errorOf(() => pki({ namespace: 'logging', server: { namespace: 'vector-system', dnsNames: [LB_HOSTNAME] } })),
    ).toBe(
      `${PKI_PATH}: invalid server.namespace "vector-system": the server certificate's Secret is written to the ` +
        `PKI's namespace "logging": run the server there, or give the PKI its namespace`,
    );
  });
});

describe('VectorPki lifetimes', () => {
  it('refuses durations that are not Go durations of at least 1h', () => {
    for (const bad of ['90 days', '90d', '2160', '', '30m', '-2160h']) {
      expect(errorOf(() => pki({ serverCertificate: { duration: bad } }))).toBe(
        `${PKI_PATH}: invalid serverCertificate.duration ${JSON.stringify(bad)}: ${DURATION_RULE}`,
      );
    }
    expect(errorOf(() => pki({ caCertificate: { duration: '10y' } }))).toBe(
      `${PKI_PATH}: invalid caCertificate.duration "10y": ${DURATION_RULE}`,
    );
  });

  it('refuses renewBefore values that are not Go durations of at least 5m', () => {
    for (const bad of ['30d', '1 h', '4m59s']) {
      expect(errorOf(() => pki({ clientCertificates: { renewBefore: bad } }))).toBe(
        `${PKI_PATH}: invalid clientCertificates.renewBefore ${JSON.stringify(bad)}: ${RENEW_RULE}`,
      );
    }
  });

  it('refuses renewBefore at or beyond the duration, the default of either included', () => {
    expect(errorOf(() => pki({ serverCertificate: { renewBefore: '2160h' } }))).toBe(
      `${PKI_PATH}: invalid serverCertificate.renewBefore "2160h": must be shorter than the duration "2160h", ` +
        'or the certificate is always due for renewal',
    );
    expect(errorOf(() => pki({ caCertificate: { duration: '8760h' } }))).toBe(
      `${PKI_PATH}: invalid caCertificate.renewBefore "8760h": must be shorter than the duration "8760h", ` +
        'or the certificate is always due for renewal',
    );
    expect(errorOf(() => pki({ serverCertificate: { duration: '1h', renewBefore: '90m' } }))).toBe(
      `${PKI_PATH}: invalid serverCertificate.renewBefore "90m": must be shorter than the duration "1h", ` +
        'or the certificate is always due for renewal',
    );
    expect(() => pki({ serverCertificate: { duration: '1h30m', renewBefore: '1h29m59s' } })).not.toThrow();
  });

  it('reads Go durations the way time.ParseDuration does', () => {
    expect(goDurationSeconds('2160h')).toBe(2160 * 3600);
    expect(goDurationSeconds('1h30m')).toBe(5400);
    expect(goDurationSeconds('1.5h')).toBe(5400);
    expect(goDurationSeconds('90m0s')).toBe(5400);
    expect(goDurationSeconds('300000ms')).toBe(300);
    for (const bad of ['90d', '90 days', '1h 30m', 'h', '', '1H']) expect(goDurationSeconds(bad)).toBeUndefined();
  });
});

describe('VectorPki names', () => {
  it('refuses issuer and Secret names that are not Kubernetes object names', () => {
    expect(errorOf(() => pki({ serverSecretName: 'Vector_TLS' }))).toBe(
      `${PKI_PATH}: invalid serverSecretName "Vector_TLS": ${SUBDOMAIN_RULE}`,
    );
    expect(errorOf(() => pki({ caSecretName: 'vector ca' }))).toBe(
      `${PKI_PATH}: invalid caSecretName "vector ca": ${SUBDOMAIN_RULE}`,
    );
    expect(errorOf(() => pki({ caIssuerName: 'Vector-CA' }))).toBe(
      `${PKI_PATH}: invalid caIssuerName "Vector-CA": ${SUBDOMAIN_RULE}`,
    );
    expect(errorOf(() => pki({ selfSignedIssuerName: '' }))).toBe(
      `${PKI_PATH}: invalid selfSignedIssuerName "": ${SUBDOMAIN_RULE}`,
    );
    expect(errorOf(() => pki({ namespace: 'vector.system' }))).toBe(
      `${PKI_PATH}: invalid namespace "vector.system": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
    );
  });

  it('refuses two certificates writing one Secret', () => {
    expect(errorOf(() => pki({ serverSecretName: 'vector-ca' }))).toBe(
      `${PKI_PATH}: invalid serverSecretName "vector-ca": caSecretName already uses it in namespace "vector-system": every certificate needs a Secret of its own`,
    );
    expect(errorOf(() => pki({ serverSecretName: 'vector-agent-dev-tls' }).addClientCertificate('dev'))).toBe(
      `${PKI_PATH}: invalid addClientCertificate(clusterName) "dev": the Secret "vector-agent-dev-tls" is taken: issue one client certificate per cluster`,
    );
    const twice = pki();
    twice.addClientCertificate('dev');
    expect(errorOf(() => twice.addClientCertificate('dev'))).toBe(
      `${PKI_PATH}: invalid addClientCertificate(clusterName) "dev": the Secret "vector-agent-dev-tls" is taken: issue one client certificate per cluster`,
    );
  });

  it('refuses a CA common name that X.509 cannot hold', () => {
    expect(errorOf(() => pki({ caCertificate: { commonName: ' ' } }))).toBe(
      `${PKI_PATH}: invalid caCertificate.commonName " ": must not be empty`,
    );
    const long = 'c'.repeat(65);
    expect(errorOf(() => pki({ caCertificate: { commonName: long } }))).toBe(
      `${PKI_PATH}: invalid caCertificate.commonName "${long}": use at most 64 characters (an X.509 limit)`,
    );
  });

  it('refuses an empty or unusable cluster name for a client certificate', () => {
    for (const bad of ['', 'Dev', 'dev_1', 'a'.repeat(52)]) {
      expect(errorOf(() => pki().addClientCertificate(bad))).toBe(
        `${PKI_PATH}: invalid addClientCertificate(clusterName) ${JSON.stringify(bad)}: ${CLUSTER_RULE}`,
      );
    }
    expect(pki().addClientCertificate('a'.repeat(51)).commonName).toHaveLength(64);
  });
});

describe('VectorClientPki props', () => {
  it('refuses an empty or unusable cluster name', () => {
    for (const bad of ['', ' ', 'prod.eu', 'a'.repeat(52)]) {
      expect(errorOf(() => sourceChart({ clusterName: bad }))).toBe(
        `${CLIENT_PKI_PATH}: invalid clusterName ${JSON.stringify(bad)}: ${CLUSTER_RULE}`,
      );
    }
  });

  it('refuses bad names and lifetimes', () => {
    expect(errorOf(() => sourceChart({ caSecretName: 'Vector_CA' }))).toBe(
      `${CLIENT_PKI_PATH}: invalid caSecretName "Vector_CA": ${SUBDOMAIN_RULE}`,
    );
    expect(errorOf(() => sourceChart({ caIssuerName: 'vector/ca' }))).toBe(
      `${CLIENT_PKI_PATH}: invalid caIssuerName "vector/ca": ${SUBDOMAIN_RULE}`,
    );
    expect(errorOf(() => sourceChart({ clientSecretName: 'vector-ca' }))).toBe(
      `${CLIENT_PKI_PATH}: invalid clientSecretName "vector-ca": must differ from caSecretName: cert-manager would overwrite the CA with the client certificate`,
    );
    expect(errorOf(() => sourceChart({ clientCertificate: { duration: '90 days' } }))).toBe(
      `${CLIENT_PKI_PATH}: invalid clientCertificate.duration "90 days": ${DURATION_RULE}`,
    );
    expect(errorOf(() => sourceChart({ clientCertificate: { duration: '720h' } }))).toBe(
      `${CLIENT_PKI_PATH}: invalid clientCertificate.renewBefore "720h": must be shorter than the duration "720h", ` +
        'or the certificate is always due for renewal',
    );
  });
});
