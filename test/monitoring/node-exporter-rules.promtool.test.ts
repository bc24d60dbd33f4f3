import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { NODE_EXPORTER_MAPPING, NodeExporterRecordingRules } from '../../lib/monitoring';
import { expectRulesValid, expectRuleTestsPass, testRules } from '../helpers/promtool';

/*
 * The node-exporter recording rules under promtool, on series shaped as Vector 0.57's host_metrics source sends them
 * by remote write (namespace `host`, its `collector` and `host` tags, the collector's own tags) with the agent's
 * cluster, environment, region and node tags. Every case reads the recorded series the way node-exporter dashboards
 * and alerts do (rate over counters, ratios of gauges) and expects node-exporter's names and labels.
 */

const CLUSTER = 'prod-eu-1';
const JOB = 'node-exporter';

function ruleFile(clusters = [{ cluster: CLUSTER, job: JOB }]): string {
  const chart = Testing.chart();
  new NodeExporterRecordingRules(chart, 'rules', { namespace: 'monitoring', clusters });
  const [rule] = Testing.synth(chart);
  return stringify({ groups: rule.spec.groups });
}

type Labels = Record<string, string>;
const render = (metric: string, labels: Labels) =>
  `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;

/** What the agent on `node` (pod `host`) puts on every host_* series. */
const agent = (node: string, host: string, collector: string, cluster = CLUSTER): Labels => ({
  cluster,
  collector,
  environment: 'production',
  host,
  node,
  region: 'eu-central',
});

/** The labels a recorded series carries: the agent's without host and collector, instance = node, job. */
const recorded = (node: string, extra: Labels = {}): Labels => ({
  cluster: CLUSTER,
  environment: 'production',
  instance: node,
  job: JOB,
  node,
  region: 'eu-central',
  ...extra,
});

const input = (metric: string, labels: Labels, values: string) => ({ series: render(metric, labels), values });
const expr = (query: string, samples: readonly { labels: Labels; value: number }[], evalTime = '10m') => ({
  expr: query,
  eval_time: evalTime,
  exp_samples: samples.map((s) => ({ labels: render('', s.labels), value: s.value })),
});

const NODE_A = 'ip-10-0-1-17.eu-central-1.compute.internal';
const POD_A = 'vector-agent-x7k2p';
const NODE_B = 'ip-10-0-2-23.eu-central-1.compute.internal';
const POD_B = 'vector-agent-q9w4z';

const cpu = (node: string, host: string, core: string, mode: string, values: string, cluster = CLUSTER) =>
  input('host_cpu_seconds_total', { ...agent(node, host, 'cpu', cluster), cpu: core, mode }, values);

const TESTS = [
  {
    name: 'CPU: rate of node_cpu_seconds_total per mode, io_wait spelled iowait, busy share per instance',
    interval: '1m',
    input_series: [
      // One core, one minute a sample: 30 s idle, 6 s iowait, 12 s user, 12 s system per minute (50 % busy).
      cpu(NODE_A, POD_A, '0', 'idle', '1000+30x15'),
      cpu(NODE_A, POD_A, '0', 'io_wait', '100+6x15'),
      cpu(NODE_A, POD_A, '0', 'user', '500+12x15'),
      cpu(NODE_A, POD_A, '0', 'system', '300+12x15'),
      cpu(NODE_A, POD_A, '0', 'nice', '0+0x15'),
    ],
    promql_expr_test: [
      expr('rate(node_cpu_seconds_total{job="node-exporter", mode="iowait"}[5m])', [
        { labels: recorded(NODE_A, { cpu: '0', mode: 'iowait' }), value: 0.1 },
      ]),
      expr('count(node_cpu_seconds_total{mode="io_wait"}) or vector(0)', [{ labels: {}, value: 0 }]),
      // Node Exporter Full's "CPU Busy".
      expr('100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{job="node-exporter", mode="idle"}[5m])))', [
        { labels: { instance: NODE_A }, value: 50 },
      ]),
      expr('count by (mode) (node_cpu_seconds_total)', [
        { labels: { mode: 'idle' }, value: 1 },
        { labels: { mode: 'iowait' }, value: 1 },
        { labels: { mode: 'nice' }, value: 1 },
        { labels: { mode: 'system' }, value: 1 },
        { labels: { mode: 'user' }, value: 1 },
      ]),
    ],
  },
  {
    name: 'memory and load: the /proc/meminfo fields by node-exporter name, used share as dashboards compute it',
    interval: '1m',
    input_series: [
      input('host_memory_total_bytes', agent(NODE_A, POD_A, 'memory'), '8000000000x15'),
      input('host_memory_available_bytes', agent(NODE_A, POD_A, 'memory'), '2000000000x15'),
      input('host_memory_free_bytes', agent(NODE_A, POD_A, 'memory'), '500000000x15'),
      input('host_memory_buffers_bytes', agent(NODE_A, POD_A, 'memory'), '100000000x15'),
      input('host_memory_cached_bytes', agent(NODE_A, POD_A, 'memory'), '1400000000x15'),
      input('host_memory_shared_bytes', agent(NODE_A, POD_A, 'memory'), '50000000x15'),
      input('host_memory_active_bytes', agent(NODE_A, POD_A, 'memory'), '5000000000x15'),
      input('host_memory_swap_total_bytes', agent(NODE_A, POD_A, 'memory'), '0x15'),
      input('host_memory_swap_free_bytes', agent(NODE_A, POD_A, 'memory'), '0x15'),
      input('host_load1', agent(NODE_A, POD_A, 'load'), '1.5x15'),
      input('host_load5', agent(NODE_A, POD_A, 'load'), '1.25x15'),
      input('host_load15', agent(NODE_A, POD_A, 'load'), '0.75x15'),
    ],
    promql_expr_test: [
      expr(
        '100 * (1 - node_memory_MemAvailable_bytes{job="node-exporter"} / node_memory_MemTotal_bytes{job="node-exporter"})',
        [{ labels: recorded(NODE_A), value: 75 }],
      ),
      expr(
        'node_memory_MemTotal_bytes - node_memory_MemFree_bytes - node_memory_Buffers_bytes - node_memory_Cached_bytes',
        [{ labels: recorded(NODE_A), value: 6_000_000_000 }],
      ),
      expr('node_memory_Shmem_bytes', [
        { labels: { __name__: 'node_memory_Shmem_bytes', ...recorded(NODE_A) }, value: 50_000_000 },
      ]),
      expr('node_memory_Active_bytes', [
        { labels: { __name__: 'node_memory_Active_bytes', ...recorded(NODE_A) }, value: 5e9 },
      ]),
      expr('node_memory_SwapTotal_bytes - node_memory_SwapFree_bytes', [{ labels: recorded(NODE_A), value: 0 }]),
      expr('node_load1', [{ labels: { __name__: 'node_load1', ...recorded(NODE_A) }, value: 1.5 }]),
      expr('node_load5', [{ labels: { __name__: 'node_load5', ...recorded(NODE_A) }, value: 1.25 }]),
      expr('node_load15', [{ labels: { __name__: 'node_load15', ...recorded(NODE_A) }, value: 0.75 }]),
    ],
  },
  {
    name: 'filesystem: size, avail (statvfs f_bavail), free (f_bfree), inodes; the filesystem tag becomes fstype',
    interval: '1m',
    input_series: [
      ...(
        [
          ['host_filesystem_total_bytes', '100000000000'],
          ['host_filesystem_free_bytes', '20000000000'],
          ['host_filesystem_used_bytes', '75000000000'],
          ['host_filesystem_inodes_total', '6400000'],
          ['host_filesystem_inodes_free', '6000000'],
        ] as const
      ).map(([metric, value]) =>
        input(
          metric,
          { ...agent(NODE_A, POD_A, 'filesystem'), device: '/dev/nvme0n1p1', filesystem: 'ext4', mountpoint: '/' },
          `${value}x15`,
        ),
      ),
    ],
    promql_expr_test: [
      // kube-prometheus' NodeFilesystemAlmostOutOfSpace, with its labels.
      expr(
        'node_filesystem_avail_bytes{job="node-exporter", fstype!=""} / node_filesystem_size_bytes{job="node-exporter", fstype!=""} * 100',
        [{ labels: recorded(NODE_A, { device: '/dev/nvme0n1p1', fstype: 'ext4', mountpoint: '/' }), value: 20 }],
      ),
      expr('node_filesystem_free_bytes', [
        {
          labels: {
            __name__: 'node_filesystem_free_bytes',
            ...recorded(NODE_A, { device: '/dev/nvme0n1p1', fstype: 'ext4', mountpoint: '/' }),
          },
          value: 25_000_000_000,
        },
      ]),
      expr('node_filesystem_files_free / node_filesystem_files', [
        { labels: recorded(NODE_A, { device: '/dev/nvme0n1p1', fstype: 'ext4', mountpoint: '/' }), value: 0.9375 },
      ]),
      expr('count({__name__=~"node_filesystem_.*", filesystem!=""}) or vector(0)', [{ labels: {}, value: 0 }]),
    ],
  },
  {
    name: 'disk and network: per-device byte and operation rates',
    interval: '1m',
    input_series: [
      input('host_disk_read_bytes_total', { ...agent(NODE_A, POD_A, 'disk'), device: 'nvme0n1' }, '0+6000000x15'),
      input('host_disk_written_bytes_total', { ...agent(NODE_A, POD_A, 'disk'), device: 'nvme0n1' }, '0+12000000x15'),
      input('host_disk_reads_completed_total', { ...agent(NODE_A, POD_A, 'disk'), device: 'nvme0n1' }, '0+600x15'),
      input('host_disk_writes_completed_total', { ...agent(NODE_A, POD_A, 'disk'), device: 'nvme0n1' }, '0+1200x15'),
      ...(
        [
          ['host_network_receive_bytes_total', '0+60000x15'],
          ['host_network_transmit_bytes_total', '0+120000x15'],
          ['host_network_receive_packets_total', '0+600x15'],
          ['host_network_transmit_packets_total', '0+300x15'],
          ['host_network_receive_errs_total', '0+6x15'],
          ['host_network_transmit_errs_total', '0+0x15'],
          ['host_network_transmit_packets_drop_total', '0+60x15'],
        ] as const
      ).map(([metric, values]) => input(metric, { ...agent(NODE_A, POD_A, 'network'), device: 'eth0' }, values)),
    ],
    promql_expr_test: [
      expr('rate(node_disk_read_bytes_total{job="node-exporter"}[5m])', [
        { labels: recorded(NODE_A, { device: 'nvme0n1' }), value: 100_000 },
      ]),
      expr('rate(node_disk_written_bytes_total[5m])', [
        { labels: recorded(NODE_A, { device: 'nvme0n1' }), value: 200_000 },
      ]),
      expr('rate(node_disk_reads_completed_total[5m]) + rate(node_disk_writes_completed_total[5m])', [
        { labels: recorded(NODE_A, { device: 'nvme0n1' }), value: 30 },
      ]),
      expr('round(rate(node_network_receive_bytes_total{job="node-exporter", device!="lo"}[5m]) * 8)', [
        { labels: recorded(NODE_A, { device: 'eth0' }), value: 8000 },
      ]),
      expr('round(rate(node_network_transmit_bytes_total[5m]))', [
        { labels: recorded(NODE_A, { device: 'eth0' }), value: 2000 },
      ]),
      expr('rate(node_network_receive_packets_total[5m]) + rate(node_network_transmit_packets_total[5m])', [
        { labels: recorded(NODE_A, { device: 'eth0' }), value: 15 },
      ]),
      expr('rate(node_network_receive_errs_total[5m]) + rate(node_network_transmit_errs_total[5m])', [
        { labels: recorded(NODE_A, { device: 'eth0' }), value: 0.1 },
      ]),
      expr('rate(node_network_transmit_drop_total[5m])', [{ labels: recorded(NODE_A, { device: 'eth0' }), value: 1 }]),
    ],
  },
  {
    name: "an agent restart: the old pod's last sample (no staleness marker) and the new pod's give one series",
    interval: '1m',
    input_series: [
      // The old pod's series stop at 5m; the new pod's start at 6m; both read the node's counters.
      cpu(NODE_A, POD_A, '0', 'idle', '1000+30x5 _x10'),
      cpu(NODE_A, 'vector-agent-r2d2c', '0', 'idle', '_x6 1180+30x9'),
      input('host_boot_time', agent(NODE_A, POD_A, 'host'), '1764800000x5 _x10'),
      input('host_boot_time', agent(NODE_A, 'vector-agent-r2d2c', 'host'), '_x6 1764800000x9'),
    ],
    promql_expr_test: [
      expr('count(node_cpu_seconds_total)', [{ labels: {}, value: 1 }], '7m'),
      // No counter reset and no double count across the restart: 30 s idle a minute.
      expr(
        'rate(node_cpu_seconds_total{mode="idle"}[5m])',
        [{ labels: recorded(NODE_A, { cpu: '0', mode: 'idle' }), value: 0.5 }],
        '10m',
      ),
      expr(
        'node_boot_time_seconds',
        [{ labels: { __name__: 'node_boot_time_seconds', ...recorded(NODE_A) }, value: 1_764_800_000 }],
        '7m',
      ),
    ],
  },
  {
    name: 'only the named cluster is recorded, each node as its own instance',
    interval: '1m',
    input_series: [
      cpu(NODE_A, POD_A, '0', 'idle', '0+30x15'),
      cpu(NODE_B, POD_B, '0', 'idle', '0+45x15'),
      cpu('staging-node-1', 'vector-agent-s1a2b', '0', 'idle', '0+60x15', 'staging-1'),
      input('host_load1', agent('staging-node-1', 'vector-agent-s1a2b', 'load', 'staging-1'), '3x15'),
    ],
    promql_expr_test: [
      expr('count by (cluster, instance) (node_cpu_seconds_total)', [
        { labels: { cluster: CLUSTER, instance: NODE_A }, value: 1 },
        { labels: { cluster: CLUSTER, instance: NODE_B }, value: 1 },
      ]),
      expr('count(node_load1) or vector(0)', [{ labels: {}, value: 0 }]),
    ],
  },
];

describe('NodeExporterRecordingRules under promtool', () => {
  it('passes promtool check rules', () => {
    expectRulesValid(ruleFile());
  });

  it('records the node-exporter series dashboards read, from the shapes the agents send', () => {
    expectRuleTestsPass(ruleFile(), stringify({ evaluation_interval: '1m', tests: TESTS }));
  });

  it('records every mapped series: each has a case above', () => {
    const tested = JSON.stringify(TESTS.map((t) => t.promql_expr_test));
    for (const { record } of NODE_EXPORTER_MAPPING) expect(tested, record).toContain(record);
  });

  it('fails the test when the rules would keep the host tag (the case can fail)', () => {
    const keepsHost = ruleFile().replaceAll('max without (host, collector', 'max without (collector');
    const result = testRules(keepsHost, stringify({ evaluation_interval: '1m', tests: [TESTS[4]] }));
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('node_cpu_seconds_total');
  });

  it('records the side-by-side job apart from node-exporter', () => {
    const file = ruleFile([{ cluster: CLUSTER, job: 'vector-host-metrics' }]);
    const test = {
      name: 'side by side',
      interval: '1m',
      input_series: [
        cpu(NODE_A, POD_A, '0', 'idle', '0+30x15'),
        // node-exporter's own series of the same node, still scraped.
        input(
          'node_cpu_seconds_total',
          { cluster: CLUSTER, cpu: '0', instance: '10.0.1.17:9100', job: JOB, mode: 'idle' },
          '0+30x15',
        ),
      ],
      promql_expr_test: [
        expr('count by (job) (node_cpu_seconds_total)', [
          { labels: { job: JOB }, value: 1 },
          { labels: { job: 'vector-host-metrics' }, value: 1 },
        ]),
      ],
    };
    expectRuleTestsPass(file, stringify({ evaluation_interval: '1m', tests: [test] }));
  });
});
