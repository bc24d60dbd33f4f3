import type { k8s } from 'cdk8s-plus-28';

/*
 * The scheduling and escape-hatch props every workload construct takes (`pod`), in Kubernetes' own field names so
 * that a snippet from the Kubernetes docs fits. Checked by `checkPodOverrides` (pod-overrides-check.ts) and written
 * into the pod template by `applyPodOverrides` (pod-overrides-apply.ts).
 */

export const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'] as const;
export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;
export const SPREAD_POLICIES = ['Honor', 'Ignore'] as const;

/** A toleration of a node taint. */
export interface Toleration {
  /** The taint key; empty with `Exists` tolerates every taint. @default every key */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: (typeof TOLERATION_OPERATORS)[number];
  /** The taint value, with `Equal` only. @default '' */
  readonly value?: string;
  /** @default every effect */
  readonly effect?: (typeof TAINT_EFFECTS)[number];
  /** How long a `NoExecute` taint is tolerated, in seconds. @default forever */
  readonly tolerationSeconds?: number;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: (typeof LABEL_SELECTOR_OPERATORS)[number];
  /** Required for `In` and `NotIn`, empty otherwise. @default none */
  readonly values?: readonly string[];
}

export interface LabelSelector {
  /** @default none */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** @default none */
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: (typeof NODE_SELECTOR_OPERATORS)[number];
  /** One whole number for `Gt` and `Lt`, at least one for `In` and `NotIn`. @default none */
  readonly values?: readonly string[];
}

export interface NodeSelectorTerm {
  /** @default none */
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  /** @default none */
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

export interface NodeAffinity {
  /** @default none */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTerm[] };
  /** @default none */
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly {
    /** 1 to 100. */
    readonly weight: number;
    readonly preference: NodeSelectorTerm;
  }[];
}

export interface PodAffinityTerm {
  readonly topologyKey: string;
  /** @default no pods */
  readonly labelSelector?: LabelSelector;
  /** @default the pod's own namespace */
  readonly namespaces?: readonly string[];
  /** @default the pod's own namespace */
  readonly namespaceSelector?: LabelSelector;
}

export interface PodAffinityRules {
  /** @default none */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
  /** @default none */
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly {
    /** 1 to 100. */
    readonly weight: number;
    readonly podAffinityTerm: PodAffinityTerm;
  }[];
}

/**
 * Affinity rules, added to the workload's own (the aggregators' required anti-affinity stays): node affinity, and
 * further pod affinity and anti-affinity terms.
 */
export interface WorkloadAffinity {
  /** @default none */
  readonly nodeAffinity?: NodeAffinity;
  /** @default none */
  readonly podAffinity?: PodAffinityRules;
  /** @default none beyond the workload's own */
  readonly podAntiAffinity?: PodAffinityRules;
}

export interface TopologySpreadConstraint {
  /** At least 1. */
  readonly maxSkew: number;
  /** A node label, e.g. `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
  readonly whenUnsatisfiable: (typeof WHEN_UNSATISFIABLE)[number];
  /** @default the workload's own selector labels (its pods are what is spread) */
  readonly labelSelector?: LabelSelector;
  /** With `DoNotSchedule` only; at least 1. @default none */
  readonly minDomains?: number;
  /** @default 'Honor' */
  readonly nodeAffinityPolicy?: (typeof SPREAD_POLICIES)[number];
  /** @default 'Ignore' */
  readonly nodeTaintsPolicy?: (typeof SPREAD_POLICIES)[number];
  /** Pod label keys whose values narrow the spread, e.g. `pod-template-hash`. @default none */
  readonly matchLabelKeys?: readonly string[];
}

/**
 * Scheduling and escape hatches for a workload's pods, the same on every construct (`pod`). Each is checked when the
 * construct is built and added to what the construct writes itself, never replacing it: a name the construct uses
 * (an env var, a volume, a mount path, a pod label) is refused rather than overridden.
 */
export interface PodOverrides {
  /** Node labels the pods must run on. @default none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Affinity rules, merged with the workload's own. @default none */
  readonly affinity?: WorkloadAffinity;
  /** @default none */
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  /**
   * Tolerations of node taints. On `VectorAgent` they replace its default, which tolerates every taint (a node without
   * an agent loses its logs); elsewhere they are added.
   * @default none (agent: `[{ operator: 'Exists' }]`)
   */
  readonly tolerations?: readonly Toleration[];
  /** A PriorityClass name. @default none (agent: 'system-node-critical') */
  readonly priorityClassName?: string;
  /** Extra env vars of the workload's main container; a name the construct sets is refused. @default none */
  readonly env?: readonly k8s.EnvVar[];
  /** Extra `envFrom` sources of the main container. @default none */
  readonly envFrom?: readonly k8s.EnvFromSource[];
  /**
   * Extra volumes. In a Pod Security "restricted" workload only configMap, csi, downwardAPI, emptyDir, ephemeral,
   * persistentVolumeClaim, projected and secret volumes are allowed.
   * @default none
   */
  readonly volumes?: readonly k8s.Volume[];
  /** Extra mounts of the main container, of its own or the extra volumes, at absolute paths. @default none */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /** Extra pod labels; the construct's own labels (its selector's among them) are refused. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra pod annotations; the construct's own (its config checksum) are refused. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Names of Secrets (type `kubernetes.io/dockerconfigjson`) to pull the images with. @default none */
  readonly imagePullSecrets?: readonly string[];
}
