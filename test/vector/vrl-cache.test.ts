/**
 * Programs that differ only in the text of `.field = "literal"` lines (the agents' of many clusters) are compiled
 * once, and a diagnostic still points where it points in the program as written.
 */
import { describe, expect, it } from 'vitest';
import {
  clearVrlCompileCache,
  compileVrl,
  seedVrlCompileCache,
  vrlCompileResults,
  vrlCompileStats,
  withLiteralAssignmentsBlanked,
} from '../../lib/vector/vrl/compiler';

const program = (cluster: string) =>
  `.cluster = "${cluster}"\n.namespace = .kubernetes.pod_namespace\n.x = parse_jsn!(.message)\n`;

describe('the VRL compile cache', () => {
  it('blanks the text of literal assignments only, byte for byte', () => {
    expect(withLiteralAssignmentsBlanked('.cluster = "prod-eu"\n  .a.b = "é"\n.c = upcase("x")\n.d = "a\\q"')).toBe(
      '.cluster = "xxxxxxx"\n  .a.b = "xx"\n.c = upcase("x")\n.d = "a\\q"',
    );
  });

  it('compiles programs differing only in such a value once, with the same diagnostics', () => {
    const before = vrlCompileStats();
    const [a] = compileVrl(program('cluster-a-unique'));
    const [b] = compileVrl(program('cluster-b-unique'));
    const after = vrlCompileStats();
    expect(after.compiled - before.compiled).toBe(1);
    expect(after.cacheHits - before.cacheHits).toBe(1);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ line: 3, column: 6 });
  });

  it('still reports what a literal with escapes gets wrong', () => {
    expect(compileVrl('.d = "a\\q"\n').length).toBeGreaterThan(0);
  });
});

describe('carrying compile results to another process', () => {
  const good = '.seeded_good = 1\n';
  const bad = '.seeded_bad = parse_jsn!(.message)\n';

  it('gives back what was asked for, and seeded results answer without compiling', () => {
    const diagnostics = [compileVrl(good), compileVrl(bad)];
    const results = vrlCompileResults();
    clearVrlCompileCache();
    expect(vrlCompileResults()).toEqual({});
    expect(seedVrlCompileCache(results)).toBe(Object.keys(results).length);
    // Seeded, but not asked for yet: a file cache written now would not keep them.
    expect(vrlCompileResults()).toEqual({});
    const before = vrlCompileStats();
    expect([compileVrl(good), compileVrl(bad)]).toEqual(diagnostics);
    expect(diagnostics[1]).toEqual([expect.objectContaining({ code: 105, line: 1 })]);
    expect(vrlCompileStats().compiled).toBe(before.compiled);
    expect(Object.keys(vrlCompileResults())).toEqual([`remap\u0000${good}`, `remap\u0000${bad}`]);
  });

  it('takes no entry of another shape', () => {
    const diagnostic = { code: 105, line: 1, column: 1, message: 'm', hint: '' };
    expect(
      seedVrlCompileCache({
        'remap\u0000.a = 1\n': [{ ...diagnostic, code: '105' }],
        'transform\u0000.b = 1\n': [],
        'condition\u0000true': 'none',
        '.c = 1\n': [],
        'condition\u0000.d == 1': [diagnostic],
      }),
    ).toBe(1);
    expect(seedVrlCompileCache(null)).toBe(0);
    expect(seedVrlCompileCache('[]')).toBe(0);
  });
});
