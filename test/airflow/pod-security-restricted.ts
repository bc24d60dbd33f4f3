/**
 * The Pod Security Standard "restricted" (Kubernetes 1.28, the baseline rules included) as the admission controller
 * applies it to a Pod: every violation, each naming the field, so a test can show exactly what a namespace enforcing
 * `pod-security.kubernetes.io/enforce: restricted` would refuse. Windows-only and AppArmor annotation rules are left
 * out: the task pods are Linux pods without such annotations.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPod } from 'kubernetes-models/v1/Pod';

/** The volume types "restricted" allows; any other (hostPath, nfs, ...) is refused. */
const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];
const SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t'];

/** Every "restricted" violation of the pod, empty when the pod would be admitted. */
export function restrictedViolations(pod: IPod): string[] {
  const spec = pod.spec;
  if (!spec) return ['spec: missing'];
  const problems: string[] = [];
  const podContext = spec.securityContext ?? {};
  const containers: [string, IContainer][] = [
    ...(spec.initContainers ?? []).map((c, i): [string, IContainer] => [`spec.initContainers[${i}]`, c]),
    ...spec.containers.map((c, i): [string, IContainer] => [`spec.containers[${i}]`, c]),
    ...(spec.ephemeralContainers ?? []).map((c, i): [string, IContainer] => [
      `spec.ephemeralContainers[${i}]`,
      c as IContainer,
    ]),
  ];

  // Baseline: host namespaces, host paths and ports, privileged, capabilities, /proc, SELinux, seccomp, sysctls.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field]) problems.push(`spec.${field}: must be unset or false`);
  }
  for (const [i, volume] of (spec.volumes ?? []).entries()) {
    const types = Object.keys(volume).filter((k) => k !== 'name');
    for (const type of types.filter((t) => !ALLOWED_VOLUME_TYPES.includes(t))) {
      problems.push(`spec.volumes[${i}] (${volume.name}): volume type ${type} is not allowed`);
    }
  }
  for (const sysctl of podContext.sysctls ?? []) {
    if (!SAFE_SYSCTLS.includes(sysctl.name)) problems.push(`spec.securityContext.sysctls: ${sysctl.name} is not safe`);
  }
  checkSeLinux(problems, 'spec.securityContext', podContext.seLinuxOptions);
  if (podContext.runAsUser === 0) problems.push('spec.securityContext.runAsUser: must not be 0');
  const podSeccomp = podContext.seccompProfile?.type;
  if (podSeccomp !== undefined && !SECCOMP_TYPES.includes(podSeccomp)) {
    problems.push(`spec.securityContext.seccompProfile.type: ${podSeccomp} is not allowed`);
  }

  for (const [path, c] of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) problems.push(`${path}.securityContext.privileged: must be unset or false`);
    if (sc.windowsOptions?.hostProcess || podContext.windowsOptions?.hostProcess) {
      problems.push(`${path}: hostProcess is not allowed`);
    }
    for (const port of c.ports ?? []) {
      if (port.hostPort) problems.push(`${path}.ports: hostPort ${port.hostPort} is not allowed`);
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      problems.push(`${path}.securityContext.procMount: must be Default`);
    }
    checkSeLinux(problems, `${path}.securityContext`, sc.seLinuxOptions);

    // Restricted.
    if (sc.allowPrivilegeEscalation !== false) {
      problems.push(`${path}.securityContext.allowPrivilegeEscalation: must be false`);
    }
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) {
      problems.push(`${path}.securityContext.capabilities.drop: must include ALL`);
    }
    for (const added of (sc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE')) {
      problems.push(`${path}.securityContext.capabilities.add: ${added} is not allowed`);
    }
    // runAsNonRoot: true on the pod or on every container, and false nowhere.
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && podContext.runAsNonRoot !== true)) {
      problems.push(`${path}: runAsNonRoot must be true, on the pod or on the container`);
    }
    if (sc.runAsUser === 0) problems.push(`${path}.securityContext.runAsUser: must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp === undefined || !SECCOMP_TYPES.includes(seccomp)) {
      problems.push(`${path}: seccompProfile.type must be RuntimeDefault or Localhost, on the pod or on the container`);
    }
  }
  if (podContext.runAsNonRoot === false) problems.push('spec.securityContext.runAsNonRoot: must not be false');
  return problems;
}

function checkSeLinux(problems: string[], path: string, options: { type?: string; user?: string; role?: string } = {}) {
  if (options.type !== undefined && options.type !== '' && !SELINUX_TYPES.includes(options.type)) {
    problems.push(`${path}.seLinuxOptions.type: ${options.type} is not allowed`);
  }
  if (options.user) problems.push(`${path}.seLinuxOptions.user: must be unset`);
  if (options.role) problems.push(`${path}.seLinuxOptions.role: must be unset`);
}
