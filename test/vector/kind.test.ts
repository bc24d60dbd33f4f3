import { describe, expect, it } from 'vitest';
import { defineKind, optionNamesOf } from '../../lib/vector/components/kind';

interface Example {
  readonly type: 'example';
  readonly inputs: readonly string[];
  readonly alpha?: string;
  readonly beta?: number;
}

describe('optionNamesOf keeps the runtime option list in step with the interface', () => {
  it('accepts exactly the interface options, without type and inputs', () => {
    expect(optionNamesOf<Example>()(['alpha', 'beta'])).toEqual(['alpha', 'beta']);
  });

  it('does not compile when an option is missing from the list', () => {
    // @ts-expect-error: beta is missing
    const names = optionNamesOf<Example>()(['alpha']);
    expect(names).toEqual(['alpha']);
  });

  it('does not compile when the list names an option the interface lacks', () => {
    // @ts-expect-error: gamma is not an option of Example
    const names = optionNamesOf<Example>()(['alpha', 'beta', 'gamma']);
    expect(names).toHaveLength(3);
  });
});

describe('defineKind', () => {
  it('fills the defaults most kinds share', () => {
    const kind = defineKind('transform', {
      type: 'example',
      optionNames: ['alpha'],
      accepts: ['logs'],
      emits: 'passthrough',
    });
    expect(kind.required).toEqual([]);
    expect(kind.accepts({})).toEqual(['logs']);
    expect(kind.emits({})).toBe('passthrough');
    expect(kind.outputs({})).toEqual({ default: true, named: [] });
    expect(kind.listenAddress({})).toBeUndefined();
    expect(kind.check({})).toEqual([]);
  });
});
