import { Document, isMap, isPair, isScalar } from 'yaml';
import type { GlobalOptions } from './global-options';
import type { PipelineComponent } from './component';

const GLOBAL_ORDER: readonly (keyof GlobalOptions)[] = [
  'data_dir',
  'expire_metrics_secs',
  'acknowledgements',
  'api',
  'secret',
];
const SECTIONS = [
  ['sources', 'source'],
  ['transforms', 'transform'],
  ['sinks', 'sink'],
] as const;

/** Objects with keys sorted, recursively, so that the output does not depend on the order props were written in. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sorted(v);
  }
  return out;
}

function componentObject(c: PipelineComponent): Record<string, unknown> {
  const head: Record<string, unknown> = { type: c.type };
  if (c.class !== 'source') head.inputs = [...c.inputs];
  return { ...head, ...(sorted(c.options) as Record<string, unknown>) };
}

/** The config as a plain object: global options first, then sources, transforms and sinks in the order added. */
export function toConfigObject(
  components: readonly PipelineComponent[],
  global: GlobalOptions,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const key of GLOBAL_ORDER) if (global[key] !== undefined) config[key] = sorted(global[key]);
  for (const [section, cls] of SECTIONS) {
    const members = components.filter((c) => c.class === cls);
    if (members.length > 0) config[section] = Object.fromEntries(members.map((c) => [c.id, componentObject(c)]));
  }
  return config;
}

/** YAML with each component's comment above it; no line folding, so VRL stays as written. */
export function renderConfig(components: readonly PipelineComponent[], global: GlobalOptions): string {
  const doc = new Document(toConfigObject(components, global));
  const comments = new Map(components.filter((c) => c.comment).map((c) => [`${c.class}:${c.id}`, c.comment as string]));
  if (comments.size > 0) {
    for (const [section, cls] of SECTIONS) {
      const node = doc.get(section, true);
      if (!isMap(node)) continue;
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const comment = comments.get(`${cls}:${String(item.key.value)}`);
        if (comment)
          item.key.commentBefore = comment
            .split('\n')
            .map((line) => ` ${line}`)
            .join('\n');
      }
    }
  }
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}
