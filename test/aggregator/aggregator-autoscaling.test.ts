/**
 * VectorAggregator `autoscaling`: a HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory, a workload without
 * spec.replicas so that a GitOps apply never fights the HPA, a slow scale-down for the buffers on the volumes, and every
 * bad value refused with the construct path, the prop, the value and what is allowed.
 */
import { describe, expect, it } from 'vitest';
import type { AggregatorAutoscaling } from '../../lib/aggregator';
import { expectValidManifests } from '../helpers/k8s-schema';
import {
  AGGREGATOR_PATH,
  constructionError,
  only,
  podTemplate,
  synthAggregator,
  workload,
} from './aggregator-fixtures';

const error = (prop: string, value: string, allowed: string) =>
  `${AGGREGATOR_PATH}: invalid ${prop} ${value}: ${allowed}`;
const scaling = (extra: Partial<AggregatorAutoscaling> = {}) => ({ autoscaling: { maxReplicas: 6, ...extra } });

interface HpaSpec {
  readonly scaleTargetRef: { apiVersion: string; kind: string; name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: readonly unknown[];
  readonly behavior: { scaleDown: Record<string, unknown>; scaleUp?: unknown };
}
const hpaSpec = (manifests: Parameters<typeof only>[0]) =>
  only(manifests, 'HorizontalPodAutoscaler', 'vector-aggregator').spec as unknown as HpaSpec;

describe('autoscaling on a StatefulSet', () => {
  const { manifests } = synthAggregator(scaling());

  it('writes an autoscaling/v2 HPA on the StatefulSet, CPU 70 % and memory 80 % of the requests, 3 to max', () => {
    const hpa = only(manifests, 'HorizontalPodAutoscaler', 'vector-aggregator');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata.namespace).toBe('vector-system');
    const spec = hpaSpec(manifests);
    expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'vector-aggregator' });
    expect(spec.minReplicas).toBe(3);
    expect(spec.maxReplicas).toBe(6);
    expect(spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
  });

  it('scales down slowly: an hour of low load first, then one pod per 15 minutes; scale-up keeps its default', () => {
    expect(hpaSpec(manifests).behavior).toEqual({
      scaleDown: {
        stabilizationWindowSeconds: 3600,
        selectPolicy: 'Min',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 900 }],
      },
    });
  });

  it('leaves spec.replicas out of the StatefulSet, so an apply never resets what the HPA set', () => {
    const spec = workload(manifests).spec as Record<string, unknown>;
    expect(spec).not.toHaveProperty('replicas');
    // Without autoscaling the count is written, as before.
    expect((workload(synthAggregator().manifests).spec as Record<string, unknown>).replicas).toBe(3);
  });

  it('keeps a scaled-away replica volume, with its buffer, for the ordinal to come back to', () => {
    expect((workload(manifests).spec as Record<string, unknown>).persistentVolumeClaimRetentionPolicy).toEqual({
      whenScaled: 'Retain',
      whenDeleted: 'Retain',
    });
    expect(workload(synthAggregator().manifests).spec).not.toHaveProperty('persistentVolumeClaimRetentionPolicy');
  });

  it('gives Vector its 60 s drain before the kill, and keeps the PDB at one replica down', () => {
    expect(podTemplate(manifests).spec.terminationGracePeriodSeconds).toBe(90);
    expect(only(manifests, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('passes the Kubernetes schemas', () => {
    expectValidManifests(manifests);
  });

  it('takes every value as given', () => {
    const spec = hpaSpec(
      synthAggregator(
        scaling({
          minReplicas: 2,
          maxReplicas: 2,
          cpuUtilization: 400,
          memoryUtilization: 1,
          scaleDownStabilizationSeconds: 0,
        }),
      ).manifests,
    );
    expect(spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 2,
      behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    });
    expect(spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 400 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 1 } } },
    ]);
  });

  it('has no HPA without autoscaling', () => {
    expect(synthAggregator().manifests.map((m) => m.kind)).not.toContain('HorizontalPodAutoscaler');
  });
});

describe('autoscaling a stateless aggregator', () => {
  it('is refused unless the buffer loss on scale-down is accepted', () => {
    expect(constructionError({ stateless: true, ...scaling() })).toBe(
      error(
        'autoscaling',
        '{"maxReplicas":6}',
        "a stateless aggregator's buffer is an emptyDir, deleted with the pod a scale-down removes: events Vector " +
          'cannot deliver within its 60 s shutdown are lost. Set autoscaling.acceptBufferLossOnScaleDown: true to ' +
          'accept that, or drop stateless (a StatefulSet keeps the volume)',
      ),
    );
  });

  it('targets the Deployment, which has no spec.replicas, once accepted', () => {
    const { manifests } = synthAggregator({ stateless: true, ...scaling({ acceptBufferLossOnScaleDown: true }) });
    expect(hpaSpec(manifests).scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'vector-aggregator',
    });
    expect(only(manifests, 'Deployment').spec).not.toHaveProperty('replicas');
    expectValidManifests(manifests);
  });
});

describe('bad autoscaling props', () => {
  it('refuses a fixed replicas beside it', () => {
    expect(constructionError({ replicas: 3, ...scaling() })).toBe(
      error(
        'replicas',
        '3',
        'leave replicas out with autoscaling: the HorizontalPodAutoscaler sets the count (autoscaling.minReplicas to ' +
          'maxReplicas), and a fixed spec.replicas would scale it back on every apply',
      ),
    );
  });

  it.each([
    [1, '1'],
    [0, '0'],
    [2.5, '2.5'],
  ])('refuses minReplicas %s: the PDB needs one replica beside the one it lets go', (minReplicas, shown) => {
    expect(constructionError(scaling({ minReplicas }))).toBe(
      error(
        'autoscaling.minReplicas',
        shown,
        'use a whole number at least 2: the PodDisruptionBudget lets 1 replica go (maxUnavailable), and one must stay to receive',
      ),
    );
  });

  it('refuses maxReplicas below minReplicas, and a missing one', () => {
    expect(constructionError(scaling({ minReplicas: 4, maxReplicas: 3 }))).toBe(
      error('autoscaling.maxReplicas', '3', 'use a whole number at least autoscaling.minReplicas (4)'),
    );
    expect(constructionError({ autoscaling: {} as AggregatorAutoscaling })).toBe(
      error('autoscaling.maxReplicas', '(missing)', 'use a whole number at least autoscaling.minReplicas (3)'),
    );
  });

  it.each([
    ['cpuUtilization', 0, 400, 'CPU', '250m', 'throttled'],
    ['cpuUtilization', 401, 400, 'CPU', '250m', 'throttled'],
    ['memoryUtilization', 201, 200, 'memory', '512Mi', 'OOM-killed'],
    ['memoryUtilization', 50.5, 200, 'memory', '512Mi', 'OOM-killed'],
  ] as const)(
    'refuses %s %s: above 100 × limit / request it is never reached',
    (prop, value, max, kind, request, stop) => {
      expect(constructionError(scaling({ [prop]: value }))).toBe(
        error(
          `autoscaling.${prop}`,
          String(value),
          `use a whole number from 1 to ${max}, in percent of the ${kind} request (${request}): above 100 × limit / request the container is ${stop} first`,
        ),
      );
    },
  );

  it('follows the container resources for the utilization ceiling', () => {
    const resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    expect(constructionError({ resources, ...scaling({ memoryUtilization: 101 }) })).toBe(
      error(
        'autoscaling.memoryUtilization',
        '101',
        'use a whole number from 1 to 100, in percent of the memory request (1Gi): above 100 × limit / request the container is OOM-killed first',
      ),
    );
    expect(() =>
      synthAggregator({ resources, ...scaling({ cpuUtilization: 200, memoryUtilization: 100 }) }),
    ).not.toThrow();
  });

  it('refuses a stabilization window beyond the hour Kubernetes allows', () => {
    expect(constructionError(scaling({ scaleDownStabilizationSeconds: 3601 }))).toBe(
      error('autoscaling.scaleDownStabilizationSeconds', '3601', 'use a whole number from 0 to 3600'),
    );
  });

  it('refuses autoscaling that is not a mapping', () => {
    expect(constructionError({ autoscaling: 5 as unknown as AggregatorAutoscaling })).toBe(
      error('autoscaling', '5', 'use { minReplicas?, maxReplicas, cpuUtilization?, memoryUtilization? }'),
    );
  });
});
