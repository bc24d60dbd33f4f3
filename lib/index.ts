// The public API: constructs, the Vector configuration model and the Kubernetes helpers they share.
export * from './agent';
export * from './aggregator';
export * from './k8s/cluster';
export * from './k8s/labels';
export type { ContainerResources, ResourceAmounts } from './k8s/resources';
export {
  aggregatorBufferBytesFor,
  bufferBytesFor,
  DEFAULT_AGENT_BUFFER_BYTES,
  DEFAULT_AGGREGATOR_BUFFER_BYTES,
  minutesBufferLasts,
  volumeSizeFor,
} from './k8s/buffer-sizing';
export type { SecretKeyRef, VectorWorkloadProps } from './k8s/vector-workload';
export * from './k8s/pod-overrides';
export { type OverrideProblem, podOverridesProblems } from './k8s/pod-overrides-check';
export * from './vector';
export * from './monitoring';
export * from './pki';
export * from './k8s/cert-manager';
export * from './k8s/external-secrets';
export * from './network';
export * from './airflow';
export * from './heartbeat';
export * from './events';
export * from './delivery';
export * from './k8s/flux';
export * from './fleet';
export * from './k8s/prerequisites';
export * from './k8s/prerequisites-file';
export * from './k8s/preflight';
export { type Manifest, type ObjectRef, type ObjectReference, objectReferences } from './k8s/object-references';
