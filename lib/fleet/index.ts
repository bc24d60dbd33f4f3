export * from './inventory';
export { checkFleet, FleetInventoryError, type InventoryProblem, parseFleetYaml } from './load-inventory';
export { MonitoringClusterChart, type MonitoringClusterChartProps } from './monitoring-cluster-chart';
export { DEFAULT_PROMETHEUS } from './prometheus';
export {
  AIRFLOW_HELM_VALUES_FILE,
  DEFAULT_REMOTE_WRITE_TOKEN_SECRET,
  SourceClusterChart,
  type SourceClusterChartProps,
} from './source-cluster-chart';
export * from './synthesize-fleet';
export { writeClusters } from './write-clusters';
export { DEFAULT_DELIVERY_PATH, FLUX_DELIVERY_FOLDER } from './fleet-delivery';
export { synthesizeCluster, type SynthesizedCluster } from './cluster-files';
export { fleetPrerequisiteHints } from './prerequisite-hints';
export { countKinds, synthSummary } from './synth-summary';
