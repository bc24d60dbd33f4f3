export * from './aggregator-pipeline';
export * from './vector-aggregator';
