/**
 * The functions Vector 0.57 has that the synth-time VRL compiler lacks are data (missing-functions.ts); this keeps
 * that list true: each is still missing in the installed compiler (so an upgrade that adds one shows up here), calls
 * to them are accepted, and calls to functions in neither are refused with VRL's own did-you-mean hint.
 */
import { describe, expect, it } from 'vitest';
import { compileVrl, MISSING_VRL_FUNCTIONS } from '../../lib/vector';
import { vrlCompiler } from '../../lib/vector/vrl/compiler';

describe('functions Vector 0.57 has and the VRL compiler build lacks', () => {
  it.each(MISSING_VRL_FUNCTIONS.map((f) => [f.name, f.source]))('%s (%s) is missing in verel', (name) => {
    const errors = vrlCompiler().check(`${name}()`).errors;
    expect(errors.map((e) => e.code)).toContain(105);
  });

  it('names the source of every entry, once', () => {
    const names = MISSING_VRL_FUNCTIONS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of MISSING_VRL_FUNCTIONS) expect(f.source).toMatch(/^(VRL 0\.33\.1|Vector 0\.57\.0) /);
  });

  it('accepts a call to each of them', () => {
    for (const f of MISSING_VRL_FUNCTIONS) expect(compileVrl(`.x = ${f.name}(.a)`), f.name).toEqual([]);
  });

  it('refuses an unknown function with VRL did-you-mean hint', () => {
    expect(compileVrl('.x = parse_jsn!(.message)')).toEqual([
      {
        code: 105,
        line: 1,
        column: 6,
        message: 'call to undefined function `parse_jsn`',
        hint: 'did you mean "parse_json"?',
      },
    ]);
  });

  it('still reports errors of a program calling them that have nothing to do with the call', () => {
    expect(compileVrl('.h = xxhash(.message)\n.x = parse_json(.b)').map((d) => [d.line, d.code])).toEqual([[2, 103]]);
  });
});
