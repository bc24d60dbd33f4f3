import type { k8s } from 'cdk8s-plus-28';

/** The UID of the `airflow` user of the official apache/airflow image, whose primary group is 0. */
export const AIRFLOW_IMAGE_USER = 50000;

/**
 * The task pod's default security context: Pod Security "restricted" for the pod, with the user and volume group the
 * official Airflow Helm chart gives its worker pods (`uid` 50000, `gid` 0).
 */
export const DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT: k8s.PodSecurityContext = {
  runAsNonRoot: true,
  // Explicit, because the kubelet cannot check runAsNonRoot against an image whose USER is a name: images built
  // FROM apache/airflow often end with `USER airflow`, and would fail to start without a numeric user here.
  runAsUser: AIRFLOW_IMAGE_USER,
  // Group 0 is the airflow user's own primary group, so this grants nothing new: it makes the volumes a user adds
  // (logs, DAGs) writable by the task, as the chart's `fsGroup: 0` does. Only on a mismatch, so that a large DAG volume
  // is not re-chowned at every task start.
  fsGroup: 0,
  fsGroupChangePolicy: 'OnRootMismatch',
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The `base` container's default security context: what "restricted" asks of a container beyond the pod's. */
export const DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};
