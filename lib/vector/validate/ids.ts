import type { PipelineComponent } from '../component';
import { labelOf, type Report } from './report';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function checkIds(components: readonly PipelineComponent[], report: Report): IdIndex {
  const byId = new IdIndex(components);
  for (let i = 0; i < components.length; i++) {
    const c = components[i];
    if (!ID_PATTERN.test(c.id)) {
      report(
        labelOf(c),
        `invalid id "${c.id}": use letters, digits, '_' and '-', starting with a letter or digit (a '.' would read as a named output)`,
      );
    }
    const first = byId.add(i);
    if (first !== i) {
      report(
        labelOf(c),
        `duplicate id "${c.id}": ${labelOf(components[first])} already has it; ids are unique across sources, transforms and sinks`,
      );
    }
  }
  return byId;
}

/**
 * Each id's position in `components` (the first, if duplicated): an open-addressing hash table of
 * positions in an Int32Array. A Map<string, number> would do the same, but past 4096 entries V8
 * gives its table a large-object allocation, which (measured with `npm run bench`) costs several
 * times more than all the lookups together, on every validate().
 */
export class IdIndex {
  /** Position + 1 of the component whose id hashes here, 0 for a free slot; at most half full. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly components: readonly PipelineComponent[]) {
    let size = 16;
    while (size < components.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The position of the component with this id, if any. */
  get(id: string): number | undefined {
    const at = this.slots[this.find(id)] - 1;
    return at < 0 ? undefined : at;
  }

  /** Indexes the component at `at` unless its id is taken; returns the position that has the id. */
  add(at: number): number {
    const slot = this.find(this.components[at].id);
    if (this.slots[slot] === 0) this.slots[slot] = at + 1;
    return this.slots[slot] - 1;
  }

  /** Every id, in the order first added (for "did you mean"). */
  *ids(): IterableIterator<string> {
    for (const [i, c] of this.components.entries()) if (this.get(c.id) === i) yield c.id;
  }

  /** The slot holding `id`, or the free slot where it would go (linear probing). */
  private find(id: string): number {
    for (let slot = hashOf(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot] - 1;
      if (at < 0 || this.components[at].id === id) return slot;
    }
  }
}

/** 32-bit FNV-1a: cheap, and spreads ids that differ only in a trailing number. */
function hashOf(s: string): number {
  const text = String(s); // ids from untyped code may be no string
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
