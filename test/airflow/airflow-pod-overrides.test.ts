/*
 * `pod` on AirflowVectorPodTemplate: scheduling for every task pod and extra env and mounts for the Vector sidecar,
 * each read back from pod_template_file.yaml as the ConfigMap holds it, in both sidecar modes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PodOverrides } from '../../lib/k8s/pod-overrides';
import { constructionError, expectRecordedConfigsAccepted, synthTemplate, TEMPLATE_PATH } from './airflow-fixtures';

afterAll(() => expectRecordedConfigsAccepted());

const TOLERATION = { key: 'dedicated', operator: 'Equal', value: 'airflow', effect: 'NoSchedule' } as const;
const SPREAD = {
  maxSkew: 2,
  topologyKey: 'kubernetes.io/hostname',
  whenUnsatisfiable: 'ScheduleAnyway',
  labelSelector: { matchLabels: { kubernetes_executor: 'True' } },
} as const;
const NODE_AFFINITY = {
  preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 20, preference: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['batch'] }] } },
  ],
} as const;

describe.each(['container', 'native'] as const)('pod on AirflowVectorPodTemplate (sidecar %s)', (sidecarMode) => {
  const synth = (pod: PodOverrides) => synthTemplate({ sidecarMode, pod });

  it('puts the scheduling fields on every task pod', () => {
    const { spec } = synth({
      nodeSelector: { 'node.example.com/pool': 'airflow' },
      tolerations: [TOLERATION],
      affinity: { nodeAffinity: NODE_AFFINITY },
      topologySpreadConstraints: [SPREAD],
      priorityClassName: 'batch-low',
      imagePullSecrets: ['mirror-credentials'],
    });
    expect(spec.nodeSelector).toEqual({ 'node.example.com/pool': 'airflow' });
    expect(spec.tolerations).toEqual([TOLERATION]);
    expect(spec.affinity).toEqual({ nodeAffinity: NODE_AFFINITY });
    expect(spec.topologySpreadConstraints).toEqual([SPREAD]);
    expect(spec.priorityClassName).toBe('batch-low');
    expect(spec.imagePullSecrets).toEqual([{ name: 'mirror-credentials' }]);
  });

  it('adds pod labels and annotations beside the checksum', () => {
    const { pod } = synth({ labels: { team: 'data' }, annotations: { 'example.com/owner': 'data' } });
    expect(pod.metadata?.labels).toEqual({ team: 'data' });
    expect(Object.keys(pod.metadata?.annotations ?? {})).toEqual(['checksum/config', 'example.com/owner']);
  });

  it("gives the sidecar extra env, envFrom and mounts, and leaves base's alone", () => {
    const { sidecar, base, spec } = synth({
      env: [{ name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' }],
      envFrom: [{ secretRef: { name: 'proxy-credentials' } }],
      volumes: [{ name: 'corporate-ca', configMap: { name: 'corporate-ca' } }],
      volumeMounts: [{ name: 'corporate-ca', mountPath: '/etc/ssl/corporate', readOnly: true }],
    });
    expect(sidecar.env?.at(-1)).toEqual({ name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' });
    expect(sidecar.envFrom).toEqual([{ secretRef: { name: 'proxy-credentials' } }]);
    expect(sidecar.volumeMounts?.at(-1)).toEqual({
      name: 'corporate-ca',
      mountPath: '/etc/ssl/corporate',
      readOnly: true,
    });
    expect(spec.volumes?.at(-1)).toEqual({ name: 'corporate-ca', configMap: { name: 'corporate-ca' } });
    expect(base.env?.some((e) => e.name === 'HTTPS_PROXY')).toBe(false);
    expect(base.envFrom).toBeUndefined();
  });
});

describe('bad pod values on AirflowVectorPodTemplate fail the constructor', () => {
  it('refuses a spread constraint without labelSelector: task pods have no selector labels of the construct', () => {
    expect(
      constructionError({
        pod: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] },
      }),
    ).toBe(
      `${TEMPLATE_PATH}: invalid pod.topologySpreadConstraints[0].labelSelector (missing): give the pods to spread: ` +
        'this workload has no selector labels of its own to default to',
    );
  });

  it('refuses an env var the sidecar sets, naming it', () => {
    expect(constructionError({ pod: { env: [{ name: 'AIRFLOW_DAG_ID', value: 'x' }] } })).toMatch(
      /^test\/airflow: invalid pod\.env\[0\]\.name "AIRFLOW_DAG_ID": clashes with the env var "AIRFLOW_DAG_ID" that container "vector" sets itself; use another name$/,
    );
  });

  it('refuses a hostPath volume (the task pod is Pod Security restricted)', () => {
    expect(constructionError({ pod: { volumes: [{ name: 'host', hostPath: { path: '/tmp' } }] } })).toMatch(
      /^test\/airflow: invalid pod\.volumes\[0\] "host \(hostPath\)": the workload runs at Pod Security "restricted"/,
    );
  });
});
