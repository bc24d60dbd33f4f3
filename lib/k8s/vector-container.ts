import { k8s } from 'cdk8s-plus-28';
import type { VectorPipeline } from '../vector';
import { VECTOR_CONFIG_DIR, VECTOR_CONFIG_FILE } from './vector-config';
import { type ContainerResources, toResourceRequirements } from './resources';

/** The port name of Vector's API, which serves `GET /health` for the probes. */
export const API_PORT_NAME = 'api';
export const CONFIG_VOLUME = 'config';
export const DATA_VOLUME = 'data';

export interface VectorContainerOptions {
  readonly image: string;
  readonly pipeline: VectorPipeline;
  readonly ports: k8s.ContainerPort[];
  readonly resources: ContainerResources;
  readonly securityContext: k8s.SecurityContext;
  /** Where `data_dir` is mounted. */
  readonly dataDir: string;
  readonly env?: readonly k8s.EnvVar[];
  readonly extraVolumeMounts?: readonly k8s.VolumeMount[];
}

/**
 * The Vector container both the agent and the aggregator run: the config from its ConfigMap, the
 * data dir, probes on the API's `/health`, and `--dangerously-allow-env-var-interpolation` only
 * when the pipeline reads environment variables (then the container env holds nothing else that
 * the config names; the model rejects any other `${VAR}`).
 */
export function vectorContainer(o: VectorContainerOptions): k8s.Container {
  const probe = (failureThreshold: number): k8s.Probe => ({
    httpGet: { path: '/health', port: k8s.IntOrString.fromString(API_PORT_NAME) },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold,
  });
  return {
    name: 'vector',
    image: o.image,
    imagePullPolicy: 'IfNotPresent',
    args: [
      '--config',
      `${VECTOR_CONFIG_DIR}/${VECTOR_CONFIG_FILE}`,
      ...(o.pipeline.needsEnvVarInterpolation ? ['--dangerously-allow-env-var-interpolation'] : []),
    ],
    ...(o.env?.length ? { env: [...o.env] } : {}),
    ports: o.ports,
    livenessProbe: { ...probe(6), initialDelaySeconds: 10 },
    readinessProbe: probe(3),
    resources: toResourceRequirements(o.resources),
    securityContext: o.securityContext,
    volumeMounts: [
      { name: CONFIG_VOLUME, mountPath: VECTOR_CONFIG_DIR, readOnly: true },
      { name: DATA_VOLUME, mountPath: o.dataDir },
      ...(o.extraVolumeMounts ?? []),
    ],
  };
}
