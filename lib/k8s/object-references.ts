import { parse } from 'yaml';
import { BUILT_IN_API_GROUPS, isClusterScoped, resourcePlural, splitApiVersion } from './built-in-objects';

/** A synthesized manifest as plain data: what `Chart.toJson()` returns, or one document of a `.k8s.yaml` file. */
export type Manifest = Readonly<Record<string, unknown>>;

/** An object in a cluster, by API group (`''` for the core group), kind, namespace (none when cluster-scoped) and name. */
export interface ObjectRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One place where a manifest refers to another object. */
export interface ObjectReference {
  readonly target: ObjectRef;
  /** Keys of a Secret or ConfigMap that the reference reads, when it names them. */
  readonly keys?: readonly string[];
  /** API versions of a CRD that the reference uses. */
  readonly versions?: readonly string[];
  /** The referring object, `Kind namespace/name`. */
  readonly from: string;
  /** The field of the referring object that holds the reference. */
  readonly field: string;
}

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asObject = (value: unknown): Json => (isObject(value) ? value : {});
const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `Kind namespace/name` or `Kind name`. */
export function describeObject(ref: { readonly kind: string; readonly namespace?: string; readonly name: string }) {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The identity of a manifest; a namespaced object without a namespace is applied into `default`. */
export function manifestRef(manifest: Manifest): ObjectRef {
  const kind = String(manifest.kind ?? '');
  const metadata = asObject(manifest.metadata);
  const { group } = splitApiVersion(String(manifest.apiVersion ?? ''));
  const name = String(metadata.name ?? '');
  if (isClusterScoped(kind)) return { group, kind, name };
  return { group, kind, namespace: asString(metadata.namespace) ?? 'default', name };
}

/** Where a workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * A host name `<service>.<namespace>.svc[.cluster.local]`, or a pod's `<pod>.<service>.<namespace>.svc...` behind a
 * headless Service, not preceded by another name label.
 */
const SERVICE_HOST =
  /(?<![\w.-])(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.)?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?![\w-])/g;

/** A YAML text holding a Pod, e.g. an Airflow `pod_template_file`, or a values file with one in a string. */
const HOLDS_POD = /^\s*kind:\s*["']?Pod["']?\s*$/m;

/** How deep Pods are looked for inside strings inside ConfigMap values (a pod template in a Helm values file). */
const MAX_EMBEDDING = 3;

/** What the manifests' references depend on beyond the manifests. */
export interface ReferenceOptions {
  /**
   * cert-manager's cluster resource namespace, where a ClusterIssuer reads its CA Secret (its
   * `--cluster-resource-namespace`).
   * @default 'cert-manager'
   */
  readonly clusterResourceNamespace?: string;
}

/** The resource metrics API's APIService, which metrics-server registers. */
const RESOURCE_METRICS_API = 'v1beta1.metrics.k8s.io';

/**
 * Every reference of the manifests to another object, in manifest order: the CRD of each kind outside the built-in API
 * groups, each namespaced object's namespace, and in pod specs (of workloads, and of Pods kept in ConfigMap values,
 * such as Airflow's pod template) the Secrets, ConfigMaps, ServiceAccount, PriorityClass and image pull Secrets;
 * cert-manager `issuerRef`s and CA issuers' Secrets, RBAC role references and ServiceAccount subjects, and Services
 * named by `*.svc` host names in ConfigMap values and container environment variables and arguments; External
 * Secrets' stores and pushed Secrets, Flux's credentials and kubeconfig Secrets, and the resource metrics API an HPA
 * on CPU or memory reads. References marked `optional: true` are left out: the pod starts without them.
 */
export function objectReferences(manifests: readonly Manifest[], options: ReferenceOptions = {}): ObjectReference[] {
  const references: ObjectReference[] = [];
  const clusterResourceNamespace = options.clusterResourceNamespace ?? 'cert-manager';
  for (const manifest of manifests) {
    const self = manifestRef(manifest);
    const walker = new ReferenceWalker(
      describeObject(self),
      self.namespace ?? 'default',
      references,
      clusterResourceNamespace,
    );
    walker.walkManifest(manifest, self);
  }
  return references;
}

class ReferenceWalker {
  constructor(
    private readonly from: string,
    private readonly namespace: string,
    private readonly out: ObjectReference[],
    private readonly clusterResourceNamespace: string,
  ) {}

  private add(target: ObjectRef, field: string, extra: { keys?: string[]; versions?: string[] } = {}): void {
    this.out.push({ target, field, from: this.from, ...extra });
  }

  walkManifest(manifest: Manifest, self: ObjectRef): void {
    const { group, version } = splitApiVersion(String(manifest.apiVersion ?? ''));
    if (!BUILT_IN_API_GROUPS.has(group)) {
      const crd = `${resourcePlural(self.kind)}.${group}`;
      this.add({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: crd }, 'apiVersion', {
        versions: [version],
      });
    }
    if (self.namespace !== undefined && self.kind !== 'Namespace') {
      this.add({ group: '', kind: 'Namespace', name: self.namespace }, 'metadata.namespace');
    }
    const path = POD_SPEC_PATHS[self.kind];
    if (path) {
      let spec: unknown = manifest;
      for (const step of path) spec = asObject(spec)[step];
      this.walkPodSpec(asObject(spec), path.join('.'));
    }
    const spec = asObject(manifest.spec);
    if (group === 'cert-manager.io') this.walkCertManager(self.kind, spec);
    if (group === 'external-secrets.io') this.walkExternalSecrets(self.kind, spec);
    if (group === 'autoscaling' && self.kind === 'HorizontalPodAutoscaler') this.walkAutoscaler(spec);
    if (group === 'source.toolkit.fluxcd.io' || group === 'kustomize.toolkit.fluxcd.io') this.walkFlux(spec);
    if (group === 'rbac.authorization.k8s.io' && (self.kind === 'RoleBinding' || self.kind === 'ClusterRoleBinding')) {
      this.walkBinding(manifest);
    }
    if (self.kind === 'ConfigMap' && group === '') {
      for (const [key, value] of Object.entries(asObject(manifest.data))) {
        if (typeof value === 'string') this.walkText(value, `data[${JSON.stringify(key)}]`, 0);
      }
    }
  }

  private walkPodSpec(spec: Json, at: string): void {
    const serviceAccount = asString(spec.serviceAccountName) ?? asString(spec.serviceAccount);
    if (serviceAccount) {
      const field = spec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount';
      this.add(
        { group: '', kind: 'ServiceAccount', namespace: this.namespace, name: serviceAccount },
        `${at}.${field}`,
      );
    }
    const priorityClass = asString(spec.priorityClassName);
    if (priorityClass) {
      this.add({ group: 'scheduling.k8s.io', kind: 'PriorityClass', name: priorityClass }, `${at}.priorityClassName`);
    }
    asArray(spec.imagePullSecrets).forEach((entry, i) => {
      const name = asString(asObject(entry).name);
      if (name) this.secret(name, `${at}.imagePullSecrets[${i}]`);
    });
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      asArray(spec[list]).forEach((entry, i) => {
        const container = asObject(entry);
        this.walkContainer(container, `${at}.${list}[${asString(container.name) ?? i}]`);
      });
    }
    // A volume without items projects every key; a container mounting one key of it with subPath reads that key.
    const subPaths = new Map<string, string[]>();
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const container of asArray(spec[list])) {
        for (const mount of asArray(asObject(container).volumeMounts)) {
          const { name, subPath } = asObject(mount);
          if (typeof name === 'string' && typeof subPath === 'string' && subPath !== '') {
            subPaths.set(name, [...(subPaths.get(name) ?? []), subPath]);
          }
        }
      }
    }
    asArray(spec.volumes).forEach((entry, i) => {
      const volume = asObject(entry);
      const name = asString(volume.name);
      this.walkVolume(volume, `${at}.volumes[${name ?? i}]`, (name && subPaths.get(name)) || []);
    });
  }

  private walkContainer(container: Json, at: string): void {
    asArray(container.env).forEach((entry, i) => {
      const env = asObject(entry);
      const field = `${at}.env[${asString(env.name) ?? i}]`;
      const from = asObject(env.valueFrom);
      this.keyRef('Secret', asObject(from.secretKeyRef), `${field}.valueFrom.secretKeyRef`);
      this.keyRef('ConfigMap', asObject(from.configMapKeyRef), `${field}.valueFrom.configMapKeyRef`);
      if (typeof env.value === 'string') this.services(env.value, `${field}.value`);
    });
    asArray(container.envFrom).forEach((entry, i) => {
      const envFrom = asObject(entry);
      const secret = asObject(envFrom.secretRef);
      const configMap = asObject(envFrom.configMapRef);
      const secretName = asString(secret.name);
      const configMapName = asString(configMap.name);
      if (secretName && secret.optional !== true) this.secret(secretName, `${at}.envFrom[${i}].secretRef`);
      if (configMapName && configMap.optional !== true) {
        this.configMap(configMapName, `${at}.envFrom[${i}].configMapRef`);
      }
    });
    for (const list of ['command', 'args']) {
      asArray(container[list]).forEach((arg, i) => {
        if (typeof arg === 'string') this.services(arg, `${at}.${list}[${i}]`);
      });
    }
  }

  private walkVolume(volume: Json, at: string, subPaths: readonly string[]): void {
    const keysOf = (source: Json) => (Array.isArray(source.items) ? itemKeys(source) : [...subPaths]);
    const secret = asObject(volume.secret);
    const secretName = asString(secret.secretName);
    if (secretName && secret.optional !== true) this.secret(secretName, `${at}.secret`, keysOf(secret));
    const configMap = asObject(volume.configMap);
    const configMapName = asString(configMap.name);
    if (configMapName && configMap.optional !== true) {
      this.configMap(configMapName, `${at}.configMap`, keysOf(configMap));
    }
    asArray(asObject(volume.projected).sources).forEach((entry, i) => {
      const source = asObject(entry);
      const projectedSecret = asObject(source.secret);
      const projectedConfigMap = asObject(source.configMap);
      const pSecretName = asString(projectedSecret.name);
      const pConfigMapName = asString(projectedConfigMap.name);
      if (pSecretName && projectedSecret.optional !== true) {
        this.secret(pSecretName, `${at}.projected.sources[${i}].secret`, itemKeys(projectedSecret));
      }
      if (pConfigMapName && projectedConfigMap.optional !== true) {
        this.configMap(pConfigMapName, `${at}.projected.sources[${i}].configMap`, itemKeys(projectedConfigMap));
      }
    });
  }

  private keyRef(kind: 'Secret' | 'ConfigMap', ref: Json, field: string): void {
    const name = asString(ref.name);
    if (!name || ref.optional === true) return;
    const key = asString(ref.key);
    this.add({ group: '', kind, namespace: this.namespace, name }, field, key ? { keys: [key] } : {});
  }

  private secret(name: string, field: string, keys: string[] = []): void {
    this.add({ group: '', kind: 'Secret', namespace: this.namespace, name }, field, keys.length > 0 ? { keys } : {});
  }

  private configMap(name: string, field: string, keys: string[] = []): void {
    this.add({ group: '', kind: 'ConfigMap', namespace: this.namespace, name }, field, keys.length > 0 ? { keys } : {});
  }

  /** An ExternalSecret's store; a PushSecret's stores and the Secret it pushes, with the keys it reads. */
  private walkExternalSecrets(kind: string, spec: Json): void {
    const store = (ref: Json, field: string) => {
      const name = asString(ref.name);
      const storeKind = asString(ref.kind) ?? 'SecretStore';
      if (!name) return;
      this.add(
        isClusterScoped(storeKind)
          ? { group: 'external-secrets.io', kind: storeKind, name }
          : { group: 'external-secrets.io', kind: storeKind, namespace: this.namespace, name },
        field,
      );
    };
    if (kind === 'ExternalSecret') store(asObject(spec.secretStoreRef), 'spec.secretStoreRef');
    if (kind !== 'PushSecret') return;
    asArray(spec.secretStoreRefs).forEach((ref, i) => store(asObject(ref), `spec.secretStoreRefs[${i}]`));
    const pushed = asString(asObject(asObject(spec.selector).secret).name);
    const keys = asArray(spec.data).flatMap((entry) => {
      const key = asString(asObject(asObject(entry).match).secretKey);
      return key ? [key] : [];
    });
    if (pushed) this.secret(pushed, 'spec.selector.secret', keys);
  }

  /**
   * An HPA on CPU or memory reads them from the resource metrics API, which Kubernetes does not serve by itself: it is
   * the APIService that metrics-server registers. Without it the HPA never scales and says `FailedGetResourceMetric`.
   */
  private walkAutoscaler(spec: Json): void {
    asArray(spec.metrics).forEach((entry, i) => {
      const metric = asObject(entry);
      if (metric.type !== 'Resource' && metric.type !== 'ContainerResource') return;
      this.add(
        { group: 'apiregistration.k8s.io', kind: 'APIService', name: RESOURCE_METRICS_API },
        `spec.metrics[${i}]`,
      );
    });
  }

  /** Flux: a source's credentials Secret and a Kustomization's kubeconfig Secret. */
  private walkFlux(spec: Json): void {
    const credentials = asString(asObject(spec.secretRef).name);
    if (credentials) this.secret(credentials, 'spec.secretRef');
    const kubeConfig = asObject(asObject(spec.kubeConfig).secretRef);
    const kubeConfigName = asString(kubeConfig.name);
    if (kubeConfigName) {
      this.secret(kubeConfigName, 'spec.kubeConfig.secretRef', [asString(kubeConfig.key) ?? 'value']);
    }
  }

  private walkCertManager(kind: string, spec: Json): void {
    if (kind === 'Certificate' || kind === 'CertificateRequest') {
      const issuer = asObject(spec.issuerRef);
      const name = asString(issuer.name);
      const group = asString(issuer.group) ?? 'cert-manager.io';
      const issuerKind = asString(issuer.kind) ?? 'Issuer';
      if (name) {
        const target: ObjectRef = isClusterScoped(issuerKind)
          ? { group, kind: issuerKind, name }
          : { group, kind: issuerKind, namespace: this.namespace, name };
        this.add(target, 'spec.issuerRef');
      }
    }
    // A CA issuer signs with the certificate and key of its Secret (cert-manager's CA issuer documentation); a
    // ClusterIssuer reads it from the cluster resource namespace, cert-manager's own by default.
    const caSecret = asString(asObject(spec.ca).secretName);
    if (caSecret && (kind === 'Issuer' || kind === 'ClusterIssuer')) {
      const namespace = kind === 'Issuer' ? this.namespace : this.clusterResourceNamespace;
      this.add({ group: '', kind: 'Secret', namespace, name: caSecret }, 'spec.ca.secretName', {
        keys: ['tls.crt', 'tls.key'],
      });
    }
  }

  private walkBinding(manifest: Manifest): void {
    const roleRef = asObject(manifest.roleRef);
    const role = asString(roleRef.name);
    const roleKind = asString(roleRef.kind);
    if (role && roleKind === 'ClusterRole') {
      this.add({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, 'roleRef');
    } else if (role && roleKind === 'Role') {
      this.add({ group: 'rbac.authorization.k8s.io', kind: 'Role', namespace: this.namespace, name: role }, 'roleRef');
    }
    asArray(manifest.subjects).forEach((entry, i) => {
      const subject = asObject(entry);
      const name = asString(subject.name);
      if (subject.kind !== 'ServiceAccount' || !name) return;
      const namespace = asString(subject.namespace) ?? this.namespace;
      this.add({ group: '', kind: 'ServiceAccount', namespace, name }, `subjects[${i}]`);
    });
  }

  /** A ConfigMap value: Services its host names name, and the references of any Pod it holds. */
  private walkText(text: string, at: string, depth: number): void {
    if (depth === 0) this.services(text, at);
    if (depth >= MAX_EMBEDDING || !HOLDS_POD.test(text)) return;
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      return; // not YAML: only its host names count
    }
    this.walkValue(value, at, depth);
  }

  private walkValue(value: unknown, at: string, depth: number): void {
    if (typeof value === 'string') {
      this.walkText(value, at, depth + 1);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.walkValue(item, `${at}[${i}]`, depth));
    } else if (isObject(value)) {
      if (value.kind === 'Pod' && isObject(value.spec)) {
        this.walkPodSpec(value.spec, `${at}.spec`);
        return;
      }
      for (const [key, item] of Object.entries(value)) this.walkValue(item, `${at}.${key}`, depth);
    }
  }

  /** Services named by `*.svc` host names in `text`, each with the line it is on. */
  private services(text: string, at: string): void {
    if (!text.includes('.svc')) return; // most texts (dashboards, scripts) have none, and the search is the slow part
    for (const match of text.matchAll(SERVICE_HOST)) {
      const [, name, namespace] = match;
      const start = text.lastIndexOf('\n', match.index) + 1;
      const end = text.indexOf('\n', match.index);
      const line = text.slice(start, end < 0 ? undefined : end).trim();
      const where = text.includes('\n') ? `${at} line ${text.slice(0, start).split('\n').length} (${line})` : at;
      this.add({ group: '', kind: 'Service', namespace, name }, where);
    }
  }
}

/** The keys a `secret` or `configMap` volume projects with `items`. */
function itemKeys(source: Json): string[] {
  return asArray(source.items)
    .map((item) => asString(asObject(item).key))
    .filter((key): key is string => key !== undefined);
}
