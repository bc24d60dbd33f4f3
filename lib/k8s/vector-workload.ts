import type { IConstruct } from 'constructs';
import { VECTOR_VERSION } from '../vector';
import { checkDnsLabel, checkPinnedImage, checkPort, propError } from './prop-errors';
import type { PodOverrides } from './pod-overrides';
import { checkResources, type ContainerResources } from './resources';

/** Props every Vector workload (agent, aggregator) takes. */
/** The namespace the Vector workloads (agent, aggregator) and the PKI default to. */
export const DEFAULT_VECTOR_NAMESPACE = 'vector-system';

export interface VectorWorkloadProps {
  /** @default 'vector-system' */
  readonly namespace?: string;
  /** Create the namespace, labelled with the Pod Security level the workload needs. @default true */
  readonly createNamespace?: boolean;
  /** Name of the workload and the objects around it. @default 'vector-agent' / 'vector-aggregator' */
  readonly name?: string;
  /** Pinned image. @default `timberio/vector:<VECTOR_VERSION>-distroless-libc` */
  readonly image?: string;
  /** @default agent: 100m / 128Mi requested, 500m / 512Mi limit; aggregator: 250m / 512Mi, 1 / 1Gi */
  readonly resources?: ContainerResources;
  /** Port of Vector's API (`/health` for probes). @default 8686 */
  readonly apiPort?: number;
  /** Port of the exporter serving Vector's own metrics. @default 9598 */
  readonly metricsPort?: number;
  /** Must exceed Vector's 60 s shutdown limit so buffers flush. @default 90 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Scheduling and escape hatches for the pods (node selector, affinity, spread, tolerations, priority, extra env,
   * volumes, mounts, labels, annotations, image pull secrets), added to what the construct writes.
   * @default none
   */
  readonly pod?: PodOverrides;
}

export const DEFAULT_VECTOR_IMAGE = `timberio/vector:${VECTOR_VERSION}-distroless-libc`;
/** Vector stops gracefully on SIGTERM within this many seconds by default. */
export const VECTOR_SHUTDOWN_LIMIT_SECONDS = 60;

/** The common props with defaults applied and every value checked. */
export function resolveWorkloadProps(
  scope: IConstruct,
  props: VectorWorkloadProps,
  defaults: {
    readonly name: string;
    readonly resources: ContainerResources;
    /** The longest suffix a Service of the workload appends to `name`, e.g. `-headless`. */
    readonly longestServiceSuffix: string;
  },
) {
  const resolved = {
    namespace: checkDnsLabel(scope, 'namespace', props.namespace ?? DEFAULT_VECTOR_NAMESPACE),
    createNamespace: props.createNamespace ?? true,
    name: checkDnsLabel(scope, 'name', props.name ?? defaults.name),
    image: checkPinnedImage(scope, 'image', props.image ?? DEFAULT_VECTOR_IMAGE, DEFAULT_VECTOR_IMAGE),
    resources: checkResources(scope, 'resources', props.resources ?? defaults.resources),
    apiPort: checkPort(scope, 'apiPort', props.apiPort ?? 8686),
    metricsPort: checkPort(scope, 'metricsPort', props.metricsPort ?? 9598),
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 90,
  };
  const suffix = defaults.longestServiceSuffix;
  if (!/^[a-z]/.test(resolved.name) || resolved.name.length + suffix.length > 63) {
    // Service names are DNS-1035 labels: a letter first and at most 63 characters.
    throw propError(
      scope,
      'name',
      resolved.name,
      `start with a letter and use at most ${63 - suffix.length} characters: a Service is named "<name>${suffix}"`,
    );
  }
  const grace = resolved.terminationGracePeriodSeconds;
  if (!Number.isInteger(grace) || grace <= VECTOR_SHUTDOWN_LIMIT_SECONDS) {
    throw propError(
      scope,
      'terminationGracePeriodSeconds',
      grace,
      `must exceed Vector's ${VECTOR_SHUTDOWN_LIMIT_SECONDS} s shutdown limit, or buffers are killed before they flush`,
    );
  }
  if (resolved.apiPort === resolved.metricsPort) {
    throw propError(scope, 'metricsPort', resolved.metricsPort, `must differ from apiPort (${resolved.apiPort})`);
  }
  return resolved;
}

/** A key of a Secret in the workload's namespace. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}
