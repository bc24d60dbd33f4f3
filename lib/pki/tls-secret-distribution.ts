import { Construct } from 'constructs';
import { ExternalSecret, PushSecret, type SecretStoreKind, type SecretStoreRef } from '../k8s/external-secrets';
import { checkDnsLabel, checkDnsSubdomain, propError } from '../k8s/prop-errors';
import { guardUniqueObjects } from '../k8s/unique-objects';
import { goDurationSeconds } from './lifetime';
import { LEAF_LIFETIME, PKI_LABELS } from './pki-common';

/** A key of a Secret that cert-manager writes. */
export type TlsSecretKey = 'ca.crt' | 'tls.crt' | 'tls.key';

/**
 * What cert-manager's CA Issuer reads from its Secret: the CA certificate and its key (cert-manager's
 * `kube.SecretTLSKeyPair`); a `ca.crt` there is optional and, for a self-signed CA, the same certificate again.
 */
export const CA_ISSUER_KEYS: readonly TlsSecretKey[] = ['tls.crt', 'tls.key'];
/** What a Vector workload mounts (lib/k8s/tls.ts): its certificate and key, and the CA that signed its peer's. */
export const WORKLOAD_TLS_KEYS: readonly TlsSecretKey[] = ['ca.crt', 'tls.crt', 'tls.key'];

/**
 * The field of the store's secret that holds `key`: `tls.crt` is stored as `tls_crt`, because several providers read
 * an ExternalSecret's `property` as a JSON path in which `.` nests (Conjur, Oracle, GitLab and others do; AWS Secrets
 * Manager and the Kubernetes provider try the escaped key first).
 */
export const remoteProperty = (key: TlsSecretKey): string => key.replace('.', '_');

/** How often the push and the pull run, unless told otherwise. */
export const DEFAULT_REFRESH_INTERVAL = '1h';
const MIN_REFRESH_SECONDS = 60;

/**
 * The longest refresh interval for a certificate renewed `renewBefore` ahead of expiry. The PushSecret controller does
 * not watch the Secret it pushes, so a renewed certificate reaches the other cluster within one push and one pull
 * interval; both together may take at most a tenth of `renewBefore`, which leaves the rest for the workloads'
 * restart and for an outage of the store.
 */
export function maxRefreshIntervalSeconds(renewBefore: string): number {
  return (goDurationSeconds(renewBefore) ?? 0) / 20;
}

/** What is wrong with a refresh interval, or undefined: a Go duration from 1m to a twentieth of `renewBefore`. */
export function refreshIntervalProblem(
  value: unknown,
  renewBefore: string = LEAF_LIFETIME.renewBefore,
): string | undefined {
  const seconds = goDurationSeconds(value);
  const max = maxRefreshIntervalSeconds(renewBefore);
  const maxText = `${Math.floor(max / 3600)}h`;
  if (seconds === undefined || seconds < MIN_REFRESH_SECONDS || seconds > max) {
    return (
      `use a Go duration from 1m to ${maxText}, e.g. "1h" (there is no "d" unit; "0s" would never refresh): a renewed ` +
      `certificate reaches the other cluster within one push and one pull, which must fit in a tenth of its ` +
      `renewBefore ${JSON.stringify(renewBefore)}`
    );
  }
  return undefined;
}

const REMOTE_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** What is wrong with a key in the store (at most 253 characters), or with a prefix of one (at most 180), or undefined. */
export function remoteKeyProblem(value: unknown, prefix = false): string | undefined {
  const max = prefix ? 180 : 253;
  const fits =
    typeof value === 'string' &&
    value.length <= max &&
    (prefix ? /^[A-Za-z0-9][-A-Za-z0-9_./]*$/ : REMOTE_KEY).test(value) &&
    !value.includes('//');
  if (fits) return undefined;
  return (
    `use at most ${max} letters, digits, "-", "_", "." and "/", starting with a letter or digit` +
    (prefix ? '' : ' and ending with one') +
    ', no "//" (only letters, digits and "-" fit every provider)'
  );
}

function checkStore(scope: Construct, prop: string, store: SecretStoreRef): SecretStoreRef {
  if (typeof store !== 'object' || store === null) {
    throw propError(scope, prop, store, 'give { name, kind }, kind SecretStore or ClusterSecretStore');
  }
  checkDnsSubdomain(scope, `${prop}.name`, store.name);
  const kind: SecretStoreKind = store.kind ?? 'SecretStore';
  if (kind !== 'SecretStore' && kind !== 'ClusterSecretStore') {
    throw propError(scope, `${prop}.kind`, kind, 'use "SecretStore" (in the namespace) or "ClusterSecretStore"');
  }
  return { name: store.name, kind };
}

function checkRefreshInterval(scope: Construct, prop: string, value: string, renewBefore: string): string {
  const problem = refreshIntervalProblem(value, renewBefore);
  if (problem) throw propError(scope, prop, value, problem);
  return value;
}

/**
 * A Secret on its way through an external store, as the pushing side wrote it: the pulling side reads the same key
 * and properties and writes a Secret of the same name and keys.
 */
export interface DistributedTlsSecret {
  /** The Secret's name, in both clusters. */
  readonly secretName: string;
  /** The keys pushed, and written by the pull. */
  readonly keys: readonly TlsSecretKey[];
  /** The store's secret holding them, one property per key ({@link remoteProperty}). */
  readonly remoteKey: string;
  /** How often the push runs. */
  readonly refreshInterval: string;
  /** The renewBefore of the certificate in the Secret, which bounds the pull's refresh interval too. */
  readonly renewBefore: string;
}

export interface TlsSecretPushProps {
  /** The Secret's namespace: the PushSecret must be in it. */
  readonly namespace: string;
  /** The Secret to push, as cert-manager writes it. */
  readonly secretName: string;
  /** The keys to push; no other key leaves the cluster. */
  readonly keys: readonly TlsSecretKey[];
  /** The store to push to, in this cluster. */
  readonly secretStore: SecretStoreRef;
  /** The store's secret to write, e.g. `vector-fleet-monitoring-vector-ca`. */
  readonly remoteKey: string;
  /** How often the Secret is pushed again (a Go duration, at least `1m`). @default '1h' */
  readonly refreshInterval?: string;
  /** The renewBefore of the certificate in the Secret: the refresh intervals must fit in it. @default '720h' */
  readonly renewBefore?: string;
}

/**
 * Pushes chosen keys of a cert-manager Secret to an external store with an External Secrets `PushSecret`, one property
 * per key in one secret of the store. The Secret is pushed again every `refreshInterval` (the controller does not
 * watch it, so a renewal travels at the next push), always overwriting (`updatePolicy: Replace`), and the pushed
 * secret is deleted from the store with the PushSecret (`deletionPolicy: Delete`): key material is not left behind in
 * the store once nothing distributes it.
 */
export class TlsSecretPush extends Construct {
  /** What the pulling side needs, to give to {@link TlsSecretPull}. */
  readonly distributed: DistributedTlsSecret;

  constructor(scope: Construct, id: string, props: TlsSecretPushProps) {
    super(scope, id);
    guardUniqueObjects(this);
    const namespace = checkDnsLabel(this, 'namespace', props.namespace);
    const secretName = checkDnsSubdomain(this, 'secretName', props.secretName);
    const keys = checkKeys(this, props.keys);
    const secretStore = checkStore(this, 'secretStore', props.secretStore);
    const remoteKeyIssue = remoteKeyProblem(props.remoteKey);
    if (remoteKeyIssue) throw propError(this, 'remoteKey', props.remoteKey, remoteKeyIssue);
    const renewBefore = props.renewBefore ?? LEAF_LIFETIME.renewBefore;
    const refreshInterval = checkRefreshInterval(
      this,
      'refreshInterval',
      props.refreshInterval ?? DEFAULT_REFRESH_INTERVAL,
      renewBefore,
    );
    this.distributed = { secretName, keys, remoteKey: props.remoteKey, refreshInterval, renewBefore };

    new PushSecret(this, 'Resource', {
      metadata: { name: secretName, namespace, labels: { ...PKI_LABELS } },
      spec: {
        secretStoreRefs: [secretStore],
        selector: { secret: { name: secretName } },
        data: keys.map((key) => ({
          match: { secretKey: key, remoteRef: { remoteKey: props.remoteKey, property: remoteProperty(key) } },
        })),
        refreshInterval,
        updatePolicy: 'Replace',
        deletionPolicy: 'Delete',
      },
    });
  }
}

export interface TlsSecretPullProps {
  /** What the other cluster pushes ({@link TlsSecretPush.distributed}). */
  readonly from: DistributedTlsSecret;
  /** Where the Secret is written: the namespace of the Issuer or workload that reads it. */
  readonly namespace: string;
  /** The store to read from, in this cluster: the same backend the push wrote to. */
  readonly secretStore: SecretStoreRef;
  /** How often the store is read again (a Go duration, at least `1m`). @default the push's refreshInterval */
  readonly refreshInterval?: string;
}

/**
 * Pulls a pushed cert-manager Secret into this cluster with an External Secrets `ExternalSecret`: a
 * `kubernetes.io/tls` Secret of the same name with exactly the pushed keys, read again every `refreshInterval`.
 * ESO owns the Secret (`creationPolicy: Owner`: it adopts a hand-made copy of that name, and deletes the Secret with
 * the ExternalSecret), and keeps it when the store has nothing (`deletionPolicy: Retain`), so an outage or a deleted
 * store secret never takes a working certificate away.
 */
export class TlsSecretPull extends Construct {
  /** The Secret written. */
  readonly secretName: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: TlsSecretPullProps) {
    super(scope, id);
    guardUniqueObjects(this);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace);
    const from = props.from;
    this.secretName = checkDnsSubdomain(this, 'from.secretName', from.secretName);
    const keys = checkKeys(this, from.keys, 'from.keys');
    const secretStore = checkStore(this, 'secretStore', props.secretStore);
    const refreshInterval = checkRefreshInterval(
      this,
      'refreshInterval',
      props.refreshInterval ?? from.refreshInterval,
      from.renewBefore,
    );

    new ExternalSecret(this, 'Resource', {
      metadata: { name: this.secretName, namespace: this.namespace, labels: { ...PKI_LABELS } },
      spec: {
        secretStoreRef: secretStore,
        refreshPolicy: 'Periodic',
        refreshInterval,
        target: {
          name: this.secretName,
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          // No data templates: the fetched keys are written as they are, into a Secret of the type cert-manager writes.
          template: { type: 'kubernetes.io/tls', engineVersion: 'v2', metadata: { labels: { ...PKI_LABELS } } },
        },
        data: keys.map((key) => ({
          secretKey: key,
          remoteRef: { key: from.remoteKey, property: remoteProperty(key) },
        })),
      },
    });
  }
}

function checkKeys(scope: Construct, keys: readonly TlsSecretKey[], prop = 'keys'): readonly TlsSecretKey[] {
  const known: readonly unknown[] = WORKLOAD_TLS_KEYS;
  const ok =
    Array.isArray(keys) &&
    keys.includes('tls.crt') &&
    keys.includes('tls.key') &&
    keys.every((key) => known.includes(key)) &&
    new Set(keys).size === keys.length;
  if (!ok) {
    throw propError(
      scope,
      prop,
      keys,
      `list each of "tls.crt" and "tls.key" once, and "ca.crt" when the reader needs it (a kubernetes.io/tls Secret ` +
        `needs the first two)`,
    );
  }
  return [...keys].sort();
}
