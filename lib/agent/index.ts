export * from './agent-pipeline';
export * from './enrich-logs-vrl';
export * from './vector-agent';
