// Self-monitoring of Vector workloads: scrape targets, alerts and a Grafana dashboard.
export type { MonitoredEndpoint, MonitoredWorkload } from './monitored-workload';
export {
  VECTOR_ALERT_KINDS,
  type VectorAlertDurations,
  type VectorAlertKind,
  type VectorAlertSeverities,
} from './alerts';
export { VectorMonitoring, type VectorDashboardOptions, type VectorMonitoringProps } from './vector-monitoring';
export {
  NODE_EXPORTER_MAPPING,
  NODE_EXPORTER_UNMAPPED,
  NodeExporterRecordingRules,
  nodeExporterRecordingRules,
  type NodeExporterCluster,
  type NodeExporterMapping,
  type NodeExporterRecordingRulesProps,
} from './node-exporter-rules';
