import { guardUniqueObjects } from '../k8s/unique-objects';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Certificate, ClusterIssuer, Issuer, type IssuerRef } from '../k8s/cert-manager';
import { checkDnsLabel, checkDnsSubdomain, checkNonEmpty, propError } from '../k8s/prop-errors';
import type { SecretStoreRef } from '../k8s/external-secrets';
import type { WorkloadTls } from '../k8s/tls';
import { type CertificateLifetime, type ResolvedLifetime, resolveLifetime } from './lifetime';
import {
  agentCommonName,
  CA_USAGES,
  checkClientClusterName,
  checkDnsName,
  CLIENT_USAGES,
  DEFAULT_CA_ISSUER,
  DEFAULT_CA_SECRET,
  DEFAULT_NAMESPACE,
  LEAF_LIFETIME,
  LEAF_PRIVATE_KEY,
  PKI_LABELS,
  REVISION_HISTORY_LIMIT,
  SERVER_USAGES,
} from './pki-common';
import { CA_ISSUER_KEYS, type DistributedTlsSecret, TlsSecretPush, WORKLOAD_TLS_KEYS } from './tls-secret-distribution';

/** The TLS server the PKI certifies: a `VectorAggregator` is one. */
export interface PkiServer {
  /** Namespace of the server workload; its certificate Secret must be there to be mounted. */
  readonly namespace: string;
  /** Every DNS name clients reach the server by (Services, pods, the load balancer hostname). */
  readonly dnsNames: readonly string[];
}

/** The CA certificate's subject and lifetime. */
export interface CaCertificateOptions extends CertificateLifetime {
  /** Subject common name of the CA. @default 'vector-fleet-ca' */
  readonly commonName?: string;
}

export interface VectorPkiProps {
  /** Namespace of the CA, its Issuer and the server certificate: the aggregators' namespace. @default 'vector-system' */
  readonly namespace?: string;
  /**
   * The server to certify, when it exists before the PKI. The usual order is the other way round
   * (the aggregator takes `pki.serverTls`), followed by `pki.addServer(aggregator)`.
   * @default none: call addServer
   */
  readonly server?: PkiServer;
  /** DNS names the server certificate covers beyond the server's own, e.g. a DNS alias of the load balancer. @default none */
  readonly extraDnsNames?: readonly string[];
  /**
   * The self-signed ClusterIssuer that signs the CA certificate. Cluster-scoped: one per cluster.
   * @default 'vector-selfsigned'
   */
  readonly selfSignedIssuerName?: string;
  /** The CA Issuer (or ClusterIssuer) that signs the server (and client) certificates. @default 'vector-ca' */
  readonly caIssuerName?: string;
  /**
   * Who the CA signs for. `'namespace'`: the CA Secret and a CA `Issuer` in the PKI's namespace, which signs for that
   * namespace only. `'cluster'`: the CA Secret in cert-manager's cluster resource namespace and a CA `ClusterIssuer`,
   * which signs for every namespace of the cluster; `addInClusterClient` needs it, to certify a workload of this cluster
   * in another namespace (an agent, which needs host access that the aggregators' `restricted` namespace refuses).
   * Then anyone allowed to create a cert-manager Certificate in any namespace can get a client certificate the
   * aggregators accept: keep that right to the platform team (or limit the ClusterIssuer with cert-manager's
   * approver-policy).
   * @default 'namespace'
   */
  readonly caScope?: 'namespace' | 'cluster';
  /**
   * cert-manager's cluster resource namespace (its `--cluster-resource-namespace`, by default the namespace it runs in),
   * where a ClusterIssuer reads its CA Secret: the CA goes there with `caScope: 'cluster'`.
   * @default 'cert-manager'
   */
  readonly clusterResourceNamespace?: string;
  /**
   * The Secret (and Certificate) of the CA. Source clusters need a copy under this name (see `VectorClientPki`).
   * @default 'vector-ca'
   */
  readonly caSecretName?: string;
  /** The Secret (and Certificate) of the aggregators' server certificate. @default 'vector-aggregator-tls' */
  readonly serverSecretName?: string;
  /** @default duration '87600h' (10 years), renewBefore '8760h' (1 year), common name 'vector-fleet-ca' */
  readonly caCertificate?: CaCertificateOptions;
  /** @default duration '2160h' (90 days), renewBefore '720h' (30 days) */
  readonly serverCertificate?: CertificateLifetime;
  /** Lifetime of the client certificates `addClientCertificate` makes. @default duration '2160h', renewBefore '720h' */
  readonly clientCertificates?: CertificateLifetime;
  /**
   * Put the Stakater Reloader annotation on the workloads given `serverTls` (and the client
   * certificates' `clientTls`), so they restart when cert-manager renews the certificate. Vector
   * reads certificate files only at start; without Reloader a renewed certificate waits for the
   * next restart, which must come within `renewBefore`.
   * @default false
   */
  readonly restartOnRenewal?: boolean;
}

/** A client certificate issued in the monitoring cluster, for one source cluster's agents. */
export interface IssuedClientCertificate {
  readonly clusterName: string;
  /** `vector-agent.<cluster>`. */
  readonly commonName: string;
  /**
   * The Secret in the PKI's namespace of the monitoring cluster. Copy it, under the same name, to
   * the agents' namespace of the source cluster, and again after every renewal.
   */
  readonly secretName: string;
  /**
   * The agent's `tls` prop in the source cluster, once the Secret is copied there. It names no namespace: the copy
   * lives in the agents' own.
   */
  readonly clientTls: WorkloadTls;
}

/** Where an in-cluster agent's client certificate goes (`addInClusterClient`). */
export interface InClusterClientOptions {
  /** The agents' namespace: the Certificate and its Secret are written there, to be mounted. */
  readonly namespace: string;
  /** @default 'vector-agent-tls' */
  readonly secretName?: string;
}

/** cert-manager's default cluster resource namespace: the one it is installed in by its chart. */
export const DEFAULT_CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

/** Where `VectorPki.pushCaSecret` and `pushClientCertificate` write, in the monitoring cluster's store. */
export interface PkiSecretPushOptions {
  /** The SecretStore or ClusterSecretStore to push to, in the monitoring cluster. */
  readonly secretStore: SecretStoreRef;
  /**
   * Put before the Secret's name to make the store's key, e.g. `vector-fleet-monitoring-` for
   * `vector-fleet-monitoring-vector-ca`: letters, digits, `-`, `_`, `.` and `/`.
   * @default 'vector-fleet-'
   */
  readonly remoteKeyPrefix?: string;
  /** How often the Secret is pushed again; see `TlsSecretPush`. @default '1h' */
  readonly refreshInterval?: string;
}

const DEFAULT_REMOTE_KEY_PREFIX = 'vector-fleet-';
const CA_LIFETIME: ResolvedLifetime = { duration: '87600h', renewBefore: '8760h' };
const CERT_MANAGER_GROUP = 'cert-manager.io';

/**
 * The mTLS PKI of the monitoring cluster, on cert-manager: a self-signed ClusterIssuer that signs
 * a CA certificate, a CA Issuer in the aggregators' namespace, and the aggregators' server
 * certificate for every DNS name they are reached by. Source clusters get client certificates
 * from `VectorClientPki` (with a copy of the CA Secret) or from `addClientCertificate` here.
 *
 * ```ts
 * const pki = new VectorPki(chart, 'pki', {});
 * const aggregator = new VectorAggregator(chart, 'aggregator', { ...props, tls: pki.serverTls });
 * pki.addServer(aggregator);
 * ```
 */
export class VectorPki extends Construct {
  readonly namespace: string;
  /** Where the CA Certificate and its Secret are: `namespace`, or cert-manager's with `caScope: 'cluster'`. */
  readonly caNamespace: string;
  readonly caScope: 'namespace' | 'cluster';
  readonly selfSignedIssuerName: string;
  readonly caIssuerName: string;
  readonly caSecretName: string;
  readonly serverSecretName: string;
  /**
   * The aggregators' `tls` prop: the server certificate, its key and the CA, in one Secret of the PKI's namespace
   * (the aggregator refuses it in another namespace).
   */
  readonly serverTls: WorkloadTls;
  private readonly serverDnsNames: string[] = [];
  private readonly extraDnsNames: readonly string[];
  private readonly clientLifetime: ResolvedLifetime;
  private readonly caRenewBefore: string;
  private readonly restartOnRenewal: boolean;
  /** `<namespace>/<Secret name>` to the prop that gave it. */
  private readonly secretNames = new Map<string, string>();

  constructor(scope: Construct, id: string, props: VectorPkiProps) {
    super(scope, id);
    guardUniqueObjects(this);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? DEFAULT_NAMESPACE);
    this.caScope = props.caScope ?? 'namespace';
    if (this.caScope !== 'namespace' && this.caScope !== 'cluster') {
      throw propError(this, 'caScope', this.caScope, "use 'namespace' or 'cluster'");
    }
    const clusterResourceNamespace = checkDnsLabel(
      this,
      'clusterResourceNamespace',
      props.clusterResourceNamespace ?? DEFAULT_CLUSTER_RESOURCE_NAMESPACE,
    );
    if (this.caScope === 'namespace' && props.clusterResourceNamespace !== undefined) {
      throw propError(
        this,
        'clusterResourceNamespace',
        props.clusterResourceNamespace,
        "is read only with caScope: 'cluster', where the CA's ClusterIssuer needs it",
      );
    }
    this.caNamespace = this.caScope === 'cluster' ? clusterResourceNamespace : this.namespace;
    this.selfSignedIssuerName = checkDnsSubdomain(
      this,
      'selfSignedIssuerName',
      props.selfSignedIssuerName ?? 'vector-selfsigned',
    );
    this.caIssuerName = checkDnsSubdomain(this, 'caIssuerName', props.caIssuerName ?? DEFAULT_CA_ISSUER);
    this.caSecretName = this.claimSecretName('caSecretName', this.caNamespace, props.caSecretName ?? DEFAULT_CA_SECRET);
    this.serverSecretName = this.claimSecretName(
      'serverSecretName',
      this.namespace,
      props.serverSecretName ?? 'vector-aggregator-tls',
    );
    const caLifetime = resolveLifetime(this, 'caCertificate', props.caCertificate, CA_LIFETIME);
    this.caRenewBefore = caLifetime.renewBefore;
    const caCommonName = checkNonEmpty(
      this,
      'caCertificate.commonName',
      props.caCertificate?.commonName ?? 'vector-fleet-ca',
    );
    if (caCommonName.length > 64) {
      throw propError(this, 'caCertificate.commonName', caCommonName, 'use at most 64 characters (an X.509 limit)');
    }
    const serverLifetime = resolveLifetime(this, 'serverCertificate', props.serverCertificate, LEAF_LIFETIME);
    this.clientLifetime = resolveLifetime(this, 'clientCertificates', props.clientCertificates, LEAF_LIFETIME);
    this.restartOnRenewal = props.restartOnRenewal ?? false;
    this.serverTls = {
      secretName: this.serverSecretName,
      namespace: this.namespace,
      restartOnRenewal: this.restartOnRenewal,
    };

    this.extraDnsNames = (props.extraDnsNames ?? []).map((name, i) => checkDnsName(this, `extraDnsNames[${i}]`, name));
    if (props.server) this.addServer(props.server);
    this.node.addValidation({
      validate: () =>
        this.dnsNames.length > 0
          ? []
          : [
              propError(
                this,
                'server',
                undefined,
                'the server certificate needs at least one DNS name: call addServer(aggregator), or set server or extraDnsNames',
              ).message,
            ],
    });

    new ClusterIssuer(this, 'SelfSignedIssuer', {
      metadata: { name: this.selfSignedIssuerName, labels: { ...PKI_LABELS } },
      spec: { selfSigned: {} },
    });
    new Certificate(this, 'CaCertificate', {
      metadata: this.metadata(this.caSecretName, this.caNamespace),
      spec: {
        secretName: this.caSecretName,
        issuerRef: { name: this.selfSignedIssuerName, kind: 'ClusterIssuer', group: CERT_MANAGER_GROUP },
        commonName: caCommonName,
        isCA: true,
        usages: CA_USAGES,
        duration: caLifetime.duration,
        renewBefore: caLifetime.renewBefore,
        // The CA keeps its key when renewed (cert-manager 1.18 made `Always` the default): every certificate it
        // signed, and every copy of ca.crt in the source clusters, stays valid against the renewed CA certificate.
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      },
    });
    const caIssuerSpec = { spec: { ca: { secretName: this.caSecretName } } };
    if (this.caScope === 'cluster') {
      new ClusterIssuer(this, 'CaIssuer', {
        metadata: { name: this.caIssuerName, labels: { ...PKI_LABELS } },
        ...caIssuerSpec,
      });
    } else {
      new Issuer(this, 'CaIssuer', { metadata: this.metadata(this.caIssuerName), ...caIssuerSpec });
    }
    new Certificate(this, 'ServerCertificate', {
      metadata: this.metadata(this.serverSecretName),
      spec: {
        secretName: this.serverSecretName,
        issuerRef: this.caIssuerRef(),
        // Resolved at synth, so addServer after construction still counts.
        dnsNames: Lazy.any({ produce: () => this.dnsNames }),
        usages: SERVER_USAGES,
        duration: serverLifetime.duration,
        renewBefore: serverLifetime.renewBefore,
        privateKey: LEAF_PRIVATE_KEY,
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      },
    });
  }

  /** Every DNS name the server certificate covers so far: the servers' own, then the extra ones, without repeats. */
  get dnsNames(): readonly string[] {
    return [...new Set([...this.serverDnsNames, ...this.extraDnsNames])];
  }

  /**
   * Adds a server's DNS names (e.g. a `VectorAggregator`'s) to the server certificate. The server
   * must run in the PKI's namespace, where the certificate Secret is written.
   */
  addServer(server: PkiServer): void {
    if (server.namespace !== this.namespace) {
      throw propError(
        this,
        'server.namespace',
        server.namespace,
        `the server certificate's Secret is written to the PKI's namespace ${JSON.stringify(this.namespace)}: run the server there, or give the PKI its namespace`,
      );
    }
    if (!Array.isArray(server.dnsNames) || server.dnsNames.length === 0) {
      throw propError(this, 'server.dnsNames', server.dnsNames, 'list at least one DNS name the server is reached by');
    }
    for (const [i, name] of server.dnsNames.entries()) {
      this.serverDnsNames.push(checkDnsName(this, `server.dnsNames[${i}]`, name));
    }
  }

  /**
   * Issues a client certificate for one source cluster's agents here, in the monitoring cluster,
   * signed by the CA Issuer. The alternative to `VectorClientPki`: source clusters get only their
   * own certificate, never the CA key, at the price of copying the Secret again after every renewal.
   */
  addClientCertificate(clusterName: string): IssuedClientCertificate {
    checkClientClusterName(this, 'addClientCertificate(clusterName)', clusterName);
    const secretName = `vector-agent-${clusterName}-tls`;
    if (this.secretNames.has(`${this.namespace}/${secretName}`)) {
      throw propError(
        this,
        'addClientCertificate(clusterName)',
        clusterName,
        `the Secret ${JSON.stringify(secretName)} is taken: issue one client certificate per cluster`,
      );
    }
    this.claimSecretName('addClientCertificate(clusterName)', this.namespace, secretName);
    const commonName = agentCommonName(clusterName);
    new Certificate(this, `ClientCertificate-${clusterName}`, {
      metadata: this.metadata(secretName),
      spec: {
        secretName,
        issuerRef: this.caIssuerRef(),
        commonName,
        usages: CLIENT_USAGES,
        duration: this.clientLifetime.duration,
        renewBefore: this.clientLifetime.renewBefore,
        privateKey: LEAF_PRIVATE_KEY,
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      },
    });
    return {
      clusterName,
      commonName,
      secretName,
      clientTls: { secretName, restartOnRenewal: this.restartOnRenewal },
    };
  }

  /**
   * Issues a client certificate for agents of this same cluster that run in `namespace` (not the aggregators', which is
   * Pod Security `restricted`, while an agent needs host paths), signed by the CA's ClusterIssuer and renewed by
   * cert-manager here: no Secret is copied. Returns the agent's `tls` prop. Needs `caScope: 'cluster'`, since a CA
   * `Issuer` signs for its own namespace only.
   */
  addInClusterClient(clusterName: string, options: InClusterClientOptions): WorkloadTls {
    const prop = 'addInClusterClient(clusterName, options)';
    checkClientClusterName(this, `${prop} clusterName`, clusterName);
    const namespace = checkDnsLabel(this, `${prop} options.namespace`, options.namespace);
    if (this.caScope !== 'cluster') {
      throw propError(
        this,
        'caScope',
        this.caScope,
        `the CA Issuer signs only in ${JSON.stringify(this.namespace)}, so it cannot certify agents in ${JSON.stringify(namespace)}: give the PKI caScope: 'cluster'`,
      );
    }
    const secretName = this.claimSecretName(
      `${prop} options.secretName`,
      namespace,
      options.secretName ?? 'vector-agent-tls',
    );
    new Certificate(this, `InClusterClientCertificate-${namespace}-${secretName}`, {
      metadata: this.metadata(secretName, namespace),
      spec: {
        secretName,
        issuerRef: this.caIssuerRef(),
        commonName: agentCommonName(clusterName),
        usages: CLIENT_USAGES,
        duration: this.clientLifetime.duration,
        renewBefore: this.clientLifetime.renewBefore,
        privateKey: LEAF_PRIVATE_KEY,
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      },
    });
    return { secretName, namespace, restartOnRenewal: this.restartOnRenewal };
  }

  /**
   * Pushes the CA Secret's `tls.crt` and `tls.key`, all that a source cluster's CA Issuer (`VectorClientPki`) reads, to
   * an external store with an External Secrets PushSecret; a `TlsSecretPull` of the returned value writes the copy in
   * a source cluster. The CA key leaves this cluster: prefer `pushClientCertificate` where that is too much trust.
   */
  pushCaSecret(options: PkiSecretPushOptions): DistributedTlsSecret {
    return new TlsSecretPush(this, 'CaSecretPush', {
      ...this.pushProps(options, this.caNamespace, this.caSecretName),
      keys: CA_ISSUER_KEYS,
      renewBefore: this.caRenewBefore,
    }).distributed;
  }

  /**
   * Pushes a client certificate from `addClientCertificate` (`ca.crt`, `tls.crt`, `tls.key`, what the agents mount) to
   * an external store; a `TlsSecretPull` of the returned value writes it in the source cluster, where the agents take
   * the certificate's `clientTls`. The CA key stays here. A renewal reaches the source cluster within one push and
   * one pull refresh interval.
   */
  pushClientCertificate(certificate: IssuedClientCertificate, options: PkiSecretPushOptions): DistributedTlsSecret {
    if (this.secretNames.get(`${this.namespace}/${certificate.secretName}`) !== 'addClientCertificate(clusterName)') {
      throw propError(
        this,
        'pushClientCertificate(certificate)',
        certificate.secretName,
        'push a client certificate this PKI issued with addClientCertificate',
      );
    }
    return new TlsSecretPush(this, `ClientCertificatePush-${certificate.clusterName}`, {
      ...this.pushProps(options, this.namespace, certificate.secretName),
      keys: WORKLOAD_TLS_KEYS,
      renewBefore: this.clientLifetime.renewBefore,
    }).distributed;
  }

  /** The PushSecret goes where the pushed Secret is: the CA's namespace for the CA, the PKI's for the others. */
  private pushProps(options: PkiSecretPushOptions, namespace: string, secretName: string) {
    return {
      namespace,
      secretName,
      secretStore: options.secretStore,
      remoteKey: `${options.remoteKeyPrefix ?? DEFAULT_REMOTE_KEY_PREFIX}${secretName}`,
      refreshInterval: options.refreshInterval,
    };
  }

  /** Two Certificates writing one Secret would overwrite each other's key on every issuance. */
  private claimSecretName(prop: string, namespace: string, name: string): string {
    checkDnsSubdomain(this, prop, name);
    const key = `${namespace}/${name}`;
    const takenBy = this.secretNames.get(key);
    if (takenBy !== undefined) {
      throw propError(
        this,
        prop,
        name,
        `${takenBy} already uses it in namespace ${JSON.stringify(namespace)}: every certificate needs a Secret of its own`,
      );
    }
    this.secretNames.set(key, prop);
    return name;
  }

  private caIssuerRef(): IssuerRef {
    return {
      name: this.caIssuerName,
      kind: this.caScope === 'cluster' ? 'ClusterIssuer' : 'Issuer',
      group: CERT_MANAGER_GROUP,
    };
  }

  private metadata(name: string, namespace: string = this.namespace) {
    return { name, namespace, labels: { ...PKI_LABELS } };
  }
}
