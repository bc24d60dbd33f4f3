import { VectorPipeline } from '../lib/vector';

/**
 * A valid pipeline of `size` components (a multiple of 5): groups of kubernetes_logs -> remap ->
 * route -> sample -> loki, each group's loki also reading the previous group's route, so there are
 * cross-links as in real configs.
 */
export function buildPipeline(size: number): VectorPipeline {
  const p = new VectorPipeline({ global: { api: { enabled: true, address: '0.0.0.0:8686' } } });
  for (let g = 0; g < size / 5; g++) {
    p.addSource(`logs_${g}`, { type: 'kubernetes_logs', extra_label_selector: `group=g${g}` })
      .addTransform(`parse_${g}`, { type: 'remap', inputs: [`logs_${g}`], source: `.group = ${g}\n.severity = "info"` })
      .addTransform(`route_${g}`, {
        type: 'route',
        inputs: [`parse_${g}`],
        route: { noisy: '.namespace == "kube-system"' },
      })
      .addTransform(`sample_${g}`, { type: 'sample', inputs: [`route_${g}.noisy`], rate: 10 })
      .addSink(`loki_${g}`, {
        type: 'loki',
        inputs: [`sample_${g}`, `route_${g}._unmatched`, ...(g > 0 ? [`route_${g - 1}.noisy`] : [])],
        endpoint: `http://loki-${g}.monitoring.svc:3100`,
        encoding: { codec: 'json' },
        labels: { group: `g-{{ group }}` },
      });
  }
  return p;
}
