/**
 * The inventory's certificate distribution: with `certificateDistribution` on the monitoring cluster, the CA Secret (for
 * source clusters that issue their own client certificates) or each client certificate issued there (for those with
 * `clientCertificateIssuer: monitoringCluster`) travels through External Secrets, and nothing is copied by hand; the
 * example fleet.yaml has one source cluster of each kind and one on the manual path.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type ClusterOutput, type Fleet, parseFleetYaml, synthesizeFleet } from '../../lib/fleet';
import type { ExternalSecretSpec, PushSecretSpec } from '../../lib/k8s/external-secrets';
import { expectValidManifests } from '../helpers/k8s-schema';
import {
  DEV,
  EXAMPLE_TEXT,
  exampleFleet,
  exampleYamlError,
  inventoryReport,
  MANAGEMENT,
  MONITORING,
  REMOVE,
  STAGING,
} from './fixtures';

const FILE = 'inventories/fleet.yaml';

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: unknown;
}

function synth(fleet: Fleet) {
  const outputs = synthesizeFleet(fleet, FILE);
  const of = (cluster: string): Manifest[] => {
    const out = outputs.find((o) => o.cluster === cluster) as ClusterOutput;
    return parseAllDocuments(out.files[`${cluster}.k8s.yaml`]).map((d) => d.toJS() as Manifest);
  };
  return { outputs, of };
}
const kindsNamed = (all: readonly Manifest[], kind: string) =>
  all.filter((m) => m.kind === kind).map((m) => m.metadata.name);
const one = (all: readonly Manifest[], kind: string, name: string): Manifest => {
  const found = all.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
};
/** Secret key to `<remote key>/<property>`, for a PushSecret (what it writes) and an ExternalSecret (what it reads). */
const pushedKeys = (m: Manifest) =>
  Object.fromEntries(
    (m.spec as PushSecretSpec).data.map((d) => [
      d.match.secretKey,
      `${d.match.remoteRef.remoteKey}/${d.match.remoteRef.property}`,
    ]),
  );
const pulledKeys = (m: Manifest) =>
  Object.fromEntries(
    (m.spec as ExternalSecretSpec).data.map((d) => [d.secretKey, `${d.remoteRef.key}/${d.remoteRef.property}`]),
  );
const STORE = { name: 'vector-fleet', kind: 'ClusterSecretStore' };

describe('the example fleet', () => {
  const { outputs, of } = synth(parseFleetYaml(EXAMPLE_TEXT, 'fleet.yaml'));

  it('pushes the CA once, with only tls.crt and tls.key, for dev, which issues its own client certificate', () => {
    const push = one(of('monitoring'), 'PushSecret', 'vector-ca');
    expect(pushedKeys(push)).toEqual({
      'tls.crt': 'vector-fleet-monitoring-vector-ca/tls_crt',
      'tls.key': 'vector-fleet-monitoring-vector-ca/tls_key',
    });
    expect((push.spec as PushSecretSpec).secretStoreRefs).toEqual([STORE]);
    expect(kindsNamed(of('monitoring'), 'PushSecret')).toEqual(['vector-ca', 'vector-agent-staging-tls']);
  });

  it('pulls the CA into dev under the name its CA Issuer reads, as a kubernetes.io/tls Secret', () => {
    const dev = of('dev');
    const pull = one(dev, 'ExternalSecret', 'vector-ca');
    const issuer = one(dev, 'Issuer', 'vector-ca');
    expect((issuer.spec as { ca: { secretName: string } }).ca.secretName).toBe('vector-ca');
    expect(pull.metadata.namespace).toBe(issuer.metadata.namespace);
    const spec = pull.spec as ExternalSecretSpec;
    expect(spec.target).toMatchObject({ name: 'vector-ca', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(spec.target?.template?.type).toBe('kubernetes.io/tls');
    expect(spec.secretStoreRef).toEqual(STORE);
    expect(pulledKeys(pull)).toEqual(pushedKeys(one(of('monitoring'), 'PushSecret', 'vector-ca')));
  });

  it('issues staging’s client certificate in the monitoring cluster and pulls exactly what its agents mount', () => {
    const monitoring = of('monitoring');
    const certificate = one(monitoring, 'Certificate', 'vector-agent-staging-tls');
    expect((certificate.spec as { commonName: string }).commonName).toBe('vector-agent.staging');
    const push = one(monitoring, 'PushSecret', 'vector-agent-staging-tls');
    const staging = of('staging');
    const pull = one(staging, 'ExternalSecret', 'vector-agent-staging-tls');
    expect(pulledKeys(pull)).toEqual(pushedKeys(push));
    expect(Object.keys(pulledKeys(pull))).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    const agent = one(staging, 'DaemonSet', 'vector-agent');
    const podSpec = (agent.spec as { template: { spec: { volumes: { name: string; secret?: SecretVolume }[] } } })
      .template.spec;
    const volume = podSpec.volumes.find((v) => v.name === 'tls')?.secret;
    expect(volume?.secretName).toBe((pull.spec as ExternalSecretSpec).target?.name);
    expect(volume?.items.map((i) => i.key)).toEqual(Object.keys(pulledKeys(pull)));
    expect(pull.metadata.namespace).toBe(agent.metadata.namespace);
    // Reloader restarts the agents when ESO writes a renewed certificate into the Secret.
    expect(agent.metadata.annotations?.['secret.reloader.stakater.com/reload']).toBe('vector-agent-staging-tls');
    // No CA Issuer, no Certificate: the CA key never reaches staging.
    expect([...kindsNamed(staging, 'Issuer'), ...kindsNamed(staging, 'Certificate')]).toEqual([]);
  });

  it('leaves management on the manual path: nothing pulled, its Issuer over the hand-copied vector-ca', () => {
    const management = of('management');
    expect(kindsNamed(management, 'ExternalSecret')).toEqual([]);
    expect(kindsNamed(management, 'Issuer')).toEqual(['vector-ca']);
    expect(kindsNamed(of('monitoring'), 'PushSecret')).not.toContain('vector-agent-management-tls');
  });

  it('writes External Secrets objects valid against ESO’s CRD schemas, and inlines no certificate or key', () => {
    for (const out of outputs) {
      const all = of(out.cluster);
      expectValidManifests(all);
      expect(all.filter((m) => m.kind === 'Secret' && 'data' in m)).toEqual([]);
      expect(out.files[`${out.cluster}.k8s.yaml`]).not.toContain('BEGIN');
    }
  });

  it('adds no network policy: the ESO controller talks to the API server and the store, never to Vector pods', () => {
    const manual = synth(
      exampleFleet({ 'clusters.0.certificateDistribution': REMOVE, 'clusters.3.clientCertificateIssuer': REMOVE }),
    );
    for (const cluster of ['monitoring', 'management', 'dev', 'staging']) {
      expect(of(cluster).filter((m) => m.kind === 'NetworkPolicy')).toEqual(
        manual.of(cluster).filter((m) => m.kind === 'NetworkPolicy'),
      );
    }
  });
});

interface SecretVolume {
  readonly secretName: string;
  readonly items: readonly { readonly key: string }[];
}

describe('other inventories', () => {
  it('copy by hand by default: no PushSecret or ExternalSecret anywhere without certificateDistribution', () => {
    const { outputs, of } = synth(exampleFleet({ 'clusters.0.certificateDistribution': REMOVE }));
    for (const out of outputs) {
      expect([...kindsNamed(of(out.cluster), 'PushSecret'), ...kindsNamed(of(out.cluster), 'ExternalSecret')]).toEqual(
        [],
      );
    }
    // Staging's certificate is still issued in the monitoring cluster, for copying by hand.
    expect(kindsNamed(of('monitoring'), 'Certificate')).toContain('vector-agent-staging-tls');
  });

  it('push no CA when every source cluster that pulls has its certificate issued in the monitoring cluster', () => {
    const { of } = synth(exampleFleet({ 'clusters.2.clientCertificateIssuer': 'monitoringCluster' }));
    expect(kindsNamed(of('monitoring'), 'PushSecret')).toEqual(['vector-agent-dev-tls', 'vector-agent-staging-tls']);
  });

  it('pull from a source cluster’s own store and at its own interval, with the key prefix of the monitoring cluster', () => {
    const { of } = synth(
      exampleFleet({
        'clusters.0.certificateDistribution': {
          method: 'externalSecrets',
          secretStore: { name: 'vault' },
          remoteKeyPrefix: 'fleet/monitoring/',
          refreshInterval: '15m',
        },
        'clusters.2.certificateDistribution': {
          method: 'externalSecrets',
          secretStore: { name: 'vault-dev', kind: 'SecretStore' },
          refreshInterval: '30m',
        },
      }),
    );
    const push = one(of('monitoring'), 'PushSecret', 'vector-ca').spec as PushSecretSpec;
    expect(push.secretStoreRefs).toEqual([{ name: 'vault', kind: 'SecretStore' }]);
    expect(push.refreshInterval).toBe('15m');
    const dev = one(of('dev'), 'ExternalSecret', 'vector-ca');
    expect((dev.spec as ExternalSecretSpec).secretStoreRef).toEqual({ name: 'vault-dev', kind: 'SecretStore' });
    expect((dev.spec as ExternalSecretSpec).refreshInterval).toBe('30m');
    expect(pulledKeys(dev)['tls.key']).toBe('fleet/monitoring/vector-ca/tls_key');
    // Staging takes the monitoring cluster's store and interval.
    const staging = one(of('staging'), 'ExternalSecret', 'vector-agent-staging-tls').spec as ExternalSecretSpec;
    expect({ store: staging.secretStoreRef, interval: staging.refreshInterval }).toEqual({
      store: { name: 'vault', kind: 'SecretStore' },
      interval: '15m',
    });
  });
});

describe('several monitoring clusters', () => {
  it('keep their keys apart in a shared store: the default prefix names the monitoring cluster', () => {
    const second = { ...(exampleFleet().clusters[0] as object), name: 'monitoring-b' };
    const { of } = synth(
      exampleFleet({
        monitoringCluster: 'monitoring',
        'clusters.4': second,
        'clusters.2.monitoringCluster': 'monitoring-b',
      }),
    );
    expect(pushedKeys(one(of('monitoring-b'), 'PushSecret', 'vector-ca'))['tls.key']).toBe(
      'vector-fleet-monitoring-b-vector-ca/tls_key',
    );
    expect(pulledKeys(one(of('dev'), 'ExternalSecret', 'vector-ca'))['tls.key']).toBe(
      'vector-fleet-monitoring-b-vector-ca/tls_key',
    );
    // Nobody that signs with its CA ships to the first one any more: its CA key stays home.
    expect(kindsNamed(of('monitoring'), 'PushSecret')).toEqual(['vector-agent-staging-tls']);
  });
});

describe('bad certificate distribution inputs', () => {
  const report = (...problems: string[]) => inventoryReport(FILE, ...problems);
  const yamlError = (changes: Readonly<Record<string, unknown>>) => exampleYamlError(FILE, changes);
  const ON = 'clusters.0.certificateDistribution';
  const REFRESH_RULE =
    'use a Go duration from 1m to 36h, e.g. "1h" (there is no "d" unit; "0s" would never refresh): a renewed ' +
    'certificate reaches the other cluster within one push and one pull, which must fit in a tenth of its renewBefore "720h"';

  it('refuse a monitoring cluster’s distribution without a store, or a store without a name', () => {
    expect(yamlError({ [ON]: { method: 'externalSecrets' } })).toBe(
      report(`${MONITORING}: certificateDistribution.secretStore: is required`),
    );
    expect(yamlError({ [`${ON}.secretStore`]: { kind: 'SecretStore' } })).toBe(
      report(`${MONITORING}: certificateDistribution.secretStore.name: is required`),
    );
  });

  it('refuse a bad store kind, a store name that is no Kubernetes name, and an unknown method', () => {
    expect(yamlError({ [`${ON}.secretStore`]: { name: 'Vault_1', kind: 'Vault' } })).toBe(
      report(
        `${MONITORING}: certificateDistribution.secretStore.name: "Vault_1": must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters`,
        `${MONITORING}: certificateDistribution.secretStore.kind: "Vault": must be "SecretStore" or "ClusterSecretStore"`,
      ),
    );
    expect(yamlError({ [`${ON}.method`]: 'sealedSecrets' })).toBe(
      report(`${MONITORING}: certificateDistribution.method: "sealedSecrets": must be "externalSecrets"`),
    );
    expect(yamlError({ 'clusters.2.certificateDistribution': { method: 'sealed' } })).toBe(
      report(`${DEV}: certificateDistribution.method: "sealed": must be "externalSecrets" or "manual"`),
    );
    expect(yamlError({ 'clusters.1.certificateDistribution': 'manual' })).toBe(
      report(
        `${MANAGEMENT}: certificateDistribution: "manual": must be a mapping: { method: externalSecrets } or { method: manual }`,
      ),
    );
  });

  it('refuse a refresh interval that never refreshes, uses days, is no string, or is too long for the renewal', () => {
    expect(yamlError({ [`${ON}.refreshInterval`]: '0s' })).toBe(
      report(`${MONITORING}: certificateDistribution.refreshInterval: "0s": ${REFRESH_RULE}`),
    );
    expect(yamlError({ [`${ON}.refreshInterval`]: '1d' })).toBe(
      report(`${MONITORING}: certificateDistribution.refreshInterval: "1d": ${REFRESH_RULE}`),
    );
    expect(
      yamlError({ 'clusters.2.certificateDistribution': { method: 'externalSecrets', refreshInterval: '48h' } }),
    ).toBe(report(`${DEV}: certificateDistribution.refreshInterval: "48h": ${REFRESH_RULE}`));
    expect(yamlError({ [`${ON}.refreshInterval`]: 3600 })).toBe(
      report(`${MONITORING}: certificateDistribution.refreshInterval: 3600: must be a string, not a number`),
    );
  });

  it('refuse a key prefix a store cannot take', () => {
    expect(yamlError({ [`${ON}.remoteKeyPrefix`]: 'vector fleet/' })).toBe(
      report(
        `${MONITORING}: certificateDistribution.remoteKeyPrefix: "vector fleet/": use at most 180 letters, digits, "-", "_", "." and "/", starting with a letter or digit, no "//" (only letters, digits and "-" fit every provider)`,
      ),
    );
  });

  it('refuse a source cluster pulling from a monitoring cluster that pushes nothing', () => {
    expect(yamlError({ [ON]: REMOVE, 'clusters.2.certificateDistribution': { method: 'externalSecrets' } })).toBe(
      report(
        `${DEV}: certificateDistribution.method: "externalSecrets", but the monitoring cluster "monitoring" pushes nothing to pull: give it a certificateDistribution, or copy by hand (method: manual)`,
      ),
    );
  });

  it('refuse an option on the wrong role, saying which role has it', () => {
    expect(yamlError({ 'clusters.0.clientCertificateIssuer': 'monitoringCluster' })).toBe(
      report(
        `${MONITORING}: clientCertificateIssuer: unknown key for role monitoring: it is a field of role source clusters`,
      ),
    );
    expect(
      yamlError({ 'clusters.2.certificateDistribution': { method: 'externalSecrets', remoteKeyPrefix: 'dev-' } }),
    ).toBe(
      report(
        `${DEV}: certificateDistribution.remoteKeyPrefix: unknown key for role source: it is a field of role monitoring clusters`,
      ),
    );
    expect(yamlError({ 'clusters.3.clientCertificateIssuer': 'monitoring' })).toBe(
      report(`${STAGING}: clientCertificateIssuer: "monitoring": must be "sourceCluster" or "monitoringCluster"`),
    );
  });
});
