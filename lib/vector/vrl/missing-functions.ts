/**
 * Functions Vector 0.57.0 offers to VRL programs that the VRL compiler used at synth time
 * (`@bpinternal/verel` 0.2.0, an older VRL built to WebAssembly) does not know. A call to one of
 * these is accepted; a call to a function in neither Vector nor that build is refused.
 *
 * How the list was made: Vector 0.57.0 locks VRL 0.33.1 (its Cargo.lock). The function names of
 * VRL 0.33.1 are the `fn identifier()` strings of `src/stdlib/**` at tag v0.33.1 of
 * github:vectordotdev/vrl (203 functions, the ones `stdlib::all()` lists, all feature-gated ones
 * included, as Vector enables them). Each name was then checked with `check("<name>()")` in
 * verel 0.2.0: error code 105 ("call to undefined function") means the build lacks it. Vector's own
 * functions come from Vector's sources, not VRL's. test/vector/vrl-functions.test.ts checks that
 * every name here is still missing in the installed verel, so the list cannot rot when it is upgraded.
 */
export interface MissingVrlFunction {
  readonly name: string;
  /** Where Vector 0.57.0 gets it from. */
  readonly source: string;
}

const VRL_0_33_1 = 'VRL 0.33.1 stdlib (newer than the verel build)';
const VECTOR_SECRETS = 'Vector 0.57.0 lib/vector-vrl/functions (event secrets)';
const VECTOR_ENRICHMENT = 'Vector 0.57.0 lib/enrichment (enrichment tables)';

export const MISSING_VRL_FUNCTIONS: readonly MissingVrlFunction[] = [
  { name: 'basename', source: VRL_0_33_1 },
  { name: 'decrypt_ip', source: VRL_0_33_1 },
  { name: 'dirname', source: VRL_0_33_1 },
  { name: 'encode_csv', source: VRL_0_33_1 },
  { name: 'encrypt_ip', source: VRL_0_33_1 },
  { name: 'from_entries', source: VRL_0_33_1 },
  { name: 'haversine', source: VRL_0_33_1 },
  { name: 'http_request', source: VRL_0_33_1 },
  { name: 'parse_yaml', source: VRL_0_33_1 },
  { name: 'pop', source: VRL_0_33_1 },
  { name: 'split_path', source: VRL_0_33_1 },
  { name: 'to_entries', source: VRL_0_33_1 },
  { name: 'validate_json_schema', source: VRL_0_33_1 },
  { name: 'xxhash', source: VRL_0_33_1 },
  { name: 'get_secret', source: VECTOR_SECRETS },
  { name: 'set_secret', source: VECTOR_SECRETS },
  { name: 'remove_secret', source: VECTOR_SECRETS },
  { name: 'set_semantic_meaning', source: 'Vector 0.57.0 lib/vector-vrl/functions (log namespace meanings)' },
  { name: 'get_enrichment_table_record', source: VECTOR_ENRICHMENT },
  { name: 'find_enrichment_table_records', source: VECTOR_ENRICHMENT },
  { name: 'parse_dnstap', source: 'Vector 0.57.0 lib/dnstap-parser (with the dnstap source feature)' },
  { name: 'find_vector_metrics', source: 'Vector 0.57.0 lib/vector-vrl/metrics (internal metrics)' },
  { name: 'get_vector_metric', source: 'Vector 0.57.0 lib/vector-vrl/metrics (internal metrics)' },
  { name: 'aggregate_vector_metrics', source: 'Vector 0.57.0 lib/vector-vrl/metrics (internal metrics)' },
];

export const MISSING_VRL_FUNCTION_NAMES: ReadonlySet<string> = new Set(MISSING_VRL_FUNCTIONS.map((f) => f.name));
