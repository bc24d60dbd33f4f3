import { App, Chart } from 'cdk8s';
import { FluxFleetDelivery, normalizeRepositoryPath } from '../delivery';
import type { Fleet } from './inventory';
import { shippingTarget } from './load-inventory';

/**
 * The folder of `dist/` with the delivery objects. A cluster name is a DNS label, which cannot start with "_", so no
 * cluster's folder can take its place.
 */
export const FLUX_DELIVERY_FOLDER = '_flux';
/** Where the delivery expects the synthesized folders in the repository, unless the inventory says. */
export const DEFAULT_DELIVERY_PATH = 'dist';

/**
 * The Flux objects that deliver a checked fleet: one Kustomization per cluster, each source cluster's depending on the
 * monitoring cluster it ships to, so that the aggregators and their CA are ready before any agent starts shipping.
 * Returns the manifests of `dist/_flux/`, or undefined without `delivery`.
 */
export function synthesizeDelivery(fleet: Fleet): App | undefined {
  const { delivery } = fleet;
  if (!delivery) return undefined;
  const app = new App();
  const chart = new Chart(app, FLUX_DELIVERY_FOLDER, { disableResourceNameHashes: true });
  new FluxFleetDelivery(chart, 'flux', {
    repository: delivery.repository,
    path: delivery.path ?? DEFAULT_DELIVERY_PATH,
    selfFolder: FLUX_DELIVERY_FOLDER,
    namespace: delivery.namespace,
    interval: delivery.interval,
    timeout: delivery.timeout,
    clusters: fleet.clusters.map((cluster) => ({
      name: cluster.name,
      local: cluster.name === delivery.managementCluster,
      dependsOn: cluster.role === 'source' ? [shippingTarget(fleet, cluster)!.name] : [],
    })),
  });
  return app;
}

/**
 * Why the delivery's `path` is not `outputPath`, the folder the synth writes relative to the repository root; Flux
 * would find no cluster folders there.
 */
export function deliveryPathProblem(fleet: Fleet, outputPath: string): string | undefined {
  if (!fleet.delivery) return undefined;
  const path = normalizeRepositoryPath(fleet.delivery.path ?? DEFAULT_DELIVERY_PATH);
  const written = normalizeRepositoryPath(outputPath.split('\\').join('/'));
  if (path === written) return undefined;
  const given = fleet.delivery.path === undefined ? `"${path}" (the default)` : JSON.stringify(fleet.delivery.path);
  return `${given} is not where the synth writes: it writes "${written}" of the repository (CDK8S_OUTDIR, or FLEET_PROMOTE_TO with cdk8s synth), so Flux would find no cluster folders; set path: ${written}, or write to ${path}`;
}
