/** validate() compiles every VRL program of a pipeline with VRL's own compiler and reports its errors. */
import { describe, expect, it } from 'vitest';
import { type TransformSpec, VectorPipeline, type VectorConfigProblem } from '../../lib/vector';

const json = { codec: 'json' } as const;

/** kubernetes_logs `k8s_logs` -> transform `t` -> console, plus whatever named outputs `t` has. */
function withTransform(spec: TransformSpec, reads = ['t']): VectorPipeline {
  return new VectorPipeline()
    .addSource('k8s_logs', { type: 'kubernetes_logs' })
    .addTransform('t', spec)
    .addSink('out', { type: 'console', inputs: reads, encoding: json });
}

const vrlProblems = (p: VectorPipeline): VectorConfigProblem[] =>
  p.validate().filter((x) => x.message.startsWith('VRL error'));

describe('remap sources', () => {
  it('refuses a typo in a user-added remap with line, column, VRL message and hint', () => {
    const p = withTransform({
      type: 'remap',
      inputs: ['k8s_logs'],
      source: '.a = 1\n# parse the body\nx = parse_jsn!(.message)\n.b = x',
    });
    expect(p.validate()).toEqual([
      {
        component: 'transforms.t',
        message:
          'VRL error in `source` at line 3, column 5: call to undefined function `parse_jsn` [E105] (did you mean "parse_json"?)',
      },
    ]);
  });

  it('refuses a typo in a transform inserted in front of a component', () => {
    const p = withTransform({ type: 'remap', inputs: ['k8s_logs'], source: '.a = 1' }).insertAfter('t', 'enrich_logs', {
      type: 'remap',
      source: '.cluster = "a"\n.env = "b"\n    .x = upcse("y")',
    });
    expect(vrlProblems(p)).toEqual([
      {
        component: 'transforms.enrich_logs',
        message: expect.stringMatching(
          /^VRL error in `source` at line 3, column 10: .*`upcse`.*did you mean "upcase"\?/,
        ),
      },
    ]);
  });

  it('reports an unhandled error with VRL hint and columns counted in characters, not bytes', () => {
    const p = withTransform({ type: 'remap', inputs: ['k8s_logs'], source: '.a = "é ü"; .x = parse_json(.message)' });
    const [problem] = vrlProblems(p);
    expect(problem.message).toContain('at line 1, column 18: unhandled fallible assignment');
    expect(problem.message).toContain('`parse_json(.message)` [E103]');
    expect(problem.message).toContain('or change this to an infallible assignment: .x, err = parse_json(.message)');
  });

  it('reports a syntax error', () => {
    const p = withTransform({ type: 'remap', inputs: ['k8s_logs'], source: '.a = "x"\n.b = foo(' });
    expect(vrlProblems(p)[0].message).toMatch(/^VRL error in `source` at line 2, column 10: syntax error/);
  });

  it('accepts assignment to `.` and metadata, and leaves `file` programs alone (they are not in the config)', () => {
    expect(
      withTransform({
        type: 'remap',
        inputs: ['k8s_logs'],
        source: '. = parse_json!(.message)\n%seen = true',
      }).validate(),
    ).toEqual([]);
    expect(withTransform({ type: 'remap', inputs: ['k8s_logs'], file: '/etc/vector/p.vrl' }).validate()).toEqual([]);
  });

  it('accepts calls to functions Vector 0.57 has that the compiler build lacks', () => {
    const source = [
      '.token = get_secret("loki_token")',
      '.h = xxhash(string!(.message))',
      '.entries = to_entries(object!(.labels))',
      '.bucket = mod(xxhash(.message), 100)',
      'row = get_enrichment_table_record("hosts", { "name": .host }) ?? {}',
    ].join('\n');
    expect(withTransform({ type: 'remap', inputs: ['k8s_logs'], source }).validate()).toEqual([]);
  });

  it('refuses a function in neither Vector nor VRL', () => {
    const p = withTransform({ type: 'remap', inputs: ['k8s_logs'], source: '.s = get_secrets("x")' });
    expect(vrlProblems(p)).toEqual([
      { component: 'transforms.t', message: expect.stringContaining('call to undefined function `get_secrets`') },
    ]);
  });
});

describe('conditions', () => {
  it('refuses a typo in a filter condition', () => {
    const p = withTransform({ type: 'filter', inputs: ['k8s_logs'], condition: 'starts_wth(string!(.message), "x")' });
    expect(vrlProblems(p)).toEqual([
      {
        component: 'transforms.t',
        message: expect.stringMatching(
          /^VRL error in `condition` at line 1, column 1: call to undefined function `starts_wth` \[E105\] \(did you mean "starts_with"\?\)$/,
        ),
      },
    ]);
  });

  it('refuses a typo in a route condition, naming the route', () => {
    const p = withTransform(
      {
        type: 'route',
        inputs: ['k8s_logs'],
        route: { logs: { type: 'is_log' }, noisy: '.namespace == "kube-system" && contians(.message, "x")' },
      },
      ['t.logs', 't.noisy', 't._unmatched'],
    );
    expect(vrlProblems(p)).toEqual([
      {
        component: 'transforms.t',
        message: expect.stringMatching(/^VRL error in `route.noisy` at line 1, column 32: .*`contians`/),
      },
    ]);
  });

  it('refuses a typo in a sample exclude and in a throttle exclude given as { type: vrl, source }', () => {
    const sample = withTransform({ type: 'sample', inputs: ['k8s_logs'], rate: 10, exclude: '.level == "error" ||' });
    expect(vrlProblems(sample)).toEqual([
      {
        component: 'transforms.t',
        message: expect.stringContaining('VRL error in `exclude` at line 1, column 21: syntax error'),
      },
    ]);
    const throttle = withTransform({
      type: 'throttle',
      inputs: ['k8s_logs'],
      threshold: 10,
      window_secs: 1,
      exclude: { type: 'vrl', source: 'exist(.important)' },
    });
    expect(vrlProblems(throttle)).toEqual([
      { component: 'transforms.t', message: expect.stringContaining('`exist` [E105] (did you mean "exists"?)') },
    ]);
  });

  it('does not compile is_log, is_metric or datadog_search conditions', () => {
    const p = withTransform(
      {
        type: 'route',
        inputs: ['k8s_logs'],
        route: {
          logs: { type: 'is_log' },
          metrics: { type: 'is_metric' },
          dd: { type: 'datadog_search', source: '@status:error' },
        },
      },
      ['t.logs', 't.metrics', 't.dd', 't._unmatched'],
    );
    expect(vrlProblems(p)).toEqual([]);
  });

  it('refuses a condition that does not resolve to a boolean, as Vector does', () => {
    const p = withTransform({ type: 'filter', inputs: ['k8s_logs'], condition: '.keep' });
    expect(vrlProblems(p)).toEqual([
      {
        component: 'transforms.t',
        message:
          'VRL error in `condition` at line 1, column 1: a condition must resolve to a boolean (Vector refuses to start otherwise) [E102] (this one resolves to any)',
      },
    ]);
    const fine = ['.level == "debug"', 'exists(.x)', 'x = 1\n.n == x # comment', 'starts_with(.message, "a") ?? false'];
    for (const condition of fine) {
      expect(vrlProblems(withTransform({ type: 'filter', inputs: ['k8s_logs'], condition }))).toEqual([]);
    }
  });

  it('compiles the conditions of components added through the escape hatch', () => {
    const p = new VectorPipeline()
      .addSource('k8s_logs', { type: 'kubernetes_logs' })
      .addCustomTransform('merge', {
        type: 'reduce',
        inputs: ['k8s_logs'],
        accepts: ['logs'],
        emits: 'passthrough',
        options: { starts_when: '.start == true', ends_when: { type: 'vrl', source: 'ends_wit(.message, "}")' } },
      })
      .addSink('out', { type: 'console', inputs: ['merge'], encoding: json });
    expect(vrlProblems(p)).toEqual([
      {
        component: 'transforms.merge',
        message: expect.stringContaining('VRL error in `ends_when` at line 1, column 1'),
      },
    ]);
  });
});
