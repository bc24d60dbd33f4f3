import {
  BUILT_IN_NAMESPACES,
  BUILT_IN_PRIORITY_CLASSES,
  isBuiltInClusterRole,
  isCreatedInEveryNamespace,
  resourcePlural,
} from './built-in-objects';
import {
  describeObject,
  type Manifest,
  manifestRef,
  type ObjectRef,
  type ObjectReference,
  objectReferences,
  type ReferenceOptions,
} from './object-references';
import { genericHow } from './prerequisite-how';

/** An object that manifests refer to but do not create: it must exist in the cluster before they work. */
export interface Prerequisite extends ObjectRef {
  /** The Secret's or ConfigMap's keys that are read; empty when the references name none. */
  readonly keys?: readonly string[];
  /** The API versions a CRD must serve. */
  readonly versions?: readonly string[];
  /** Every object and field that refers to it: `DaemonSet vector-system/vector-agent: spec.template.spec...`. */
  readonly why: readonly string[];
  /** What to do to provide it. */
  readonly how: string;
}

/** A specific instruction for some prerequisites, instead of the generic one of their kind. */
export interface PrerequisiteHint {
  /** The kind it applies to. */
  readonly kind: string;
  /**
   * The namespace it applies to.
   * @default any namespace
   */
  readonly namespace?: string;
  /**
   * The exact name it applies to.
   * @default any name (see namePrefix)
   */
  readonly name?: string;
  /**
   * A prefix of the names it applies to, e.g. the objects of a Helm release.
   * @default any name
   */
  readonly namePrefix?: string;
  /** What to do, replacing the generic instruction. */
  readonly how: string;
}

const refKey = (ref: ObjectRef) => `${ref.group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

/**
 * Every object the manifests refer to (see {@link objectReferences}) that they do not create themselves and that
 * Kubernetes does not provide, with the keys and versions needed, why (each referring object and field) and how to
 * provide it: the first matching hint, or the generic rule of its kind. Objects a manifest creates count as created:
 * the folder's own objects, the Secret of each cert-manager Certificate (`spec.secretName`) and of each ExternalSecret
 * (`spec.target.name`, unless it merges into an existing one), and each CRD's kind.
 * Sorted by kind (CRDs and namespaces first), namespace and name, so the list is stable.
 */
export function derivePrerequisites(
  manifests: readonly Manifest[],
  hints: readonly PrerequisiteHint[] = [],
  options: ReferenceOptions = {},
): Prerequisite[] {
  const created = createdObjects(manifests);
  const found = new Map<string, { target: ObjectRef; keys: Set<string>; versions: Set<string>; why: string[] }>();
  for (const reference of objectReferences(manifests, options)) {
    if (created.has(refKey(reference.target)) || isBuiltIn(reference)) continue;
    const key = refKey(reference.target);
    const entry = found.get(key) ?? { target: reference.target, keys: new Set(), versions: new Set(), why: [] };
    found.set(key, entry);
    for (const k of reference.keys ?? []) entry.keys.add(k);
    for (const v of reference.versions ?? []) entry.versions.add(v);
    const why = `${reference.from}: ${reference.field}`;
    if (!entry.why.includes(why)) entry.why.push(why);
  }
  return [...found.values()]
    .map(({ target, keys, versions, why }) => {
      const base = {
        ...target,
        ...(target.kind === 'Secret' || target.kind === 'ConfigMap' ? { keys: [...keys].sort() } : {}),
        ...(target.kind === 'CustomResourceDefinition' ? { versions: [...versions].sort() } : {}),
      };
      const hint = hints.find((h) => matches(h, target));
      return { ...base, why, how: hint?.how ?? genericHow(base) };
    })
    .sort(byKindAndName);
}

function matches(hint: PrerequisiteHint, target: ObjectRef): boolean {
  return (
    hint.kind === target.kind &&
    (hint.namespace === undefined || hint.namespace === target.namespace) &&
    (hint.name === undefined || hint.name === target.name) &&
    (hint.namePrefix === undefined || target.name.startsWith(hint.namePrefix))
  );
}

function isBuiltIn(reference: ObjectReference): boolean {
  const { kind, name } = reference.target;
  if (kind === 'Namespace') return BUILT_IN_NAMESPACES.has(name);
  if (kind === 'PriorityClass') return BUILT_IN_PRIORITY_CLASSES.has(name);
  if (kind === 'ClusterRole') return isBuiltInClusterRole(name);
  return isCreatedInEveryNamespace(kind, name);
}

/** What applying the manifests creates: the objects, the Secrets cert-manager writes for them, the CRDs' kinds. */
function createdObjects(manifests: readonly Manifest[]): Set<string> {
  const created = new Set<string>();
  for (const manifest of manifests) {
    const self = manifestRef(manifest);
    created.add(refKey(self));
    const spec = (manifest.spec ?? {}) as Readonly<Record<string, unknown>>;
    if (self.group === 'cert-manager.io' && self.kind === 'Certificate' && typeof spec.secretName === 'string') {
      created.add(refKey({ group: '', kind: 'Secret', namespace: self.namespace, name: spec.secretName }));
    }
    // An ExternalSecret writes its target Secret (unless it merges into one that must exist).
    if (self.group === 'external-secrets.io' && self.kind === 'ExternalSecret') {
      const target = (spec.target ?? {}) as Readonly<Record<string, unknown>>;
      if (target.creationPolicy !== 'Merge') {
        const name = typeof target.name === 'string' ? target.name : self.name;
        created.add(refKey({ group: '', kind: 'Secret', namespace: self.namespace, name }));
      }
    }
    if (self.kind === 'CustomResourceDefinition') {
      const names = (spec.names ?? {}) as Readonly<Record<string, unknown>>;
      created.add(
        refKey({
          group: 'apiextensions.k8s.io',
          kind: 'CustomResourceDefinition',
          name: `${String(names.plural ?? resourcePlural(String(names.kind ?? '')))}.${String(spec.group ?? '')}`,
        }),
      );
    }
  }
  return created;
}

/** CRDs first (nothing else applies without them), then namespaces, then the other kinds; each by namespace and name. */
const KIND_ORDER = ['CustomResourceDefinition', 'Namespace'];

function byKindAndName(a: Prerequisite, b: Prerequisite): number {
  const rank = (p: Prerequisite) => (KIND_ORDER.includes(p.kind) ? KIND_ORDER.indexOf(p.kind) : KIND_ORDER.length);
  return (
    rank(a) - rank(b) ||
    a.kind.localeCompare(b.kind) ||
    (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
    a.name.localeCompare(b.name)
  );
}

/** `Kind namespace/name`, with the keys or versions it needs: `Secret vector-system/x (keys token)`. */
export function describePrerequisite(p: Pick<Prerequisite, 'kind' | 'namespace' | 'name' | 'keys' | 'versions'>) {
  const needs =
    p.keys && p.keys.length > 0
      ? ` (keys ${p.keys.join(', ')})`
      : p.versions && p.versions.length > 0
        ? ` (serving ${p.versions.join(', ')})`
        : '';
  return `${describeObject(p)}${needs}`;
}
