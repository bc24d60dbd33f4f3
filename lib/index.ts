// The public API: constructs, the Vector configuration model and the Kubernetes helpers they share.
export * from './agent';
export * from './aggregator';
export * from './k8s/cluster';
export * from './k8s/labels';
export type { ContainerResources, ResourceAmounts } from './k8s/resources';
export type { SecretKeyRef, VectorWorkloadProps } from './k8s/vector-workload';
export * from './vector';
export * from './monitoring';
export * from './pki';
export * from './k8s/cert-manager';
export * from './k8s/external-secrets';
export * from './network';
export * from './airflow';
export * from './heartbeat';
export * from './fleet';
