import { type AgentPipelineOptions, AGENT_IDS, buildAgentPipeline } from '../../lib/agent';
import { runRemap, type VectorPipeline } from '../../lib/vector';
import { CLUSTER } from './agent-fixtures';

// Events as Vector 0.57's kubernetes_logs source emits them (legacy log namespace), for running the agent's VRL.

/** When the container runtime wrote the line (the CRI timestamp), as `kubernetes_logs` sets `.timestamp`. */
export const WRITTEN = '2025-01-02T03:04:05.123456789Z';
export const KUBERNETES = {
  pod_namespace: 'shop',
  pod_name: 'web-7d4b9c-x2x9q',
  pod_uid: '0b1f6c62-2f4e-4c0e-9d55-1c1f1c0f2a11',
  container_name: 'web',
  pod_node_name: 'node-1',
  pod_labels: { 'app.kubernetes.io/name': 'web' },
};
export const FILE = `/var/log/pods/shop_web-7d4b9c-x2x9q_${KUBERNETES.pod_uid}/web/0.log`;

/** A `kubernetes_logs` event (legacy log namespace) of one line, as the source emits it in Vector 0.57. */
export function kubernetesLogsEvent(line: string, stream: 'stdout' | 'stderr' = 'stdout', timestamp = WRITTEN) {
  return { message: line, timestamp, file: FILE, stream, source_type: 'kubernetes_logs', kubernetes: KUBERNETES };
}

/** The agent's pipeline with logs only (the remap is the same whatever else is on). */
const pipelineOf = (parseJson: boolean): VectorPipeline =>
  buildAgentPipeline({
    cluster: CLUSTER,
    dataDir: '/vector-data-dir',
    apiPort: 8686,
    metricsPort: 9598,
    kubernetesLogs: true,
    globCooldownMs: 2000,
    hostMetrics: false,
    kubelet: false,
    parseJson,
    multiline: false,
    journald: false,
    aggregator: { endpoints: ['aggregator:6000'], bufferBytes: 268435488, tls: false },
    remoteWrite: false,
  } satisfies AgentPipelineOptions);
const PIPELINES = { true: pipelineOf(true), false: pipelineOf(false) };
export const agentLogsPipeline = (parseJson = true): VectorPipeline => PIPELINES[`${parseJson}`];

/** What the agent sends the aggregators for one line read at `timestamp`: enrich_logs run on it. */
export function sentByAgent(line: string, timestamp = WRITTEN): Record<string, unknown> {
  const outcome = runRemap(agentLogsPipeline(), AGENT_IDS.enrichLogs, kubernetesLogsEvent(line, 'stdout', timestamp), {
    timestamps: ['timestamp'],
  });
  if (outcome.dropped || outcome.error) throw new Error(`enrich_logs failed on ${line}`);
  return outcome.event;
}
