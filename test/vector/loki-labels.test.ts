import { describe, expect, it } from 'vitest';
import { HIGH_CARDINALITY_FIELDS, VectorPipeline } from '../../lib/vector';
import { highCardinalityFieldsOf } from '../../lib/vector/validate/loki-labels';

/** kubernetes_logs -> loki `loki` with `labels` (unconfined templates allowed, so only the label check speaks). */
function loki(labels: Record<string, string>, allowHighCardinalityLabels?: readonly string[]): VectorPipeline {
  return new VectorPipeline().addSource('k8s_logs', { type: 'kubernetes_logs' }).addSink(
    'loki',
    {
      type: 'loki',
      inputs: ['k8s_logs'],
      endpoint: 'http://loki:3100',
      encoding: { codec: 'json' },
      labels,
      structured_metadata: { pod: '{{ pod }}', node: '{{ kubernetes.pod_node_name }}' },
      dangerously_allow_unconfined_template_resolution: true,
    },
    allowHighCardinalityLabels ? { allowHighCardinalityLabels } : {},
  );
}

describe('high-cardinality Loki labels', () => {
  it('accepts labels from bounded fields, and pod and node in structured metadata', () => {
    expect(
      loki({
        cluster: 'prod',
        namespace: '{{ kubernetes.pod_namespace }}',
        container: '{{ kubernetes.container_name }}',
        severity: '{{ severity }}',
      }).validate(),
    ).toEqual([]);
  });

  it.each([
    ['pod', '{{ pod }}', 'pod'],
    ['pod', '{{ kubernetes.pod_name }}', 'kubernetes.pod_name'],
    ['node', '{{ .node }}', 'node'],
    ['node', 'node-{{ kubernetes.pod_node_name }}', 'kubernetes.pod_node_name'],
    ['uid', '{{ kubernetes.pod_uid }}', 'kubernetes.pod_uid'],
    ['trace', '{{ trace_id }}', 'trace_id'],
    ['span', '{{ span_id }}', 'span_id'],
    ['request', 'req-{{ http.request_id }}', 'http.request_id'],
  ])('refuses label %s = %s, naming the sink, the label, the field and the override', (name, template, field) => {
    const problems = loki({ cluster: 'prod', [name]: template }).validate();
    expect(problems).toEqual([
      {
        component: 'sinks.loki',
        message:
          `Loki label \`${name}\` is built from the high-cardinality field \`${field}\` (${JSON.stringify(template)}): ` +
          `every value starts a new Loki stream. Put it in \`structured_metadata\` instead (queried as ` +
          `{namespace="x"} | ${name}="y"), or, if you mean it, add the sink with the notes ` +
          `{ allowHighCardinalityLabels: ["${name}"] }`,
      },
    ]);
  });

  it('refuses a templated label name that reads a high-cardinality field', () => {
    const problems = loki({ '{{ pod }}': 'x' }).validate();
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('Loki label `{{ pod }}` is built from')]);
  });

  it('reports every offending label of the sink, each once', () => {
    const problems = loki({ pod: '{{ pod }}', node: '{{ node }}', namespace: '{{ namespace }}' }).validate();
    expect(problems.map((p) => p.message.split(' is built')[0])).toEqual(['Loki label `pod`', 'Loki label `node`']);
  });

  it('accepts a label the sink allows explicitly, and only that one', () => {
    expect(loki({ pod: '{{ pod }}' }, ['pod']).validate()).toEqual([]);
    const problems = loki({ pod: '{{ pod }}', node: '{{ node }}' }, ['pod']).validate();
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('Loki label `node`')]);
  });

  it('does not render the override into the config', () => {
    const text = loki({ pod: '{{ pod }}' }, ['pod']).render();
    expect(text).not.toContain('allowHighCardinalityLabels');
    expect(text).not.toMatch(/allow_high/);
  });

  it('does not apply to other sinks', () => {
    const pipeline = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addSink('out', { type: 'console', inputs: ['k8s_logs'], encoding: { codec: 'text' } });
    expect(pipeline.validate()).toEqual([]);
  });

  it('keeps the field list as data that names pod, node, uid, trace and request ids', () => {
    for (const f of ['pod', 'pod_name', 'node', 'node_name', 'uid', 'pod_uid', 'trace_id', 'span_id', 'request_id']) {
      expect(HIGH_CARDINALITY_FIELDS).toContain(f);
    }
    expect(highCardinalityFieldsOf('{{ kubernetes.pod_namespace }}/{{ kubernetes.container_name }}')).toEqual([]);
    expect(highCardinalityFieldsOf('{{ "pod" }}')).toEqual(['"pod"']);
  });
});
