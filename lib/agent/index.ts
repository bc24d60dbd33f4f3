export * from './agent-pipeline';
export * from './enrich-logs-vrl';
export * from './vector-agent';
export * from './journald-vrl';
export * from './multiline';
export * from './node-logs-props';
