// Kubernetes events: the event exporter and a Vector container shipping them to the aggregators.
export * from './events-pipeline';
export * from './kubernetes-events';
