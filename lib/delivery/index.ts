// GitOps delivery: the objects that apply every cluster's synthesized folder from Git, in order.
export * from './flux-fleet-delivery';
