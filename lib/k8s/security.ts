import type { k8s } from 'cdk8s-plus-28';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Namespace labels that enforce a Pod Security Standard, and warn and audit at the same level. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/warn': level,
  };
}

/** A container security context that meets Pod Security "restricted". */
export function restrictedContainerSecurityContext(user: number): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A pod security context for restricted pods: non-root, RuntimeDefault seccomp, volumes owned by the group. */
export function restrictedPodSecurityContext(user: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
