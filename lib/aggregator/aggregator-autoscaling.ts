import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { checkWholeNumber, propError } from '../k8s/prop-errors';
import { type ContainerResources, cpuMillis, memoryBytes } from '../k8s/resources';

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) over the aggregators, on CPU and memory utilization of the requests.
 * Scaling down removes the highest-ordinal pod; its volume stays (`persistentVolumeClaimRetentionPolicy.whenScaled:
 * Retain`), and so do the events still in its Loki buffer, which reach Loki only when that ordinal runs again. Hence
 * the slow scale-down: see README "Autoscaling the aggregators".
 */
export interface AggregatorAutoscaling {
  /**
   * The fewest replicas. At least 2: the PodDisruptionBudget lets one replica go (`maxUnavailable: 1`), and one must
   * stay to receive. Ordinals below it are never scaled away, so their buffers are never stranded.
   * @default 3
   */
  readonly minReplicas?: number;
  /**
   * The most replicas; at least `minReplicas`. With the required anti-affinity every replica needs a node of its own,
   * so more than the cluster's nodes leaves the rest Pending.
   */
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the container's CPU request. From 1 to 100 × limit / request (400 with the
   * default 250m / 1): above that, the target cannot be reached, since the container is throttled at its limit.
   * @default 70
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory use, in percent of the container's memory request. From 1 to 100 × limit / request (200
   * with the default 512Mi / 1Gi): above that the container is OOM-killed before the target is reached.
   * @default 80
   */
  readonly memoryUtilization?: number;
  /**
   * How long the load must stay low before a replica is removed (the HPA's `behavior.scaleDown`
   * `stabilizationWindowSeconds`), from 0 to 3600, Kubernetes' maximum. Long, because a Loki outage lowers the
   * aggregators' CPU use while their buffers fill: a scale-down then would strand a full buffer. One replica is
   * removed per 15 minutes at most.
   * @default 3600
   */
  readonly scaleDownStabilizationSeconds?: number;
  /**
   * With `stateless: true` a removed pod's emptyDir, and whatever its Loki buffer still holds after Vector's 60 s
   * drain, is deleted: autoscaling a stateless aggregator is refused unless this says that loss is accepted. Ignored
   * for the StatefulSet, whose volumes are kept.
   * @default false
   */
  readonly acceptBufferLossOnScaleDown?: boolean;
}

/** At most one replica goes per this many seconds (`behavior.scaleDown.policies`). */
export const SCALE_DOWN_PERIOD_SECONDS = 900;
/** Kubernetes' limit for `stabilizationWindowSeconds`. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** The PodDisruptionBudget's `maxUnavailable`; the HPA's minimum must leave a replica beside it. */
export const PDB_MAX_UNAVAILABLE = 1;

export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
  readonly memoryUtilization: number;
  readonly scaleDownStabilizationSeconds: number;
}

/** The autoscaling prop with defaults, each value checked against the others and the container's resources. */
export function resolveAutoscaling(
  scope: Construct,
  props: {
    readonly autoscaling?: AggregatorAutoscaling;
    readonly replicas?: number;
    readonly stateless?: boolean;
  },
  resources: ContainerResources,
): ResolvedAutoscaling | undefined {
  const a = props.autoscaling;
  if (a === undefined) return undefined;
  if (typeof a !== 'object' || a === null || Array.isArray(a)) {
    throw propError(scope, 'autoscaling', a, 'use { minReplicas?, maxReplicas, cpuUtilization?, memoryUtilization? }');
  }
  if (props.replicas !== undefined) {
    throw propError(
      scope,
      'replicas',
      props.replicas,
      'leave replicas out with autoscaling: the HorizontalPodAutoscaler sets the count (autoscaling.minReplicas to ' +
        'maxReplicas), and a fixed spec.replicas would scale it back on every apply',
    );
  }
  if (props.stateless === true && a.acceptBufferLossOnScaleDown !== true) {
    throw propError(
      scope,
      'autoscaling',
      a,
      "a stateless aggregator's buffer is an emptyDir, deleted with the pod a scale-down removes: events Vector " +
        'cannot deliver within its 60 s shutdown are lost. Set autoscaling.acceptBufferLossOnScaleDown: true to ' +
        'accept that, or drop stateless (a StatefulSet keeps the volume)',
    );
  }
  const minimum = PDB_MAX_UNAVAILABLE + 1;
  const minReplicas = a.minReplicas ?? 3;
  if (!Number.isInteger(minReplicas) || minReplicas < minimum) {
    throw propError(
      scope,
      'autoscaling.minReplicas',
      minReplicas,
      `use a whole number at least ${minimum}: the PodDisruptionBudget lets ${PDB_MAX_UNAVAILABLE} replica go ` +
        '(maxUnavailable), and one must stay to receive',
    );
  }
  const maxReplicas = a.maxReplicas;
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    throw propError(
      scope,
      'autoscaling.maxReplicas',
      maxReplicas,
      `use a whole number at least autoscaling.minReplicas (${minReplicas})`,
    );
  }
  const ceiling = (request: number, limit: number) => Math.floor((100 * limit) / request);
  const cpuCeiling = ceiling(cpuMillis(resources.requests.cpu)!, cpuMillis(resources.limits.cpu)!);
  const memoryCeiling = ceiling(memoryBytes(resources.requests.memory)!, memoryBytes(resources.limits.memory)!);
  const utilization = (prop: string, value: number, max: number, kind: string, stop: string) => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw propError(
        scope,
        prop,
        value,
        `use a whole number from 1 to ${max}, in percent of the ${kind} request ` +
          `(${resources.requests[kind === 'CPU' ? 'cpu' : 'memory']}): above 100 × limit / request the container is ${stop} first`,
      );
    }
    return value;
  };
  return {
    minReplicas,
    maxReplicas,
    cpuUtilization: utilization('autoscaling.cpuUtilization', a.cpuUtilization ?? 70, cpuCeiling, 'CPU', 'throttled'),
    memoryUtilization: utilization(
      'autoscaling.memoryUtilization',
      a.memoryUtilization ?? 80,
      memoryCeiling,
      'memory',
      'OOM-killed',
    ),
    scaleDownStabilizationSeconds: checkWholeNumber(
      scope,
      'autoscaling.scaleDownStabilizationSeconds',
      a.scaleDownStabilizationSeconds ?? MAX_STABILIZATION_WINDOW_SECONDS,
      0,
      MAX_STABILIZATION_WINDOW_SECONDS,
    ),
  };
}

/** The HorizontalPodAutoscaler over the aggregators' StatefulSet or Deployment. */
export function createAutoscaler(
  scope: Construct,
  a: ResolvedAutoscaling,
  target: { readonly kind: 'StatefulSet' | 'Deployment'; readonly metadata: k8s.ObjectMeta & { name: string } },
): k8s.KubeHorizontalPodAutoscalerV2 {
  const resource = (name: 'cpu' | 'memory', averageUtilization: number): k8s.MetricSpecV2 => ({
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'HorizontalPodAutoscaler', {
    metadata: { name: target.metadata.name, namespace: target.metadata.namespace, labels: target.metadata.labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.metadata.name },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [resource('cpu', a.cpuUtilization), resource('memory', a.memoryUtilization)],
      behavior: {
        // Scale-down removes the highest ordinal, whose buffer then waits on its volume: slowly, one pod at a time.
        scaleDown: {
          stabilizationWindowSeconds: a.scaleDownStabilizationSeconds,
          selectPolicy: 'Min',
          policies: [{ type: 'Pods', value: 1, periodSeconds: SCALE_DOWN_PERIOD_SECONDS }],
        },
      },
    },
  });
}
