import { guardUniqueObjects } from '../k8s/unique-objects';
import { Construct } from 'constructs';
import { Certificate, Issuer } from '../k8s/cert-manager';
import { checkDnsLabel, checkDnsSubdomain, propError } from '../k8s/prop-errors';
import type { WorkloadTls } from '../k8s/tls';
import { type CertificateLifetime, resolveLifetime } from './lifetime';
import {
  agentCommonName,
  checkClientClusterName,
  CLIENT_USAGES,
  DEFAULT_CA_ISSUER,
  DEFAULT_CA_SECRET,
  DEFAULT_NAMESPACE,
  LEAF_LIFETIME,
  LEAF_PRIVATE_KEY,
  PKI_LABELS,
  REVISION_HISTORY_LIMIT,
} from './pki-common';

export interface VectorClientPkiProps {
  /** The source cluster's name, e.g. `dev`: the certificate's common name is `vector-agent.<clusterName>`. */
  readonly clusterName: string;
  /** Namespace of the agents, where the CA Secret copy, the Issuer and the client certificate live. @default 'vector-system' */
  readonly namespace?: string;
  /**
   * The copy of the monitoring cluster's CA Secret (`VectorPki.caSecretName`), which the operator
   * puts into `namespace`, by hand or with a `TlsSecretPull` of `VectorPki.pushCaSecret`; cert-manager
   * signs with its `tls.crt` and `tls.key`.
   * @default 'vector-ca'
   */
  readonly caSecretName?: string;
  /** The CA Issuer that signs the client certificate. @default 'vector-ca' */
  readonly caIssuerName?: string;
  /** The Secret (and Certificate) of the agents' client certificate. @default 'vector-agent-tls' */
  readonly clientSecretName?: string;
  /** @default duration '2160h' (90 days), renewBefore '720h' (30 days) */
  readonly clientCertificate?: CertificateLifetime;
  /**
   * Put the Stakater Reloader annotation on the workload given `clientTls`, so the agents restart
   * when cert-manager renews their certificate. Without Reloader a renewed certificate waits for
   * the next restart, which must come within `renewBefore`.
   * @default false
   */
  readonly restartOnRenewal?: boolean;
}

/**
 * The client side of the mTLS PKI, in a source cluster: a CA Issuer over a copy of the monitoring
 * cluster's CA Secret, and the agents' client certificate (`vector-agent.<cluster>`), renewed by
 * cert-manager in the cluster itself.
 *
 * The copy of the CA Secret holds the CA's private key, so every source cluster can sign any
 * client certificate the aggregators accept (and any server certificate the agents accept). Where
 * that is too much trust, issue the client certificates in the monitoring cluster with
 * `VectorPki.addClientCertificate` and copy only those.
 */
export class VectorClientPki extends Construct {
  readonly namespace: string;
  readonly clusterName: string;
  readonly caSecretName: string;
  readonly caIssuerName: string;
  readonly clientSecretName: string;
  /** `vector-agent.<cluster>`: who connects, as the aggregators see it. */
  readonly commonName: string;
  /**
   * The agents' `tls` prop: the client certificate, its key and the CA, in one Secret of `namespace` (the agent
   * refuses it in another namespace).
   */
  readonly clientTls: WorkloadTls;

  constructor(scope: Construct, id: string, props: VectorClientPkiProps) {
    super(scope, id);
    guardUniqueObjects(this);
    this.clusterName = checkClientClusterName(this, 'clusterName', props.clusterName);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? DEFAULT_NAMESPACE);
    this.caSecretName = checkDnsSubdomain(this, 'caSecretName', props.caSecretName ?? DEFAULT_CA_SECRET);
    this.caIssuerName = checkDnsSubdomain(this, 'caIssuerName', props.caIssuerName ?? DEFAULT_CA_ISSUER);
    this.clientSecretName = checkDnsSubdomain(this, 'clientSecretName', props.clientSecretName ?? 'vector-agent-tls');
    if (this.clientSecretName === this.caSecretName) {
      throw propError(
        this,
        'clientSecretName',
        this.clientSecretName,
        'must differ from caSecretName: cert-manager would overwrite the CA with the client certificate',
      );
    }
    const lifetime = resolveLifetime(this, 'clientCertificate', props.clientCertificate, LEAF_LIFETIME);
    this.commonName = agentCommonName(this.clusterName);
    this.clientTls = {
      secretName: this.clientSecretName,
      namespace: this.namespace,
      restartOnRenewal: props.restartOnRenewal ?? false,
    };

    const metadata = (name: string) => ({ name, namespace: this.namespace, labels: { ...PKI_LABELS } });
    new Issuer(this, 'CaIssuer', {
      metadata: metadata(this.caIssuerName),
      spec: { ca: { secretName: this.caSecretName } },
    });
    new Certificate(this, 'ClientCertificate', {
      metadata: metadata(this.clientSecretName),
      spec: {
        secretName: this.clientSecretName,
        issuerRef: { name: this.caIssuerName, kind: 'Issuer', group: 'cert-manager.io' },
        commonName: this.commonName,
        usages: CLIENT_USAGES,
        duration: lifetime.duration,
        renewBefore: lifetime.renewBefore,
        privateKey: LEAF_PRIVATE_KEY,
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      },
    });
  }
}
