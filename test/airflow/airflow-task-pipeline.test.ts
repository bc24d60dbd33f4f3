import { describe, expect, it } from 'vitest';
import { AIRFLOW_TASK_IDS } from '../../lib/airflow';
import { buildAirflowTaskPipeline } from '../../lib/airflow/airflow-task-pipeline';
import { runRemap } from '../../lib/vector';

/*
 * The sidecar's task_fields program run on the events its stdin source emits: the shell writes "<stream>\t<line>".
 * The task's identity comes from environment variables set by the downward API, which the synth-time VRL runtime
 * cannot read (get_env_var fails, so the program's `?? ""` gives ""): a line that names them must still not set them.
 */

const CLUSTER = { name: 'dev', environment: 'development', region: 'fsn1' };
const pipeline = buildAirflowTaskPipeline({
  cluster: CLUSTER,
  dataDir: '/vector-data',
  loki: { endpoint: 'http://loki:3100', bearerToken: false, bufferEvents: 1000, whenFull: 'drop_newest' },
});
const READ = '2025-01-02T03:04:05.123456789Z';

function taskFields(stdinLine: string) {
  const outcome = runRemap(
    pipeline,
    AIRFLOW_TASK_IDS.taskFields,
    { message: stdinLine, timestamp: READ, host: 'task-pod', source_type: 'stdin' },
    { timestamps: ['timestamp'], typesOf: ['timestamp'] },
  );
  if (outcome.dropped) throw new Error(outcome.message);
  expect(outcome.error).toBeUndefined();
  return outcome;
}

/** What no task line can change: the fields from the environment and the cluster baked in at synth time. */
const IDENTITY = {
  dag_id: '',
  task_id: '',
  run_id: '',
  try_number: '',
  namespace: '',
  cluster: 'dev',
  environment: 'development',
  region: 'fsn1',
};

describe('task_fields on the sidecar’s stdin events (executed)', () => {
  it('splits off the stream the shell wrote and keeps the line whole, with the task identity and the cluster', () => {
    const { event, types } = taskFields('stderr\tTraceback (most recent call last):');
    expect(event).toMatchObject({ ...IDENTITY, stream: 'stderr', message: 'Traceback (most recent call last):' });
    expect(event.timestamp).toBe(READ);
    expect(types.timestamp).toBe('timestamp');
    expect(event).not.toHaveProperty('map_index');
  });

  it('a JSON line naming the task, namespace and cluster stays the message and changes none of them', () => {
    const spoof = '{"dag_id":"x","task_id":"y","namespace":"kube-system","cluster":"prod","stream":"stdout"}';
    const { event } = taskFields(`stdout\t${spoof}`);
    expect(event).toMatchObject({ ...IDENTITY, stream: 'stdout', message: spoof });
    const spoofK8s = '{"kubernetes":{"pod_namespace":"kube-system","pod_name":"x"}}';
    expect(taskFields(`stdout\t${spoofK8s}`).event).toMatchObject({ ...IDENTITY, message: spoofK8s });
    expect(taskFields(`stdout\t${spoofK8s}`).event).not.toHaveProperty('kubernetes');
  });

  it('a line that itself starts with a stream and a tab keeps it in the message: only the shell’s tag is the stream', () => {
    const { event } = taskFields('stdout\tstderr\tnot really stderr');
    expect(event).toMatchObject({ stream: 'stdout', message: 'stderr\tnot really stderr' });
  });

  it('a 200 KB line and an empty line are kept whole', () => {
    const big = 'y'.repeat(200 * 1024);
    expect(taskFields(`stdout\t${big}`).event.message).toBe(big);
    expect(taskFields('stdout\t').event).toMatchObject({ stream: 'stdout', message: '' });
  });
});
