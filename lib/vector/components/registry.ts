import type { ComponentClass, ComponentKind } from './kind';
import { SINK_KINDS } from './sinks';
import { SOURCE_KINDS } from './sources';
import { TRANSFORM_KINDS } from './transforms';

const KINDS: Readonly<Record<ComponentClass, ReadonlyMap<string, ComponentKind>>> = {
  source: new Map(SOURCE_KINDS.map((k) => [k.type, k])),
  transform: new Map(TRANSFORM_KINDS.map((k) => [k.type, k])),
  sink: new Map(SINK_KINDS.map((k) => [k.type, k])),
};

/** The component kinds of one class that the model types, by Vector type name. */
export function knownKinds(cls: ComponentClass): ReadonlyMap<string, ComponentKind> {
  return KINDS[cls];
}
