import type { PipelineComponent } from '../component';
import { labelOf, type Report } from './report';

/**
 * Event fields whose values are (nearly) unique per pod, node, request or line, matched against
 * every path segment of a template's field (`{{ pod }}`, `{{ kubernetes.pod_name }}`). Each value of
 * a Loki label starts a stream of its own, and Loki's guidance (grafana.com/docs/loki/latest/get-started/labels/
 * bp-labels/ and .../cardinality/) is to keep labels to bounded sets such as cluster, namespace,
 * container and level, and to put ids like these in structured metadata instead. Data, not code:
 * add a field here to refuse it everywhere.
 */
export const HIGH_CARDINALITY_FIELDS: readonly string[] = [
  // Pods come and go with every rollout and job: one stream set per pod.
  'pod',
  'pod_name',
  'pod_uid',
  'pod_ip',
  'pod_ips',
  'uid',
  'container_id',
  'container_image_id',
  // One per node: grows with the cluster, and a node's pods already have their own streams.
  'node',
  'node_name',
  'pod_node_name', // kubernetes_logs' kubernetes.pod_node_name
  'host',
  'hostname',
  // One per request or trace: a stream per line.
  'trace_id',
  'span_id',
  'request_id',
  'correlation_id',
  // The line itself, its time and its file.
  'message',
  'timestamp',
  'file',
];

const TEMPLATE = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The high-cardinality fields a template reads (`"{{ kubernetes.pod_name }}"` -> `kubernetes.pod_name`). */
export function highCardinalityFieldsOf(template: string): string[] {
  const found: string[] = [];
  for (const m of template.matchAll(TEMPLATE)) {
    const path = m[1].replace(/^[.%]/, '');
    const segments = path.split('.').map((s) => s.replace(/^"|"$/g, '').toLowerCase());
    if (segments.some((s) => HIGH_CARDINALITY_FIELDS.includes(s))) found.push(path);
  }
  return found;
}

/**
 * Reports each `labels` entry of a loki sink whose name or value template reads a field of
 * {@link HIGH_CARDINALITY_FIELDS}, unless the label is listed in the sink's `allowHighCardinalityLabels`.
 */
export function checkLokiLabels(components: readonly PipelineComponent[], report: Report): void {
  for (const c of components) {
    if (c.class !== 'sink' || c.type !== 'loki') continue;
    const labels = c.options.labels;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) continue;
    const allowed = c.allowHighCardinalityLabels ?? [];
    for (const [name, value] of Object.entries(labels as Record<string, unknown>)) {
      if (allowed.includes(name)) continue;
      const fields = [
        ...highCardinalityFieldsOf(name),
        ...(typeof value === 'string' ? highCardinalityFieldsOf(value) : []),
      ];
      if (fields.length === 0) continue;
      report(
        labelOf(c),
        `Loki label \`${name}\` is built from the high-cardinality field ${fields.map((f) => `\`${f}\``).join(', ')} (${JSON.stringify(value)}): every value starts a new Loki stream. ` +
          `Put it in \`structured_metadata\` instead (queried as {namespace="x"} | ${name}="y"), or, if you mean it, ` +
          `add the sink with the notes { allowHighCardinalityLabels: [${JSON.stringify(name)}] }`,
      );
    }
  }
}
