import type { k8s } from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import type { PodAffinityRules, PodOverrides, WorkloadAffinity } from './pod-overrides';
import { checkPodOverrides } from './pod-overrides-check';
import type { PodSecurityLevel } from './security';

/** A copy of plain data (no Quantity or IntOrString inside) as the mutable L1 type. */
const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;

function mergePodRules(
  own: k8s.PodAffinity | k8s.PodAntiAffinity | undefined,
  extra: PodAffinityRules | undefined,
): k8s.PodAntiAffinity | undefined {
  if (!extra) return own;
  const extraRules = plain<k8s.PodAntiAffinity>(extra);
  const required = [
    ...(own?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(extraRules.requiredDuringSchedulingIgnoredDuringExecution ?? []),
  ];
  const preferred = [
    ...(own?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(extraRules.preferredDuringSchedulingIgnoredDuringExecution ?? []),
  ];
  return {
    ...(required.length ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    ...(preferred.length ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

/**
 * The workload's affinity with the user's added: every term of its own stays (the aggregators' required
 * anti-affinity among them), the user's terms come after. No construct sets node affinity, so the user's is taken.
 */
export function mergeAffinity(
  own: k8s.Affinity | undefined,
  extra: WorkloadAffinity | undefined,
): k8s.Affinity | undefined {
  if (!extra) return own;
  const nodeAffinity = extra.nodeAffinity ? plain<k8s.NodeAffinity>(extra.nodeAffinity) : own?.nodeAffinity;
  const podAffinity = mergePodRules(own?.podAffinity, extra.podAffinity);
  const podAntiAffinity = mergePodRules(own?.podAntiAffinity, extra.podAntiAffinity);
  return {
    ...(nodeAffinity ? { nodeAffinity } : {}),
    ...(podAffinity ? { podAffinity } : {}),
    ...(podAntiAffinity ? { podAntiAffinity } : {}),
  };
}

/** The pod template with `o` written in: scheduling fields on the pod, env and mounts on the container `containerName`. */
export function applyPodOverrides(
  template: k8s.PodTemplateSpec,
  o: PodOverrides | undefined,
  containerName: string,
  selectorLabels: Readonly<Record<string, string>>,
): k8s.PodTemplateSpec {
  if (!o) return template;
  const spec = template.spec as k8s.PodSpec;
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const patchContainer = (c: k8s.Container): k8s.Container =>
    c.name !== containerName
      ? c
      : {
          ...c,
          ...(o.env?.length || c.env ? { env: [...(c.env ?? []), ...((o.env ?? []) as k8s.EnvVar[])] } : {}),
          ...(o.envFrom?.length || c.envFrom
            ? { envFrom: [...(c.envFrom ?? []), ...((o.envFrom ?? []) as k8s.EnvFromSource[])] }
            : {}),
          ...(o.volumeMounts?.length || c.volumeMounts
            ? { volumeMounts: [...(c.volumeMounts ?? []), ...((o.volumeMounts ?? []) as k8s.VolumeMount[])] }
            : {}),
        };
  if (!containers.some((c) => c.name === containerName)) throw new Error(`no container "${containerName}" in the pod`);
  const affinity = mergeAffinity(spec.affinity, o.affinity);
  const spread = (o.topologySpreadConstraints ?? []).map((c): k8s.TopologySpreadConstraint => ({
    ...plain<k8s.TopologySpreadConstraint>(c),
    labelSelector: plain(c.labelSelector ?? { matchLabels: selectorLabels }),
  }));
  const tolerations = [...(spec.tolerations ?? []), ...plain<k8s.Toleration[]>(o.tolerations ?? [])];
  const volumes = [...(spec.volumes ?? []), ...((o.volumes ?? []) as k8s.Volume[])];
  const pullSecrets = [...(spec.imagePullSecrets ?? []), ...(o.imagePullSecrets ?? []).map((name) => ({ name }))];
  const labels = { ...template.metadata?.labels, ...o.labels };
  const annotations = { ...template.metadata?.annotations, ...o.annotations };
  return {
    metadata: {
      ...template.metadata,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ...spec,
      ...(o.priorityClassName !== undefined ? { priorityClassName: o.priorityClassName } : {}),
      ...(o.nodeSelector ? { nodeSelector: { ...spec.nodeSelector, ...o.nodeSelector } } : {}),
      ...(affinity ? { affinity } : {}),
      ...(spread.length || spec.topologySpreadConstraints
        ? { topologySpreadConstraints: [...(spec.topologySpreadConstraints ?? []), ...spread] }
        : {}),
      ...(tolerations.length ? { tolerations } : {}),
      ...(volumes.length ? { volumes } : {}),
      ...(pullSecrets.length ? { imagePullSecrets: pullSecrets } : {}),
      containers: spec.containers.map(patchContainer),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(patchContainer) } : {}),
    },
  };
}

/** How a construct takes {@link PodOverrides}: the prop's name, its pod's main container, selector and Pod Security. */
export interface PodOverridesTarget {
  /** The prop's name in error messages. @default 'pod' */
  readonly prop?: string;
  readonly containerName: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly podSecurity: PodSecurityLevel;
}

/** Checks `o` against the pod the construct built (construct path, field, value and rule on error), then applies it. */
export function withPodOverrides(
  scope: IConstruct,
  template: k8s.PodTemplateSpec,
  o: PodOverrides | undefined,
  target: PodOverridesTarget,
): k8s.PodTemplateSpec {
  if (!o) return template;
  const spec = template.spec as k8s.PodSpec;
  const container = [...spec.containers, ...(spec.initContainers ?? [])].find((c) => c.name === target.containerName);
  if (!container) throw new Error(`${scope.node.path}: no container "${target.containerName}" in the pod`);
  checkPodOverrides(scope, target.prop ?? 'pod', o, {
    container,
    template,
    podSecurity: target.podSecurity,
    selectorLabels: target.selectorLabels,
  });
  return applyPodOverrides(template, o, target.containerName, target.selectorLabels);
}
