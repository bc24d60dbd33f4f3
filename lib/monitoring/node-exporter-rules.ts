import { Construct } from 'constructs';
import { commonLabels } from '../k8s/labels';
import { PrometheusRule, type RecordingRule } from '../k8s/prometheus-operator';
import { checkDnsLabel, checkDnsSubdomain, propError } from '../k8s/prop-errors';
import { labelMap, labelValue } from './validation';

/*
 * node-exporter's series, recorded from what the Vector agents' `host_metrics` source sends by remote write, so that
 * the node-exporter dashboards and alerts a team has keep working when node-exporter is scaled down.
 *
 * What arrives (Vector 0.57, namespace `host`): `host_<name>{collector, host, <the collector's tags>}` plus the agent's
 * `cluster, environment, region, node` (lib/agent/agent-pipeline.ts). Each rule keeps one cluster's series, renames the
 * tags node-exporter spells differently, sets `instance` to the node name and drops `host` (the agent pod's hostname,
 * new on every restart) and `collector`. `max without (host, collector)` rather than a plain rename: for five minutes
 * after an agent restarts, Prometheus still returns the old pod's last sample (remote write sends no staleness marker)
 * beside the new pod's; both read the same node's /proc, so the maximum is the newest reading, where a rename would
 * give two series with the same labels and fail the rule.
 */

/** How one node-exporter series is computed from the agent's series: `from` is PromQL with `{SELECTOR}` in it. */
export interface NodeExporterMapping {
  /** node-exporter's name, e.g. `node_cpu_seconds_total`. */
  readonly record: string;
  /** The agent's series it comes from, e.g. `host_cpu_seconds_total`, or an expression of them. */
  readonly from: string;
  /** Vector tags renamed to node-exporter's labels, `{ vectorTag: nodeExporterLabel }`. @default none */
  readonly renameTags?: Readonly<Record<string, string>>;
  /** A tag value node-exporter spells differently, `[tag, vectorValue, nodeExporterValue]`. @default none */
  readonly renameValue?: readonly [string, string, string];
}

const FS_TAGS = { filesystem: 'fstype' } as const;
const S = '{SELECTOR}';

/** The node-exporter series the common dashboards (Node Exporter Full, kube-prometheus' node views) read, mapped. */
export const NODE_EXPORTER_MAPPING: readonly NodeExporterMapping[] = [
  // CPU: Vector reports idle, io_wait, nice, system and user per cpu.
  { record: 'node_cpu_seconds_total', from: `host_cpu_seconds_total${S}`, renameValue: ['mode', 'io_wait', 'iowait'] },
  // Load
  { record: 'node_load1', from: `host_load1${S}` },
  { record: 'node_load5', from: `host_load5${S}` },
  { record: 'node_load15', from: `host_load15${S}` },
  // Memory: heim reads /proc/meminfo, the field in node-exporter's name.
  { record: 'node_memory_MemTotal_bytes', from: `host_memory_total_bytes${S}` },
  { record: 'node_memory_MemFree_bytes', from: `host_memory_free_bytes${S}` },
  { record: 'node_memory_MemAvailable_bytes', from: `host_memory_available_bytes${S}` },
  { record: 'node_memory_Buffers_bytes', from: `host_memory_buffers_bytes${S}` },
  { record: 'node_memory_Cached_bytes', from: `host_memory_cached_bytes${S}` },
  { record: 'node_memory_Shmem_bytes', from: `host_memory_shared_bytes${S}` },
  { record: 'node_memory_Active_bytes', from: `host_memory_active_bytes${S}` },
  { record: 'node_memory_SwapTotal_bytes', from: `host_memory_swap_total_bytes${S}` },
  { record: 'node_memory_SwapFree_bytes', from: `host_memory_swap_free_bytes${S}` },
  // Filesystem: Vector's free bytes are statvfs' f_bavail (node-exporter's avail); f_bfree is total minus used.
  { record: 'node_filesystem_size_bytes', from: `host_filesystem_total_bytes${S}`, renameTags: FS_TAGS },
  { record: 'node_filesystem_avail_bytes', from: `host_filesystem_free_bytes${S}`, renameTags: FS_TAGS },
  {
    record: 'node_filesystem_free_bytes',
    from: `host_filesystem_total_bytes${S} - host_filesystem_used_bytes${S}`,
    renameTags: FS_TAGS,
  },
  { record: 'node_filesystem_files', from: `host_filesystem_inodes_total${S}`, renameTags: FS_TAGS },
  { record: 'node_filesystem_files_free', from: `host_filesystem_inodes_free${S}`, renameTags: FS_TAGS },
  // Disk I/O, by device as /proc/diskstats names it (sda, nvme0n1).
  { record: 'node_disk_read_bytes_total', from: `host_disk_read_bytes_total${S}` },
  { record: 'node_disk_written_bytes_total', from: `host_disk_written_bytes_total${S}` },
  { record: 'node_disk_reads_completed_total', from: `host_disk_reads_completed_total${S}` },
  { record: 'node_disk_writes_completed_total', from: `host_disk_writes_completed_total${S}` },
  // Network, by interface.
  { record: 'node_network_receive_bytes_total', from: `host_network_receive_bytes_total${S}` },
  { record: 'node_network_transmit_bytes_total', from: `host_network_transmit_bytes_total${S}` },
  { record: 'node_network_receive_packets_total', from: `host_network_receive_packets_total${S}` },
  { record: 'node_network_transmit_packets_total', from: `host_network_transmit_packets_total${S}` },
  { record: 'node_network_receive_errs_total', from: `host_network_receive_errs_total${S}` },
  { record: 'node_network_transmit_errs_total', from: `host_network_transmit_errs_total${S}` },
  { record: 'node_network_transmit_drop_total', from: `host_network_transmit_packets_drop_total${S}` },
  // Host
  { record: 'node_boot_time_seconds', from: `host_boot_time${S}` },
];

/** node-exporter series the common dashboards read that Vector's host_metrics has no source for: they stay empty. */
export const NODE_EXPORTER_UNMAPPED: readonly string[] = [
  'node_cpu_seconds_total{mode=~"irq|softirq|steal|guest|guest_nice"}',
  'node_disk_io_time_seconds_total',
  'node_disk_io_time_weighted_seconds_total',
  'node_disk_read_time_seconds_total',
  'node_disk_write_time_seconds_total',
  'node_disk_io_now',
  'node_network_receive_drop_total',
  'node_network_up',
  'node_network_info',
  'node_uname_info',
  'node_filesystem_readonly',
  'node_filesystem_device_error',
  'node_memory_* other than the ones above (Dirty, Slab, PageTables, ...)',
  'node_vmstat_*',
  'node_context_switches_total',
  'node_intr_total',
  'node_procs_running',
  'node_procs_blocked',
  'node_time_seconds',
  'node_timex_*',
  'node_hwmon_*',
  'node_textfile_*',
];

/** Vector tags that are not node-exporter labels: the agent pod's hostname and the collector's name. */
const DROPPED_TAGS = ['host', 'collector'];

/** The recording rules that give one cluster's agent host metrics node-exporter's names, with `job` set to `job`. */
export function nodeExporterRecordingRules(cluster: string, job: string): RecordingRule[] {
  const selector = `{cluster="${cluster}"}`;
  return NODE_EXPORTER_MAPPING.map((m) => {
    let expr = m.from.replaceAll(S, selector);
    const renamed = Object.entries(m.renameTags ?? {});
    for (const [tag, label] of renamed) expr = `label_replace(${expr}, "${label}", "$1", "${tag}", "(.*)")`;
    if (m.renameValue) {
      const [tag, vector, nodeExporter] = m.renameValue;
      expr = `label_replace(${expr}, "${tag}", "${nodeExporter}", "${tag}", "${vector}")`;
    }
    expr = `label_replace(${expr}, "instance", "$1", "node", "(.+)")`;
    const dropped = [...DROPPED_TAGS, ...renamed.map(([tag]) => tag)];
    return { record: m.record, expr: `max without (${dropped.join(', ')}) (${expr})`, labels: { job } };
  });
}

/** One source cluster whose agents replace node-exporter, and the `job` its recorded series carry. */
export interface NodeExporterCluster {
  /** The `cluster` label its agents put on their metrics. */
  readonly cluster: string;
  /**
   * The `job` of the recorded series: node-exporter's (kube-prometheus-stack's is `node-exporter`) once node-exporter
   * is gone, so dashboards and alerts that select it keep working; any other while both run, so nothing counts twice.
   */
  readonly job: string;
}

export interface NodeExporterRecordingRulesProps {
  /** Where the PrometheusRule goes: the namespace of the Prometheus that receives the agents' remote write. */
  readonly namespace: string;
  /** One rule group per cluster. */
  readonly clusters: readonly NodeExporterCluster[];
  /** Labels Prometheus selects rules by, e.g. `{ release: 'kube-prometheus-stack' }`. @default none */
  readonly ruleLabels?: Readonly<Record<string, string>>;
  /** @default 'vector-node-exporter-names' */
  readonly name?: string;
}

/**
 * A PrometheusRule that records node-exporter's `node_*` series from the Vector agents' `host_*` ones, one group per
 * cluster ({@link NODE_EXPORTER_MAPPING}; {@link NODE_EXPORTER_UNMAPPED} have no source). `instance` is the node's
 * name, where node-exporter's is `<pod IP>:9100`.
 */
export class NodeExporterRecordingRules extends Construct {
  readonly prometheusRule: PrometheusRule;

  constructor(scope: Construct, id: string, props: NodeExporterRecordingRulesProps) {
    super(scope, id);
    if (!Array.isArray(props.clusters) || props.clusters.length === 0) {
      throw propError(this, 'clusters', props.clusters, 'give at least one {cluster, job}');
    }
    const seen = new Set<string>();
    props.clusters.forEach((c, i) => {
      checkDnsLabel(this, `clusters[${i}].cluster`, c.cluster);
      if (seen.has(c.cluster)) {
        throw propError(this, `clusters[${i}].cluster`, c.cluster, 'name each cluster once: it gets one rule group');
      }
      seen.add(c.cluster);
      this.fail(labelValue(`clusters[${i}].job`, c.job, false));
    });
    this.fail(labelMap('ruleLabels', props.ruleLabels ?? {})[0]);
    const name = checkDnsSubdomain(this, 'name', props.name ?? 'vector-node-exporter-names');
    this.prometheusRule = new PrometheusRule(this, 'PrometheusRule', {
      metadata: {
        name,
        namespace: checkDnsLabel(this, 'namespace', props.namespace),
        labels: {
          ...commonLabels({ name: 'vector-node-exporter-names', instance: name, component: 'rules' }),
          ...props.ruleLabels,
        },
      },
      spec: {
        groups: props.clusters.map((c) => ({
          name: `node-exporter-names-${c.cluster}`,
          rules: nodeExporterRecordingRules(c.cluster, c.job),
        })),
      },
    });
  }

  private fail(problem: string | undefined): void {
    if (problem !== undefined) throw new Error(`${this.node.path}: ${problem}`);
  }
}
