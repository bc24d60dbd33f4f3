/*
 * The metric names the alerts and the dashboard read, in one place.
 *
 * Vector 0.57 (`internal_metrics` source, namespace `vector`, exported by `prometheus_exporter`): per-component
 * counters carry `component_id`, `component_kind`, `component_type`; buffer metrics add `buffer_id` and `stage`.
 * `vector_buffer_events`, `vector_buffer_byte_size` and `vector_errors_total` are gone.
 *
 * The buffer's configured maximum: Vector's own source (vectordotdev/vector,
 * lib/vector-buffers/src/internal_events.rs, `BufferCreated::emit`, and the metric-name list in
 * lib/vector-common/src/internal_event/metric_name.rs) sets the gauges `buffer_max_size_bytes` (buffers limited in
 * bytes, i.e. disk buffers) and `buffer_max_size_events` (buffers limited in events, i.e. memory buffers), with the
 * same `buffer_id` and `stage` tags as `buffer_size_bytes` / `buffer_size_events`. The older names
 * `buffer_max_byte_size` / `buffer_max_event_size` were emitted alongside them under the same deprecation
 * ("buffer-bytes-events-metrics") as `buffer_events` / `buffer_byte_size`, which are gone in 0.57, so they are not used.
 * A buffer with no limit of a kind emits no max gauge of that kind, and its fill ratio is simply absent.
 */
export const VECTOR_METRICS = {
  receivedEvents: 'vector_component_received_events_total',
  sentEvents: 'vector_component_sent_events_total',
  errors: 'vector_component_errors_total',
  discardedEvents: 'vector_component_discarded_events_total',
  bufferBytes: 'vector_buffer_size_bytes',
  bufferEvents: 'vector_buffer_size_events',
  bufferMaxBytes: 'vector_buffer_max_size_bytes',
  bufferMaxEvents: 'vector_buffer_max_size_events',
  bufferDiscardedEvents: 'vector_buffer_discarded_events_total',
} as const;

/** kube-state-metrics series (labels `namespace`, `daemonset` / `statefulset` / `deployment`, `pod`, `container`). */
export const KUBE_STATE_METRICS = {
  daemonSetUnavailable: 'kube_daemonset_status_number_unavailable',
  statefulSetReady: 'kube_statefulset_status_replicas_ready',
  statefulSetDesired: 'kube_statefulset_replicas',
  deploymentAvailable: 'kube_deployment_status_replicas_available',
  deploymentDesired: 'kube_deployment_spec_replicas',
  containerLimits: 'kube_pod_container_resource_limits',
} as const;

/** cAdvisor, scraped through the kubelet (labels `namespace`, `pod`, `container`). */
export const CADVISOR_METRICS = {
  workingSet: 'container_memory_working_set_bytes',
} as const;
