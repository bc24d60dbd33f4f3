export { AIRFLOW_TASK_IDS } from './airflow-task-pipeline';
export * from './airflow-vector-pod-template';
