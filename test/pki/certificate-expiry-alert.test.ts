import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CertificateExpiryAlert,
  type CertificateExpiryAlertProps,
  certificatesIn,
  type WatchedCertificate,
} from '../../lib/pki';
import { thrownMessage } from '../helpers/errors';
import { expectValidManifests } from '../helpers/k8s-schema';
import { certificates as certificateManifests, manifests, monitoringChart, sourceChart } from './pki-fixtures';

const SERVER: WatchedCertificate = { namespace: 'vector-system', name: 'vector-aggregator-tls', renewBefore: '720h' };
const BASE: CertificateExpiryAlertProps = { namespace: 'monitoring', cluster: 'dev', certificates: [SERVER] };
const build = (props: Partial<CertificateExpiryAlertProps>) =>
  new CertificateExpiryAlert(Testing.chart(), 'alert', { ...BASE, ...props });
const error = (props: Partial<CertificateExpiryAlertProps>) => thrownMessage(() => build(props));

describe('certificatesIn', () => {
  it('finds every Certificate of a VectorPki, its namespace and renewBefore, added clients included', () => {
    const { chart, pki } = monitoringChart({ caScope: 'cluster' });
    pki.addClientCertificate('prod-eu-1');
    pki.addInClusterClient('monitoring', { namespace: 'vector-agent' });
    const found = certificatesIn(chart);
    const synthesized = certificateManifests(manifests(chart)).map((c) => ({
      namespace: c.metadata.namespace,
      name: c.metadata.name,
      renewBefore: c.spec.renewBefore,
    }));
    expect(found).toEqual(synthesized);
    expect(found.map((c) => `${c.namespace}/${c.name} ${c.renewBefore}`).sort()).toEqual([
      'cert-manager/vector-ca 8760h',
      'vector-agent/vector-agent-tls 720h',
      'vector-system/vector-agent-prod-eu-1-tls 720h',
      'vector-system/vector-aggregator-tls 720h',
    ]);
  });

  it("finds a VectorClientPki's client certificate in a source cluster", () => {
    const { chart } = sourceChart();
    expect(certificatesIn(chart)).toEqual([
      { namespace: 'vector-system', name: 'vector-agent-tls', renewBefore: '720h' },
    ]);
  });
});

describe('CertificateExpiryAlert', () => {
  it('one PrometheusRule with VectorCertificateExpiring, valid against the CRD schema, the cluster as a label', () => {
    const chart = Testing.chart();
    const alert = new CertificateExpiryAlert(chart, 'alert', BASE);
    const objects = Testing.synth(chart);
    expectValidManifests(objects);
    expect(objects.map((o: { kind: string }) => o.kind)).toEqual(['PrometheusRule']);
    expect(alert.rule.labels).toEqual({ cluster: 'dev', severity: 'warning' });
    expect(alert.rule.for).toBe('1h');
    expect(alert.rule.expr).toBe(
      [
        '(',
        '    max by (namespace, name) (label_replace(certmanager_certificate_expiration_timestamp_seconds{exported_namespace="vector-system", name=~"vector-aggregator-tls"}, "namespace", "$1", "exported_namespace", "(.+)"))',
        '  or',
        '    max by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds{exported_namespace="", namespace="vector-system", name=~"vector-aggregator-tls"})',
        ') - time() < 1296000',
      ].join('\n'),
    );
  });

  it('groups certificates by namespace and threshold; escapes dots in names; remainingShare, for, severity, selector', () => {
    const alert = build({
      certificates: [
        SERVER,
        { namespace: 'vector-system', name: 'vector-client.b', renewBefore: '720h' },
        { namespace: 'vector-system', name: 'short', renewBefore: '1h30m' },
        { namespace: 'cert-manager', name: 'vector-ca', renewBefore: '8760h' },
      ],
      remainingShare: 0.25,
      for: '30m',
      severity: 'critical',
      selector: 'job="cert-manager"',
      alertLabels: { team: 'platform' },
    });
    const branches = alert.rule.expr.split('\nor\n');
    expect(branches).toHaveLength(3);
    expect(branches[0]).toContain('{exported_namespace="cert-manager", name=~"vector-ca", job="cert-manager"}');
    expect(branches[0]).toMatch(/\) - time\(\) < 7884000$/);
    expect(branches[1]).toContain('name=~"short"');
    expect(branches[1]).toMatch(/\) - time\(\) < 1350$/);
    expect(branches[2]).toContain('name=~"vector-aggregator-tls|vector-client\\\\.b"');
    expect(branches[2]).toMatch(/\) - time\(\) < 648000$/);
    expect(alert.rule.labels).toEqual({ team: 'platform', cluster: 'dev', severity: 'critical' });
    expect(alert.rule.for).toBe('30m');
    expect(alert.rule.annotations?.description).toContain('less than 25 % of its renewBefore left, for 30m');
  });

  it.each<[string, Partial<CertificateExpiryAlertProps>, string]>([
    ['no cluster', { cluster: '' }, 'test/alert: invalid cluster "": name the cluster, a non-empty string'],
    [
      'no certificates',
      { certificates: [] },
      'test/alert: invalid certificates []: give at least one certificate, e.g. certificatesIn(chart)',
    ],
    [
      'a certificate namespace',
      { certificates: [{ ...SERVER, namespace: 'Vector' }] },
      'test/alert: invalid certificates[0].namespace "Vector": use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'a certificate renewBefore in days',
      { certificates: [{ ...SERVER, renewBefore: '30d' }] },
      'test/alert: invalid certificates[0].renewBefore "30d": use a Go duration such as "720h"',
    ],
    [
      'remainingShare 1',
      { remainingShare: 1 },
      'test/alert: invalid remainingShare 1: use a share between 0 and 1 (exclusive), e.g. 0.5',
    ],
    [
      'for',
      { for: 'an hour' },
      'test/alert: invalid for "an hour": use a Prometheus duration such as "0s", "30m" or "1h"',
    ],
    ['severity', { severity: '' }, 'test/alert: invalid severity "": must not be empty'],
    [
      'alertLabels setting namespace',
      { alertLabels: { namespace: 'x' } },
      'test/alert: invalid alertLabels {"namespace":"x"}: "namespace" is set by the alert itself; use another key',
    ],
    [
      'selector',
      { selector: 'job=cert-manager' },
      'test/alert: invalid selector "job=cert-manager": must be PromQL label matchers separated by commas, e.g. job="kube-state-metrics", cluster="prod" (or \'\' for none)',
    ],
  ])('rejects %s', (_case, props, message) => {
    expect(error(props)).toBe(message);
  });
});
