import { type ClusterIdentity, vrlString } from '../k8s/cluster';
import { aggregatorSink } from '../k8s/tls';
import { VectorPipeline } from '../vector';
import { enrichLogsVrl } from './enrich-logs-vrl';
import { enrichJournaldVrl } from './journald-vrl';
import { type MultilineSettings, multilineReduce } from './multiline';

/** Component ids of the agent's default pipeline, for wiring user components to it. */
export const AGENT_IDS = {
  kubernetesLogs: 'kubernetes_logs',
  multiline: 'merge_multiline',
  journald: 'journald',
  enrichJournald: 'enrich_journald',
  hostMetrics: 'host_metrics',
  kubeletMetrics: 'kubelet_cadvisor',
  internalMetrics: 'vector_metrics',
  enrichLogs: 'enrich_logs',
  enrichMetrics: 'enrich_metrics',
  toAggregators: 'to_aggregators',
  remoteWrite: 'remote_write',
  selfMetrics: 'self_metrics',
} as const;

/** Files the agent's secret backends read (mounted from Secrets by the construct). */
/** The kubelet's authenticated HTTPS port. */
export const KUBELET_PORT = 10250;
export const KUBELET_TOKEN_DIR = '/var/run/secrets/vector/kubelet';
export const REMOTE_WRITE_TOKEN_DIR = '/var/run/secrets/vector/remote-write';
/** The cluster CA, in the automounted service-account volume. */
export const CLUSTER_CA_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

/** Downward-API variables the agent's config may read; the container's env holds them and no other that the config names. */
export const NODE_IP_ENV = 'VECTOR_SELF_NODE_IP';
export const NODE_NAME_ENV = 'VECTOR_SELF_NODE_NAME';

export interface AgentPipelineOptions {
  readonly cluster: ClusterIdentity;
  readonly dataDir: string;
  readonly apiPort: number;
  readonly metricsPort: number;
  readonly kubernetesLogs: boolean;
  /** Rescan interval of /var/log/pods (ms). */
  readonly globCooldownMs: number;
  readonly hostMetrics: boolean;
  readonly kubelet: false | { readonly verifyCertificate: boolean; readonly scrapeIntervalSecs: number };
  readonly parseJson: boolean;
  /** Merge stack traces of container logs before parsing and enrichment. */
  readonly multiline: false | MultilineSettings;
  /** Node logs from the systemd journal. */
  readonly journald: false | { readonly units: readonly string[]; readonly journalDirectory: string | undefined };
  readonly aggregator:
    false | { readonly endpoints: readonly string[]; readonly bufferBytes: number; readonly tls: boolean };
  readonly remoteWrite: false | { readonly endpoint: string; readonly bearerToken: boolean };
}

/**
 * The agent's default pipeline: container logs enriched with cluster and Kubernetes metadata and
 * shipped to the aggregators; host and kubelet metrics with cluster tags to remote write; Vector's
 * own metrics on an exporter for Prometheus. Each part can be left out.
 */
export function buildAgentPipeline(o: AgentPipelineOptions): VectorPipeline {
  const ids = AGENT_IDS;
  const logInputs: string[] = [];
  const pipeline = new VectorPipeline({
    global: { data_dir: o.dataDir, api: { enabled: true, address: `0.0.0.0:${o.apiPort}` } },
    // The kubelet endpoint differs per node and Vector 0.57 interpolates no variable unless told
    // to: the node IP comes from the downward API, and it is the only variable the config names.
    interpolatedEnvVars: o.kubelet ? [NODE_IP_ENV] : [],
  });

  if (o.kubernetesLogs) {
    pipeline.addSource(
      ids.kubernetesLogs,
      { type: 'kubernetes_logs', glob_minimum_cooldown_ms: o.globCooldownMs },
      {
        comment: [
          `Rescan /var/log/pods every ${o.globCooldownMs} ms instead of Vector's 60000: a pod that lives`,
          'for seconds is otherwise gone before its file is found. The agent excludes its own pods',
          'with the label vector.dev/exclude=true, which kubernetes_logs always honours.',
        ].join('\n'),
      },
    );
    if (o.multiline) {
      pipeline.addTransform(ids.multiline, multilineReduce(ids.kubernetesLogs, o.multiline), {
        comment: [
          'Stack traces merged into one event, before JSON parsing and enrichment: a trace line is no JSON, the',
          "line hash must cover the whole trace, and grouping needs Vector's own file and stream (one container's",
          'stdout or stderr), so lines of different containers never merge.',
        ].join('\n'),
      });
    }
    pipeline.addTransform(ids.enrichLogs, {
      type: 'remap',
      inputs: [o.multiline ? ids.multiline : ids.kubernetesLogs],
      source: enrichLogsVrl(o.cluster, o.parseJson),
    });
    logInputs.push(ids.enrichLogs);
  }
  if (o.journald) {
    pipeline.addSource(
      ids.journald,
      {
        type: 'journald',
        include_units: o.journald.units,
        // The cursor is the only unique key of a journal entry: it becomes the line hash the aggregators dedupe on.
        emit_cursor: true,
        ...(o.journald.journalDirectory === undefined ? {} : { journal_directory: o.journald.journalDirectory }),
      },
      {
        comment: [
          "Node logs: journalctl (from the -debian image) reads the node's journal, mounted read-only.",
          o.journald.journalDirectory === undefined
            ? 'No journal_directory: journalctl finds /var/log/journal (persistent) or /run/log/journal (volatile).'
            : `journal_directory ${o.journald.journalDirectory} is given.`,
        ].join('\n'),
      },
    );
    pipeline.addTransform(ids.enrichJournald, {
      type: 'remap',
      inputs: [ids.journald],
      source: enrichJournaldVrl(o.cluster, NODE_NAME_ENV),
    });
    logInputs.push(ids.enrichJournald);
  }

  const metricInputs: string[] = [];
  if (o.hostMetrics) {
    pipeline.addSource(
      ids.hostMetrics,
      { type: 'host_metrics', namespace: 'host' },
      { comment: "Reads the node's /proc and /sys, mounted read-only at PROCFS_ROOT and SYSFS_ROOT." },
    );
    metricInputs.push(ids.hostMetrics);
  }
  if (o.kubelet) {
    pipeline.addSecretBackend('kubelet', {
      type: 'directory',
      path: KUBELET_TOKEN_DIR,
      remove_trailing_whitespace: true,
    });
    pipeline.addSource(
      ids.kubeletMetrics,
      {
        type: 'prometheus_scrape',
        endpoints: [`https://\${${NODE_IP_ENV}}:${KUBELET_PORT}/metrics/cadvisor`],
        scrape_interval_secs: o.kubelet.scrapeIntervalSecs,
        auth: { strategy: 'bearer', token: 'SECRET[kubelet.token]' },
        tls: {
          verify_certificate: o.kubelet.verifyCertificate,
          verify_hostname: false,
          // Without ca_file Vector verifies against the image's public roots, which never sign a kubelet certificate.
          ...(o.kubelet.verifyCertificate ? { ca_file: CLUSTER_CA_FILE } : {}),
        },
      },
      {
        comment: [
          "The node's kubelet, by the node IP from the downward API (the only interpolated variable).",
          'Authenticated with a long-lived service-account token: Vector reads secrets once, so a',
          'rotating projected token would expire under it.',
          ...(o.kubelet.verifyCertificate
            ? []
            : ['Kubelet serving certificates are usually self-signed, so they are not verified.']),
        ].join('\n'),
      },
    );
    metricInputs.push(ids.kubeletMetrics);
  }
  if (metricInputs.length > 0) {
    pipeline.addTransform(ids.enrichMetrics, {
      type: 'remap',
      inputs: metricInputs,
      source: enrichMetricsVrl(o.cluster),
    });
  }

  pipeline.addSource(ids.internalMetrics, { type: 'internal_metrics' });
  pipeline.addSink(ids.selfMetrics, {
    type: 'prometheus_exporter',
    inputs: [ids.internalMetrics],
    address: `0.0.0.0:${o.metricsPort}`,
  });

  if (o.aggregator && logInputs.length > 0) {
    pipeline.addSink(ids.toAggregators, {
      // mTLS: the aggregators' certificate and name verified, the agent's client certificate presented.
      ...aggregatorSink(logInputs, o.aggregator.endpoints, o.aggregator.tls),
      buffer: { type: 'disk', max_size: o.aggregator.bufferBytes, when_full: 'block' },
    });
  }
  if (o.remoteWrite && metricInputs.length > 0) {
    if (o.remoteWrite.bearerToken) {
      pipeline.addSecretBackend('remote_write', {
        type: 'directory',
        path: REMOTE_WRITE_TOKEN_DIR,
        remove_trailing_whitespace: true,
      });
    }
    pipeline.addSink(ids.remoteWrite, {
      type: 'prometheus_remote_write',
      inputs: [ids.enrichMetrics],
      endpoint: o.remoteWrite.endpoint,
      ...(o.remoteWrite.bearerToken ? { auth: { strategy: 'bearer', token: 'SECRET[remote_write.token]' } } : {}),
    });
  }
  return pipeline;
}

function enrichMetricsVrl(cluster: ClusterIdentity): string {
  return [
    `.tags.cluster = ${vrlString(cluster.name)}`,
    `.tags.environment = ${vrlString(cluster.environment)}`,
    `.tags.region = ${vrlString(cluster.region)}`,
    `.tags.node = get_env_var("${NODE_NAME_ENV}") ?? "unknown"`,
    '',
  ].join('\n');
}
