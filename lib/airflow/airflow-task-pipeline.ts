import { type ClusterIdentity, vrlString } from '../k8s/cluster';
import { allowUnconfinedTemplates, templatesConfined, VECTOR_VERSION, type WhenFull, VectorPipeline } from '../vector';

/** Component ids of the sidecar's pipeline, for wiring your own components to it. */
export const AIRFLOW_TASK_IDS = {
  /** `stdin`: the task's lines as the sidecar's shell tags them, `<stream>\t<line>`. */
  taskOutput: 'task_output',
  /** `remap`: splits off the stream and adds the task's identity; read this one. */
  taskFields: 'task_fields',
  loki: 'loki',
} as const;

/**
 * The sidecar's environment variables the config reads at run time with VRL's `get_env_var` (not interpolation),
 * each set by the downward API from the annotation Airflow puts on the task pod, or from the pod's namespace.
 */
export const TASK_ENV = {
  dagId: 'AIRFLOW_DAG_ID',
  taskId: 'AIRFLOW_TASK_ID',
  runId: 'AIRFLOW_RUN_ID',
  tryNumber: 'AIRFLOW_TRY_NUMBER',
  mapIndex: 'AIRFLOW_MAP_INDEX',
  namespace: 'POD_NAMESPACE',
} as const;

/**
 * Loki stream labels of task lines: `dag_id` is one value per DAG (tens to hundreds, stable across runs), so it is a
 * label, and `{dag_id="d"}` selects a DAG's lines without reading anyone else's.
 */
export const AIRFLOW_LOKI_LABELS = ['cluster', 'namespace', 'dag_id'] as const;

/**
 * Sent as Loki structured metadata, not labels: `task_id` multiplies the streams by the tasks of every DAG (thousands
 * in a large Airflow, each stream written for the seconds a task pod lives, so Loki would keep many tiny chunks);
 * `run_id` and `try_number` are new with every run. Filter on them after the selector: `{dag_id="d"} | task_id="t"`.
 * (`map_index` stays in the line only: unmapped tasks have none.)
 */
export const AIRFLOW_LOKI_STRUCTURED_METADATA = ['task_id', 'run_id', 'try_number'] as const;

/** Where the Loki bearer token Secret is mounted in the sidecar. */
export const LOKI_TOKEN_DIR = '/var/run/secrets/vector/loki';

export interface AirflowTaskPipelineOptions {
  readonly cluster: ClusterIdentity;
  /** Vector's `data_dir`: the shared emptyDir (nothing is written there; it only has to be writable). */
  readonly dataDir: string;
  readonly loki: {
    readonly endpoint: string;
    readonly tenantId?: string;
    readonly bearerToken: boolean;
    readonly bufferEvents: number;
    readonly whenFull: WhenFull;
  };
}

/**
 * The sidecar's pipeline: the task's lines from stdin, tagged with the stream, the task's identity and the cluster,
 * pushed to Loki in batches of at most half a second. Vector stops by itself at the end of its stdin, after flushing.
 */
export function buildAirflowTaskPipeline(o: AirflowTaskPipelineOptions): VectorPipeline {
  const ids = AIRFLOW_TASK_IDS;
  // No API: a task pod is never probed, and one port less to bind per task.
  const pipeline = new VectorPipeline({ global: { data_dir: o.dataDir } });
  pipeline.addSource(
    ids.taskOutput,
    { type: 'stdin' },
    {
      comment: [
        "The sidecar's shell feeds the task's stdout and stderr here, one line per event, as <stream>TAB<line>.",
        'At the end of stdin (the task has ended) Vector shuts down gracefully: it flushes the sink, then exits.',
      ].join('\n'),
    },
  );
  pipeline.addTransform(ids.taskFields, { type: 'remap', inputs: [ids.taskOutput], source: taskFieldsVrl(o.cluster) });

  if (o.loki.bearerToken) {
    pipeline.addSecretBackend('loki', { type: 'directory', path: LOKI_TOKEN_DIR, remove_trailing_whitespace: true });
  }
  pipeline.addSink(
    ids.loki,
    {
      type: 'loki',
      inputs: [ids.taskFields],
      endpoint: o.loki.endpoint,
      ...(o.loki.tenantId ? { tenant_id: o.loki.tenantId } : {}),
      ...(o.loki.bearerToken ? { auth: { strategy: 'bearer' as const, token: 'SECRET[loki.token]' } } : {}),
      encoding: { codec: 'json' },
      labels: Object.fromEntries(AIRFLOW_LOKI_LABELS.map((l) => [l, l === 'cluster' ? o.cluster.name : `{{ ${l} }}`])),
      structured_metadata: Object.fromEntries(AIRFLOW_LOKI_STRUCTURED_METADATA.map((f) => [f, `{{ ${f} }}`])),
      ...allowUnconfinedTemplates(),
      batch: { timeout_secs: 0.5 },
      buffer: { type: 'memory', max_events: o.loki.bufferEvents, when_full: o.loki.whenFull },
      healthcheck: { enabled: false },
    },
    {
      comment: [
        `Labels: ${AIRFLOW_LOKI_LABELS.join(', ')} (a bounded set: one stream per DAG, not per run); task_id, run_id`,
        'and try_number go to structured metadata (each stream would live seconds): {dag_id="d"} | task_id="t".',
        ...(templatesConfined()
          ? [
              `Values are whole-field templates, which Vector ${VECTOR_VERSION} refuses unless`,
              'dangerously_allow_unconfined_template_resolution is true; Loki label values are not paths, so it is safe.',
            ]
          : []),
        'A batch waits at most 0.5 s: a task pod lives for seconds. A memory buffer: the pod and its disk are',
        `gone after the task; when it is full, ${o.loki.whenFull === 'block' ? 'the task waits for Loki' : 'new lines are dropped rather than the task made to wait for Loki'}.`,
        'No healthcheck: it would cost Loki one request per task and change nothing.',
        'No acknowledgements: the stdin source cannot acknowledge (Vector 0.57), so they would add only a startup',
        'warning; what holds the lines is the tee waiting for Vector and the flush before Vector exits at EOF.',
      ].join('\n'),
    },
  );
  return pipeline;
}

function taskFieldsVrl(cluster: ClusterIdentity): string {
  const env = (name: string) => `get_env_var(${vrlString(name)}) ?? ""`;
  return [
    '# The sidecar writes "<stream>\\t<line>": split off the stream.',
    'parts = split(string!(.message), "\\t", limit: 2)',
    'if length(parts) == 2 {',
    '  .stream = parts[0]',
    '  .message = parts[1]',
    '}',
    "# From the task pod's annotations (exact values; Airflow shortens and hashes the labels of the same names).",
    `.dag_id = ${env(TASK_ENV.dagId)}`,
    `.task_id = ${env(TASK_ENV.taskId)}`,
    `.run_id = ${env(TASK_ENV.runId)}`,
    `.try_number = ${env(TASK_ENV.tryNumber)}`,
    `map_index = ${env(TASK_ENV.mapIndex)}`,
    '# Only mapped task instances have one.',
    'if map_index != "" {',
    '  .map_index = map_index',
    '}',
    `.namespace = ${env(TASK_ENV.namespace)}`,
    '# Baked in at synth time.',
    `.cluster = ${vrlString(cluster.name)}`,
    `.environment = ${vrlString(cluster.environment)}`,
    `.region = ${vrlString(cluster.region)}`,
  ].join('\n');
}
