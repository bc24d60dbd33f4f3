import type { PipelineComponent } from '../component';
import { ALL_EVENT_TYPES, describeEventTypes, type EventType } from '../event-types';
import type { Graph } from './graph';
import { labelOf, type Report } from './report';

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
export function checkEventTypes(
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
    const input = c.inputs[graph.inputAt[e]];
    const types = narrowedByRoute(components[u], input, emitted[u]);
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
        `${c.type} accepts ${describeEventTypes(accepts)}, but input "${input}" (${components[u].type}) only emits ${describeEventTypes(types)}${conversionHint(types, accepts)}`,
      );
    }
    anyArrives ||= usable;
  }
  if (declared === 'passthrough') return TYPES_OF_MASK[arriving];
  return anyArrives ? declared : NO_TYPES;
}

const TYPE_CONDITIONS: Readonly<Record<string, EventType>> = {
  is_log: 'logs',
  is_metric: 'metrics',
  is_trace: 'traces',
};

/**
 * What a route's named output carries: a route passes on what it receives, but an output whose condition is
 * `{ type: is_log | is_metric | is_trace }` carries only that type, so `by_type.metrics` into `loki` is a mismatch.
 */
function narrowedByRoute(
  producer: PipelineComponent,
  input: string,
  types: readonly EventType[] | undefined,
): readonly EventType[] | undefined {
  if (!types || producer.type !== 'route') return types;
  const dot = input.indexOf('.');
  if (dot < 0) return types;
  const routes = producer.options.route as Readonly<Record<string, unknown>> | undefined;
  const condition = routes?.[input.slice(dot + 1)];
  const only =
    typeof condition === 'object' && condition !== null
      ? TYPE_CONDITIONS[String((condition as { type?: unknown }).type)]
      : undefined;
  return only === undefined ? types : types.filter((t) => t === only);
}

function conversionHint(from: readonly EventType[], to: readonly EventType[]): string {
  if (from.includes('metrics') && to.includes('logs'))
    return '; convert with a metric_to_log transform or send it to a metrics sink';
  if (from.includes('logs') && to.includes('metrics'))
    return '; derive metrics with log_to_metric or send it to a logs sink';
  return '';
}
