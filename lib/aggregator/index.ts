export * from './aggregator-pipeline';
export * from './aggregator-props';
export * from './vector-aggregator';
