import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from '../heartbeat';
import type { Fleet, FleetCluster, SourceCluster } from './inventory';
import { deliveryPathProblem, FLUX_DELIVERY_FOLDER, synthesizeDelivery } from './fleet-delivery';
import type { ReferenceOptions } from '../k8s/object-references';
import type { PrerequisiteHint } from '../k8s/prerequisites';
import { PREREQUISITES_FILE } from '../k8s/prerequisites-file';
import { synthesizeCluster } from './cluster-files';
import { checkFleet, clusterLabel, FleetInventoryError, type InventoryProblem, shippingTarget } from './load-inventory';
import { MonitoringClusterChart } from './monitoring-cluster-chart';
import { fleetPrerequisiteHints } from './prerequisite-hints';
import { SourceClusterChart } from './source-cluster-chart';

/** What one cluster's folder `dist/<cluster>/` holds: file name to text. */
export interface ClusterOutput {
  readonly cluster: string;
  readonly files: Readonly<Record<string, string>>;
}

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * Checks the inventory and synthesizes every cluster, in memory: `<cluster>.k8s.yaml` with all its manifests, a
 * `kustomization.yaml` listing them (for `kubectl apply -k`, Flux and Argo CD), `prerequisites.yaml` (what they refer
 * to but do not create, not listed in the kustomization) and any other file its chart writes.
 * The monitoring clusters are built first, and each source cluster reads the aggregator endpoint, addresses and CA from
 * the chart of the one it ships to. Every error of every cluster is collected into one {@link FleetInventoryError}
 * naming `file` and the cluster, so that nothing is written when anything is wrong.
 */
export function synthesizeFleet(fleet: Fleet, file: string, options: SynthesizeFleetOptions = {}): ClusterOutput[] {
  const checked = checkFleet(fleet, file);
  const interval = checked.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  const sources = checked.clusters.filter((c): c is SourceCluster => c.role === 'source');
  const targetOf = new Map(sources.map((c) => [c, shippingTarget(checked, c)]));
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
  const charts = new Map<FleetCluster, MonitoringClusterChart>();
  for (const cluster of checked.clusters) {
    if (cluster.role !== 'monitoring') continue;
    const app = new App();
    const chart = attempt(
      cluster,
      () =>
        new MonitoringClusterChart(app, cluster.name, {
          cluster,
          // Its aggregators admit, and its heartbeat alert watches, exactly the source clusters that ship to it.
          sourceClusters: sources.filter((s) => targetOf.get(s) === cluster),
          heartbeatIntervalSeconds: interval,
        }),
    );
    if (!chart) continue;
    charts.set(cluster, chart);
    built.set(cluster, { app, extraFiles: () => ({}) });
  }
  for (const cluster of sources) {
    const monitoring = charts.get(targetOf.get(cluster)!);
    if (!monitoring) continue; // the monitoring cluster failed, and its error is reported
    const app = new App();
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
      const hints = fleetPrerequisiteHints(cluster, cluster.role === 'source' ? targetOf.get(cluster) : undefined);
      // A monitoring cluster may name where its cert-manager keeps ClusterIssuers' Secrets (its CA's, with its agent on).
      const references =
        cluster.role === 'monitoring' ? { clusterResourceNamespace: cluster.certManagerNamespace } : {};
      return clusterFolder(cluster.name, entry.app, entry.extraFiles(), hints, references);
    });
    if (files) outputs.push(files);
  }
  // Delivery: dist/_flux/, beside the clusters' folders, and only from an inventory that synthesized whole.
  const pathProblem = options.outputPath === undefined ? undefined : deliveryPathProblem(checked, options.outputPath);
  if (pathProblem) problems.push({ where: 'fleet', field: 'delivery.path', message: pathProblem });
  if (checked.delivery && problems.length === 0) {
    try {
      outputs.push(clusterFolder(FLUX_DELIVERY_FOLDER, synthesizeDelivery(checked)!, {}, []));
    } catch (error) {
      problems.push({ where: 'fleet', field: 'delivery', message: (error as Error).message });
    }
  }
  if (problems.length > 0) throw new FleetInventoryError(file, problems);
  return outputs;
}

export interface SynthesizeFleetOptions {
  /**
   * The folder the output is written to, relative to the root of the Git repository that holds it: the inventory's
   * `delivery.path` must be this folder, since Flux reads the clusters' folders there.
   * @default not checked (the output is not in a Git repository)
   */
  readonly outputPath?: string;
}

/** A folder holding `<name>.k8s.yaml` and a kustomization listing it. */
/**
 * One folder: `<name>.k8s.yaml`, the extra files, `prerequisites.yaml` derived from the same objects, and a
 * kustomization listing the manifests only.
 */
function clusterFolder(
  name: string,
  app: App,
  extraFiles: Readonly<Record<string, string>>,
  hints: readonly PrerequisiteHint[],
  references: ReferenceOptions = {},
): ClusterOutput {
  const manifests = `${name}.k8s.yaml`;
  const synthesized = synthesizeCluster(name, app, hints, references);
  return {
    cluster: name,
    files: {
      [manifests]: synthesized.manifests,
      ...extraFiles,
      [PREREQUISITES_FILE]: synthesized.prerequisites,
      [KUSTOMIZATION_FILE]: kustomization([manifests]),
    },
  };
}

/** A Kustomization over the cluster's manifest files. */
export function kustomization(resources: readonly string[]): string {
  return [
    '# Written by cdk8s-vector-fleet: `kubectl apply -k .`, or point Flux or Argo CD at this folder.',
    stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] }),
  ].join('\n');
}
