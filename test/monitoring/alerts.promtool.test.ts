import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkRules, expectRulesValid, expectRuleTestsPass, testRules } from '../helpers/promtool';
import { AGENT, AGGREGATOR, CLUSTER, EDGE_AGGREGATOR, manifestOf, monitoring } from './fixtures';

/*
 * The generated PrometheusRule run through promtool: `check rules`, then one `test rules` run holding, for every
 * alert, a case where it fires (exact labels and annotations) and one where it stays silent.
 *
 * Input series carry what the exporters emit plus what the scrape adds: Vector's internal metrics with its tags
 * (component_id, component_kind, component_type, buffer_id, stage, error_type, intentional) and the PodMonitor's
 * target labels (namespace, pod, container, endpoint, job, instance, and our node, cluster, role, workload);
 * kube-state-metrics and cAdvisor series as kube-prometheus-stack's ServiceMonitors scrape them.
 */

const { chart } = monitoring({
  targets: [AGENT, AGGREGATOR, EDGE_AGGREGATOR],
  ruleLabels: { release: 'kube-prometheus-stack' },
});
const RULE_FILE = stringify({ groups: manifestOf(chart, 'PrometheusRule').spec?.groups });

type Labels = Record<string, string>;

interface InputSeries {
  readonly series: string;
  readonly values: string;
}

interface ExpectedAlert {
  readonly exp_labels: Labels;
  readonly exp_annotations: Labels;
}

interface RuleTest {
  readonly name: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly { eval_time: string; alertname: string; exp_alerts: readonly ExpectedAlert[] }[];
}

const series = (metric: string, labels: Labels, values: string): InputSeries => ({
  series: `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`,
  values,
});

// --- what the scrapes put on the series -------------------------------------------------------------------------

function vectorPod(workload: typeof AGENT, pod: string, node: string, ip: string): Labels {
  return {
    cluster: CLUSTER,
    container: 'vector',
    endpoint: 'metrics',
    instance: `${ip}:9598`,
    job: `${workload.namespace}/${workload.workloadName}`,
    namespace: workload.namespace,
    node,
    pod,
    role: workload.role,
    workload: workload.workloadName,
  };
}

const agentA = vectorPod(AGENT, 'vector-agent-x7k2p', 'node-a', '10.0.1.17');
const agentB = vectorPod(AGENT, 'vector-agent-q9w4z', 'node-b', '10.0.2.23');
const aggregator0 = vectorPod(AGGREGATOR, 'vector-aggregator-0', 'node-c', '10.0.3.11');
const aggregator1 = vectorPod(AGGREGATOR, 'vector-aggregator-1', 'node-d', '10.0.4.12');

const ksm: Labels = {
  container: 'kube-state-metrics',
  endpoint: 'http',
  instance: '10.0.5.4:8080',
  job: 'kube-state-metrics',
  service: 'kube-state-metrics',
};

function cadvisor(namespace: string, pod: string, container: string, node: string): Labels {
  return {
    container,
    endpoint: 'https-metrics',
    id: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${pod.length}.slice/cri-containerd-${container || 'pod'}.scope`,
    image: container === 'vector' ? 'docker.io/timberio/vector:0.57.0-distroless-libc' : '',
    instance: '10.0.0.5:10250',
    job: 'kubelet',
    metrics_path: '/metrics/cadvisor',
    name: container === '' ? '' : `${container}-${pod}`,
    namespace,
    node,
    pod,
    service: 'kube-prometheus-stack-kubelet',
  };
}

function limits(namespace: string, pod: string, node: string, resource: 'memory' | 'cpu'): Labels {
  return {
    ...ksm,
    container: 'vector',
    namespace,
    node,
    pod,
    resource,
    uid: `0f6b3e6c-${pod.length}`,
    unit: resource === 'memory' ? 'byte' : 'core',
  };
}

const component = (id: string, kind: string, type: string): Labels => ({
  component_id: id,
  component_kind: kind,
  component_type: type,
});

// --- expected alert text ----------------------------------------------------------------------------------------

const AGENT_PODS =
  'app.kubernetes.io/name=vector,app.kubernetes.io/instance=vector-agent,app.kubernetes.io/component=agent';
const AGGREGATOR_PODS =
  'app.kubernetes.io/name=vector,app.kubernetes.io/instance=vector-aggregator,app.kubernetes.io/component=aggregator';
const EDGE_PODS =
  'app.kubernetes.io/name=vector,app.kubernetes.io/instance=vector-edge-aggregator,app.kubernetes.io/component=aggregator';

const rule = (role: string, workload: string, severity: string): Labels => ({
  cluster: CLUSTER,
  role,
  workload,
  severity,
});

const silent = (name: string, input: readonly InputSeries[], alertname: string, eval_time: string): RuleTest => ({
  name,
  input_series: input,
  alert_rule_test: [{ eval_time, alertname, exp_alerts: [] }],
});

const TESTS: RuleTest[] = [
  // VectorAgentDown --------------------------------------------------------------------------------------------
  {
    name: 'agent down on one node fires for that node only',
    input_series: [series('up', agentA, '1 1 0x10'), series('up', agentB, '1x12')],
    alert_rule_test: [
      {
        eval_time: '8m',
        alertname: 'VectorAgentDown',
        exp_alerts: [
          {
            exp_labels: { alertname: 'VectorAgentDown', ...agentA, ...rule('agent', 'vector-agent', 'critical') },
            exp_annotations: {
              summary: 'Vector agent pod vector-agent-x7k2p on node node-a is down',
              description:
                'Prometheus has not been able to scrape vector-system/vector-agent-x7k2p (DaemonSet ' +
                'vector-system/vector-agent) on node node-a for 5m: Vector is not running or not serving metrics on ' +
                'port "metrics", so the logs of this node are probably not being shipped. Check the pod\'s status, ' +
                'restarts and events (kubectl -n vector-system describe pod vector-agent-x7k2p) and its logs ' +
                '(kubectl -n vector-system logs vector-agent-x7k2p -c vector).',
            },
          },
        ],
      },
    ],
  },
  silent('agent down for less than 5m', [series('up', agentA, '1 1 0x10')], 'VectorAgentDown', '5m'),
  silent(
    'agents of another cluster or another workload are not ours',
    [
      series('up', { ...agentA, cluster: 'prod-us-1' }, '0x15'),
      series('up', { ...agentA, workload: 'vector-agent-canary', pod: 'vector-agent-canary-8kq2d' }, '0x15'),
    ],
    'VectorAgentDown',
    '12m',
  ),

  // VectorAgentPodsUnavailable -----------------------------------------------------------------------------------
  {
    name: 'a DaemonSet pod that never started is caught by kube-state-metrics',
    input_series: [
      series(
        'kube_daemonset_status_number_unavailable',
        { ...ksm, daemonset: 'vector-agent', namespace: 'vector-system' },
        '0 2x20',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '20m',
        alertname: 'VectorAgentPodsUnavailable',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAgentPodsUnavailable',
              ...ksm,
              daemonset: 'vector-agent',
              namespace: 'vector-system',
              ...rule('agent', 'vector-agent', 'warning'),
            },
            exp_annotations: {
              summary: '2 node(s) have no available Vector agent pod (DaemonSet vector-system/vector-agent)',
              description:
                'DaemonSet vector-system/vector-agent has had 2 node(s) without an available pod for 15m; those ' +
                'nodes ship no logs. A pod that never started (image pull, scheduling, admission, crash loop) has no ' +
                'scrape target, so only this alert sees it. Find the pods with kubectl -n vector-system get pods -l ' +
                `${AGENT_PODS} -o wide and check their events (kubectl -n vector-system describe daemonset ` +
                'vector-agent).',
            },
          },
        ],
      },
    ],
  },
  silent(
    'a rollout shorter than 15m, and another DaemonSet, stay silent',
    [
      series(
        'kube_daemonset_status_number_unavailable',
        { ...ksm, daemonset: 'vector-agent', namespace: 'vector-system' },
        '0 1x10 0x10',
      ),
      series(
        'kube_daemonset_status_number_unavailable',
        { ...ksm, daemonset: 'vector-agent-canary', namespace: 'vector-system' },
        '3x20',
      ),
    ],
    'VectorAgentPodsUnavailable',
    '20m',
  ),

  // VectorAgentComponentErrors -----------------------------------------------------------------------------------
  {
    name: 'sink errors on two agents are summed per component',
    input_series: [
      series(
        'vector_component_errors_total',
        {
          ...agentA,
          ...component('to_aggregators', 'sink', 'vector'),
          error_type: 'request_failed',
          stage: 'sending',
        },
        '0+6x30',
      ),
      series(
        'vector_component_errors_total',
        {
          ...agentB,
          ...component('to_aggregators', 'sink', 'vector'),
          error_type: 'request_failed',
          stage: 'sending',
        },
        '0+3x30',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '20m',
        alertname: 'VectorAgentComponentErrors',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAgentComponentErrors',
              namespace: 'vector-system',
              ...component('to_aggregators', 'sink', 'vector'),
              error_type: 'request_failed',
              ...rule('agent', 'vector-agent', 'warning'),
            },
            exp_annotations: {
              summary:
                'Vector agent component to_aggregators reports request_failed errors (vector-system/vector-agent)',
              description:
                'The sink to_aggregators (vector) of vector-system/vector-agent has reported request_failed errors ' +
                "at 0.15/s for 15m (threshold 0/s). Check the ERROR lines of the pods' logs that name it (kubectl " +
                `-n vector-system logs -l ${AGENT_PODS} -c vector --since=30m | grep to_aggregators) and the system ` +
                'it reads from or writes to.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'a short burst of errors, and an error counter that no longer grows, stay silent',
    [
      series(
        'vector_component_errors_total',
        { ...agentA, ...component('to_aggregators', 'sink', 'vector'), error_type: 'request_failed', stage: 'sending' },
        '0x10 60x20',
      ),
      series(
        'vector_component_errors_total',
        {
          ...agentB,
          ...component('kubernetes_logs', 'source', 'kubernetes_logs'),
          error_type: 'reader_failed',
          stage: 'receiving',
        },
        '5x30',
      ),
    ],
    'VectorAgentComponentErrors',
    '30m',
  ),

  // VectorAgentEventsDiscarded -----------------------------------------------------------------------------------
  {
    name: 'events dropped by an erroring remap fire',
    input_series: [
      series(
        'vector_component_discarded_events_total',
        { ...agentA, ...component('parse_json', 'transform', 'remap'), intentional: 'false' },
        '0+30x30',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '15m',
        alertname: 'VectorAgentEventsDiscarded',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAgentEventsDiscarded',
              namespace: 'vector-system',
              ...component('parse_json', 'transform', 'remap'),
              ...rule('agent', 'vector-agent', 'warning'),
            },
            exp_annotations: {
              summary: 'Vector agent component parse_json is losing events (vector-system/vector-agent)',
              description:
                'The transform parse_json (remap) of vector-system/vector-agent has discarded 0.50 events/s because ' +
                'of errors for 10m; these events are lost. Intentional drops (filter, sample, throttle) are not ' +
                "counted. Check the pods' logs for the component's errors and whether its destination rejects the " +
                'events (bad payloads, auth, limits).',
            },
          },
        ],
      },
    ],
  },
  silent(
    'a filter dropping events on purpose stays silent',
    [
      series(
        'vector_component_discarded_events_total',
        { ...agentA, ...component('drop_healthchecks', 'transform', 'filter'), intentional: 'true' },
        '0+600x30',
      ),
    ],
    'VectorAgentEventsDiscarded',
    '20m',
  ),

  // VectorAgentBufferDiscardingEvents ----------------------------------------------------------------------------
  {
    name: 'a full drop_newest buffer fires',
    input_series: [
      series(
        'vector_buffer_discarded_events_total',
        {
          ...agentA,
          ...component('to_aggregators', 'sink', 'vector'),
          buffer_id: 'to_aggregators',
          intentional: 'true',
          stage: '0',
        },
        '0+120x20',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '10m',
        alertname: 'VectorAgentBufferDiscardingEvents',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAgentBufferDiscardingEvents',
              namespace: 'vector-system',
              ...component('to_aggregators', 'sink', 'vector'),
              buffer_id: 'to_aggregators',
              ...rule('agent', 'vector-agent', 'critical'),
            },
            exp_annotations: {
              summary:
                'Buffer of Vector agent component to_aggregators is dropping events (vector-system/vector-agent)',
              description:
                'The buffer in front of to_aggregators (vector) in vector-system/vector-agent has dropped 2.00 ' +
                'events/s for 5m: it is full and set to when_full: drop_newest, so events are lost. Its destination ' +
                "is slower than the input or unreachable: check the sink's errors and sent events, then give it a " +
                'larger or a disk buffer.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'a buffer that stopped dropping stays silent',
    [
      series(
        'vector_buffer_discarded_events_total',
        {
          ...agentA,
          ...component('to_aggregators', 'sink', 'vector'),
          buffer_id: 'to_aggregators',
          intentional: 'true',
          stage: '0',
        },
        '250x20',
      ),
    ],
    'VectorAgentBufferDiscardingEvents',
    '15m',
  ),

  // VectorAgentBufferNearlyFull ----------------------------------------------------------------------------------
  {
    name: 'a disk buffer over 80 % of max_size fires for its pod only',
    input_series: [
      ...[agentA, agentB].flatMap((pod, i) => {
        const labels = {
          ...pod,
          ...component('to_aggregators', 'sink', 'vector'),
          buffer_id: 'to_aggregators',
          stage: '0',
        };
        return [
          series('vector_buffer_size_bytes', labels, i === 0 ? '900000000x20' : '100000000x20'),
          series('vector_buffer_max_size_bytes', labels, '1073741824x20'),
        ];
      }),
    ],
    alert_rule_test: [
      {
        eval_time: '16m',
        alertname: 'VectorAgentBufferNearlyFull',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAgentBufferNearlyFull',
              namespace: 'vector-system',
              pod: 'vector-agent-x7k2p',
              node: 'node-a',
              ...component('to_aggregators', 'sink', 'vector'),
              buffer_id: 'to_aggregators',
              stage: '0',
              ...rule('agent', 'vector-agent', 'warning'),
            },
            exp_annotations: {
              summary: 'Buffer of to_aggregators in Vector agent pod vector-agent-x7k2p is 83.82% full',
              description:
                'The buffer in front of to_aggregators (vector) in vector-system/vector-agent-x7k2p on node node-a ' +
                'has been above 80 % of its configured maximum for 15m. A full buffer blocks its inputs (when_full: ' +
                "block) or drops events (drop_newest). Check whether the destination is down or slow (the sink's " +
                'errors and sent events) and whether the buffer is sized for the traffic.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'a buffer full for less than 15m, and a buffer without a max gauge, stay silent',
    [
      series(
        'vector_buffer_size_bytes',
        { ...agentA, ...component('to_aggregators', 'sink', 'vector'), buffer_id: 'to_aggregators', stage: '0' },
        '100000000x5 900000000x10',
      ),
      series(
        'vector_buffer_max_size_bytes',
        { ...agentA, ...component('to_aggregators', 'sink', 'vector'), buffer_id: 'to_aggregators', stage: '0' },
        '1073741824x15',
      ),
      series(
        'vector_buffer_size_events',
        { ...agentB, ...component('console_debug', 'sink', 'console'), buffer_id: 'console_debug', stage: '0' },
        '5000000x15',
      ),
    ],
    'VectorAgentBufferNearlyFull',
    '15m',
  ),

  // VectorAgentMemoryNearLimit -----------------------------------------------------------------------------------
  {
    name: 'an agent container over 80 % of its memory limit fires; pod cgroups, CPU limits and canaries do not count',
    input_series: [
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-agent-x7k2p', 'vector', 'node-a'),
        '460000000x20',
      ),
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-agent-x7k2p', '', 'node-a'),
        '470000000x20',
      ),
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-agent-x7k2p', 'POD', 'node-a'),
        '400000x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-system', 'vector-agent-x7k2p', 'node-a', 'memory'),
        '536870912x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-system', 'vector-agent-x7k2p', 'node-a', 'cpu'),
        '0.5x20',
      ),
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-agent-canary-8kq2d', 'vector', 'node-b'),
        '530000000x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-system', 'vector-agent-canary-8kq2d', 'node-b', 'memory'),
        '536870912x20',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '16m',
        alertname: 'VectorAgentMemoryNearLimit',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAgentMemoryNearLimit',
              namespace: 'vector-system',
              pod: 'vector-agent-x7k2p',
              container: 'vector',
              ...rule('agent', 'vector-agent', 'warning'),
            },
            exp_annotations: {
              summary: 'Vector agent pod vector-agent-x7k2p uses 85.68% of its memory limit',
              description:
                'Container vector of vector-system/vector-agent-x7k2p has used more than 80 % of its memory limit ' +
                'for 15m. At the limit it is OOM-killed and loses what its memory buffers hold. Look for a growing ' +
                'memory buffer behind a slow sink or for high-cardinality tags, and raise the limit if the load is ' +
                'legitimate.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'an agent well under its memory limit stays silent',
    [
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-agent-x7k2p', 'vector', 'node-a'),
        '300000000x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-system', 'vector-agent-x7k2p', 'node-a', 'memory'),
        '536870912x20',
      ),
    ],
    'VectorAgentMemoryNearLimit',
    '16m',
  ),

  // VectorAggregatorDown -----------------------------------------------------------------------------------------
  {
    name: 'an aggregator replica down fires for that pod',
    input_series: [series('up', aggregator0, '1x10'), series('up', aggregator1, '1 0x10')],
    alert_rule_test: [
      {
        eval_time: '7m',
        alertname: 'VectorAggregatorDown',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorDown',
              ...aggregator1,
              ...rule('aggregator', 'vector-aggregator', 'critical'),
            },
            exp_annotations: {
              summary: 'Vector aggregator pod vector-aggregator-1 on node node-d is down',
              description:
                'Prometheus has not been able to scrape vector-system/vector-aggregator-1 (StatefulSet ' +
                'vector-system/vector-aggregator) on node node-d for 5m: Vector is not running or not serving metrics ' +
                'on port "metrics", so the remaining replicas carry its load. Check the pod\'s status, restarts and ' +
                'events (kubectl -n vector-system describe pod vector-aggregator-1) and its logs (kubectl -n ' +
                'vector-system logs vector-aggregator-1 -c vector).',
            },
          },
        ],
      },
    ],
  },
  silent(
    'aggregators that answer stay silent',
    [series('up', aggregator0, '1x10'), series('up', aggregator1, '1x10')],
    'VectorAggregatorDown',
    '10m',
  ),

  // VectorAggregatorReplicasDown ---------------------------------------------------------------------------------
  // `< on (...)` keeps only the matching labels, so kube-state-metrics' own scrape labels do not reach the alert.
  {
    name: 'a StatefulSet and a Deployment short of replicas both fire',
    input_series: [
      series(
        'kube_statefulset_status_replicas_ready',
        { ...ksm, namespace: 'vector-system', statefulset: 'vector-aggregator' },
        '3 2x15',
      ),
      series(
        'kube_statefulset_replicas',
        { ...ksm, namespace: 'vector-system', statefulset: 'vector-aggregator' },
        '3x16',
      ),
      series(
        'kube_deployment_status_replicas_available',
        { ...ksm, namespace: 'vector-edge', deployment: 'vector-edge-aggregator' },
        '2 1x15',
      ),
      series(
        'kube_deployment_spec_replicas',
        { ...ksm, namespace: 'vector-edge', deployment: 'vector-edge-aggregator' },
        '2x16',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '15m',
        alertname: 'VectorAggregatorReplicasDown',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorReplicasDown',
              namespace: 'vector-system',
              statefulset: 'vector-aggregator',
              ...rule('aggregator', 'vector-aggregator', 'critical'),
            },
            exp_annotations: {
              summary: 'Vector aggregator StatefulSet vector-system/vector-aggregator has only 2 ready replica(s)',
              description:
                'StatefulSet vector-system/vector-aggregator has had fewer ready replicas than desired for 10m. ' +
                'Agents fail over to the remaining replicas, which may fall behind, fill their buffers and drop ' +
                `events. Check kubectl -n vector-system get pods -l ${AGGREGATOR_PODS} -o wide and the pods' events ` +
                '(scheduling, volume binding, crash loops, failing probes).',
            },
          },
          {
            exp_labels: {
              alertname: 'VectorAggregatorReplicasDown',
              namespace: 'vector-edge',
              deployment: 'vector-edge-aggregator',
              ...rule('aggregator', 'vector-edge-aggregator', 'critical'),
            },
            exp_annotations: {
              summary:
                'Vector aggregator Deployment vector-edge/vector-edge-aggregator has only 1 available replica(s)',
              description:
                'Deployment vector-edge/vector-edge-aggregator has had fewer available replicas than desired for ' +
                '10m. Agents fail over to the remaining replicas, which may fall behind, fill their buffers and drop ' +
                `events. Check kubectl -n vector-edge get pods -l ${EDGE_PODS} -o wide and the pods' events ` +
                '(scheduling, volume binding, crash loops, failing probes).',
            },
          },
        ],
      },
    ],
  },
  silent(
    'replicas back within 10m, or all ready, stay silent',
    [
      series(
        'kube_statefulset_status_replicas_ready',
        { ...ksm, namespace: 'vector-system', statefulset: 'vector-aggregator' },
        '3 2x5 3x10',
      ),
      series(
        'kube_statefulset_replicas',
        { ...ksm, namespace: 'vector-system', statefulset: 'vector-aggregator' },
        '3x16',
      ),
      series(
        'kube_deployment_status_replicas_available',
        { ...ksm, namespace: 'vector-edge', deployment: 'vector-edge-aggregator' },
        '2x16',
      ),
      series(
        'kube_deployment_spec_replicas',
        { ...ksm, namespace: 'vector-edge', deployment: 'vector-edge-aggregator' },
        '2x16',
      ),
    ],
    'VectorAggregatorReplicasDown',
    '15m',
  ),

  // VectorAggregatorComponentErrors ------------------------------------------------------------------------------
  {
    name: 'Loki sink errors on an aggregator fire',
    input_series: [
      series(
        'vector_component_errors_total',
        { ...aggregator0, ...component('loki', 'sink', 'loki'), error_type: 'request_failed', stage: 'sending' },
        '0+12x30',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '20m',
        alertname: 'VectorAggregatorComponentErrors',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorComponentErrors',
              namespace: 'vector-system',
              ...component('loki', 'sink', 'loki'),
              error_type: 'request_failed',
              ...rule('aggregator', 'vector-aggregator', 'warning'),
            },
            exp_annotations: {
              summary:
                'Vector aggregator component loki reports request_failed errors (vector-system/vector-aggregator)',
              description:
                'The sink loki (loki) of vector-system/vector-aggregator has reported request_failed errors at ' +
                "0.20/s for 15m (threshold 0/s). Check the ERROR lines of the pods' logs that name it (kubectl -n " +
                `vector-system logs -l ${AGGREGATOR_PODS} -c vector --since=30m | grep loki) and the system it reads ` +
                'from or writes to.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'an aggregator without new errors stays silent',
    [
      series(
        'vector_component_errors_total',
        { ...aggregator0, ...component('loki', 'sink', 'loki'), error_type: 'request_failed', stage: 'sending' },
        '42x30',
      ),
    ],
    'VectorAggregatorComponentErrors',
    '20m',
  ),

  // VectorAggregatorEventsDiscarded ------------------------------------------------------------------------------
  {
    name: 'events rejected by Loki fire',
    input_series: [
      series(
        'vector_component_discarded_events_total',
        { ...aggregator1, ...component('loki', 'sink', 'loki'), intentional: 'false' },
        '0+60x30',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '15m',
        alertname: 'VectorAggregatorEventsDiscarded',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorEventsDiscarded',
              namespace: 'vector-system',
              ...component('loki', 'sink', 'loki'),
              ...rule('aggregator', 'vector-aggregator', 'warning'),
            },
            exp_annotations: {
              summary: 'Vector aggregator component loki is losing events (vector-system/vector-aggregator)',
              description:
                'The sink loki (loki) of vector-system/vector-aggregator has discarded 1.00 events/s because of ' +
                'errors for 10m; these events are lost. Intentional drops (filter, sample, throttle) are not ' +
                "counted. Check the pods' logs for the component's errors and whether its destination rejects the " +
                'events (bad payloads, auth, limits).',
            },
          },
        ],
      },
    ],
  },
  silent(
    'per-namespace sampling drops on purpose and stays silent',
    [
      series(
        'vector_component_discarded_events_total',
        { ...aggregator1, ...component('sample_noisy', 'transform', 'sample'), intentional: 'true' },
        '0+6000x30',
      ),
    ],
    'VectorAggregatorEventsDiscarded',
    '15m',
  ),

  // VectorAggregatorBufferDiscardingEvents -----------------------------------------------------------------------
  {
    name: 'an aggregator buffer dropping events fires',
    input_series: [
      series(
        'vector_buffer_discarded_events_total',
        { ...aggregator0, ...component('loki', 'sink', 'loki'), buffer_id: 'loki', intentional: 'true', stage: '0' },
        '0+30x20',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '10m',
        alertname: 'VectorAggregatorBufferDiscardingEvents',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorBufferDiscardingEvents',
              namespace: 'vector-system',
              ...component('loki', 'sink', 'loki'),
              buffer_id: 'loki',
              ...rule('aggregator', 'vector-aggregator', 'critical'),
            },
            exp_annotations: {
              summary:
                'Buffer of Vector aggregator component loki is dropping events (vector-system/vector-aggregator)',
              description:
                'The buffer in front of loki (loki) in vector-system/vector-aggregator has dropped 0.50 events/s ' +
                'for 5m: it is full and set to when_full: drop_newest, so events are lost. Its destination is slower ' +
                "than the input or unreachable: check the sink's errors and sent events, then give it a larger or a " +
                'disk buffer.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'an aggregator buffer that drops nothing stays silent',
    [
      series(
        'vector_buffer_discarded_events_total',
        { ...aggregator0, ...component('loki', 'sink', 'loki'), buffer_id: 'loki', intentional: 'true', stage: '0' },
        '0x20',
      ),
    ],
    'VectorAggregatorBufferDiscardingEvents',
    '10m',
  ),

  // VectorAggregatorBufferNearlyFull -----------------------------------------------------------------------------
  {
    name: 'a memory buffer over 80 % of max_events fires',
    input_series: [
      series(
        'vector_buffer_size_events',
        {
          ...aggregator0,
          ...component('prometheus', 'sink', 'prometheus_remote_write'),
          buffer_id: 'prometheus',
          stage: '0',
        },
        '450x20',
      ),
      series(
        'vector_buffer_max_size_events',
        {
          ...aggregator0,
          ...component('prometheus', 'sink', 'prometheus_remote_write'),
          buffer_id: 'prometheus',
          stage: '0',
        },
        '500x20',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '16m',
        alertname: 'VectorAggregatorBufferNearlyFull',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorBufferNearlyFull',
              namespace: 'vector-system',
              pod: 'vector-aggregator-0',
              node: 'node-c',
              ...component('prometheus', 'sink', 'prometheus_remote_write'),
              buffer_id: 'prometheus',
              stage: '0',
              ...rule('aggregator', 'vector-aggregator', 'warning'),
            },
            exp_annotations: {
              summary: 'Buffer of prometheus in Vector aggregator pod vector-aggregator-0 is 90% full',
              description:
                'The buffer in front of prometheus (prometheus_remote_write) in vector-system/vector-aggregator-0 on ' +
                'node node-c has been above 80 % of its configured maximum for 15m. A full buffer blocks its inputs ' +
                '(when_full: block) or drops events (drop_newest). Check whether the destination is down or slow ' +
                "(the sink's errors and sent events) and whether the buffer is sized for the traffic.",
            },
          },
        ],
      },
    ],
  },
  silent(
    'a memory buffer at 20 % stays silent',
    [
      series(
        'vector_buffer_size_events',
        {
          ...aggregator0,
          ...component('prometheus', 'sink', 'prometheus_remote_write'),
          buffer_id: 'prometheus',
          stage: '0',
        },
        '100x20',
      ),
      series(
        'vector_buffer_max_size_events',
        {
          ...aggregator0,
          ...component('prometheus', 'sink', 'prometheus_remote_write'),
          buffer_id: 'prometheus',
          stage: '0',
        },
        '500x20',
      ),
    ],
    'VectorAggregatorBufferNearlyFull',
    '16m',
  ),

  // VectorAggregatorMemoryNearLimit ------------------------------------------------------------------------------
  {
    name: 'StatefulSet and Deployment pods near their memory limit both fire',
    input_series: [
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-aggregator-0', 'vector', 'node-c'),
        '1800000000x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-system', 'vector-aggregator-0', 'node-c', 'memory'),
        '2147483648x20',
      ),
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-edge', 'vector-edge-aggregator-7d9c5b6f4-hx2kq', 'vector', 'node-e'),
        '1000000000x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-edge', 'vector-edge-aggregator-7d9c5b6f4-hx2kq', 'node-e', 'memory'),
        '1073741824x20',
      ),
    ],
    alert_rule_test: [
      {
        eval_time: '16m',
        alertname: 'VectorAggregatorMemoryNearLimit',
        exp_alerts: [
          {
            exp_labels: {
              alertname: 'VectorAggregatorMemoryNearLimit',
              namespace: 'vector-system',
              pod: 'vector-aggregator-0',
              container: 'vector',
              ...rule('aggregator', 'vector-aggregator', 'warning'),
            },
            exp_annotations: {
              summary: 'Vector aggregator pod vector-aggregator-0 uses 83.82% of its memory limit',
              description:
                'Container vector of vector-system/vector-aggregator-0 has used more than 80 % of its memory limit ' +
                'for 15m. At the limit it is OOM-killed and loses what its memory buffers hold. Look for a growing ' +
                'memory buffer behind a slow sink or for high-cardinality tags, and raise the limit if the load is ' +
                'legitimate.',
            },
          },
          {
            exp_labels: {
              alertname: 'VectorAggregatorMemoryNearLimit',
              namespace: 'vector-edge',
              pod: 'vector-edge-aggregator-7d9c5b6f4-hx2kq',
              container: 'vector',
              ...rule('aggregator', 'vector-edge-aggregator', 'warning'),
            },
            exp_annotations: {
              summary: 'Vector aggregator pod vector-edge-aggregator-7d9c5b6f4-hx2kq uses 93.13% of its memory limit',
              description:
                'Container vector of vector-edge/vector-edge-aggregator-7d9c5b6f4-hx2kq has used more than 80 % of ' +
                'its memory limit for 15m. At the limit it is OOM-killed and loses what its memory buffers hold. ' +
                'Look for a growing memory buffer behind a slow sink or for high-cardinality tags, and raise the ' +
                'limit if the load is legitimate.',
            },
          },
        ],
      },
    ],
  },
  silent(
    'aggregators under their memory limit stay silent',
    [
      series(
        'container_memory_working_set_bytes',
        cadvisor('vector-system', 'vector-aggregator-0', 'vector', 'node-c'),
        '1000000000x20',
      ),
      series(
        'kube_pod_container_resource_limits',
        limits('vector-system', 'vector-aggregator-0', 'node-c', 'memory'),
        '2147483648x20',
      ),
    ],
    'VectorAggregatorMemoryNearLimit',
    '16m',
  ),
];

describe('VectorMonitoring alert rules under promtool', () => {
  it('pass promtool check rules', () => {
    expectRulesValid(RULE_FILE);
    expect(checkRules(RULE_FILE).output).toContain('SUCCESS: 21 rules found');
  });

  it('have a firing and a silent promtool test for every alert', () => {
    const alertnames = (manifestOf(chart, 'PrometheusRule').spec?.groups as { rules: { alert: string }[] }[])
      .flatMap((group) => group.rules.map((r) => r.alert))
      .filter((name, i, all) => all.indexOf(name) === i);
    const cases = TESTS.flatMap((t) => t.alert_rule_test);
    for (const name of alertnames) {
      const mine = cases.filter((c) => c.alertname === name);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${name} fires somewhere`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${name} stays silent somewhere`,
      ).toBe(true);
    }
    expect(alertnames).toHaveLength(14);
  });

  it('fire and stay silent exactly as the promtool tests expect', () => {
    expectRuleTestsPass(RULE_FILE, stringify({ evaluation_interval: '1m', tests: TESTS.map(withInterval) }));
  });

  it('report a wrong expectation with promtool output', () => {
    const wrong: RuleTest = {
      ...TESTS[0],
      alert_rule_test: [{ ...TESTS[0].alert_rule_test[0], exp_alerts: [] }],
    };
    const result = testRules(RULE_FILE, stringify({ evaluation_interval: '1m', tests: [withInterval(wrong)] }));
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('VectorAgentDown');
    expect(() => expectRuleTestsPass(RULE_FILE, stringify({ tests: [withInterval(wrong)] }))).toThrow(
      /^promtool test rules failed \(exit 1\):\n/,
    );
  });

  it('report a broken rule file through check rules', () => {
    const broken = stringify({ groups: [{ name: 'x', rules: [{ alert: 'Broken', expr: 'sum(' }] }] });
    expect(checkRules(broken).exitCode).not.toBe(0);
    expect(() => expectRulesValid(broken)).toThrow(/promtool check rules failed[\s\S]*parse error/);
  });
});

function withInterval(test: RuleTest): RuleTest & { interval: string } {
  return { ...test, interval: '1m' };
}
