import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CertificateExpiryAlert, type CertificateExpiryAlertProps } from '../../lib/pki';
import { checkRules, expectRulesValid, expectRuleTestsPass, testRules } from '../helpers/promtool';

/*
 * VectorCertificateExpiring under promtool. The server certificate (renewBefore 720h) fires with less than 360h left,
 * the CA (renewBefore 8760h) with less than 4380h left; `for: 1h`. cert-manager's gauge holds the notAfter in Unix
 * seconds; promtool's clock starts at 0, so a certificate expiring at 400h has 360h left at 40h.
 */

const H = 3600;
const STEP = '10m';
const SAMPLES = 6 * 60; // 60 h of 10-minute samples

function ruleFile(props: Partial<CertificateExpiryAlertProps> = {}): string {
  const construct = new CertificateExpiryAlert(Testing.chart(), 'alert', {
    namespace: 'monitoring',
    cluster: 'monitoring-fsn1',
    certificates: [
      { namespace: 'vector-system', name: 'vector-aggregator-tls', renewBefore: '720h' },
      { namespace: 'vector-system', name: 'vector-client-prod-eu-1', renewBefore: '720h' },
      { namespace: 'cert-manager', name: 'vector-ca', renewBefore: '8760h' },
    ],
    ...props,
  });
  return stringify({ groups: (construct.prometheusRule.toJson() as { spec: { groups: unknown } }).spec.groups });
}

/** A constant expiry, or one that moves forward (a renewal) at `renewedAt` hours. */
function expiry(hours: number, renewedAt?: number, renewedTo?: number): string {
  if (renewedAt === undefined) return `${hours * H}+0x${SAMPLES}`;
  const before = renewedAt * 6;
  return `${hours * H}+0x${before - 1} ${(renewedTo ?? 0) * H}+0x${SAMPLES - before}`;
}

/** How cert-manager's metrics arrive: by a ServiceMonitor without honorLabels (the usual), or with it. */
function series(namespace: string, name: string, values: string, honorLabels = false, replica = 'a1b2c') {
  const target = `instance="10.0.3.7:9402", job="cert-manager", pod="cert-manager-7b9f8c6d5-${replica}"`;
  const ns = honorLabels ? `namespace="${namespace}"` : `exported_namespace="${namespace}", namespace="cert-manager"`;
  return {
    series:
      `certmanager_certificate_expiration_timestamp_seconds{${ns}, issuer_group="cert-manager.io", ` +
      `issuer_kind="Issuer", issuer_name="vector-ca", name="${name}", ${target}}`,
    values,
  };
}

const firing = (namespace: string, name: string) => ({
  exp_labels: {
    alertname: 'VectorCertificateExpiring',
    cluster: 'monitoring-fsn1',
    namespace,
    name,
    severity: 'warning',
  },
  exp_annotations: {
    summary: `Certificate ${namespace}/${name} in cluster monitoring-fsn1 is close to expiry: not renewed`,
    description:
      `The Vector mTLS certificate ${namespace}/${name} in cluster monitoring-fsn1 has less than 50 % of its ` +
      `renewBefore left, for 1h: cert-manager should have renewed it long ago. Check kubectl describe ` +
      `certificate -n ${namespace} ${name} and its CertificateRequests (certmanager_certificate_ready_status), ` +
      `the Issuer and the CA Secret; when it expires, agents and aggregators stop talking. After renewal, the pods ` +
      `need a restart (Vector does not reload TLS files).`,
  },
});

type Expected = ReturnType<typeof firing>;
const at = (hours: number, ...exp_alerts: Expected[]) => ({
  eval_time: `${hours * 60}m`,
  alertname: 'VectorCertificateExpiring',
  exp_alerts,
});
const silent = () => Array.from({ length: 60 }, (_, i) => at(i + 1));

const SERVER = ['vector-system', 'vector-aggregator-tls'] as const;

const CASES = [
  {
    name: 'the server certificate, not renewed, expiring at 400h: fires once under 360h are left, for 1h',
    input_series: [series(...SERVER, expiry(400))],
    alert_rule_test: [at(39), at(40), at(41), at(41.5, firing(...SERVER)), at(60, firing(...SERVER))],
  },
  {
    name: 'the same with honorLabels (namespace is the certificate’s, no exported_namespace): fires alike',
    input_series: [series(...SERVER, expiry(400), true)],
    alert_rule_test: [at(40.5), at(41.5, firing(...SERVER))],
  },
  {
    name: 'renewed at 30h (notAfter 90 days later): silent',
    input_series: [series(...SERVER, expiry(400, 30, 400 + 2160))],
    alert_rule_test: silent(),
  },
  {
    name: 'renewed late, at 45h, after it fired: fires, then goes quiet at once',
    input_series: [series(...SERVER, expiry(400, 45, 400 + 2160))],
    alert_rule_test: [at(44, firing(...SERVER)), at(45), at(60)],
  },
  {
    name: 'two cert-manager replicas exporting the same certificate: one alert',
    input_series: [series(...SERVER, expiry(400)), series(...SERVER, expiry(400), false, 'x9y8z')],
    alert_rule_test: [at(41.5, firing(...SERVER))],
  },
  {
    name: 'certificates that are not the fleet’s (another namespace, another name) expiring as well: silent',
    input_series: [
      series('shop', 'vector-aggregator-tls', expiry(10)),
      series('vector-system', 'shop-tls', expiry(10)),
      series('vector-system', 'vector-aggregator-tlsx', expiry(10)),
      // With honorLabels off, `namespace` is cert-manager's own: a certificate of that name elsewhere is not ours.
      series('shop', 'vector-ca', expiry(10)),
    ],
    alert_rule_test: silent(),
  },
  {
    name: 'the CA (renewBefore 8760h) has its own threshold: silent at 4400h left, firing under 4380h',
    input_series: [series('cert-manager', 'vector-ca', expiry(4420)), series(...SERVER, expiry(1000))],
    alert_rule_test: [
      at(39),
      at(40.5),
      at(41.5, firing('cert-manager', 'vector-ca')),
      at(60, firing('cert-manager', 'vector-ca')),
    ],
  },
  {
    name: 'a client certificate beside a healthy server certificate: only the client certificate fires',
    input_series: [series(...SERVER, expiry(1000)), series('vector-system', 'vector-client-prod-eu-1', expiry(400))],
    alert_rule_test: [at(41.5, firing('vector-system', 'vector-client-prod-eu-1'))],
  },
].map((t) => ({ ...t, interval: STEP }));

describe('VectorCertificateExpiring under promtool', () => {
  const file = ruleFile();

  it('passes promtool check rules', () => {
    expectRulesValid(file);
    expect(checkRules(file).output).toContain('SUCCESS: 1 rules found');
  });

  it('fires and stays silent as each case expects', () => {
    expectRuleTestsPass(file, stringify({ evaluation_interval: '10m', tests: CASES }));
  });

  it('would catch a rule that fires too early: the first case fails when expected at 41h, 10 minutes early', () => {
    const early = { ...CASES[0], alert_rule_test: [at(41, firing(...SERVER))] };
    const result = testRules(file, stringify({ evaluation_interval: '10m', tests: [early] }));
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('VectorCertificateExpiring');
  });
});
