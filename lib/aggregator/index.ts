export type { AggregatorAutoscaling } from './aggregator-autoscaling';
export * from './aggregator-pipeline';
export * from './aggregator-props';
export * from './heartbeat-counter';
export * from './vector-aggregator';
