import type { PrometheusInventory } from './inventory';

/** kube-prometheus-stack's defaults: its namespace by convention, its pods' name label, its release selector label. */
export const DEFAULT_PROMETHEUS: Required<PrometheusInventory> = {
  namespace: 'monitoring',
  podLabels: { 'app.kubernetes.io/name': 'prometheus' },
  ruleLabels: { release: 'kube-prometheus-stack' },
};

export function resolvePrometheus(prometheus: PrometheusInventory | undefined): Required<PrometheusInventory> {
  return { ...DEFAULT_PROMETHEUS, ...prometheus };
}
