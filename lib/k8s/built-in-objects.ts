/**
 * What every Kubernetes 1.28 cluster has before anything is applied: the API groups the API server serves itself, the
 * namespaces, PriorityClasses and ClusterRoles it creates, and the objects the controllers create in every namespace.
 * A reference to one of these is not a prerequisite. Checked against the Kubernetes 1.28 API reference (the groups of
 * `kubectl api-resources` on a plain cluster), the scheduling package's `SystemPriorityClasses`, and the RBAC
 * bootstrap policy (`cluster-admin`, `admin`, `edit`, `view` and the `system:` roles).
 */

/** API groups built into the Kubernetes 1.28 API server; `''` is the core group (`apiVersion: v1`). */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/** Namespaces every cluster has. */
export const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/** PriorityClasses the API server creates. */
export const BUILT_IN_PRIORITY_CLASSES: ReadonlySet<string> = new Set([
  'system-node-critical',
  'system-cluster-critical',
]);

/** ClusterRoles of the RBAC bootstrap policy: the user-facing four and every `system:` role. */
export function isBuiltInClusterRole(name: string): boolean {
  return ['cluster-admin', 'admin', 'edit', 'view'].includes(name) || name.startsWith('system:');
}

/** Objects the controllers create in every namespace: its `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap. */
export function isCreatedInEveryNamespace(kind: string, name: string): boolean {
  return (kind === 'ServiceAccount' && name === 'default') || (kind === 'ConfigMap' && name === 'kube-root-ca.crt');
}

/** The group and version of an `apiVersion`: `apps/v1` is `apps` and `v1`, `v1` the core group. */
export function splitApiVersion(apiVersion: string): { readonly group: string; readonly version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Kinds whose objects have no namespace, among those a manifest or a reference names. */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'StorageClass',
  'CustomResourceDefinition',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'ClusterIssuer',
  'ClusterSecretStore',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Plurals that the usual English rule gets wrong. */
const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { endpoints: 'endpoints' };

/**
 * The resource name of a kind, as `kubectl get` and a CRD's `spec.names.plural` spell it: the kind in lower case with
 * the plural ending Kubernetes' code generators use (`Issuer` is `issuers`, `NetworkPolicy` `networkpolicies`,
 * `Ingress` `ingresses`).
 */
export function resourcePlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (IRREGULAR_PLURALS[lower]) return IRREGULAR_PLURALS[lower];
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** What `kubectl get` takes for a kind of a group: `secrets`, `issuers.cert-manager.io`. */
export function kubectlResource(kind: string, group: string): string {
  return group === '' ? resourcePlural(kind) : `${resourcePlural(kind)}.${group}`;
}
