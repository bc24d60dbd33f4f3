import type { ComponentClass } from './components/kind';
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
  const edges = checkInputs(components, byId, report);
  const inCycle = checkCycles(components, edges, report);
  checkEventTypes(components, edges, inCycle, report);
  checkListeners(components, global, report);
  checkGlobal(global, report);
  checkStrings(components, global, interpolatedEnvVars, report);
  return problems;
}

function checkIds(components: readonly PipelineComponent[], report: Report): Map<string, PipelineComponent> {
  const byId = new Map<string, PipelineComponent>();
  for (const c of components) {
    if (!ID_PATTERN.test(c.id)) {
      report(
        labelOf(c),
        `invalid id "${c.id}": use letters, digits, '_' and '-', starting with a letter or digit (a '.' would read as a named output)`,
      );
    }
    const first = byId.get(c.id);
    if (first) {
      report(
        labelOf(c),
        `duplicate id "${c.id}": ${labelOf(first)} already has it; ids are unique across sources, transforms and sinks`,
      );
    } else {
      byId.set(c.id, c);
    }
  }
  return byId;
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
    const names = new Set(c.kind.optionNames);
    for (const option of Object.keys(c.options)) {
      if (names.has(option)) continue;
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
  const unconfined = (s: string) => {
    const at = s.indexOf('{{');
    return at === 0 || (at === 1 && s[0] === '/');
  };
  const flag = (path: string, what: string, template: string) =>
    report(
      label,
      `\`${path}\` ${what} "${template}" with no literal prefix: Vector 0.57 refuses to start the sink unless it sets dangerously_allow_unconfined_template_resolution: true (safe for Loki labels, which are not paths) or the template starts with fixed text`,
    );
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (unconfined(value)) flag(path, 'is the template', value);
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (unconfined(k)) flag(`${path}.${k}`, 'has the template key', k);
        walk(v, `${path}.${k}`);
      }
    }
  };
  for (const [k, v] of Object.entries(options)) if (!SKIP_FOR_TEMPLATES.has(k)) walk(v, k);
}

/** One resolved input: the component read, and the input as written (`route.errors`). */
interface Edge {
  readonly producer: PipelineComponent;
  readonly input: string;
}
/** For each component, the inputs it reads, resolved. */
type Edges = Map<PipelineComponent, Edge[]>;

function checkInputs(
  components: readonly PipelineComponent[],
  byId: Map<string, PipelineComponent>,
  report: Report,
): Edges {
  const edges: Edges = new Map();
  const readers = new Map<PipelineComponent, number>();
  for (const c of components) {
    const upstream: Edge[] = [];
    edges.set(c, upstream);
    if (c.class === 'source') {
      if (c.inputs.length > 0)
        report(labelOf(c), 'a source takes no `inputs`: give them to the transforms or sinks that read it');
      continue;
    }
    if (!Array.isArray(c.inputs) || c.inputs.some((i) => typeof i !== 'string')) {
      report(labelOf(c), '`inputs` must be a list of ids, e.g. inputs: ["parse_logs"]');
      continue;
    }
    if (c.inputs.length === 0) {
      report(labelOf(c), `has no inputs: list the ids of the sources or transforms it reads in \`inputs\``);
    }
    const seen = new Set<string>();
    for (const input of c.inputs) {
      if (seen.has(input)) {
        report(labelOf(c), `lists input "${input}" twice`);
        continue;
      }
      seen.add(input);
      const producer = resolveInput(c, input, byId, report);
      if (producer) {
        upstream.push({ producer, input });
        readers.set(producer, (readers.get(producer) ?? 0) + 1);
      }
    }
  }
  for (const c of components) {
    if (readers.has(c) || !c.kind || byId.get(c.id) !== c) continue;
    if (c.class === 'source') {
      report(labelOf(c), 'nobody reads this source: add its id to the inputs of a transform or sink, or remove it');
    } else if (c.class === 'transform') {
      report(labelOf(c), 'nobody reads this transform: add its id to the inputs of a transform or sink, or remove it');
    }
  }
  return edges;
}

function resolveInput(
  reader: PipelineComponent,
  input: string,
  byId: Map<string, PipelineComponent>,
  report: Report,
): PipelineComponent | undefined {
  const label = labelOf(reader);
  const dot = input.indexOf('.');
  const id = dot < 0 ? input : input.slice(0, dot);
  const port = dot < 0 ? undefined : input.slice(dot + 1);
  const producer = byId.get(id);
  if (!producer) {
    const wildcard = input.includes('*') ? ': wildcard inputs are not supported here, list the ids' : '';
    report(label, `unknown input "${input}"${wildcard || didYouMean(input, byId.keys())}`);
    return undefined;
  }
  if (producer.class === 'sink') {
    report(label, `input "${input}" is a sink; sinks have no outputs, read the component that feeds it instead`);
    return undefined;
  }
  if (!producer.kind) return undefined; // its unknown type is already reported
  if (producer === reader) {
    report(label, 'reads its own output');
    return undefined;
  }
  const outputs = producer.kind.outputs(producer.options);
  const named = outputs.named.map((n) => `"${id}.${n}"`).join(', ');
  if (port === undefined) {
    if (outputs.default) return producer;
    report(label, `input "${input}": ${labelOf(producer)} has no default output; read one of ${named}`);
    return undefined;
  }
  if (outputs.named.includes(port)) return producer;
  const valid = [...(outputs.default ? [`"${id}"`] : []), ...(named ? [named] : [])].join(', ');
  const remapHint =
    producer.type === 'remap' && port === 'dropped' ? ' (`dropped` exists only with reroute_dropped: true)' : '';
  report(label, `input "${input}": ${labelOf(producer)} has no output "${port}"${remapHint}; its outputs are ${valid}`);
  return undefined;
}

/** Tarjan's strongly connected components, iteratively; reports each cycle once. */
function checkCycles(components: readonly PipelineComponent[], edges: Edges, report: Report): Set<PipelineComponent> {
  const index = new Map<PipelineComponent, number>();
  const low = new Map<PipelineComponent, number>();
  const onStack = new Set<PipelineComponent>();
  const stack: PipelineComponent[] = [];
  const inCycle = new Set<PipelineComponent>();
  const order = new Map(components.map((c, i) => [c, i]));
  let next = 0;
  for (const root of components) {
    if (index.has(root) || root.class !== 'transform') continue;
    const work: { node: PipelineComponent; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const upstream = edges.get(frame.node) ?? [];
      if (frame.child < upstream.length) {
        const w = upstream[frame.child++].producer;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, child: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(w) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const scc: PipelineComponent[] = [];
      let w: PipelineComponent | undefined;
      do {
        w = stack.pop() as PipelineComponent;
        onStack.delete(w);
        scc.push(w);
      } while (w !== frame.node);
      if (scc.length > 1) {
        for (const member of scc) inCycle.add(member);
        // Popped in event-flow order; start from the member added first, so the message is stable.
        const first = scc.reduce(
          (best, m, i) => ((order.get(m) as number) < (order.get(scc[best]) as number) ? i : best),
          0,
        );
        const loop = [...scc.slice(first), ...scc.slice(0, first)];
        const path = [...loop, loop[0]].map((m) => m.id).join(' -> ');
        report(labelOf(loop[0]), `is part of a cycle: ${path}; events would loop forever, break the cycle`);
      }
    }
  }
  return inCycle;
}

/**
 * Propagates event types from sources downstream in topological order and reports every edge
 * along which no event the consumer accepts can ever arrive.
 */
function checkEventTypes(
  components: readonly PipelineComponent[],
  edges: Edges,
  inCycle: Set<PipelineComponent>,
  report: Report,
): void {
  const emitted = new Map<PipelineComponent, readonly EventType[]>();
  const downstream = new Map<PipelineComponent, PipelineComponent[]>();
  const pending = new Map<PipelineComponent, number>();
  // Members of a cycle are never visited, and nothing downstream waits for them: their types
  // are unknown, and the cycle itself is already reported.
  for (const c of components) {
    const upstream = (edges.get(c) ?? []).map((e) => e.producer).filter((u) => !inCycle.has(u));
    pending.set(c, upstream.length);
    for (const u of upstream) {
      const list = downstream.get(u);
      if (list) list.push(c);
      else downstream.set(u, [c]);
    }
  }
  const ready = components.filter((c) => pending.get(c) === 0 && !inCycle.has(c));
  while (ready.length > 0) {
    const c = ready.pop() as PipelineComponent;
    if (c.kind) emitted.set(c, typesOut(c, edges.get(c) ?? [], emitted, report));
    for (const d of downstream.get(c) ?? []) {
      const left = (pending.get(d) as number) - 1;
      pending.set(d, left);
      if (left === 0 && !inCycle.has(d)) ready.push(d);
    }
  }
}

function typesOut(
  c: PipelineComponent,
  upstream: readonly Edge[],
  emitted: Map<PipelineComponent, readonly EventType[]>,
  report: Report,
): readonly EventType[] {
  const kind = c.kind;
  if (!kind) return [];
  const declared = kind.emits(c.options);
  if (c.class === 'source') return declared === 'passthrough' ? [] : declared;
  const accepts = kind.accepts(c.options);
  const arriving = new Set<EventType>();
  for (const { producer: u, input } of upstream) {
    const types = emitted.get(u);
    if (!types || types.length === 0) continue; // unknown upstream, reported where it is
    const usable = types.filter((t) => accepts.includes(t));
    if (usable.length === 0) {
      report(
        labelOf(c),
        `${c.type} accepts ${describeEventTypes(accepts)}, but input "${input}" (${u.type}) only emits ${describeEventTypes(types)}${conversionHint(types, accepts)}`,
      );
    }
    for (const t of usable) arriving.add(t);
  }
  if (declared === 'passthrough') return ALL_EVENT_TYPES.filter((t) => arriving.has(t));
  return arriving.size > 0 ? declared : [];
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
  for (const c of components) add(labelOf(c), c.kind?.listenAddress(c.options));
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
  for (const c of components) check(labelOf(c), c.kind?.listenAddress(c.options));

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
  for (const c of components) {
    walk(labelOf(c), '', c.options);
    if (c.comment) walk(labelOf(c), 'comment', c.comment);
  }
}

function interpolationMessage(path: string, text: string, name: string, allowed: ReadonlySet<string>): string {
  if (allowed.size === 0) {
    return `\`${path}\` contains "${text}": Vector 0.57 does not interpolate environment variables by default, so it would stay literal; bake the value in at synth time (or list "${name}" in interpolatedEnvVars and run Vector with --dangerously-allow-env-var-interpolation)`;
  }
  return `\`${path}\` contains "${text}", but "${name}" is not in interpolatedEnvVars (${[...allowed].join(', ')}); write $$ for a literal dollar sign`;
}
