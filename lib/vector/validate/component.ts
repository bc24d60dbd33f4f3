import type { ComponentClass } from '../components/kind';
import { knownKinds } from '../components/registry';
import { CONFINED_TEMPLATE_SINKS } from '../components/sinks';
import type { PipelineComponent } from '../component';
import { ALL_EVENT_TYPES, type EventType } from '../event-types';
import { type BufferOptions, MIN_DISK_BUFFER_BYTES } from '../options';
import { checkReferenceOptions, REFERENCE_SECTION } from '../reference/check-options';
import { vectorReference } from '../reference/reference';
import { didYouMean } from '../suggest';
import { TEMPLATE_CONFINEMENT, templatesConfined } from '../template-confinement';
import { VECTOR_VERSION } from '../version';
import { labelOf, type Report } from './report';

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

export function checkComponent(c: PipelineComponent, report: Report): void {
  const label = labelOf(c);
  if (!c.kind) {
    report(label, unknownTypeMessage(c.class, c.type));
    return;
  }
  if (c.custom) {
    checkDeclaredTypes(c, report);
    checkCustomAgainstReference(c, label, report);
  } else {
    const kind = c.kind;
    const names = kind.optionNames; // short lists: scanning beats building a Set per component
    for (const option of Object.keys(c.options)) {
      if (names.includes(option)) continue;
      const hint = kind.optionHints?.[option];
      report(label, `unknown option \`${option}\` for ${c.type}${hint ? `: ${hint}` : didYouMean(option, names)}`);
    }
    for (const option of kind.required) {
      if (c.options[option] === undefined) report(label, `${c.type} needs \`${option}\``);
    }
    const typed = kind.check(c.options);
    for (const message of typed) report(label, message);
    // The typed checks above keep their own words: the reference adds what they do not cover, and
    // says nothing about an option a typed message already names.
    checkReferenceOptions(c.class, c.type, c.options, (message) => report(label, message), {
      option: (name) => names.includes(name) && (typed.length === 0 || !mentions(typed, name)),
      required: (name) => !kind.required.includes(name),
    });
  }
  if (c.class === 'sink') {
    checkBuffer(label, c.options.buffer as BufferOptions | undefined, report);
    if (CONFINED_TEMPLATE_SINKS.has(c.type) && templatesConfined(VECTOR_VERSION))
      checkTemplateConfinement(label, c.options, report);
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

/** Whether any message names the option `name`, alone or as the head of a path (`routing.endpoints`). */
function mentions(messages: readonly string[], name: string): boolean {
  return messages.some((m) => [`\`${name}\``, `\`${name}.`, `\`${name}[`, `\`${name}: `].some((s) => m.includes(s)));
}

/** A custom component's type must be one Vector has, and its options are checked as Vector would. */
function checkCustomAgainstReference(c: PipelineComponent, label: string, report: Report): void {
  if (typeof c.type !== 'string' || c.type.trim() === '') return; // reported by checkDeclaredTypes
  if (checkReferenceOptions(c.class, c.type, c.options, (message) => report(label, message))) return;
  report(label, unknownReferenceTypeMessage(c.class, c.type));
}

function unknownReferenceTypeMessage(cls: ComponentClass, type: string): string {
  const reference = vectorReference();
  const hint = TYPE_HINTS[`${cls}:${type}`];
  if (hint) return `unknown ${cls} type "${type}": ${hint}`;
  const otherClass = OTHER_CLASSES[cls].find((other) => Object.hasOwn(reference[REFERENCE_SECTION[other]], type));
  if (otherClass) {
    return `"${type}" is a ${otherClass} type, not a ${cls} type: add it with addCustom${capitalize(otherClass)}()`;
  }
  const section = reference[REFERENCE_SECTION[cls]];
  const types = Object.keys(section).filter((t) => !section[t].internal);
  return `unknown ${cls} type "${type}"${didYouMean(type, types)}: Vector ${reference.vectorVersion} has no such ${cls}`;
}

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
    // A missing or non-numeric max_size is reported by the reference check, naming the option path.
    if (stage.type !== 'disk' || typeof stage.max_size !== 'number') continue;
    if (stage.max_size < MIN_DISK_BUFFER_BYTES) {
      report(
        label,
        `disk buffer max_size ${stage.max_size} is below Vector's minimum of ${MIN_DISK_BUFFER_BYTES} bytes (256 MiB + 32 B); Vector refuses to start`,
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
  if (options[TEMPLATE_CONFINEMENT.option] === true) return;
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
    `\`${path}\` ${what} "${template}" with no literal prefix: Vector ${VECTOR_VERSION} refuses to start the sink unless it sets ${TEMPLATE_CONFINEMENT.option}: true (safe for Loki labels, which are not paths) or the template starts with fixed text`,
  );
}
