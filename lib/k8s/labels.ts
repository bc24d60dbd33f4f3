import { labelValueProblem } from './metadata';

/** Who writes the objects: the value of `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = 'cdk8s-vector-fleet';
/** The system every object belongs to: the default of `app.kubernetes.io/part-of`. */
export const PART_OF = 'vector-fleet';

/** The identity of one workload or object group, in the recommended `app.kubernetes.io/*` labels. */
export interface AppIdentity {
  /** `app.kubernetes.io/name`, e.g. `vector`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`, unique per installation, e.g. `vector-agent`. */
  readonly instance: string;
  /** `app.kubernetes.io/component`, e.g. `agent` or `aggregator`. */
  readonly component: string;
  /** `app.kubernetes.io/version`; never part of a selector. @default none */
  readonly version?: string;
  /** `app.kubernetes.io/part-of`. @default 'vector-fleet' */
  readonly partOf?: string;
}

function checked(key: string, value: string): string {
  if (labelValueProblem(value) !== undefined) {
    throw new Error(
      `label ${key}="${value}" is not a valid Kubernetes label value: at most 63 characters, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    );
  }
  return value;
}

/**
 * The labels selectors use: name, instance and component only. Selectors are immutable, so
 * nothing that changes on upgrade (the version) may be in them.
 */
export function selectorLabels(id: AppIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': checked('app.kubernetes.io/name', id.name),
    'app.kubernetes.io/instance': checked('app.kubernetes.io/instance', id.instance),
    'app.kubernetes.io/component': checked('app.kubernetes.io/component', id.component),
  };
}

/** Every recommended label: the selector labels plus part-of, managed-by and version. */
export function commonLabels(id: AppIdentity): Record<string, string> {
  return {
    ...selectorLabels(id),
    'app.kubernetes.io/part-of': checked('app.kubernetes.io/part-of', id.partOf ?? PART_OF),
    'app.kubernetes.io/managed-by': MANAGED_BY,
    ...(id.version === undefined
      ? {}
      : { 'app.kubernetes.io/version': checked('app.kubernetes.io/version', id.version) }),
  };
}
