/**
 * The model's hand-written kinds checked against Vector's own component reference (the shared
 * vector-reference.json, Vector 0.57): every type exists, every option name is one Vector takes,
 * required options agree, and the declared event types are Vector's.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownKinds } from '../../lib/vector/components/registry';
import { VALIDATOR } from '../helpers/vector-reference';

interface RefOption {
  readonly required?: boolean;
}
interface RefComponent {
  readonly options: Readonly<Record<string, RefOption>>;
  readonly input?: readonly string[];
  readonly output?: readonly string[];
  readonly passthrough?: boolean;
}
interface Reference {
  readonly vectorVersion: string;
  readonly sources: Readonly<Record<string, RefComponent>>;
  readonly transforms: Readonly<Record<string, RefComponent>>;
  readonly sinks: Readonly<Record<string, RefComponent>>;
}

const reference: Reference = JSON.parse(readFileSync(join(dirname(VALIDATOR), 'vector-reference.json'), 'utf8'));
const CLASSES = [
  ['source', 'sources'],
  ['transform', 'transforms'],
  ['sink', 'sinks'],
] as const;
const IMPLICIT = new Set(['type', 'inputs']);
/** Where the model is deliberately stricter than Vector, and why. */
const STRICTER: Readonly<Record<string, readonly string[]>> = {
  // Vector starts a route without routes, but then everything goes to `_unmatched`: a mistake.
  'transform:route': ['route'],
};
/** Options that decide the event types of a kind, set to what the reference assumes. */
const TYPE_DECIDING: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // The reference lists every type stdin can emit with some codec; the model narrows by codec.
  'source:stdin': { decoding: { codec: 'native' } },
};

describe.each(CLASSES)('%s kinds agree with the Vector %s reference', (cls, section) => {
  const kinds = [...knownKinds(cls).values()];

  it('covers the component types the model promises', () => {
    expect(kinds.length).toBeGreaterThanOrEqual(7);
  });

  it.each(kinds.map((k) => [k.type, k] as const))('%s', (type, kind) => {
    const ref = reference[section][type];
    expect(ref, `${section}.${type} is not a Vector ${reference.vectorVersion} component`).toBeDefined();
    const unknown = kind.optionNames.filter((n) => !(n in ref.options));
    expect(unknown, `options of ${type} that Vector does not have`).toEqual([]);
    const required = Object.entries(ref.options)
      .filter(([name, o]) => o.required && !IMPLICIT.has(name))
      .map(([name]) => name)
      .concat(STRICTER[`${cls}:${type}`] ?? [])
      .sort();
    expect([...kind.required].sort()).toEqual(required);
    if (cls !== 'source') expect([...kind.accepts({})].sort()).toEqual([...(ref.input ?? [])].sort());
    const emits = kind.emits(TYPE_DECIDING[`${cls}:${type}`] ?? {});
    if (emits === 'passthrough') expect(ref.passthrough).toBe(true);
    else if (cls !== 'sink') expect([...emits].sort()).toEqual([...(ref.output ?? [])].sort());
  });
});
