/**
 * The options the model compiles as VRL, checked against Vector's own reference (the embedded copy of the shared vector-reference.json,
 * Vector 0.57): every option it types as `condition` or with syntax `remap_program` is found, and every custom auth
 * strategy's `source`.
 */
import { expect, it } from 'vitest';
import { VRL_COMPONENT_TYPES } from '../../lib/vector/vrl/programs';
import { vrlProgramsOf } from '../../lib/vector';
import { vectorReference } from '../../lib/vector/reference/reference';

interface RefNode {
  readonly types?: readonly string[];
  readonly syntax?: string;
  readonly description?: string;
  readonly options?: Readonly<Record<string, RefNode>>;
  readonly items?: RefNode;
  readonly additionalOptions?: RefNode | boolean;
}
type Section = Readonly<Record<string, { readonly options: Readonly<Record<string, RefNode>> }>>;
const reference = vectorReference() as unknown as Readonly<Record<'sources' | 'transforms' | 'sinks', Section>>;

/** `class:type` of every component with an option the reference says is VRL. */
function vrlTypesInReference(): string[] {
  const found = new Set<string>();
  const isVrl = (n: RefNode) =>
    n.types?.includes('condition') || n.syntax === 'remap_program' || n.description === 'The VRL boolean expression.';
  const walk = (n: RefNode): boolean =>
    isVrl(n) ||
    Object.values(n.options ?? {}).some(walk) ||
    (n.items !== undefined && walk(n.items)) ||
    (typeof n.additionalOptions === 'object' && walk(n.additionalOptions));
  for (const [cls, section] of [
    ['source', reference.sources],
    ['transform', reference.transforms],
    ['sink', reference.sinks],
  ] as const) {
    for (const [type, c] of Object.entries(section))
      if (Object.values(c.options).some(walk)) found.add(`${cls}:${type}`);
  }
  return [...found].sort();
}

it('finds VRL in every component type the Vector reference says holds VRL', () => {
  expect([...VRL_COMPONENT_TYPES].sort()).toEqual(vrlTypesInReference());
});

it('names each program by its option path', () => {
  const programs = vrlProgramsOf({
    class: 'transform',
    type: 'exclusive_route',
    options: {
      routes: [
        { name: 'a', condition: '.a == 1' },
        { name: 'b', condition: { type: 'is_log' } },
      ],
    },
  });
  expect(programs).toEqual([{ option: 'routes[0].condition', kind: 'condition', source: '.a == 1' }]);
  expect(
    vrlProgramsOf({ class: 'source', type: 'http_server', options: { auth: { strategy: 'custom', source: 'true' } } }),
  ).toEqual([{ option: 'auth.source', kind: 'condition', source: 'true' }]);
  expect(
    vrlProgramsOf({ class: 'source', type: 'http_server', options: { auth: { strategy: 'basic', source: 'x' } } }),
  ).toEqual([]);
});
