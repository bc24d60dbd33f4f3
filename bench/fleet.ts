import type { Fleet, FleetCluster, SourceCluster } from '../lib/fleet';
import { synthesizeFleet } from '../lib/fleet';

/**
 * A fleet of `size` clusters like the example: one monitoring cluster and `size - 1` source clusters, each source
 * with the log heartbeat, every third with the network heartbeat and the status API, every fifth with Airflow.
 */
export function buildFleet(size: number): Fleet {
  const sources: SourceCluster[] = Array.from({ length: size - 1 }, (_, i) => {
    const net = `10.${Math.floor(i / 250) + 100}.${i % 250}`;
    return {
      name: `source-${i + 1}`,
      role: 'source',
      environment: i % 2 === 0 ? 'development' : 'staging',
      region: 'fsn1',
      apiServer: { cidrs: [`${net}.2/32`], port: 6443 },
      nodeCidrs: [`${net}.0/24`],
      egressCidrs: [`${net}.0/24`],
      ...(i % 3 === 0
        ? {
            httpHeartbeat: { ingressNamespaces: ['ingress-nginx'] },
            deploymentStatusApi: {
              ingressNamespaces: ['ingress-nginx'],
              authTokenSecret: { name: 'deployment-status-api-token', key: 'token' },
            },
          }
        : {}),
      ...(i % 5 === 0 ? { airflow: { airflowImage: 'apache/airflow:2.10.5' } } : {}),
    };
  });
  const monitoring: FleetCluster = {
    name: 'monitoring',
    role: 'monitoring',
    // A fleet of one has no source cluster to ship here.
    standby: sources.length === 0,
    environment: 'production',
    region: 'fsn1',
    apiServer: { cidrs: ['10.10.0.2/32'], port: 6443 },
    nodeCidrs: ['10.10.0.0/24'],
    aggregator: { hostname: 'vector.monitoring.example.com', addresses: ['10.10.1.10/32'] },
    loki: {
      endpoint: 'http://loki-gateway.monitoring.svc:80',
      pods: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'loki' }, targetPort: 8080 },
      external: { endpoint: 'https://loki.monitoring.example.com' },
    },
    remoteWrite: {
      endpoint: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write',
      pods: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      external: { endpoint: 'https://prometheus.monitoring.example.com/api/v1/write', cidrs: ['10.10.1.12/32'] },
    },
  };
  return { clusters: [monitoring, ...sources] };
}

/** Synthesizes the fleet in memory, every cluster's YAML included; returns the bytes produced. */
export function synthFleet(fleet: Fleet): number {
  let bytes = 0;
  for (const out of synthesizeFleet(fleet, `bench-${fleet.clusters.length}`)) {
    for (const text of Object.values(out.files)) bytes += text.length;
  }
  return bytes;
}
