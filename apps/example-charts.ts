import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { VectorAgent, VectorAggregator, VectorMonitoring } from '../lib';

/**
 * A two-cluster example until the fleet inventory lands: a monitoring cluster running the
 * aggregators, and a source cluster whose agents ship to them through the load balancer.
 */
export const EXAMPLE = {
  aggregatorHostname: 'vector.monitoring.example.com',
  loki: 'http://loki-gateway.monitoring.svc:80',
  prometheusRemoteWrite: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write',
  sourceRemoteWrite: 'https://prometheus.monitoring.example.com/api/v1/write',
  /** kube-prometheus-stack runs in every cluster and picks up rules and monitors by this label. */
  prometheusNamespace: 'monitoring',
  ruleLabels: { release: 'kube-prometheus-stack' },
} as const;

const chartProps = (props: ChartProps): ChartProps => ({ disableResourceNameHashes: true, ...props });

export class ExampleMonitoringChart extends Chart {
  readonly aggregator: VectorAggregator;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, chartProps(props));
    this.aggregator = new VectorAggregator(this, 'aggregator', {
      loki: { endpoint: EXAMPLE.loki },
      metrics: { remoteWrite: { endpoint: EXAMPLE.prometheusRemoteWrite } },
      loadBalancer: {
        hostname: EXAMPLE.aggregatorHostname,
        annotations: {
          'load-balancer.hetzner.cloud/location': 'fsn1',
          'load-balancer.hetzner.cloud/use-private-ip': 'true',
          'load-balancer.hetzner.cloud/disable-public-network': 'true',
        },
      },
    });
    new VectorMonitoring(this, 'monitoring', {
      targets: [this.aggregator.monitoringTarget],
      namespace: EXAMPLE.prometheusNamespace,
      cluster: id,
      ruleLabels: EXAMPLE.ruleLabels,
    });
  }
}

export interface ExampleSourceChartProps extends ChartProps {
  /** `host:port` of the aggregators' load balancer. */
  readonly aggregatorEndpoint: string;
}

export class ExampleSourceChart extends Chart {
  readonly agent: VectorAgent;

  constructor(scope: Construct, id: string, props: ExampleSourceChartProps) {
    super(scope, id, chartProps(props));
    this.agent = new VectorAgent(this, 'agent', {
      cluster: { name: id, environment: 'development', region: 'fsn1' },
      aggregator: { endpoints: [props.aggregatorEndpoint] },
      remoteWrite: {
        endpoint: EXAMPLE.sourceRemoteWrite,
        bearerTokenSecret: { name: 'prometheus-remote-write', key: 'token' },
      },
    });
    new VectorMonitoring(this, 'monitoring', {
      targets: [this.agent.monitoringTarget],
      namespace: EXAMPLE.prometheusNamespace,
      cluster: id,
      ruleLabels: EXAMPLE.ruleLabels,
    });
  }
}
