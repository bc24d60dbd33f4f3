import type { PipelineComponent } from '../component';
import type { ComponentOutputs } from '../components/kind';
import { didYouMean } from '../suggest';
import type { IdIndex } from './ids';
import { labelOf, type Report } from './report';

/**
 * The resolved inputs of every component, by position in `components`: component `i` reads
 * `producer[e]` for `e` from `start[i]` to `start[i + 1] - 1`. Positions in flat typed arrays
 * rather than Maps keyed by component objects keep validation linear in practice: with thousands
 * of components such Maps spend their time hashing, missing caches and collecting garbage, and
 * past 4096 entries each allocates its table as a large object (`npm run bench`).
 */
export interface Graph {
  readonly start: Int32Array;
  readonly producer: Int32Array;
  /** Where the reader lists the input, for messages: `components[i].inputs[inputAt[e]]`. */
  readonly inputAt: Int32Array;
}

export function checkInputs(components: readonly PipelineComponent[], byId: IdIndex, report: Report): Graph {
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
export function checkCycles(components: readonly PipelineComponent[], graph: Graph, report: Report): Uint8Array {
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
