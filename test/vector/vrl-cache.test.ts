/**
 * Programs that differ only in the text of `.field = "literal"` lines (the agents' of many clusters) are compiled
 * once, and a diagnostic still points where it points in the program as written.
 */
import { describe, expect, it } from 'vitest';
import { compileVrl, vrlCompileStats, withLiteralAssignmentsBlanked } from '../../lib/vector/vrl/compiler';

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
