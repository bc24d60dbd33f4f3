import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { Certificate } from '../k8s/cert-manager';
import { commonLabels } from '../k8s/labels';
import { type AlertingRule, PrometheusRule } from '../k8s/prometheus-operator';
import { checkDnsLabel, checkDnsSubdomain, propError } from '../k8s/prop-errors';
import { parseDuration } from '../monitoring/promql';
import { httpUrl, labelMap, matcherList, prometheusLabelName } from '../monitoring/validation';
import { goDurationSeconds } from './lifetime';

export const CERTIFICATE_EXPIRING_ALERT_NAME = 'VectorCertificateExpiring';
/** cert-manager's gauge (pkg/metrics, internal/collectors): the certificate's notAfter, in Unix seconds. */
export const CERTIFICATE_EXPIRATION_METRIC = 'certmanager_certificate_expiration_timestamp_seconds';

/** One cert-manager Certificate the alert watches. */
export interface WatchedCertificate {
  readonly namespace: string;
  /** The Certificate's name (cert-manager's `name` label). */
  readonly name: string;
  /** Its `spec.renewBefore`, a Go duration such as `720h`: the alert's threshold is a share of it. */
  readonly renewBefore: string;
}

export interface CertificateExpiryAlertProps {
  /** Namespace of the PrometheusRule: where your Prometheus loads rules from. */
  readonly namespace: string;
  /** Name of the PrometheusRule. @default 'vector-certificate-alerts' */
  readonly name?: string;
  /** The cluster these certificates live in, set as the alert's `cluster` label. */
  readonly cluster: string;
  /** The Certificates to watch, e.g. `certificatesIn(chart)`. At least one. */
  readonly certificates: readonly WatchedCertificate[];
  /**
   * The share of `renewBefore` left when the alert fires. cert-manager renews when `renewBefore` is left, so a
   * certificate that still has less than half of it has failed to renew for half of that time. In (0, 1).
   * @default 0.5
   */
  readonly remainingShare?: number;
  /** How long the condition must hold (Prometheus duration). @default '1h' */
  readonly for?: string;
  /** @default 'warning' */
  readonly severity?: string;
  /** Labels on the PrometheusRule object that your Prometheus' `ruleSelector` needs. @default {} */
  readonly ruleLabels?: Readonly<Record<string, string>>;
  /** Extra labels on the alert. @default {} */
  readonly alertLabels?: Readonly<Record<string, string>>;
  /** PromQL label matchers added to the selection, e.g. `job="cert-manager"`. @default '' */
  readonly selector?: string;
  /** Set as the `runbook_url` annotation. @default none */
  readonly runbookUrl?: string;
}

/**
 * Every cert-manager Certificate under `scope` (e.g. a cluster's chart): what `CertificateExpiryAlert` should watch
 * there. Call it once every certificate exists (after `addClientCertificate` and `addInClusterClient`).
 */
export function certificatesIn(scope: IConstruct): WatchedCertificate[] {
  return (
    scope.node
      .findAll()
      // By kind, not `instanceof`: cdk8s makes every ApiObject an instance of each ApiObject subclass.
      .filter(
        (c): c is ApiObject =>
          ApiObject.isApiObject(c) && c.kind === Certificate.GVK.kind && c.apiVersion === Certificate.GVK.apiVersion,
      )
      .map((c) => {
        const json = c.toJson() as {
          metadata: { name: string; namespace?: string };
          spec: { renewBefore?: string };
        };
        return {
          namespace: json.metadata.namespace ?? 'default',
          name: json.metadata.name,
          // cert-manager's default when a Certificate gives none: a third of its duration; the PKI always sets one.
          renewBefore: json.spec.renewBefore ?? '720h',
        };
      })
  );
}

/** A regular expression matching exactly these names (PromQL regexes are anchored); `.` is the only special one. */
function namesPattern(names: readonly string[]): string {
  return [...new Set(names)]
    .sort()
    .map((n) => n.replaceAll('.', '\\\\.'))
    .join('|');
}

/**
 * The expiry time of one namespace's certificates by `(namespace, name)`, however cert-manager is scraped: a
 * ServiceMonitor without `honorLabels` puts cert-manager's own namespace in `namespace` and the certificate's in
 * `exported_namespace`; with `honorLabels` (or a scrape that adds no namespace) `namespace` is the certificate's.
 */
function expirySelection(namespace: string, names: readonly string[], selector: string): string {
  const extra = selector.trim() === '' ? '' : `, ${selector}`;
  const pattern = namesPattern(names);
  const exported = `${CERTIFICATE_EXPIRATION_METRIC}{exported_namespace="${namespace}", name=~"${pattern}"${extra}}`;
  const own = `${CERTIFICATE_EXPIRATION_METRIC}{exported_namespace="", namespace="${namespace}", name=~"${pattern}"${extra}}`;
  return [
    `    max by (namespace, name) (label_replace(${exported}, "namespace", "$1", "exported_namespace", "(.+)"))`,
    `  or`,
    `    max by (namespace, name) (${own})`,
  ].join('\n');
}

/** The rule: one branch per namespace and threshold, a certificate firing with less than its share of renewBefore left. */
export function certificateExpiringRule(
  cluster: string,
  certificates: readonly WatchedCertificate[],
  s: {
    readonly remainingShare: number;
    readonly for: string;
    readonly severity: string;
    readonly selector: string;
    readonly alertLabels: Readonly<Record<string, string>>;
    readonly runbookUrl?: string;
  },
): AlertingRule {
  const groups = new Map<string, { namespace: string; seconds: number; names: string[] }>();
  for (const c of certificates) {
    const seconds = Math.round((goDurationSeconds(c.renewBefore) ?? 0) * s.remainingShare);
    const key = `${c.namespace}|${seconds}`;
    const group = groups.get(key) ?? { namespace: c.namespace, seconds, names: [] };
    group.names.push(c.name);
    groups.set(key, group);
  }
  const branches = [...groups.values()]
    .sort((a, b) => (a.namespace === b.namespace ? a.seconds - b.seconds : a.namespace < b.namespace ? -1 : 1))
    .map((g) => `(\n${expirySelection(g.namespace, g.names, s.selector)}\n) - time() < ${g.seconds}`);
  const share = `${Number((s.remainingShare * 100).toFixed(2))} %`;
  return {
    alert: CERTIFICATE_EXPIRING_ALERT_NAME,
    expr: branches.join('\nor\n'),
    for: s.for,
    labels: { ...s.alertLabels, cluster, severity: s.severity },
    annotations: {
      summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} in cluster ${cluster} is close to expiry: not renewed`,
      description:
        `The Vector mTLS certificate {{ $labels.namespace }}/{{ $labels.name }} in cluster ${cluster} has less than ` +
        `${share} of its renewBefore left, for ${s.for}: cert-manager should have renewed it long ago. Check ` +
        `kubectl describe certificate -n {{ $labels.namespace }} {{ $labels.name }} and its CertificateRequests ` +
        `(certmanager_certificate_ready_status), the Issuer and the CA Secret; when it expires, agents and ` +
        `aggregators stop talking. After renewal, the pods need a restart (Vector does not reload TLS files).`,
      ...(s.runbookUrl === undefined ? {} : { runbook_url: s.runbookUrl }),
    },
  };
}

/**
 * `VectorCertificateExpiring` for one cluster's Vector certificates (the PKI's CA, server and client certificates),
 * from cert-manager's `certmanager_certificate_expiration_timestamp_seconds`: it fires for a certificate with less
 * than `remainingShare` of its `renewBefore` left, i.e. one cert-manager failed to renew, and goes quiet once it is
 * renewed (its expiry moves forward). Scoped to the given certificates by namespace and name.
 */
export class CertificateExpiryAlert extends Construct {
  readonly alertName = CERTIFICATE_EXPIRING_ALERT_NAME;
  readonly rule: AlertingRule;
  readonly prometheusRule: PrometheusRule;

  constructor(scope: Construct, id: string, props: CertificateExpiryAlertProps) {
    super(scope, id);
    const fail = (problem: string | undefined): void => {
      if (problem !== undefined) throw new Error(`${this.node.path}: ${problem}`);
    };
    if (typeof props.cluster !== 'string' || props.cluster.trim() === '') {
      throw propError(this, 'cluster', props.cluster, 'name the cluster, a non-empty string');
    }
    const certificates = props.certificates;
    if (!Array.isArray(certificates) || certificates.length === 0) {
      throw propError(this, 'certificates', certificates, 'give at least one certificate, e.g. certificatesIn(chart)');
    }
    certificates.forEach((c: WatchedCertificate, i) => {
      checkDnsLabel(this, `certificates[${i}].namespace`, c.namespace);
      checkDnsSubdomain(this, `certificates[${i}].name`, c.name);
      if (goDurationSeconds(c.renewBefore) === undefined) {
        throw propError(this, `certificates[${i}].renewBefore`, c.renewBefore, 'use a Go duration such as "720h"');
      }
    });
    const remainingShare = props.remainingShare ?? 0.5;
    if (typeof remainingShare !== 'number' || !(remainingShare > 0 && remainingShare < 1)) {
      throw propError(this, 'remainingShare', remainingShare, 'use a share between 0 and 1 (exclusive), e.g. 0.5');
    }
    const alertFor = props.for ?? '1h';
    if (typeof alertFor !== 'string' || parseDuration(alertFor) === undefined) {
      throw propError(this, 'for', alertFor, 'use a Prometheus duration such as "0s", "30m" or "1h"');
    }
    const severity = props.severity ?? 'warning';
    if (typeof severity !== 'string' || severity.trim() === '') {
      throw propError(this, 'severity', severity, 'must not be empty');
    }
    const selector = props.selector ?? '';
    fail(matcherList('selector', selector));
    fail(labelMap('ruleLabels', props.ruleLabels ?? {})[0]);
    const alertLabels = props.alertLabels ?? {};
    for (const [key, value] of Object.entries(alertLabels)) {
      fail(prometheusLabelName('alertLabels', key));
      if (['cluster', 'severity', 'alertname', 'namespace', 'name'].includes(key)) {
        throw propError(this, 'alertLabels', alertLabels, `"${key}" is set by the alert itself; use another key`);
      }
      if (typeof value !== 'string' || value === '') {
        throw propError(this, `alertLabels.${key}`, value, 'a label value is a non-empty string');
      }
    }
    if (props.runbookUrl !== undefined) fail(httpUrl('runbookUrl', props.runbookUrl));

    this.rule = certificateExpiringRule(props.cluster, certificates, {
      remainingShare,
      for: alertFor,
      severity,
      selector,
      alertLabels,
      ...(props.runbookUrl === undefined ? {} : { runbookUrl: props.runbookUrl }),
    });
    const name = checkDnsSubdomain(this, 'name', props.name ?? 'vector-certificate-alerts');
    this.prometheusRule = new PrometheusRule(this, 'PrometheusRule', {
      metadata: {
        name,
        namespace: checkDnsLabel(this, 'namespace', props.namespace),
        labels: { ...commonLabels({ name: 'vector', instance: name, component: 'alerts' }), ...props.ruleLabels },
      },
      spec: { groups: [{ name: 'vector-certificates', rules: [this.rule] }] },
    });
  }
}
