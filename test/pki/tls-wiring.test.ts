/**
 * The PKI wired into the workloads: every TLS file a Vector config names is a key of a Secret a
 * Certificate writes, mounted into the Vector container; both sides verify their peer against the CA
 * that signed it; renewals restart the pods when asked; and everything passes the schemas and the
 * shared Vector validator.
 */
import { Yaml } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { RELOADER_ANNOTATION } from '../../lib/k8s/tls';
import { expectValidManifests } from '../helpers/k8s-schema';
import { checkWithVectorReference, itWithSharedValidator } from '../helpers/vector-reference';
import {
  type CertificateManifest,
  certificates,
  errorOf,
  issuerOf,
  LB_HOSTNAME,
  type Manifest,
  manifests,
  monitoringChart,
  only,
  sourceChart,
  vectorConfigOf,
} from './pki-fixtures';

/** Vector's TLS file options, and the key cert-manager writes each one's content under. */
const TLS_FILE_KEYS: Readonly<Record<string, string>> = { ca_file: 'ca.crt', crt_file: 'tls.crt', key_file: 'tls.key' };

interface TlsFileOption {
  /** Where in the config, e.g. `sources.agents.tls.ca_file`. */
  readonly at: string;
  readonly option: string;
  readonly path: string;
}

/** Every `ca_file`, `crt_file` and `key_file` anywhere in a Vector config. */
function tlsFileOptions(value: unknown, at = ''): TlsFileOption[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = at ? `${at}.${key}` : key;
    if (key in TLS_FILE_KEYS && typeof child === 'string') return [{ at: here, option: key, path: child }];
    return tlsFileOptions(child, here);
  });
}

interface VolumeJson {
  readonly name: string;
  readonly secret?: {
    readonly secretName: string;
    readonly optional?: boolean;
    readonly items?: readonly { readonly key: string; readonly path: string }[];
  };
}

interface PodTemplateJson {
  readonly spec: {
    readonly containers: readonly {
      readonly name: string;
      readonly volumeMounts?: readonly {
        readonly name: string;
        readonly mountPath: string;
        readonly readOnly?: boolean;
      }[];
    }[];
    readonly volumes?: readonly VolumeJson[];
  };
}

function workload(all: readonly Manifest[]): Manifest {
  const found = all.filter((m) => ['DaemonSet', 'StatefulSet', 'Deployment'].includes(m.kind));
  if (found.length !== 1) throw new Error(`expected one workload, found ${found.length}`);
  return found[0];
}

/**
 * Follows one TLS file option from the config to the Certificate behind it: the Vector container's
 * mount holding the path, its Secret volume, the item projecting the right key at that file name, and
 * a Certificate of the same chart and namespace writing that Secret. Returns the Certificate, or
 * fails saying where the chain breaks.
 */
function certificateBehind(all: readonly Manifest[], file: TlsFileOption): CertificateManifest {
  const owner = workload(all);
  const pod = (owner.spec as { template: PodTemplateJson }).template.spec;
  const container = pod.containers.find((c) => c.name === 'vector');
  const mount = container?.volumeMounts?.find((m) => file.path.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${file.at}: ${file.path} is under no volumeMount of the vector container`);
  if (mount.readOnly !== true) throw new Error(`${file.at}: volumeMount ${mount.name} is not readOnly`);
  const fileName = file.path.slice(mount.mountPath.length + 1);
  const secret = pod.volumes?.find((v) => v.name === mount.name)?.secret;
  if (!secret) throw new Error(`${file.at}: volume ${mount.name} is not a Secret volume`);
  if (secret.optional) throw new Error(`${file.at}: Secret volume ${mount.name} is optional`);
  const key = secret.items ? secret.items.find((i) => i.path === fileName)?.key : fileName;
  if (key !== TLS_FILE_KEYS[file.option]) {
    throw new Error(`${file.at}: ${file.path} holds key ${key}, not ${TLS_FILE_KEYS[file.option]}`);
  }
  const cert = certificates(all).find(
    (c) => c.spec.secretName === secret.secretName && c.metadata.namespace === owner.metadata.namespace,
  );
  if (!cert) throw new Error(`${file.at}: no Certificate writes Secret ${secret.secretName}`);
  return cert;
}

/** The CA Secret whose key signs this Certificate (through its CA Issuer). */
function signingCaSecret(all: readonly Manifest[], cert: CertificateManifest): string | undefined {
  const issuer = issuerOf(all, cert);
  return issuer && 'ca' in issuer.spec ? issuer.spec.ca.secretName : undefined;
}

describe('TLS files in the Vector configs', () => {
  const charts = {
    monitoring: () => monitoringChart().chart,
    'monitoring, stateless and renamed': () =>
      monitoringChart({ serverSecretName: 'agg-mtls' }, { stateless: true, name: 'agg' }).chart,
    source: () => sourceChart().chart,
    'source, renamed': () => sourceChart({ clientSecretName: 'agent-mtls' }).chart,
  };

  for (const [name, build] of Object.entries(charts)) {
    it(`are each a mounted key of a Secret a Certificate writes (${name})`, () => {
      const all = manifests(build());
      const files = tlsFileOptions(vectorConfigOf(all));
      expect(files.map((f) => f.option).sort()).toEqual(['ca_file', 'crt_file', 'key_file']);
      const behind = new Set(files.map((f) => certificateBehind(all, f).metadata.name));
      expect(behind.size, 'one Certificate behind all three files').toBe(1);
    });
  }

  it('are the aggregator’s server certificate and the agent’s client certificate', () => {
    const monitoring = manifests(monitoringChart().chart);
    const source = manifests(sourceChart().chart);
    const [server] = tlsFileOptions(vectorConfigOf(monitoring)).map((f) => certificateBehind(monitoring, f));
    const [client] = tlsFileOptions(vectorConfigOf(source)).map((f) => certificateBehind(source, f));
    expect(server.spec.usages).toContain('server auth');
    expect(server.spec.dnsNames).toContain(LB_HOSTNAME);
    expect(client.spec.usages).toContain('client auth');
  });

  it('trust the CA that signed the peer: both certificates come from the CA Secret of one name', () => {
    // cert-manager's CA issuer writes its own CA certificate into ca.crt of every Secret it issues, so
    // each side's ca_file is the CA that signed its own certificate; the two sides agree when both CA
    // Issuers sign with the same CA (the source cluster's Secret is a copy of the monitoring one's).
    const { chart, pki } = monitoringChart();
    const monitoring = manifests(chart);
    const source = manifests(sourceChart().chart);
    const [server] = tlsFileOptions(vectorConfigOf(monitoring)).map((f) => certificateBehind(monitoring, f));
    const [client] = tlsFileOptions(vectorConfigOf(source)).map((f) => certificateBehind(source, f));
    expect(signingCaSecret(monitoring, server)).toBe(pki.caSecretName);
    expect(signingCaSecret(source, client)).toBe(pki.caSecretName);
    const ca = certificates(monitoring).find((c) => c.spec.secretName === pki.caSecretName);
    expect(ca?.spec.isCA).toBe(true);
  });
});

describe('mTLS options', () => {
  it('make the aggregator’s vector source require TLS and verify client certificates', () => {
    const config = vectorConfigOf(manifests(monitoringChart().chart)) as {
      sources: Record<string, { type: string; tls?: Record<string, unknown> }>;
    };
    const vectorSources = Object.values(config.sources).filter((s) => s.type === 'vector');
    expect(vectorSources).toHaveLength(1);
    expect(vectorSources[0].tls).toMatchObject({ enabled: true, verify_certificate: true });
  });

  it('make the agent’s vector sink use https:// and verify the aggregator’s certificate and hostname', () => {
    const config = vectorConfigOf(manifests(sourceChart().chart)) as {
      sinks: Record<string, { type: string; tls?: Record<string, unknown>; routing?: { endpoints: string[] } }>;
    };
    const vectorSinks = Object.values(config.sinks).filter((s) => s.type === 'vector');
    expect(vectorSinks).toHaveLength(1);
    expect(vectorSinks[0].tls).toMatchObject({ verify_certificate: true, verify_hostname: true });
    expect(vectorSinks[0].routing?.endpoints).toEqual([`https://${LB_HOSTNAME}:6000`]);
  });
});

describe('the namespace of the TLS Secret', () => {
  const elsewhere = (secret: string, secretNamespace: string, workloadNamespace: string) =>
    `invalid tls.namespace ${JSON.stringify(secretNamespace)}: the Secret ${JSON.stringify(secret)} is in namespace ` +
    `${JSON.stringify(secretNamespace)}, but the workload runs in ${JSON.stringify(workloadNamespace)} and its pods ` +
    'can mount Secrets of that namespace only (they would wait for it forever): create the PKI in the ' +
    `workload's namespace (namespace: ${JSON.stringify(workloadNamespace)})`;

  it('is carried by clientTls and serverTls: the PKI’s namespace', () => {
    expect(sourceChart({ namespace: 'logging' }, { namespace: 'logging' }).clientPki.clientTls.namespace).toBe(
      'logging',
    );
    expect(monitoringChart({ namespace: 'logging' }, { namespace: 'logging' }).pki.serverTls.namespace).toBe('logging');
  });

  it('refuses a VectorClientPki in another namespace than the agent, naming both', () => {
    expect(errorOf(() => sourceChart({ namespace: 'logging' }))).toBe(
      `source/Agent: ${elsewhere('vector-agent-tls', 'logging', 'vector-system')}`,
    );
  });

  it('refuses a VectorPki in another namespace than the aggregator, naming both', () => {
    expect(errorOf(() => monitoringChart({ namespace: 'logging' }))).toBe(
      `monitoring/Aggregator: ${elsewhere('vector-aggregator-tls', 'logging', 'vector-system')}`,
    );
  });

  it('refuses a namespace that is no namespace name', () => {
    expect(errorOf(() => sourceChart({}, { tls: { secretName: 'agent-tls', namespace: 'Vector_System' } }))).toBe(
      'source/Agent: invalid tls.namespace "Vector_System": use at most 63 lowercase letters, digits and "-", ' +
        'starting and ending with a letter or digit',
    );
  });

  it('may be left out of a { secretName } written by hand: the workload’s own namespace', () => {
    const source = manifests(sourceChart({}, { namespace: 'logging', tls: { secretName: 'agent-tls' } }).chart);
    const monitoring = manifests(
      monitoringChart({}, { namespace: 'vector-system', tls: { secretName: 'vector-aggregator-tls' } }).chart,
    );
    for (const [all, secretName, namespace] of [
      [source, 'agent-tls', 'logging'],
      [monitoring, 'vector-aggregator-tls', 'vector-system'],
    ] as const) {
      const owner = workload(all);
      expect(owner.metadata.namespace).toBe(namespace);
      const volumes = (owner.spec as { template: PodTemplateJson }).template.spec.volumes ?? [];
      expect(volumes.find((v) => v.secret)?.secret?.secretName).toBe(secretName);
    }
  });
});

describe('aggregator endpoints with tls', () => {
  it('refuses an IP address, which no certificate name matches, with tls', () => {
    for (const endpoint of ['203.0.113.10:6000', '[2001:db8::10]:6000']) {
      expect(errorOf(() => sourceChart({}, { aggregator: { endpoints: [`${LB_HOSTNAME}:6000`, endpoint] } }))).toBe(
        `source/Agent: invalid aggregator.endpoints[1] ${JSON.stringify(endpoint)}: with tls the agent checks the ` +
          'host against the certificate of the aggregators, which holds DNS names only, so an IP address fails ' +
          'every connection: use a DNS name it covers, e.g. the load balancer hostname',
      );
    }
  });

  it('accepts an IP address without tls, and a DNS name with it', () => {
    expect(() => sourceChart({}, { tls: undefined, aggregator: { endpoints: ['203.0.113.10:6000'] } })).not.toThrow();
    expect(() =>
      sourceChart({}, { aggregator: { endpoints: ['vector-1.monitoring.example.com:6000'] } }),
    ).not.toThrow();
  });
});

describe('restartOnRenewal', () => {
  it('annotates the aggregator StatefulSet or Deployment for Reloader with the server Secret', () => {
    for (const stateless of [false, true]) {
      const all = manifests(monitoringChart({ restartOnRenewal: true }, { stateless }).chart);
      const owner = workload(all);
      expect(owner.kind).toBe(stateless ? 'Deployment' : 'StatefulSet');
      expect(owner.metadata.annotations).toEqual({ [RELOADER_ANNOTATION]: 'vector-aggregator-tls' });
    }
  });

  it('annotates the agent DaemonSet for Reloader with the client Secret', () => {
    const all = manifests(sourceChart({ restartOnRenewal: true, clientSecretName: 'agent-mtls' }).chart);
    expect(only(all, 'DaemonSet').metadata.annotations).toEqual({ [RELOADER_ANNOTATION]: 'agent-mtls' });
  });

  it('annotates a copied client certificate’s Secret from addClientCertificate the same way', () => {
    const { pki } = monitoringChart({ restartOnRenewal: true });
    const { clientTls } = pki.addClientCertificate('dev');
    const all = manifests(sourceChart({}, { tls: clientTls }).chart);
    expect(only(all, 'DaemonSet').metadata.annotations).toEqual({ [RELOADER_ANNOTATION]: 'vector-agent-dev-tls' });
  });

  it('adds no annotation when off, the default', () => {
    for (const all of [manifests(monitoringChart().chart), manifests(sourceChart().chart)]) {
      expect(workload(all).metadata.annotations?.[RELOADER_ANNOTATION]).toBeUndefined();
    }
  });
});

describe('validity', () => {
  itWithSharedValidator('passes the Kubernetes and CRD schemas, and the shared Vector validator in one call', () => {
    const monitoring = manifests(monitoringChart({ restartOnRenewal: true }).chart);
    const source = manifests(sourceChart({ restartOnRenewal: true }).chart);
    expectValidManifests([...monitoring, ...source]);
    const result = checkWithVectorReference({
      'monitoring.k8s.yaml': Yaml.stringify(...monitoring),
      'source.k8s.yaml': Yaml.stringify(...source),
    });
    expect(result.problems).toEqual([]);
    expect(result.output).toContain('2 configs checked, 0 problems');
    expect(result.exitCode).toBe(0);
  });
});
