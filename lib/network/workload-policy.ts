import type { NetworkRule } from './peers';

/*
 * The description of one workload's policy, apart from VectorNetworkPolicies so that workload constructs (the
 * heartbeats) can produce it from their own props by importing this file alone: it imports nothing but types.
 */

/** A workload whose pods get a policy of their own: see `VectorNetworkPolicies.addWorkload`. */
export interface NetworkPolicyWorkload {
  /** `metadata.name` of its NetworkPolicy; usually the workload's name. */
  readonly name: string;
  readonly namespace: string;
  /** The labels that select exactly the workload's pods; the stable ones (never `app.kubernetes.io/version`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Who may connect to the pods. @default nobody */
  readonly ingress?: readonly NetworkRule[];
  /** Where the pods may connect, besides DNS and the API server below. @default nowhere */
  readonly egress?: readonly NetworkRule[];
  /** Resolve names with the cluster DNS (the `dns` prop), UDP and TCP port 53. @default false */
  readonly dns?: boolean;
  /** Talk to the Kubernetes API server (the `apiServer` prop). @default false */
  readonly apiServer?: boolean;
  /**
   * The workload created its namespace and nothing else runs there: `addWorkload` adds the namespace's default-deny
   * too (once per namespace), so every other pod there is isolated as well.
   * @default false
   */
  readonly ownsNamespace?: boolean;
}
