export { AIRFLOW_TASK_IDS } from './airflow-task-pipeline';
export * from './airflow-vector-pod-template';
export type { AirflowHelmRelease } from './helm-values';
export { DEFAULT_AIRFLOW_BASE_SECURITY_CONTEXT, DEFAULT_AIRFLOW_POD_SECURITY_CONTEXT } from './pod-security';
