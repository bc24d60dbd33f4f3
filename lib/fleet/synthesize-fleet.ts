import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from '../heartbeat';
import type { Fleet, FleetCluster } from './inventory';
import { checkFleet, clusterLabel, FleetInventoryError, type InventoryProblem, shippingTarget } from './load-inventory';
import { MonitoringClusterChart } from './monitoring-cluster-chart';
import { SourceClusterChart } from './source-cluster-chart';

/** What one cluster's folder `dist/<cluster>/` holds: file name to text. */
export interface ClusterOutput {
  readonly cluster: string;
  readonly files: Readonly<Record<string, string>>;
}

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * Checks the inventory and synthesizes every cluster, in memory: `<cluster>.k8s.yaml` with all its manifests, a
 * `kustomization.yaml` listing them (for `kubectl apply -k`, Flux and Argo CD) and any other file its chart writes.
 * The monitoring clusters are built first, and the source clusters read the aggregator endpoint, addresses and CA from
 * the chart of the one they ship to. Every error of every cluster is collected into one {@link FleetInventoryError}
 * naming `file` and the cluster, so that nothing is written when anything is wrong.
 */
export function synthesizeFleet(fleet: Fleet, file: string): ClusterOutput[] {
  const checked = checkFleet(fleet, file);
  const interval = checked.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  const target = shippingTarget(checked);
  const sources = checked.clusters.filter((c) => c.role === 'source');
  const problems: InventoryProblem[] = [];
  const attempt = <T>(cluster: FleetCluster, build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      problems.push({
        where: clusterLabel(cluster.name, checked.clusters.indexOf(cluster)),
        field: '',
        message: (error as Error).message,
      });
      return undefined;
    }
  };

  const built = new Map<FleetCluster, { app: App; extraFiles: () => Readonly<Record<string, string>> }>();
  let shipsTo: MonitoringClusterChart | undefined;
  for (const cluster of checked.clusters) {
    if (cluster.role !== 'monitoring') continue;
    const app = new App();
    const chart = attempt(cluster, () => {
      const ships = cluster === target ? sources : [];
      return new MonitoringClusterChart(app, cluster.name, {
        cluster,
        sourceClusters: ships,
        heartbeatIntervalSeconds: interval,
      });
    });
    if (!chart) continue;
    if (cluster === target) shipsTo = chart;
    built.set(cluster, { app, extraFiles: () => ({}) });
  }
  for (const cluster of sources) {
    if (!shipsTo) break; // the monitoring cluster failed, and its error is reported
    const app = new App();
    const monitoring = shipsTo;
    const chart = attempt(
      cluster,
      () =>
        new SourceClusterChart(app, cluster.name, { cluster, shipsTo: monitoring, heartbeatIntervalSeconds: interval }),
    );
    if (chart) built.set(cluster, { app, extraFiles: () => chart.extraFiles() });
  }

  const outputs: ClusterOutput[] = [];
  for (const cluster of checked.clusters) {
    const entry = built.get(cluster);
    if (!entry) continue;
    const files = attempt(cluster, () => {
      const manifests = `${cluster.name}.k8s.yaml`;
      return {
        [manifests]: entry.app.synthYaml(),
        ...entry.extraFiles(),
        [KUSTOMIZATION_FILE]: kustomization([manifests]),
      };
    });
    if (files) outputs.push({ cluster: cluster.name, files });
  }
  if (problems.length > 0) throw new FleetInventoryError(file, problems);
  return outputs;
}

/** A Kustomization over the cluster's manifest files. */
export function kustomization(resources: readonly string[]): string {
  return [
    '# Written by cdk8s-vector-fleet: `kubectl apply -k .`, or point Flux or Argo CD at this folder.',
    stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] }),
  ].join('\n');
}
