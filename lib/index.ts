// The public API: the Vector configuration model and the Kubernetes helpers constructs share.
export * from './k8s/labels';
export * from './vector';
