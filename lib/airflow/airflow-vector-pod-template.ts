import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { CONFIG_CHECKSUM_ANNOTATION, sha256 } from '../k8s/checksum';
import type { ClusterIdentity } from '../k8s/cluster';
import { commonLabels } from '../k8s/labels';
import type { PodOverrides } from '../k8s/pod-overrides';
import { withPodOverrides } from '../k8s/pod-overrides-apply';
import { type ContainerResources, toResourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext } from '../k8s/security';
import { VECTOR_CONFIG_FILE } from '../k8s/vector-config';
import type { SecretKeyRef } from '../k8s/vector-workload';
import { formatProblem, VECTOR_VERSION, type VectorPipeline, type WhenFull } from '../vector';
import { AIRFLOW_TASK_IDS, buildAirflowTaskPipeline, LOKI_TOKEN_DIR, TASK_ENV } from './airflow-task-pipeline';
import {
  CAPTURE_CONFIG_DIR,
  CAPTURE_DIR,
  CAPTURE_ENV,
  CAPTURE_SIDECAR_SCRIPT,
  CAPTURE_WRAPPER_SCRIPT,
  SIDECAR_SCRIPT_FILE,
  WRAPPER_SCRIPT_FILE,
} from './capture-scripts';
import { type AirflowHelmRelease, helmPodTemplateValues } from './helm-values';
import {
  CAPTURE_VOLUME,
  CONFIG_VOLUME,
  LOKI_TOKEN_VOLUME,
  resolveAirflowProps,
  type ResolvedAirflowProps,
} from './resolve-airflow-props';

/**
 * How the Vector sidecar runs. `container`: a second entry of `containers`, any Kubernetes version. `native`: an
 * entry of `initContainers` with `restartPolicy: Always` (Kubernetes >= 1.29, where native sidecars are beta and on
 * by default; 1.28 has them as alpha behind the `SidecarContainers` feature gate).
 */
export type AirflowSidecarMode = 'container' | 'native';

/** Grafana Loki, where the sidecar pushes the task's lines. */
export interface AirflowLokiTarget {
  /** Base URL, e.g. `http://loki-gateway.monitoring.svc:80`. */
  readonly endpoint: string;
  /** `X-Scope-OrgID` for multi-tenant Loki. @default none */
  readonly tenantId?: string;
  /** Bearer token from a Secret in the task pods' namespace. @default no authentication */
  readonly bearerTokenSecret?: SecretKeyRef;
  /**
   * Events held in memory while Loki is slower than the task (about 1 KiB each, inside the sidecar's memory limit).
   * @default 10000
   */
  readonly bufferEvents?: number;
  /**
   * What happens to new lines when that buffer is full. `drop_newest` drops them from Loki (they stay in kubectl
   * logs); `block` makes the task wait, through its output, until Loki takes them, which stalls every chatty task
   * while Loki is down.
   * @default 'drop_newest'
   */
  readonly whenFull?: WhenFull;
}

export interface AirflowVectorPodTemplateProps {
  /** The cluster the tasks run in; its name (the `cluster` Loki label), environment and region are on every line. */
  readonly cluster: ClusterIdentity;
  /** The Airflow image of the `base` container, pinned to a tag or digest, e.g. `apache/airflow:2.10.5`. */
  readonly airflowImage: string;
  /** Where the task's lines go. */
  readonly loki: AirflowLokiTarget;
  /**
   * Namespace of the two ConfigMaps: the one Airflow runs its task pods in (which mount the scripts), and, for the
   * pod template file, the scheduler's.
   * @default 'airflow'
   */
  readonly namespace?: string;
  /** Name of the ConfigMap with the scripts and the Vector config; the pod template's is `<name>-pod-template`. @default 'airflow-vector-capture' */
  readonly name?: string;
  /** @default 'container' */
  readonly sidecarMode?: AirflowSidecarMode;
  /**
   * Pinned Vector image with a POSIX shell and awk: an `-alpine` or `-debian` variant (a tag with `distroless` is
   * refused: those images have neither).
   * @default `timberio/vector:<VECTOR_VERSION>-alpine`
   */
  readonly vectorImage?: string;
  /** @default requests 5m CPU / 20Mi, limits 25m / 50Mi */
  readonly sidecarResources?: ContainerResources;
  /**
   * Requests and limits of the `base` container.
   * @default none: a task's needs vary, so they are left to `executor_config` and the namespace's LimitRange
   */
  readonly baseResources?: ContainerResources;
  /**
   * The image's own entrypoint, which the wrapper runs the task command under: setting the container's `command`
   * replaces the image's ENTRYPOINT. `[]` runs Airflow's args directly.
   * @default ['/usr/bin/dumb-init', '--', '/entrypoint'] (the official apache/airflow image's ENTRYPOINT)
   */
  readonly taskEntrypoint?: readonly string[];
  /**
   * Longest wait of either side on the other, in seconds: the task for the sidecar to be ready (then it runs without
   * capture), a plain-container sidecar for the task to start writing (then it stops), and the wrapper for the
   * task's output to end after the task has exited.
   * @default 30
   */
  readonly captureTimeoutSeconds?: number;
  /**
   * Whole seconds, above Vector's 60 s shutdown limit, so that the sidecar can flush after the kubelet's SIGTERM.
   * @default 90
   */
  readonly terminationGracePeriodSeconds?: number;
  /** @default with `helm`, the chart's worker ServiceAccount; else none (the namespace's default ServiceAccount) */
  readonly serviceAccountName?: string;
  /**
   * More environment variables of the `base` container. The capture wrapper's (`VECTOR_CAPTURE_*`) and the
   * sidecar's `AIRFLOW_*` task identity variables are refused: the sidecar sets those itself, from the annotations
   * Airflow puts on the pod, and a value in `base` would not reach Loki.
   * @default none
   */
  readonly baseEnv?: readonly k8s.EnvVar[];
  /**
   * More volume mounts of the `base` container, of `volumes` or of volumes Airflow adds; not of the template's own
   * volumes (the capture volumes and the Loki token).
   * @default none
   */
  readonly baseVolumeMounts?: readonly k8s.VolumeMount[];
  /** More volumes of the pod. @default none */
  readonly volumes?: readonly k8s.Volume[];
  /**
   * The pod's security context, replacing the default as a whole (as the chart's `workers.securityContexts.pod`
   * does). The sidecar keeps its own restricted context whatever this says.
   * @default {@link DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT}: runAsNonRoot, runAsUser 50000 (the official image's
   * `airflow` user), fsGroup 0 (its group, as the chart sets), seccomp RuntimeDefault; Pod Security "restricted"
   */
  readonly podSecurityContext?: k8s.PodSecurityContext;
  /**
   * The `base` container's security context, replacing the default as a whole.
   * @default {@link DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT}: no privilege escalation, every capability dropped
   */
  readonly baseSecurityContext?: k8s.SecurityContext;
  /**
   * The official Airflow Helm chart release whose `podTemplate` this template becomes. The chart's own pod template
   * gives task pods the metadata database and Fernet key Secrets, `airflow.cfg`, a logs volume and the worker
   * ServiceAccount, which a replacement loses; with this, the template adds them (see {@link AirflowHelmRelease}).
   * @default none: the task's configuration comes from the image, `baseEnv`, `baseVolumeMounts` and `volumes`
   */
  readonly helm?: AirflowHelmRelease;
  /**
   * Label the task pods `vector.dev/exclude: "true"`, so that a node agent (`VectorAgent`) does not ship their lines
   * a second time. The node agent then no longer covers a task that ran without capture.
   * @default false
   */
  readonly excludeFromNodeAgent?: boolean;
  /**
   * Scheduling of every task pod (node selector, affinity, spread, tolerations, priority, image pull secrets, labels,
   * annotations), and extra env, envFrom and mounts of the Vector sidecar (e.g. `HTTPS_PROXY` to reach Loki through a
   * proxy, or a CA bundle). The `base` container has `baseEnv` and `baseVolumeMounts`. A spread constraint needs its
   * own `labelSelector`: the task pods carry no labels of this construct to default to. Airflow merges each task's
   * `executor_config` pod over the template.
   * @default none
   */
  readonly pod?: PodOverrides;
}

/** The key of the pod template file in its ConfigMap: mount it at the path `[kubernetes_executor] pod_template_file` names. */
export const POD_TEMPLATE_FILE_KEY = 'pod_template_file.yaml';
/** The key of the values fragment for the official Airflow Helm chart, in the same ConfigMap. */
export const HELM_VALUES_KEY = 'values-airflow-pod-template.yaml';
/** The UID the sidecar runs as (nobody): it needs no file of the image beyond reading the binaries. */
const SIDECAR_USER = 65534;

/**
 * A pod template file for Airflow's KubernetesExecutor whose Vector sidecar ships every line a task prints to Loki,
 * however short the task, and ends with it. The task container's `command` is a wrapper that copies the task's
 * stdout and stderr into two FIFOs on a shared emptyDir, while both still reach `kubectl logs`; the sidecar reads
 * them into Vector's `stdin` source, and when the task exits, Vector reads to the end, flushes and exits, so the pod
 * reaches Succeeded or Failed with the task's exit code. The copy into a FIFO waits for the sidecar to read: a task
 * that prints faster than the sidecar (awk and Vector, within its CPU limit) takes the lines runs at the sidecar's
 * pace, at most two pipe buffers (128 KiB) per stream ahead of it. Loki being slow or down does not slow the task,
 * unless `loki.whenFull` is `block`. The Pod is not an object of the chart (Airflow creates one per task from the
 * file): the construct writes a ConfigMap with the scripts and the Vector config, and one with
 * `pod_template_file.yaml` and a values fragment for the official Airflow Helm chart.
 */
export class AirflowVectorPodTemplate extends Construct {
  /** The sidecar's Vector configuration; components added before synth land in the ConfigMap and are validated. */
  readonly pipeline: VectorPipeline;
  readonly namespace: string;
  /** The ConfigMap with the scripts and the Vector config, mounted by every task pod. */
  readonly configMapName: string;
  /** The ConfigMap with `pod_template_file.yaml` (and the Helm values fragment), for the scheduler. */
  readonly podTemplateConfigMapName: string;
  readonly sidecarMode: AirflowSidecarMode;
  private readonly props: ResolvedAirflowProps;

  constructor(scope: Construct, id: string, props: AirflowVectorPodTemplateProps) {
    super(scope, id);
    const p = resolveAirflowProps(this, props);
    this.props = p;
    this.namespace = p.namespace;
    this.configMapName = p.name;
    this.podTemplateConfigMapName = `${p.name}-pod-template`;
    this.sidecarMode = p.sidecarMode;

    this.pipeline = buildAirflowTaskPipeline({
      cluster: p.cluster,
      dataDir: CAPTURE_DIR,
      loki: {
        endpoint: p.loki.endpoint,
        tenantId: p.loki.tenantId,
        bearerToken: p.loki.bearerTokenSecret !== undefined,
        bufferEvents: p.loki.bufferEvents,
        whenFull: p.loki.whenFull,
      },
    });
    // The pod is rendered at synth; `pod` is checked against it now, so that a bad value fails the constructor.
    this.podTemplateManifest();
    this.node.addValidation({
      validate: () => [...this.pipeline.validate().map(formatProblem), ...this.endlessSources()],
    });

    const labels = commonLabels({
      name: 'vector',
      instance: p.name,
      component: 'airflow-sidecar',
      version: VECTOR_VERSION,
    });
    new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: this.configMapName, namespace: p.namespace, labels },
      data: {
        [WRAPPER_SCRIPT_FILE]: CAPTURE_WRAPPER_SCRIPT,
        [SIDECAR_SCRIPT_FILE]: CAPTURE_SIDECAR_SCRIPT,
        // Rendered at synth, so that components added to the pipeline after construction are in it.
        [VECTOR_CONFIG_FILE]: Lazy.any({ produce: () => this.pipeline.render() }),
      },
    });
    new k8s.KubeConfigMap(this, 'PodTemplate', {
      metadata: { name: this.podTemplateConfigMapName, namespace: p.namespace, labels },
      data: {
        [POD_TEMPLATE_FILE_KEY]: Lazy.any({ produce: () => this.podTemplateYaml() }),
        [HELM_VALUES_KEY]: Lazy.any({ produce: () => this.helmValuesYaml() }),
      },
    });
  }

  /** The pod template as a Pod manifest (plain JSON), rendered from the current pipeline. */
  podTemplateManifest(): Record<string, unknown> {
    const p = this.props;
    const native = p.sidecarMode === 'native';
    const sidecar: k8s.Container = {
      ...this.sidecarContainer(),
      // Native: the kubelet starts it before `base`, and stops it (SIGTERM) once `base` has ended.
      ...(native ? { restartPolicy: 'Always' } : {}),
    };
    const volumes: k8s.Volume[] = [
      // In memory and tiny: only the FIFOs and the markers live there, and a FIFO's data never touches the disk.
      { name: CAPTURE_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
      { name: CONFIG_VOLUME, configMap: { name: this.configMapName } },
      ...(p.loki.bearerTokenSecret
        ? [
            {
              name: LOKI_TOKEN_VOLUME,
              secret: {
                secretName: p.loki.bearerTokenSecret.name,
                items: [{ key: p.loki.bearerTokenSecret.key, path: 'token' }],
              },
            },
          ]
        : []),
      ...(p.chart?.volumes ?? []),
      ...p.volumes,
    ];
    const template = withPodOverrides(
      this,
      {
        metadata: {
          // Airflow gives every task pod its own name, labels and annotations, merged over these.
          name: 'placeholder-name',
          ...(p.excludeFromNodeAgent || p.chart
            ? {
                labels: {
                  ...p.chart?.labels,
                  ...(p.excludeFromNodeAgent ? { 'vector.dev/exclude': 'true' } : {}),
                },
              }
            : {}),
          annotations: { [CONFIG_CHECKSUM_ANNOTATION]: sha256(this.configText()) },
        },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
          securityContext: p.podSecurityContext,
          ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
          ...(native ? { initContainers: [sidecar] } : {}),
          containers: [this.baseContainer(), ...(native ? [] : [sidecar])],
          volumes,
        },
      },
      p.pod,
      { containerName: sidecar.name, selectorLabels: {}, podSecurity: 'restricted' },
    );
    return k8s.KubePod.manifest({ metadata: template.metadata ?? {}, spec: template.spec }) as Record<string, unknown>;
  }

  /** `pod_template_file.yaml`: the text the ConfigMap holds, for `[kubernetes_executor] pod_template_file`. */
  podTemplateYaml(): string {
    const header = [
      `# Airflow KubernetesExecutor pod_template_file, written by cdk8s-vector-fleet (AirflowVectorPodTemplate ${this.node.path}).`,
      "# Airflow sets the pod's name, labels and annotations and the base container's args (the task command), which",
      "# the base container's command, the capture wrapper, runs. Do not set the base container's command elsewhere.",
    ];
    return `${header.join('\n')}\n${stringify(this.podTemplateManifest(), { lineWidth: 0 })}`;
  }

  /** Values for the official Apache Airflow Helm chart: `podTemplate` holding {@link podTemplateYaml}. */
  helmValuesYaml(): string {
    return helmPodTemplateValues(this.podTemplateYaml(), [
      `Values for the official Apache Airflow Helm chart, written by cdk8s-vector-fleet (AirflowVectorPodTemplate ${this.node.path}).`,
      'The chart renders podTemplate with tpl, so every "{{" of the template is escaped. The ConfigMap',
      `${this.configMapName} (scripts and Vector config) must exist in the release's namespace; the chart holds the pod`,
      `template itself, so ${this.podTemplateConfigMapName} is not needed there.`,
    ]);
  }

  /**
   * Vector shuts down at the end of its stdin only when every source has finished: any other source would keep the
   * sidecar, and in a plain-container sidecar the pod, running after the task.
   */
  private endlessSources(): string[] {
    return this.pipeline.allComponents
      .filter((c) => c.class === 'source' && c.id !== AIRFLOW_TASK_IDS.taskOutput)
      .map(
        (c) =>
          `sources.${c.id}: a source of type ${c.type} never ends, so the sidecar's Vector would not stop when the task does: read ${AIRFLOW_TASK_IDS.taskFields} instead`,
      );
  }

  /** What the pods read from the scripts ConfigMap: a change of it changes the pod template's checksum. */
  private configText(): string {
    return [CAPTURE_WRAPPER_SCRIPT, CAPTURE_SIDECAR_SCRIPT, this.pipeline.render()].join('\n');
  }

  private captureEnv(): k8s.EnvVar[] {
    return [
      { name: CAPTURE_ENV.dir, value: CAPTURE_DIR },
      { name: CAPTURE_ENV.timeoutSeconds, value: String(this.props.captureTimeoutSeconds) },
    ];
  }

  private captureMounts(): k8s.VolumeMount[] {
    return [
      { name: CAPTURE_VOLUME, mountPath: CAPTURE_DIR },
      { name: CONFIG_VOLUME, mountPath: CAPTURE_CONFIG_DIR, readOnly: true },
    ];
  }

  private baseContainer(): k8s.Container {
    const p = this.props;
    return {
      name: 'base',
      image: p.airflowImage,
      imagePullPolicy: 'IfNotPresent',
      // Airflow sets only `args` (the task command) and keeps this command, so the wrapper receives the task as "$@".
      command: ['/bin/sh', `${CAPTURE_CONFIG_DIR}/${WRAPPER_SCRIPT_FILE}`, ...p.taskEntrypoint],
      env: [...this.captureEnv(), ...(p.chart?.env ?? []), ...p.baseEnv],
      ...(p.baseResources ? { resources: toResourceRequirements(p.baseResources) } : {}),
      securityContext: p.baseSecurityContext,
      volumeMounts: [...this.captureMounts(), ...(p.chart?.volumeMounts ?? []), ...p.baseVolumeMounts],
    };
  }

  private sidecarContainer(): k8s.Container {
    const p = this.props;
    // Exact values from the annotations Airflow sets; the labels of the same names are shortened and hashed.
    const annotation = (name: string, key: string): k8s.EnvVar => ({
      name,
      valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${key}']` } },
    });
    return {
      name: 'vector',
      image: p.vectorImage,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', `${CAPTURE_CONFIG_DIR}/${SIDECAR_SCRIPT_FILE}`],
      args: ['vector', '--config', `${CAPTURE_CONFIG_DIR}/${VECTOR_CONFIG_FILE}`],
      env: [
        ...this.captureEnv(),
        { name: CAPTURE_ENV.sidecarMode, value: p.sidecarMode },
        annotation(TASK_ENV.dagId, 'dag_id'),
        annotation(TASK_ENV.taskId, 'task_id'),
        annotation(TASK_ENV.runId, 'run_id'),
        annotation(TASK_ENV.tryNumber, 'try_number'),
        annotation(TASK_ENV.mapIndex, 'map_index'),
        { name: TASK_ENV.namespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
      resources: toResourceRequirements(p.sidecarResources),
      securityContext: restrictedContainerSecurityContext(SIDECAR_USER),
      volumeMounts: [
        ...this.captureMounts(),
        ...(p.loki.bearerTokenSecret ? [{ name: LOKI_TOKEN_VOLUME, mountPath: LOKI_TOKEN_DIR, readOnly: true }] : []),
      ],
    };
  }
}
