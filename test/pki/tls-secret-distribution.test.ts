/**
 * Distributing the PKI's Secrets with External Secrets: what the monitoring cluster pushes (the CA's certificate and
 * key, or one source cluster's client certificate) and what a source cluster pulls, checked against what the reader
 * there needs: the CA Issuer's Secret, or the Secret the agent mounts.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VectorAgent } from '../../lib/agent';
import type { ExternalSecretSpec, PushSecretSpec } from '../../lib/k8s/external-secrets';
import {
  type DistributedTlsSecret,
  TlsSecretPull,
  TlsSecretPush,
  VectorClientPki,
  WORKLOAD_TLS_KEYS,
} from '../../lib/pki';
import { expectValidChart } from '../helpers/k8s-schema';
import {
  AGENT_PROPS,
  errorOf,
  issuers,
  type Manifest,
  manifests,
  monitoringChart,
  only,
  PKI_PATH,
  sourceChart,
} from './pki-fixtures';

const STORE = { name: 'vault', kind: 'ClusterSecretStore' } as const;

interface PushSecretManifest extends Manifest {
  readonly spec: PushSecretSpec;
}
interface ExternalSecretManifest extends Manifest {
  readonly spec: ExternalSecretSpec;
}
const pushSecret = (all: readonly Manifest[], name: string) => only(all, 'PushSecret', name) as PushSecretManifest;
const externalSecret = (all: readonly Manifest[], name: string) =>
  only(all, 'ExternalSecret', name) as ExternalSecretManifest;

/** What a PushSecret writes to the store: `remoteKey/property` for each key of the Secret. */
const pushed = (push: PushSecretManifest) =>
  Object.fromEntries(
    push.spec.data.map((d) => [d.match.secretKey, `${d.match.remoteRef.remoteKey}/${d.match.remoteRef.property}`]),
  );
/** What an ExternalSecret reads from the store, key by key of the Secret it writes. */
const pulled = (pull: ExternalSecretManifest) =>
  Object.fromEntries(pull.spec.data.map((d) => [d.secretKey, `${d.remoteRef.key}/${d.remoteRef.property}`]));

/** A source chart (`VectorClientPki` over the pulled CA Secret, and the agent) pulling `from`. */
function pullingSource(from: DistributedTlsSecret) {
  const source = sourceChart({ caSecretName: from.secretName });
  new TlsSecretPull(source.chart, 'CaPull', { from, namespace: source.clientPki.namespace, secretStore: STORE });
  return source;
}

describe('the CA Secret, for source clusters that issue their own client certificates', () => {
  it('is pushed with exactly tls.crt and tls.key, what the CA Issuer reads; ca.crt stays home', () => {
    const monitoring = monitoringChart();
    const distributed = monitoring.pki.pushCaSecret({ secretStore: STORE });
    const push = pushSecret(manifests(monitoring.chart), 'vector-ca');
    expect(push.metadata.namespace).toBe('vector-system');
    expect(push.spec.selector).toEqual({ secret: { name: 'vector-ca' } });
    expect(pushed(push)).toEqual({
      'tls.crt': 'vector-fleet-vector-ca/tls_crt',
      'tls.key': 'vector-fleet-vector-ca/tls_key',
    });
    expect(push.spec.secretStoreRefs).toEqual([STORE]);
    expect(distributed).toEqual({
      secretName: 'vector-ca',
      keys: ['tls.crt', 'tls.key'],
      remoteKey: 'vector-fleet-vector-ca',
      refreshInterval: '1h',
      renewBefore: '8760h',
    });
    expectValidChart(monitoring.chart);
  });

  it('overwrites the store at every push and leaves no key material there once the PushSecret is gone', () => {
    const monitoring = monitoringChart();
    monitoring.pki.pushCaSecret({ secretStore: STORE, refreshInterval: '30m' });
    const { spec } = pushSecret(manifests(monitoring.chart), 'vector-ca');
    expect({ update: spec.updatePolicy, deletion: spec.deletionPolicy, refresh: spec.refreshInterval }).toEqual({
      update: 'Replace',
      deletion: 'Delete',
      refresh: '30m',
    });
  });

  it('is pulled into the Secret the source cluster’s CA Issuer names, with the same keys, as kubernetes.io/tls', () => {
    const monitoring = monitoringChart();
    const distributed = monitoring.pki.pushCaSecret({ secretStore: STORE, remoteKeyPrefix: 'fleet/monitoring/' });
    const source = pullingSource(distributed);
    const all = manifests(source.chart);
    const pull = externalSecret(all, 'vector-ca');
    const issuer = issuers(all).find((i) => i.metadata.name === source.clientPki.caIssuerName);
    expect(issuer?.spec).toEqual({ ca: { secretName: 'vector-ca' } });
    expect(pull.metadata.namespace).toBe(issuer?.metadata.namespace);
    expect(pull.spec.target?.name).toBe('vector-ca');
    expect(pull.spec.target?.template?.type).toBe('kubernetes.io/tls');
    expect(pulled(pull)).toEqual(pushed(pushSecret(manifests(monitoring.chart), 'vector-ca')));
    expect(pulled(pull)).toEqual({
      'tls.crt': 'fleet/monitoring/vector-ca/tls_crt',
      'tls.key': 'fleet/monitoring/vector-ca/tls_key',
    });
    expectValidChart(source.chart);
  });

  it('is owned by ESO in the source cluster and kept there when the store has nothing', () => {
    const source = pullingSource(monitoringChart().pki.pushCaSecret({ secretStore: STORE }));
    const { spec } = externalSecret(manifests(source.chart), 'vector-ca');
    expect(spec.secretStoreRef).toEqual(STORE);
    expect(spec.refreshPolicy).toBe('Periodic');
    expect(spec.refreshInterval).toBe('1h');
    expect(spec.target).toMatchObject({ creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    // No data templates: with none, ESO writes the fetched keys as they are (ApplyTemplate's noTemplate case).
    expect(spec.target?.template).toEqual({
      type: 'kubernetes.io/tls',
      engineVersion: 'v2',
      metadata: { labels: expect.objectContaining({ 'app.kubernetes.io/component': 'pki' }) },
    });
  });

  it('is never inlined: neither cluster’s output holds a Secret with data, only the agent’s token Secret', () => {
    const monitoring = monitoringChart();
    const source = pullingSource(monitoring.pki.pushCaSecret({ secretStore: STORE }));
    const secrets = [...manifests(monitoring.chart), ...manifests(source.chart)].filter((m) => m.kind === 'Secret');
    expect(secrets.map((s) => ({ name: s.metadata.name, type: (s as { type?: string }).type, data: s.data }))).toEqual([
      { name: 'vector-agent-token', type: 'kubernetes.io/service-account-token', data: undefined },
    ]);
  });
});

describe('a client certificate issued in the monitoring cluster', () => {
  function distributedClient() {
    const monitoring = monitoringChart();
    const issued = monitoring.pki.addClientCertificate('dev');
    const distributed = monitoring.pki.pushClientCertificate(issued, { secretStore: STORE });
    return { monitoring, issued, distributed };
  }

  it('is pushed with ca.crt, tls.crt and tls.key, and the CA Secret is not pushed at all', () => {
    const { monitoring, distributed } = distributedClient();
    const all = manifests(monitoring.chart);
    expect(all.filter((m) => m.kind === 'PushSecret').map((m) => m.metadata.name)).toEqual(['vector-agent-dev-tls']);
    expect(pushed(pushSecret(all, 'vector-agent-dev-tls'))).toEqual({
      'ca.crt': 'vector-fleet-vector-agent-dev-tls/ca_crt',
      'tls.crt': 'vector-fleet-vector-agent-dev-tls/tls_crt',
      'tls.key': 'vector-fleet-vector-agent-dev-tls/tls_key',
    });
    // The client certificate's renewBefore bounds the refresh intervals, not the CA's.
    expect(distributed.renewBefore).toBe('720h');
    expectValidChart(monitoring.chart);
  });

  it('is pulled into exactly the Secret and keys the agent mounts, and no CA Issuer is needed there', () => {
    const { issued, distributed } = distributedClient();
    const chart = new Chart(Testing.app(), 'source');
    new TlsSecretPull(chart, 'ClientPull', { from: distributed, namespace: 'vector-system', secretStore: STORE });
    new VectorAgent(chart, 'Agent', { ...AGENT_PROPS, tls: issued.clientTls });
    const all = manifests(chart);
    const pull = externalSecret(all, 'vector-agent-dev-tls');
    const volume = (only(all, 'DaemonSet').spec as DaemonSetSpec).template.spec.volumes.find((v) => v.name === 'tls');
    expect(volume?.secret.secretName).toBe(pull.spec.target?.name);
    expect(volume?.secret.items.map((i) => i.key).sort()).toEqual(Object.keys(pulled(pull)));
    expect(Object.keys(pulled(pull))).toEqual([...WORKLOAD_TLS_KEYS]);
    expect(issuers(all)).toEqual([]);
    expectValidChart(chart);
  });

  it('must be one this PKI issued', () => {
    const { monitoring } = distributedClient();
    const foreign = { ...monitoring.pki.addClientCertificate('qa'), secretName: 'vector-ca' };
    expect(errorOf(() => monitoring.pki.pushClientCertificate(foreign, { secretStore: STORE }))).toBe(
      `${PKI_PATH}: invalid pushClientCertificate(certificate) "vector-ca": push a client certificate this PKI issued with addClientCertificate`,
    );
  });
});

interface DaemonSetSpec {
  readonly template: {
    readonly spec: {
      readonly volumes: readonly {
        readonly name: string;
        readonly secret: { readonly secretName: string; readonly items: readonly { readonly key: string }[] };
      }[];
    };
  };
}

describe('bad distribution props', () => {
  const REFRESH_RULE = (max: string, renewBefore: string) =>
    `use a Go duration from 1m to ${max}, e.g. "1h" (there is no "d" unit; "0s" would never refresh): a renewed ` +
    `certificate reaches the other cluster within one push and one pull, which must fit in a tenth of its ` +
    `renewBefore "${renewBefore}"`;

  it('refuse a refresh interval that never refreshes, is no Go duration, or is too long for the renewal', () => {
    // The CA renews a year ahead, so its pushes may be rarer than a client certificate's.
    const pushCa = (refreshInterval: string) => () =>
      monitoringChart().pki.pushCaSecret({ secretStore: STORE, refreshInterval });
    expect(errorOf(pushCa('0s'))).toBe(
      `${PKI_PATH}/CaSecretPush: invalid refreshInterval "0s": ${REFRESH_RULE('438h', '8760h')}`,
    );
    expect(errorOf(pushCa('7d'))).toBe(
      `${PKI_PATH}/CaSecretPush: invalid refreshInterval "7d": ${REFRESH_RULE('438h', '8760h')}`,
    );
    const monitoring = monitoringChart();
    const issued = monitoring.pki.addClientCertificate('dev');
    expect(
      errorOf(() => monitoring.pki.pushClientCertificate(issued, { secretStore: STORE, refreshInterval: '37h' })),
    ).toBe(`${PKI_PATH}/ClientCertificatePush-dev: invalid refreshInterval "37h": ${REFRESH_RULE('36h', '720h')}`);
  });

  it('refuse a store without a name or of another kind', () => {
    const pushCa = (secretStore: unknown) => () =>
      monitoringChart().pki.pushCaSecret({ secretStore: secretStore as typeof STORE });
    expect(errorOf(pushCa({ kind: 'SecretStore' }))).toBe(
      `${PKI_PATH}/CaSecretPush: invalid secretStore.name (missing): use lowercase letters, digits, "-" and ".", at most 253 characters`,
    );
    expect(errorOf(pushCa({ name: 'vault', kind: 'Vault' }))).toBe(
      `${PKI_PATH}/CaSecretPush: invalid secretStore.kind "Vault": use "SecretStore" (in the namespace) or "ClusterSecretStore"`,
    );
  });

  it('refuse a remote key prefix a store cannot take', () => {
    expect(
      errorOf(() => monitoringChart().pki.pushCaSecret({ secretStore: STORE, remoteKeyPrefix: 'fleet keys/' })),
    ).toBe(
      `${PKI_PATH}/CaSecretPush: invalid remoteKey "fleet keys/vector-ca": use at most 253 letters, digits, "-", "_", "." and "/", starting with a letter or digit and ending with one, no "//" (only letters, digits and "-" fit every provider)`,
    );
  });

  it('refuse a push or pull of a Secret without its certificate and key', () => {
    const chart = new Chart(Testing.app(), 'c');
    const base = { namespace: 'vector-system', secretName: 'x', secretStore: STORE, remoteKey: 'x' };
    const allowed =
      'list each of "tls.crt" and "tls.key" once, and "ca.crt" when the reader needs it (a kubernetes.io/tls Secret needs the first two)';
    expect(errorOf(() => new TlsSecretPush(chart, 'p1', { ...base, keys: ['tls.crt'] }))).toBe(
      `c/p1: invalid keys ["tls.crt"]: ${allowed}`,
    );
    expect(errorOf(() => new TlsSecretPush(chart, 'p2', { ...base, keys: ['tls.crt', 'tls.key', 'tls.key'] }))).toBe(
      `c/p2: invalid keys ["tls.crt","tls.key","tls.key"]: ${allowed}`,
    );
    const from = { secretName: 'x', keys: ['tls.key'], remoteKey: 'x', refreshInterval: '1h', renewBefore: '720h' };
    expect(
      errorOf(
        () =>
          new TlsSecretPull(chart, 'l1', {
            from: from as DistributedTlsSecret,
            namespace: 'vector-system',
            secretStore: STORE,
          }),
      ),
    ).toBe(`c/l1: invalid from.keys ["tls.key"]: ${allowed}`);
  });

  it('refuse a pull refreshing too rarely for the pushed certificate', () => {
    const distributed = monitoringChart().pki.pushCaSecret({ secretStore: STORE });
    const chart = new Chart(Testing.app(), 'c');
    expect(
      errorOf(
        () =>
          new TlsSecretPull(chart, 'pull', {
            from: { ...distributed, renewBefore: '720h' },
            namespace: 'vector-system',
            secretStore: STORE,
            refreshInterval: '48h',
          }),
      ),
    ).toBe(`c/pull: invalid refreshInterval "48h": ${REFRESH_RULE('36h', '720h')}`);
  });

  it('make the CA copy and VectorClientPki agree only when given the same name (the fleet reads it off the push)', () => {
    const distributed = monitoringChart({ caSecretName: 'fleet-ca' }).pki.pushCaSecret({ secretStore: STORE });
    const source = pullingSource(distributed);
    expect(source.clientPki.caSecretName).toBe('fleet-ca');
    expect(externalSecret(manifests(source.chart), 'fleet-ca').spec.target?.name).toBe('fleet-ca');
    expect(new VectorClientPki(new Chart(Testing.app(), 'other'), 'p', { clusterName: 'dev' }).caSecretName).toBe(
      'vector-ca',
    );
  });
});
