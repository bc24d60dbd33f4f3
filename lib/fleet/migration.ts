import { DEFAULT_VECTOR_NAMESPACE } from '../k8s/vector-workload';
import type { MigrationInventory, MonitoringCluster, RetiredDaemonSet, SourceCluster } from './inventory';

/** How long both stacks run before the old one may go: two days, a weekday's and a night's traffic twice over. */
export const SIDE_BY_SIDE_MIN_HOURS = 48;

/**
 * The `job` of the recorded `node_*` series while node-exporter still runs: apart from node-exporter's own, so that a
 * dashboard summing `node_*` counts each node once (it selects node-exporter's job).
 */
export const SIDE_BY_SIDE_NODE_JOB = 'vector-host-metrics';

/** The agents' DaemonSet on a source cluster: the one the migration must never retire. */
export const SOURCE_AGENT_DAEMONSET: RetiredDaemonSet = { namespace: DEFAULT_VECTOR_NAMESPACE, name: 'vector-agent' };

/** Whether the cluster's lines carry `collector="vector"`: while Promtail runs, and after its scale-down for rollback. */
export const marksLines = (migration: MigrationInventory | undefined): boolean =>
  migration?.promtail !== undefined && migration.phase !== 'done';

/** node-exporter's job for its series and dashboards, unless the inventory names another. */
export const nodeExporterJob = (nodeExporter: NonNullable<MigrationInventory['nodeExporter']>): string =>
  nodeExporter.job ?? nodeExporter.name;

/** The `job` the recorded `node_*` series carry in this phase, or undefined without node-exporter. */
export function recordedNodeJob(migration: MigrationInventory | undefined): string | undefined {
  const nodeExporter = migration?.nodeExporter;
  if (!nodeExporter) return undefined;
  return migration.phase === 'sideBySide' ? SIDE_BY_SIDE_NODE_JOB : nodeExporterJob(nodeExporter);
}

const README = 'README "Migrating from Promtail and node-exporter"';

/** A source cluster's migration settings against each other, the fleet's own agents, and what its phase needs. */
export function migrationProblems(
  cluster: SourceCluster,
  target: MonitoringCluster,
): { readonly field: string; readonly message: string }[] {
  const migration = cluster.migration;
  if (!migration) return [];
  const problems: { field: string; message: string }[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `migration${field}`, message });
  const { promtail, nodeExporter, sideBySide, phase } = migration;
  const ref = (d: RetiredDaemonSet) => `${d.namespace}/${d.name}`;

  if (!promtail && !nodeExporter) {
    problem(
      '',
      'names nothing to migrate from: give promtail, nodeExporter or both ({namespace, name} of the DaemonSet)',
    );
  }
  for (const [field, old] of [
    ['promtail', promtail],
    ['nodeExporter', nodeExporter],
  ] as const) {
    if (old && ref(old) === ref(SOURCE_AGENT_DAEMONSET)) {
      problem(
        `.${field}`,
        `"${ref(old)}" is the fleet's own agent DaemonSet, which the migration would scale down: give the ${field} DaemonSet (kubectl get daemonsets -A)`,
      );
    }
  }
  if (promtail && nodeExporter && ref(promtail) === ref(nodeExporter)) {
    problem('.nodeExporter', `"${ref(nodeExporter)}" is promtail's DaemonSet too: they are two DaemonSets, name each`);
  }
  if (nodeExporter && (cluster.remoteWrite === false || !target.remoteWrite.external)) {
    problem(
      '.nodeExporter',
      cluster.remoteWrite === false
        ? "the agents' host metrics replace node-exporter's, and remoteWrite: false keeps them from the monitoring cluster's Prometheus: remove remoteWrite: false, or drop nodeExporter"
        : `the agents' host metrics replace node-exporter's, and the monitoring cluster "${target.name}" has no remoteWrite.external endpoint to send them to: add it there, or drop nodeExporter`,
    );
  }

  if (sideBySide?.completedAt !== undefined) {
    const hours = (Date.parse(sideBySide.completedAt) - Date.parse(sideBySide.startedAt)) / 3_600_000;
    if (hours < SIDE_BY_SIDE_MIN_HOURS) {
      problem(
        '.sideBySide.completedAt',
        `${sideBySide.completedAt} is ${hours < 0 ? 'before startedAt' : `${Math.floor(hours * 10) / 10} hours after startedAt`}: run both stacks side by side for at least ${SIDE_BY_SIDE_MIN_HOURS} hours and compare them (${README}) before the cutover`,
      );
    } else if (phase === 'sideBySide') {
      problem(
        '.phase',
        `the side-by-side run is completed (sideBySide.completedAt): set phase: cutover to scale the old agents down`,
      );
    }
  }
  if (phase !== 'sideBySide' && sideBySide?.completedAt === undefined) {
    problem(
      '.sideBySide',
      `phase ${phase} needs a completed side-by-side run: give sideBySide.startedAt and sideBySide.completedAt, at least ${SIDE_BY_SIDE_MIN_HOURS} hours apart, once both stacks ran and matched (${README}); until then keep phase: sideBySide`,
    );
  }
  return problems;
}
