export * from './agent-pipeline';
export * from './vector-agent';
