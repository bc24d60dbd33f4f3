/**
 * The model's hand-written kinds checked against Vector's own component reference (the embedded
 * data/vector-reference-0.57.0.json.gz, a copy of the shared vector-reference.json): every type
 * exists, every option name is one Vector takes, required options agree, the declared event types
 * are Vector's, and no "known wrong name" hint names an option Vector has.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knownKinds } from '../../lib/vector/components/registry';
import { vectorReference } from '../../lib/vector/reference/reference';
import { VECTOR_VERSION } from '../../lib/vector/version';
import { SHARED_REFERENCE_JSON } from '../helpers/vector-reference';

// The embedded copy (data/vector-reference-0.57.0.json.gz), read through the library's own loader.
const reference = vectorReference();
const HAS_SHARED_REFERENCE = existsSync(SHARED_REFERENCE_JSON);

describe('the embedded Vector reference', () => {
  it('describes the Vector release the model and the images pin', () => {
    expect(reference.vectorVersion).toBe(VECTOR_VERSION);
  });

  // Where ../shared exists, the copy in the repository must be the very data of the outside validator.
  it.skipIf(!HAS_SHARED_REFERENCE)(
    `equals ${SHARED_REFERENCE_JSON}${HAS_SHARED_REFERENCE ? '' : ' (skipped: no shared vector-reference beside this checkout)'}`,
    () => {
      expect(reference).toEqual(JSON.parse(readFileSync(SHARED_REFERENCE_JSON, 'utf8')));
    },
  );
});

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
  'source:http_server': { decoding: { codec: 'native' } },
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
    const hinted = Object.keys(kind.optionHints ?? {}).filter((n) => n in ref.options);
    expect(hinted, `option hints of ${type} for names Vector takes`).toEqual([]);
  });
});
