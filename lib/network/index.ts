export type {
  CidrPeer,
  NetworkPeer,
  NetworkPort,
  NetworkRule,
  PodPeer,
  ServiceDestination,
  ServicePods,
} from './peers';
export { KUBE_DNS } from './peers';
export * from './vector-network-policies';
export type { NetworkPolicyWorkload } from './workload-policy';
