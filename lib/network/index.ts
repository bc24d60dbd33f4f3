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
