// Heartbeats: a log line per interval and its per-cluster alert, an HTTP heartbeat server, a deployment status API.
export * from './deployment-status-api';
export * from './heartbeat-alert';
export * from './http-heartbeat';
export * from './log-heartbeat';
