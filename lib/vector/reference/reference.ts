/**
 * Vector's own component reference (Vector 0.57.0: every component type, its options, their types,
 * and the event types it takes and gives), embedded in the package as
 * `data/vector-reference-<version>.json.gz` and read once, on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { EventType } from '../event-types';
import { VECTOR_VERSION } from '../version';

/** `relevantWhen` / `requiredWhen`: the sibling option `field` has one of `values`. */
export interface ReferenceCondition {
  /** The condition as Vector's reference writes it, e.g. `codec = "avro"`. */
  readonly raw?: string;
  readonly field: string;
  readonly values: readonly string[];
}

/** Options that are only valid for one value of a discriminator (`encoding.codec`, `buffer.type`). */
export interface ReferenceVariants {
  readonly discriminator: string;
  readonly default?: string;
  readonly cases: Readonly<Record<string, readonly string[]>>;
  readonly common: readonly string[];
}

export type ReferenceValueType =
  'string' | 'uint' | 'int' | 'float' | 'bool' | 'array' | 'object' | 'condition' | 'ascii_char' | 'timestamp' | 'any';

/** One option (or the value of a map, or an array element): the `format.node` of the reference. */
export interface ReferenceNode {
  readonly required?: boolean;
  readonly types?: readonly ReferenceValueType[];
  readonly enum?: readonly (string | number)[];
  readonly enumType?: 'string' | 'number';
  /** Accepted spellings of enum values: alias -> value. */
  readonly enumAliases?: Readonly<Record<string, string>>;
  /** Values Vector accepts but does not document. */
  readonly hiddenEnum?: readonly string[];
  readonly default?: unknown;
  readonly options?: Readonly<Record<string, ReferenceNode>>;
  /** `true`: any key; a node: any key, each value of this schema (loki `labels`). */
  readonly additionalOptions?: true | ReferenceNode;
  readonly items?: ReferenceNode;
  readonly variants?: readonly ReferenceVariants[];
  /** The option only means something when this holds (and is only required then). */
  readonly relevantWhen?: ReferenceCondition;
  readonly requiredWhen?: ReferenceCondition;
  /** At least one group must be given in full. */
  readonly requireOneOfGroups?: readonly (readonly string[])[];
  /** An externally tagged enum: exactly one of the keys of `requireOneOfGroups`. */
  readonly exclusiveKeys?: boolean;
  readonly untaggedUnion?: string;
  /** Options that must be given together with this one. */
  readonly requiredWith?: readonly string[];
  /** serde aliases: other names Vector accepts for this option. */
  readonly aliases?: readonly string[];
  /** Accepted, but not in the generated reference (not suggested). */
  readonly hidden?: boolean;
  readonly deprecated?: boolean;
  readonly deprecatedMessage?: string;
  readonly boolOrObject?: boolean;
  /** `rejected`: serde `deny_unknown_fields`; `ignored`: Vector drops unknown keys silently. */
  readonly unknownOptions?: 'rejected' | 'ignored';
  readonly unit?: string;
  readonly syntax?: string;
  readonly description?: string;
}

/** One component type. */
export interface ReferenceComponent {
  /** Every option, the common ones (`type`, `inputs`, `buffer`, ...) included. */
  readonly options: Readonly<Record<string, ReferenceNode>>;
  readonly specificOptions: readonly string[];
  readonly input?: readonly EventType[];
  readonly output?: readonly EventType[];
  readonly passthrough?: boolean;
  readonly outputs?: readonly unknown[];
  readonly variants?: readonly ReferenceVariants[];
  readonly requireOneOfGroups?: readonly (readonly string[])[];
  readonly unknownOptions?: 'rejected' | 'ignored';
  readonly title?: string;
  /** A deprecated name of another type. */
  readonly aliasOf?: string;
  /** Vector's unit-test components, not for configs. */
  readonly internal?: boolean;
  readonly classes?: Readonly<Record<string, unknown>>;
}

export interface VectorReference {
  readonly vectorVersion: string;
  readonly format: Readonly<Record<string, unknown>>;
  readonly global: { readonly options: Readonly<Record<string, ReferenceNode>> };
  readonly sources: Readonly<Record<string, ReferenceComponent>>;
  readonly transforms: Readonly<Record<string, ReferenceComponent>>;
  readonly sinks: Readonly<Record<string, ReferenceComponent>>;
  readonly conditionSchema: {
    readonly types: readonly ReferenceValueType[];
    readonly object: Readonly<Record<string, ReferenceNode>>;
  };
  readonly codecs: Readonly<Record<string, unknown>>;
  readonly namedOutputs: Readonly<Record<string, unknown>>;
}

/** The file's name inside the package's `data/` folder. */
export const REFERENCE_FILE = `vector-reference-${VECTOR_VERSION}.json.gz`;

let cached: VectorReference | undefined;

/**
 * The path of the embedded reference: `data/` at the package root, found by walking up from this
 * file, which lies in `lib/vector/reference/` when run from the sources and in
 * `build/lib/vector/reference/` when compiled.
 */
export function referencePath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'data', REFERENCE_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`the embedded Vector component reference data/${REFERENCE_FILE} is missing above ${__dirname}`);
    }
  }
}

/** Vector's component reference, read and parsed on first use (about 2.4 MB of JSON). */
export function vectorReference(): VectorReference {
  cached ??= JSON.parse(gunzipSync(readFileSync(referencePath())).toString('utf8')) as VectorReference;
  return cached;
}
