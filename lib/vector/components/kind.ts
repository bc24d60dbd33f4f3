import type { EventType } from '../event-types';

export type ComponentClass = 'source' | 'transform' | 'sink';

/** A component's options as stored: everything but `type` and `inputs`. */
export type ComponentOptions = Readonly<Record<string, unknown>>;

/** Where a component's events go: its default output and any named outputs (`id.name`). */
export interface ComponentOutputs {
  /** Whether `id` alone is an output (a `route` has only named outputs). */
  readonly default: boolean;
  /** Names valid after `id.`, e.g. a route's `errors` and `_unmatched`. */
  readonly named: readonly string[];
}

/**
 * What the model knows about one component type: the event types it takes and gives, its
 * outputs, the address it listens on, and the checks Vector would only make at startup.
 */
export interface ComponentKind {
  readonly class: ComponentClass;
  readonly type: string;
  /** Every top-level option name the type takes (besides `type` and `inputs`). */
  readonly optionNames: readonly string[];
  /** Options without which Vector refuses to start. */
  readonly required: readonly string[];
  /** Known wrong option names, with what to write instead. */
  readonly optionHints?: Readonly<Record<string, string>>;
  /** Event types the component takes in (transforms and sinks). */
  accepts(options: ComponentOptions): readonly EventType[];
  /** Event types it gives out, or `passthrough` for the accepted types of its inputs. */
  emits(options: ComponentOptions): readonly EventType[] | 'passthrough';
  outputs(options: ComponentOptions): ComponentOutputs;
  /** The `host:port` it binds, if it serves anything. */
  listenAddress(options: ComponentOptions): string | undefined;
  /** Further checks of option values; each string is a message naming the option. */
  check(options: ComponentOptions): readonly string[];
}

type OptionKeys<T> = Exclude<keyof T, 'type' | 'inputs'> & string;

/**
 * Lists the option names of a typed component, checked by the compiler against its interface in
 * both directions, so the runtime list of known options can never drift from the types.
 */
export function optionNamesOf<T>() {
  return <const K extends readonly OptionKeys<T>[]>(
    names: K &
      ([Exclude<OptionKeys<T>, K[number]>] extends [never] ? unknown : { missing: Exclude<OptionKeys<T>, K[number]> }),
  ): readonly string[] => names;
}

const DEFAULT_OUTPUT: ComponentOutputs = { default: true, named: [] };

export interface KindDefinition {
  readonly type: string;
  readonly optionNames: readonly string[];
  readonly required?: readonly string[];
  readonly optionHints?: Readonly<Record<string, string>>;
  readonly accepts?: readonly EventType[] | ((options: ComponentOptions) => readonly EventType[]);
  readonly emits?: readonly EventType[] | 'passthrough' | ((options: ComponentOptions) => readonly EventType[]);
  readonly outputs?: (options: ComponentOptions) => ComponentOutputs;
  readonly listenAddress?: (options: ComponentOptions) => string | undefined;
  readonly check?: (options: ComponentOptions) => readonly string[];
}

/** Builds a {@link ComponentKind} from a short definition with defaults for what most kinds share. */
export function defineKind(cls: ComponentClass, def: KindDefinition): ComponentKind {
  const { accepts, emits } = def;
  return {
    class: cls,
    type: def.type,
    optionNames: def.optionNames,
    required: def.required ?? [],
    optionHints: def.optionHints,
    accepts: (o) => (typeof accepts === 'function' ? accepts(o) : (accepts ?? [])),
    emits: (o) => (typeof emits === 'function' ? emits(o) : (emits ?? [])),
    outputs: def.outputs ?? (() => DEFAULT_OUTPUT),
    listenAddress: def.listenAddress ?? (() => undefined),
    check: def.check ?? (() => []),
  };
}
