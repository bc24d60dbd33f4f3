import type { IConstruct } from 'constructs';
import { checkClusterIdentity } from '../k8s/cluster';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkNonEmpty,
  checkPinnedImage,
  checkUrl,
  checkWholeNumber,
  propError,
} from '../k8s/prop-errors';
import { type ContainerResources, checkResources } from '../k8s/resources';
import { VECTOR_SHUTDOWN_LIMIT_SECONDS } from '../k8s/vector-workload';
import { VECTOR_VERSION } from '../vector';
import { TASK_ENV } from './airflow-task-pipeline';
import type { AirflowVectorPodTemplateProps } from './airflow-vector-pod-template';
import { CAPTURE_CONFIG_DIR, CAPTURE_DIR, CAPTURE_ENV, DEFAULT_CAPTURE_TIMEOUT_SECONDS } from './capture-scripts';
import { type AirflowHelmRelease, type HelmChartPodParts, helmChartPodParts } from './helm-values';
import { DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT, DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT } from './pod-security';

/* The checks and defaults of AirflowVectorPodTemplate's props, apart from the construct that renders the pod. */

const DEFAULT_SIDECAR_RESOURCES: ContainerResources = {
  requests: { cpu: '5m', memory: '20Mi' },
  limits: { cpu: '25m', memory: '50Mi' },
};
const DEFAULT_TASK_ENTRYPOINT = ['/usr/bin/dumb-init', '--', '/entrypoint'];
export const CAPTURE_VOLUME = 'vector-capture';
export const CONFIG_VOLUME = 'vector-capture-config';
export const LOKI_TOKEN_VOLUME = 'vector-loki-token';
const RESERVED_VOLUMES = [CAPTURE_VOLUME, CONFIG_VOLUME, LOKI_TOKEN_VOLUME];
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** What Helm accepts as a release name. */
const HELM_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DEFAULT_AIRFLOW_HOME = '/opt/airflow';
/** The sidecar's variables that carry the task's identity; `base` cannot change them. */
const SIDECAR_TASK_ENV: readonly string[] = Object.values(TASK_ENV).filter((name) => name.startsWith('AIRFLOW_'));

/** The shared pinning rule, with an Airflow image in the message. */
function checkAirflowImage(scope: IConstruct, image: string): string {
  return checkPinnedImage(scope, 'airflowImage', image, 'apache/airflow:2.10.5');
}

/**
 * The sidecar runs `/bin/sh` and awk, which the distroless images lack: the pod would start, the sidecar fail, and
 * every line would reach only `kubectl logs`.
 */
function checkVectorImage(scope: IConstruct, image: string): string {
  checkPinnedImage(scope, 'vectorImage', image, `timberio/vector:${VECTOR_VERSION}-alpine`);
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes('@') ? '' : (lastSegment.split(':')[1] ?? '');
  if (tag.includes('distroless')) {
    const alpine = image.replace(/distroless(-libc|-static)?(?=[^:]*$)/, 'alpine');
    throw propError(
      scope,
      'vectorImage',
      image,
      `the sidecar runs /bin/sh and awk, which the distroless images lack: use the -alpine (or -debian) variant, e.g. "${alpine}"`,
    );
  }
  return image;
}

function resolveHelm(scope: IConstruct, helm: AirflowHelmRelease): HelmChartPodParts {
  if (helm === null || typeof helm !== 'object') {
    throw propError(scope, 'helm', helm, 'give the chart release: { releaseName: "airflow" }');
  }
  const releaseName = helm.releaseName;
  if (typeof releaseName !== 'string' || releaseName.length > 53 || !HELM_RELEASE_NAME.test(releaseName)) {
    throw propError(
      scope,
      'helm.releaseName',
      releaseName,
      'a Helm release name: at most 53 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    );
  }
  const airflowHome = helm.airflowHome ?? DEFAULT_AIRFLOW_HOME;
  if (typeof airflowHome !== 'string' || !/^\/\S*[^/\s]$/.test(airflowHome)) {
    throw propError(
      scope,
      'helm.airflowHome',
      airflowHome,
      'an absolute path without a trailing "/", e.g. "/opt/airflow"',
    );
  }
  const name = (prop: 'fernetKeySecretName' | 'metadataSecretName' | 'logsClaimName' | 'dagsClaimName') => {
    const value = helm[prop];
    return value === undefined ? undefined : checkDnsSubdomain(scope, `helm.${prop}`, value);
  };
  return helmChartPodParts({
    releaseName,
    airflowHome,
    fernetKeySecretName: name('fernetKeySecretName') ?? `${releaseName}-fernet-key`,
    metadataSecretName: name('metadataSecretName') ?? `${releaseName}-airflow-metadata`,
    logsClaimName: name('logsClaimName'),
    dagsClaimName: name('dagsClaimName'),
  });
}

/** A security context prop: an object, used as given (it replaces the default as a whole). */
function checkSecurityContext<T extends object>(scope: IConstruct, prop: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return structuredClone(fallback);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw propError(scope, prop, value, 'a security context object, e.g. { runAsNonRoot: true }');
  }
  return value;
}

/** The pod template's props with their defaults, each checked: an error names the construct path, prop and value. */
export function resolveAirflowProps(scope: IConstruct, props: AirflowVectorPodTemplateProps) {
  if (props.cluster === null || typeof props.cluster !== 'object') {
    throw propError(
      scope,
      'cluster',
      props.cluster,
      'give the cluster the tasks run in: { name: "dev", environment: "development", region: "fsn1" }',
    );
  }
  checkClusterIdentity(scope, 'cluster', props.cluster);
  const loki = props.loki;
  if (loki === undefined || loki === null || typeof loki !== 'object') {
    throw propError(scope, 'loki', loki, 'give the Loki target: { endpoint: "http://loki-gateway.monitoring.svc:80" }');
  }
  checkUrl(scope, 'loki.endpoint', loki.endpoint);
  if (loki.tenantId !== undefined) checkNonEmpty(scope, 'loki.tenantId', loki.tenantId);
  if (loki.bearerTokenSecret) {
    checkDnsSubdomain(scope, 'loki.bearerTokenSecret.name', loki.bearerTokenSecret.name);
    if (!SECRET_KEY.test(loki.bearerTokenSecret.key ?? '')) {
      throw propError(
        scope,
        'loki.bearerTokenSecret.key',
        loki.bearerTokenSecret.key,
        'a Secret key: letters, digits, "-", "_" and "."',
      );
    }
  }
  const whenFull = loki.whenFull ?? 'drop_newest';
  if (whenFull !== 'drop_newest' && whenFull !== 'block') {
    throw propError(scope, 'loki.whenFull', whenFull, 'use "drop_newest" or "block"');
  }
  const sidecarMode = props.sidecarMode ?? 'container';
  if (sidecarMode !== 'container' && sidecarMode !== 'native') {
    throw propError(
      scope,
      'sidecarMode',
      sidecarMode,
      'use "container" (any Kubernetes) or "native" (an init container with restartPolicy Always, Kubernetes >= 1.29)',
    );
  }
  const taskEntrypoint = props.taskEntrypoint ?? DEFAULT_TASK_ENTRYPOINT;
  if (!Array.isArray(taskEntrypoint)) {
    throw propError(scope, 'taskEntrypoint', taskEntrypoint, 'a list of strings, e.g. ["/usr/bin/dumb-init", "--"]');
  }
  taskEntrypoint.forEach((arg, i) => checkNonEmpty(scope, `taskEntrypoint[${i}]`, arg));
  const grace = props.terminationGracePeriodSeconds ?? 90;
  if (!Number.isInteger(grace)) {
    throw propError(
      scope,
      'terminationGracePeriodSeconds',
      grace,
      `use a whole number of seconds above Vector's ${VECTOR_SHUTDOWN_LIMIT_SECONDS} s shutdown limit, e.g. 90`,
    );
  }
  if (grace <= VECTOR_SHUTDOWN_LIMIT_SECONDS) {
    throw propError(
      scope,
      'terminationGracePeriodSeconds',
      grace,
      `must exceed Vector's ${VECTOR_SHUTDOWN_LIMIT_SECONDS} s shutdown limit, or the sidecar is killed before it flushes`,
    );
  }
  const chart = props.helm === undefined ? undefined : resolveHelm(scope, props.helm);
  const baseEnv = props.baseEnv ?? [];
  const captureEnv: readonly string[] = Object.values(CAPTURE_ENV);
  const chartEnv = (chart?.env ?? []).map((e) => e.name);
  baseEnv.forEach((e, i) => {
    if (captureEnv.includes(e?.name)) {
      throw propError(scope, `baseEnv[${i}].name`, e.name, 'is set by the pod template for the capture wrapper');
    }
    if (SIDECAR_TASK_ENV.includes(e?.name)) {
      throw propError(
        scope,
        `baseEnv[${i}].name`,
        e.name,
        "is the Vector sidecar's, which sets it from the annotations Airflow puts on the task pod: a value in base would not reach Loki",
      );
    }
    if (chartEnv.includes(e?.name)) {
      throw propError(
        scope,
        `baseEnv[${i}].name`,
        e.name,
        "is set by helm, as the chart's own task-pod template sets it",
      );
    }
  });
  const templateVolumes = [...RESERVED_VOLUMES, ...(chart?.volumes ?? []).map((v) => v.name)];
  const volumes = props.volumes ?? [];
  volumes.forEach((v, i) => {
    if (templateVolumes.includes(v?.name)) {
      throw propError(
        scope,
        `volumes[${i}].name`,
        v.name,
        `is taken by the pod template: avoid ${templateVolumes.join(', ')}`,
      );
    }
  });
  const chartMountPaths = (chart?.volumeMounts ?? []).map((m) => m.mountPath);
  const baseVolumeMounts = props.baseVolumeMounts ?? [];
  baseVolumeMounts.forEach((m, i) => {
    // The capture volumes are base's already, and the Loki token is the sidecar's alone.
    if (RESERVED_VOLUMES.includes(m?.name)) {
      throw propError(
        scope,
        `baseVolumeMounts[${i}].name`,
        m.name,
        `is a volume of the pod template, which base already mounts or must not see: avoid ${RESERVED_VOLUMES.join(', ')}`,
      );
    }
    if (m?.mountPath === CAPTURE_DIR || m?.mountPath === CAPTURE_CONFIG_DIR) {
      throw propError(scope, `baseVolumeMounts[${i}].mountPath`, m.mountPath, 'is taken by the capture volumes');
    }
    if (chartMountPaths.includes(m?.mountPath)) {
      throw propError(
        scope,
        `baseVolumeMounts[${i}].mountPath`,
        m.mountPath,
        "is taken by helm, for the chart's volumes",
      );
    }
  });
  return {
    cluster: props.cluster,
    airflowImage: checkAirflowImage(scope, props.airflowImage),
    loki: {
      endpoint: loki.endpoint,
      tenantId: loki.tenantId,
      bearerTokenSecret: loki.bearerTokenSecret,
      bufferEvents: checkWholeNumber(scope, 'loki.bufferEvents', loki.bufferEvents ?? 10_000, 1),
      whenFull,
    },
    namespace: checkDnsLabel(scope, 'namespace', props.namespace ?? 'airflow'),
    name: checkDnsLabel(scope, 'name', props.name ?? 'airflow-vector-capture'),
    sidecarMode,
    vectorImage: checkVectorImage(scope, props.vectorImage ?? `timberio/vector:${VECTOR_VERSION}-alpine`),
    sidecarResources: checkResources(scope, 'sidecarResources', props.sidecarResources ?? DEFAULT_SIDECAR_RESOURCES),
    baseResources: props.baseResources && checkResources(scope, 'baseResources', props.baseResources),
    taskEntrypoint: [...taskEntrypoint],
    captureTimeoutSeconds: checkWholeNumber(
      scope,
      'captureTimeoutSeconds',
      props.captureTimeoutSeconds ?? DEFAULT_CAPTURE_TIMEOUT_SECONDS,
      1,
      3600,
    ),
    terminationGracePeriodSeconds: grace,
    serviceAccountName:
      props.serviceAccountName === undefined
        ? chart?.serviceAccountName
        : checkDnsSubdomain(scope, 'serviceAccountName', props.serviceAccountName),
    chart,
    podSecurityContext: checkSecurityContext(
      scope,
      'podSecurityContext',
      props.podSecurityContext,
      DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT,
    ),
    baseSecurityContext: checkSecurityContext(
      scope,
      'baseSecurityContext',
      props.baseSecurityContext,
      DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT,
    ),
    baseEnv: [...baseEnv],
    baseVolumeMounts: [...baseVolumeMounts],
    volumes: [...volumes],
    excludeFromNodeAgent: props.excludeFromNodeAgent ?? false,
    pod: props.pod,
  };
}

export type ResolvedAirflowProps = ReturnType<typeof resolveAirflowProps>;
