import type { ComponentClass, ComponentOutputs } from './components/kind';
import { knownKinds } from './components/registry';
import { CONFINED_TEMPLATE_SINKS } from './components/sinks';
import { ALL_EVENT_TYPES, describeEventTypes, type EventType } from './event-types';
import { DEFAULT_API_ADDRESS, type GlobalOptions } from './global-options';
import { type BufferOptions, MIN_DISK_BUFFER_BYTES } from './options';
import type { PipelineComponent } from './pipeline';
import type { VectorConfigProblem } from './problems';
import { didYouMean } from './suggest';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SECTION: Readonly<Record<ComponentClass, string>> = { source: 'sources', transform: 'transforms', sink: 'sinks' };
const OTHER_CLASSES: Readonly<Record<ComponentClass, readonly ComponentClass[]>> = {
  source: ['transform', 'sink'],
  transform: ['source', 'sink'],
  sink: ['source', 'transform'],
};

/** Hints for type names people reach for that are not Vector component types. */
const TYPE_HINTS: Readonly<Record<string, string>> = {
  'sink:disk':
    'Vector has no `disk` sink: a disk buffer is a sink\'s `buffer` option, e.g. buffer: { type: "disk", max_size: 1073741824 }',
  'sink:memory':
    'Vector has no `memory` sink: a memory buffer is a sink\'s `buffer` option, e.g. buffer: { type: "memory" }',
  'transform:metric_to_logs': 'the transform is `metric_to_log` (singular)',
  'transform:log_to_metrics': 'the transform is `log_to_metric` (singular)',
};

export const labelOf = (c: Pick<PipelineComponent, 'class' | 'id'>) => `${SECTION[c.class]}.${c.id}`;

/** An address a component binds. */
export interface Listener {
  /** `sources.vector_in`, `sinks.metrics`, or `global.api`. */
  readonly component: string;
  readonly address: string;
  readonly host: string;
  readonly port: number;
}

type Report = (component: string, message: string) => void;

/**
 * Checks a pipeline the way Vector would at startup, and more: every problem is reported, each
 * with the component it belongs to. Linear in components plus edges.
 */
export function validatePipeline(
  components: readonly PipelineComponent[],
  global: GlobalOptions,
  interpolatedEnvVars: readonly string[],
): VectorConfigProblem[] {
  const problems: VectorConfigProblem[] = [];
  const report: Report = (component, message) => problems.push({ component, message });

  const byId = checkIds(components, report);
  for (const c of components) checkComponent(c, report);
  if (components.length === 0) report('pipeline', 'has no components: add at least one source and one sink');
  const graph = checkInputs(components, byId, report);
  const inCycle = checkCycles(components, graph, report);
  checkEventTypes(components, graph, inCycle, report);
  checkListeners(components, global, report);
  checkGlobal(global, report);
  checkStrings(components, global, interpolatedEnvVars, report);
  return problems;
}

function checkIds(components: readonly PipelineComponent[], report: Report): IdIndex {
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
class IdIndex {
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

function checkComponent(c: PipelineComponent, report: Report): void {
  const label = labelOf(c);
  if (!c.kind) {
    report(label, unknownTypeMessage(c.class, c.type));
    return;
  }
  if (c.custom) {
    checkDeclaredTypes(c, report);
  } else {
    const names = c.kind.optionNames; // short lists: scanning beats building a Set per component
    for (const option of Object.keys(c.options)) {
      if (names.includes(option)) continue;
      const hint = c.kind.optionHints?.[option];
      report(label, `unknown option \`${option}\` for ${c.type}${hint ? `: ${hint}` : didYouMean(option, names)}`);
    }
    for (const option of c.kind.required) {
      if (c.options[option] === undefined) report(label, `${c.type} needs \`${option}\``);
    }
    for (const message of c.kind.check(c.options)) report(label, message);
  }
  if (c.class === 'sink') {
    checkBuffer(label, c.options.buffer as BufferOptions | undefined, report);
    if (CONFINED_TEMPLATE_SINKS.has(c.type)) checkTemplateConfinement(label, c.options, report);
  }
}

function unknownTypeMessage(cls: ComponentClass, type: unknown): string {
  if (typeof type !== 'string' || type === '') return `has no \`type\``;
  const hint = TYPE_HINTS[`${cls}:${type}`];
  if (hint) return `unknown ${cls} type "${type}": ${hint}`;
  const otherClass = OTHER_CLASSES[cls].find((other) => knownKinds(other).has(type));
  if (otherClass)
    return `"${type}" is a ${otherClass} type, not a ${cls} type: add it with add${capitalize(otherClass)}()`;
  return `unknown ${cls} type "${type}"${didYouMean(type, knownKinds(cls).keys())}; for a type this model lacks, use addCustom${capitalize(cls)}() and declare its event types`;
}

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

function checkDeclaredTypes(c: PipelineComponent, report: Report): void {
  const declared = c.custom ?? {};
  const check = (what: 'accepts' | 'emits', types: readonly EventType[] | 'passthrough' | undefined) => {
    if (types === 'passthrough' && what === 'emits' && c.class === 'transform') return;
    if (!Array.isArray(types) || types.length === 0 || types.some((t) => !ALL_EVENT_TYPES.includes(t))) {
      report(
        labelOf(c),
        `custom ${c.type} must declare the event types it ${what} as a non-empty list of logs, metrics, traces`,
      );
    }
  };
  if (c.class !== 'source') check('accepts', declared.accepts);
  if (c.class !== 'sink') check('emits', declared.emits);
  if (typeof c.type !== 'string' || c.type.trim() === '')
    report(labelOf(c), 'has no `type`: give the Vector component type');
  for (const reserved of ['type', 'inputs']) {
    if (reserved in c.options) report(labelOf(c), `give \`${reserved}\` as its own field, not inside \`options\``);
  }
}

function checkBuffer(label: string, buffer: BufferOptions | undefined, report: Report): void {
  if (buffer === undefined) return;
  const stages = Array.isArray(buffer) ? buffer : [buffer];
  for (const stage of stages) {
    if (stage.type !== 'disk') continue;
    if (typeof stage.max_size !== 'number' || stage.max_size < MIN_DISK_BUFFER_BYTES) {
      report(
        label,
        `disk buffer max_size ${String(stage.max_size)} is below Vector's minimum of ${MIN_DISK_BUFFER_BYTES} bytes (256 MiB + 32 B); Vector refuses to start`,
      );
    }
  }
}

const SKIP_FOR_TEMPLATES = new Set([
  'buffer',
  'batch',
  'request',
  'tls',
  'auth',
  'encoding',
  'healthcheck',
  'acknowledgements',
]);

function checkTemplateConfinement(label: string, options: Readonly<Record<string, unknown>>, report: Report): void {
  if (options.dangerously_allow_unconfined_template_resolution === true) return;
  for (const k of Object.keys(options)) if (!SKIP_FOR_TEMPLATES.has(k)) walkTemplates(options[k], k, label, report);
}

/** Reports every string and key under `value` that starts with a template (a plain function: no closures per sink). */
function walkTemplates(value: unknown, path: string, label: string, report: Report): void {
  if (typeof value === 'string') {
    if (isUnconfined(value)) reportUnconfined(label, path, 'is the template', value, report);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walkTemplates(value[i], `${path}[${i}]`, label, report);
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const k of Object.keys(object)) {
      if (isUnconfined(k)) reportUnconfined(label, `${path}.${k}`, 'has the template key', k, report);
      walkTemplates(object[k], `${path}.${k}`, label, report);
    }
  }
}

function isUnconfined(s: string): boolean {
  const at = s.indexOf('{{');
  return at === 0 || (at === 1 && s[0] === '/');
}

function reportUnconfined(label: string, path: string, what: string, template: string, report: Report): void {
  report(
    label,
    `\`${path}\` ${what} "${template}" with no literal prefix: Vector 0.57 refuses to start the sink unless it sets dangerously_allow_unconfined_template_resolution: true (safe for Loki labels, which are not paths) or the template starts with fixed text`,
  );
}

/**
 * The resolved inputs of every component, by position in `components`: component `i` reads
 * `producer[e]` for `e` from `start[i]` to `start[i + 1] - 1`. Positions in flat typed arrays
 * rather than Maps keyed by component objects keep validation linear in practice: with thousands
 * of components such Maps spend their time hashing, missing caches and collecting garbage, and
 * past 4096 entries each allocates its table as a large object (`npm run bench`).
 */
interface Graph {
  readonly start: Int32Array;
  readonly producer: Int32Array;
  /** Where the reader lists the input, for messages: `components[i].inputs[inputAt[e]]`. */
  readonly inputAt: Int32Array;
}

function checkInputs(components: readonly PipelineComponent[], byId: IdIndex, report: Report): Graph {
  const n = components.length;
  const start = new Int32Array(n + 1);
  // Sized once for every input listed, rather than grown edge by edge.
  let listed = 0;
  for (const c of components) if (Array.isArray(c.inputs)) listed += c.inputs.length;
  const producer = new Int32Array(listed);
  const inputAt = new Int32Array(listed);
  let edges = 0;
  const isRead = new Uint8Array(n);
  // Each producer's outputs, computed once however many components read it.
  const outputsOf = new Array<ComponentOutputs | undefined>(n);
  for (let i = 0; i < n; i++) {
    start[i] = edges;
    const c = components[i];
    if (c.class === 'source') {
      if (c.inputs.length > 0)
        report(labelOf(c), 'a source takes no `inputs`: give them to the transforms or sinks that read it');
      continue;
    }
    if (!Array.isArray(c.inputs) || !allStrings(c.inputs)) {
      report(labelOf(c), '`inputs` must be a list of ids, e.g. inputs: ["parse_logs"]');
      continue;
    }
    if (c.inputs.length === 0) {
      report(labelOf(c), `has no inputs: list the ids of the sources or transforms it reads in \`inputs\``);
    }
    // Input lists are short: finding a repeat by scanning the list beats a Set per component.
    const seen = c.inputs.length > 16 ? new Set<string>() : undefined;
    for (let j = 0; j < c.inputs.length; j++) {
      const name = c.inputs[j];
      if (seen ? seen.has(name) : c.inputs.indexOf(name) < j) {
        report(labelOf(c), `lists input "${name}" twice`);
        continue;
      }
      seen?.add(name);
      const p = resolveInput(components, i, name, byId, outputsOf, report);
      if (p >= 0) {
        producer[edges] = p;
        inputAt[edges++] = j;
        isRead[p] = 1;
      }
    }
  }
  start[n] = edges;
  for (let i = 0; i < n; i++) {
    const c = components[i];
    if (isRead[i] || !c.kind || byId.get(c.id) !== i) continue;
    if (c.class === 'source') {
      report(labelOf(c), 'nobody reads this source: add its id to the inputs of a transform or sink, or remove it');
    } else if (c.class === 'transform') {
      report(labelOf(c), 'nobody reads this transform: add its id to the inputs of a transform or sink, or remove it');
    }
  }
  return { start, producer, inputAt };
}

function allStrings(list: readonly unknown[]): boolean {
  for (const item of list) if (typeof item !== 'string') return false;
  return true;
}

/** The position of the component `input` reads, or -1 (reported) when it reads nothing valid. */
function resolveInput(
  components: readonly PipelineComponent[],
  readerAt: number,
  input: string,
  byId: IdIndex,
  outputsOf: (ComponentOutputs | undefined)[],
  report: Report,
): number {
  // Messages (and the label they start with) are only built on the problem paths.
  const reader = components[readerAt];
  const dot = input.indexOf('.');
  const id = dot < 0 ? input : input.slice(0, dot);
  const at = byId.get(id);
  if (at === undefined) {
    const wildcard = input.includes('*') ? ': wildcard inputs are not supported here, list the ids' : '';
    report(labelOf(reader), `unknown input "${input}"${wildcard || didYouMean(input, byId.ids())}`);
    return -1;
  }
  const producer = components[at];
  if (producer.class === 'sink') {
    report(
      labelOf(reader),
      `input "${input}" is a sink; sinks have no outputs, read the component that feeds it instead`,
    );
    return -1;
  }
  if (!producer.kind) return -1; // its unknown type is already reported
  if (at === readerAt) {
    report(labelOf(reader), 'reads its own output');
    return -1;
  }
  const outputs = (outputsOf[at] ??= producer.kind.outputs(producer.options));
  if (dot < 0 ? outputs.default : outputs.named.includes(input.slice(dot + 1))) return at;
  const named = outputs.named.map((n) => `"${id}.${n}"`).join(', ');
  if (dot < 0) {
    report(labelOf(reader), `input "${input}": ${labelOf(producer)} has no default output; read one of ${named}`);
    return -1;
  }
  const port = input.slice(dot + 1);
  const valid = [...(outputs.default ? [`"${id}"`] : []), ...(named ? [named] : [])].join(', ');
  const remapHint =
    producer.type === 'remap' && port === 'dropped' ? ' (`dropped` exists only with reroute_dropped: true)' : '';
  report(
    labelOf(reader),
    `input "${input}": ${labelOf(producer)} has no output "${port}"${remapHint}; its outputs are ${valid}`,
  );
  return -1;
}

/**
 * Tarjan's strongly connected components, iteratively; reports each cycle once. Returns a flag
 * per position: 1 for members of a cycle.
 */
function checkCycles(components: readonly PipelineComponent[], graph: Graph, report: Report): Uint8Array {
  const n = components.length;
  const { start, producer } = graph;
  const index = new Int32Array(n).fill(-1); // -1: not visited yet
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const inCycle = new Uint8Array(n);
  // Each component enters Tarjan's stack and the depth-first walk at most once, so n slots do.
  const stack = new Int32Array(n);
  let stackSize = 0;
  const walkNode = new Int32Array(n);
  const walkEdge = new Int32Array(n); // the next edge of walkNode[d] to follow
  let depth = 0;
  let next = 0;
  const visit = (v: number) => {
    index[v] = next;
    low[v] = next++;
    stack[stackSize++] = v;
    onStack[v] = 1;
    walkNode[depth] = v;
    walkEdge[depth++] = start[v];
  };
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0 || components[root].class !== 'transform') continue;
    visit(root);
    while (depth > 0) {
      const v = walkNode[depth - 1];
      if (walkEdge[depth - 1] < start[v + 1]) {
        const w = producer[walkEdge[depth - 1]++];
        if (index[w] < 0) visit(w);
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = walkNode[depth - 1];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] !== index[v]) continue;
      // v and everything above it on the stack form one strongly connected component.
      let bottom = stackSize - 1;
      while (stack[bottom] !== v) onStack[stack[bottom--]] = 0;
      onStack[v] = 0;
      if (bottom < stackSize - 1) reportCycle(components, stack.subarray(bottom, stackSize), inCycle, report);
      stackSize = bottom;
    }
  }
  return inCycle;
}

/** Marks and reports one cycle; `members` as they lie on Tarjan's stack, bottom first. */
function reportCycle(
  components: readonly PipelineComponent[],
  members: Int32Array,
  inCycle: Uint8Array,
  report: Report,
): void {
  // Popped (top first), the members run in event-flow order; start from the member added first
  // (the lowest position), so the message is stable.
  const popped = Array.from(members).reverse();
  let first = 0;
  for (const [i, m] of popped.entries()) {
    inCycle[m] = 1;
    if (m < popped[first]) first = i;
  }
  const loop = [...popped.slice(first), ...popped.slice(0, first)];
  const path = [...loop, loop[0]].map((m) => components[m].id).join(' -> ');
  report(labelOf(components[loop[0]]), `is part of a cycle: ${path}; events would loop forever, break the cycle`);
}

const NO_TYPES: readonly EventType[] = [];
/** What a `passthrough` transform emits for each set of arriving types (bit i: ALL_EVENT_TYPES[i]), shared. */
const TYPES_OF_MASK: readonly (readonly EventType[])[] = Array.from(
  { length: 1 << ALL_EVENT_TYPES.length },
  (_, mask) => ALL_EVENT_TYPES.filter((_t, i) => mask & (1 << i)),
);

/**
 * Propagates event types from sources downstream in topological order and reports every edge
 * along which no event the consumer accepts can ever arrive.
 */
function checkEventTypes(
  components: readonly PipelineComponent[],
  graph: Graph,
  inCycle: Uint8Array,
  report: Report,
): void {
  const n = components.length;
  const { start, producer } = graph;
  // Members of a cycle are never visited, and nothing downstream waits for them: their types
  // are unknown, and the cycle itself is already reported.
  // The graph reversed, flat like `graph`: u's readers are readers[readerStart[u]] up to
  // readers[readerStart[u + 1] - 1], in the order of the components and their inputs.
  const pending = new Int32Array(n);
  const readerStart = new Int32Array(n + 1);
  for (let c = 0; c < n; c++) {
    for (let e = start[c]; e < start[c + 1]; e++) {
      if (inCycle[producer[e]]) continue;
      pending[c]++;
      readerStart[producer[e] + 1]++;
    }
  }
  for (let u = 0; u < n; u++) readerStart[u + 1] += readerStart[u];
  const readers = new Int32Array(readerStart[n]);
  const filled = readerStart.slice(0, n);
  for (let c = 0; c < n; c++) {
    for (let e = start[c]; e < start[c + 1]; e++) {
      if (!inCycle[producer[e]]) readers[filled[producer[e]]++] = c;
    }
  }

  const emitted = new Array<readonly EventType[] | undefined>(n);
  const ready = new Int32Array(n); // a stack; each component becomes ready at most once
  let readySize = 0;
  for (let c = 0; c < n; c++) if (pending[c] === 0 && !inCycle[c]) ready[readySize++] = c;
  while (readySize > 0) {
    const c = ready[--readySize];
    if (components[c].kind) emitted[c] = typesOut(components, c, graph, emitted, report);
    for (let r = readerStart[c]; r < readerStart[c + 1]; r++) {
      const d = readers[r];
      if (--pending[d] === 0 && !inCycle[d]) ready[readySize++] = d;
    }
  }
}

function typesOut(
  components: readonly PipelineComponent[],
  at: number,
  graph: Graph,
  emitted: readonly (readonly EventType[] | undefined)[],
  report: Report,
): readonly EventType[] {
  const c = components[at];
  const kind = c.kind;
  if (!kind) return NO_TYPES;
  const declared = kind.emits(c.options);
  if (c.class === 'source') return declared === 'passthrough' ? NO_TYPES : declared;
  const accepts = kind.accepts(c.options);
  // The accepted types that arrive, as bits, and whether any did: a custom component may declare
  // a type outside ALL_EVENT_TYPES (reported by checkDeclaredTypes), which has no bit.
  let arriving = 0;
  let anyArrives = false;
  for (let e = graph.start[at]; e < graph.start[at + 1]; e++) {
    const u = graph.producer[e];
    const types = emitted[u];
    if (!types || types.length === 0) continue; // unknown upstream, reported where it is
    let usable = false;
    for (const t of types) {
      if (!accepts.includes(t)) continue;
      usable = true;
      const bit = ALL_EVENT_TYPES.indexOf(t);
      if (bit >= 0) arriving |= 1 << bit;
    }
    if (!usable) {
      report(
        labelOf(c),
        `${c.type} accepts ${describeEventTypes(accepts)}, but input "${c.inputs[graph.inputAt[e]]}" (${components[u].type}) only emits ${describeEventTypes(types)}${conversionHint(types, accepts)}`,
      );
    }
    anyArrives ||= usable;
  }
  if (declared === 'passthrough') return TYPES_OF_MASK[arriving];
  return anyArrives ? declared : NO_TYPES;
}

function conversionHint(from: readonly EventType[], to: readonly EventType[]): string {
  if (from.includes('metrics') && to.includes('logs'))
    return '; convert with a metric_to_log transform or send it to a metrics sink';
  if (from.includes('logs') && to.includes('metrics'))
    return '; derive metrics with log_to_metric or send it to a logs sink';
  return '';
}

/** Parses `host:port` and `[v6]:port`. */
export function parseAddress(address: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}

export function listenersOf(components: readonly PipelineComponent[], global: GlobalOptions): Listener[] {
  const found: Listener[] = [];
  const add = (component: string, address: string | undefined) => {
    const parsed = address === undefined ? undefined : parseAddress(address);
    if (address !== undefined && parsed) found.push({ component, address, ...parsed });
  };
  if (global.api?.enabled) add('global.api', global.api.address ?? DEFAULT_API_ADDRESS);
  for (const c of components) {
    const address = c.kind?.listenAddress(c.options);
    if (address !== undefined) add(labelOf(c), address); // most components listen nowhere: no label for them
  }
  return found;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]', '::']);

function checkListeners(components: readonly PipelineComponent[], global: GlobalOptions, report: Report): void {
  const check = (component: string, address: string | undefined) => {
    if (address !== undefined && !parseAddress(address)) {
      report(component, `address "${address}" is not host:port with a port from 1 to 65535, e.g. "0.0.0.0:6000"`);
    }
  };
  if (global.api?.enabled) check('global.api', global.api.address ?? DEFAULT_API_ADDRESS);
  for (const c of components) {
    const address = c.kind?.listenAddress(c.options);
    if (address !== undefined) check(labelOf(c), address);
  }

  const byPort = new Map<number, Listener[]>();
  for (const l of listenersOf(components, global)) {
    const same = byPort.get(l.port) ?? [];
    for (const other of same) {
      if (other.host === l.host || WILDCARD_HOSTS.has(other.host) || WILDCARD_HOSTS.has(l.host)) {
        report(
          l.component,
          `listens on ${l.address}, which ${other.component} already binds (${other.address}); give one of them another port`,
        );
      }
    }
    same.push(l);
    byPort.set(l.port, same);
  }
}

function checkGlobal(global: GlobalOptions, report: Report): void {
  if (global.data_dir !== undefined && !global.data_dir.startsWith('/')) {
    report('global.data_dir', `must be an absolute path; got "${global.data_dir}"`);
  }
  for (const name of Object.keys(global.secret ?? {})) {
    if (!ID_PATTERN.test(name)) {
      report(`global.secret.${name}`, "backend names may contain only letters, digits, '_' and '-'");
    }
  }
}

const SECRET_REFERENCE = /SECRET\[([^\]]*)\]/g;
/** Vector's interpolation syntax: `$$` (a literal `$`), `${NAME}`, `${NAME:-default}`, `$NAME`. */
const INTERPOLATION = /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Secret references must name a configured backend; `${VAR}` only works when interpolation is on for VAR. */
function checkStrings(
  components: readonly PipelineComponent[],
  global: GlobalOptions,
  interpolatedEnvVars: readonly string[],
  report: Report,
): void {
  const backends = new Set(Object.keys(global.secret ?? {}));
  const allowed = new Set(interpolatedEnvVars);
  const inspect = (label: string, path: string, s: string) => {
    for (const m of s.matchAll(SECRET_REFERENCE)) {
      const [backend, key] = m[1].split('.', 2);
      if (!key) report(label, `\`${path}\`: secret reference "${m[0]}" must be SECRET[<backend>.<key>]`);
      else if (!backends.has(backend)) {
        const known = backends.size > 0 ? `; configured backends: ${[...backends].join(', ')}` : '';
        report(
          label,
          `\`${path}\`: secret reference "${m[0]}" names backend "${backend}", which is not configured (addSecretBackend)${known}`,
        );
      }
    }
    for (const m of s.matchAll(INTERPOLATION)) {
      if (m[0] === '$$') continue;
      // Without interpolation a bare `$NAME` stays literal, and may well be meant (a regex, a price).
      if (m[2] !== undefined && allowed.size === 0) continue;
      const name = m[1] !== undefined ? m[1].split(/:?[-?]/, 1)[0] : m[2];
      if (!allowed.has(name)) report(label, interpolationMessage(path, m[0], name, allowed));
    }
  };
  const walk = (label: string, path: string, value: unknown): void => {
    if (typeof value === 'string') inspect(label, path, value);
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(label, `${path}[${i}]`, v);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(label, path ? `${path}.${k}` : k, v);
    }
  };
  // Vector interpolates the whole file before parsing it: secret backends and comments too.
  for (const [k, v] of Object.entries(global)) {
    if (k === 'secret') {
      for (const [name, backend] of Object.entries(v ?? {})) walk(`global.secret.${name}`, '', backend);
    } else {
      walk(`global.${k}`, k, v);
    }
  }
  // Most components reference nothing: a scan that builds no labels and paths tells which to walk.
  for (const c of components) {
    if (mayReference(c.options)) walk(labelOf(c), '', c.options);
    if (c.comment && mayReference(c.comment)) walk(labelOf(c), 'comment', c.comment);
  }
}

/** Whether any string under `value` could hold a secret reference or an interpolation. */
function mayReference(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('$') || value.includes('SECRET[');
  if (Array.isArray(value)) {
    for (const v of value) if (mayReference(v)) return true;
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const k of Object.keys(object)) if (mayReference(object[k])) return true;
  }
  return false;
}

function interpolationMessage(path: string, text: string, name: string, allowed: ReadonlySet<string>): string {
  if (allowed.size === 0) {
    return `\`${path}\` contains "${text}": Vector 0.57 does not interpolate environment variables by default, so it would stay literal; bake the value in at synth time (or list "${name}" in interpolatedEnvVars and run Vector with --dangerously-allow-env-var-interpolation)`;
  }
  return `\`${path}\` contains "${text}", but "${name}" is not in interpolatedEnvVars (${[...allowed].join(', ')}); write $$ for a literal dollar sign`;
}
