import { Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { commonLabels, VECTOR_VERSION, VectorPipeline } from '../lib';

/**
 * A placeholder until the fleet inventory lands: a namespace and a ConfigMap holding a small
 * validated aggregator pipeline, so that `dist/` and its drift check exist from the start.
 */
export class ExampleChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...props });
    const namespace = 'vector-system';
    const labels = commonLabels({
      name: 'vector',
      instance: 'vector-example',
      component: 'aggregator',
      version: VECTOR_VERSION,
    });

    const pipeline = new VectorPipeline({
      global: { data_dir: '/vector-data-dir', api: { enabled: true, address: '0.0.0.0:8686' } },
    })
      .addSource('agents', { type: 'vector', address: '0.0.0.0:6000', keepalive: { max_connection_age_secs: 300 } })
      .addSource('vector_metrics', { type: 'internal_metrics' })
      .addTransform('by_type', { type: 'route', inputs: ['agents'], route: { logs: { type: 'is_log' } } })
      .addSink(
        'loki',
        {
          type: 'loki',
          inputs: ['by_type.logs'],
          endpoint: 'http://loki-gateway.monitoring.svc:80',
          encoding: { codec: 'json' },
          labels: { cluster: '{{ cluster }}', namespace: '{{ namespace }}' },
          dangerously_allow_unconfined_template_resolution: true,
          buffer: { type: 'disk', max_size: 1_073_741_824 },
        },
        { comment: 'Loki label values are not paths, so unconfined templates are safe here.' },
      )
      .addSink('discard_other', { type: 'blackhole', inputs: ['by_type._unmatched'] })
      .addSink('self_metrics', { type: 'prometheus_exporter', inputs: ['vector_metrics'], address: '0.0.0.0:9598' });

    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels } });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: 'vector-example-config', namespace, labels },
      data: { 'vector.yaml': pipeline.render() },
    });
  }
}
