import { ALL_EVENT_TYPES } from '../event-types';
import type { Condition } from '../options';
import { type ComponentKind, type ComponentOptions, defineKind, optionNamesOf } from './kind';

interface TransformBase {
  /** Ids (or `id.output`) of the components this one reads. */
  readonly inputs: readonly string[];
}

/** Changes events with a VRL program. */
export interface RemapTransform extends TransformBase {
  readonly type: 'remap';
  /** The VRL program. Give exactly one of `source` and `file`. */
  readonly source?: string;
  readonly file?: string;
  /** @default false (a failing event is passed on unchanged) */
  readonly drop_on_error?: boolean;
  /** @default true */
  readonly drop_on_abort?: boolean;
  /** Send dropped events to the `id.dropped` output instead of discarding them. @default false */
  readonly reroute_dropped?: boolean;
  readonly timezone?: string;
  readonly metric_tag_values?: 'single' | 'full';
}

/** Sends each event to every named route whose condition it matches (outputs `id.name`). */
export interface RouteTransform extends TransformBase {
  readonly type: 'route';
  /** Route name to condition; read them as `id.name`, and the rest as `id._unmatched`. */
  readonly route: Readonly<Record<string, Condition>>;
  /** Whether `id._unmatched` exists. @default true */
  readonly reroute_unmatched?: boolean;
}

/** Keeps the events that match a condition. */
export interface FilterTransform extends TransformBase {
  readonly type: 'filter';
  readonly condition: Condition;
}

/** Drops events already seen, by the given fields. */
export interface DedupeTransform extends TransformBase {
  readonly type: 'dedupe';
  /** Compare only these fields (`match`) or all but these (`ignore`). @default match on timestamp, host, message */
  readonly fields?: { readonly match: readonly string[] } | { readonly ignore: readonly string[] };
  /** @default { num_events: 5000 } */
  readonly cache?: { readonly num_events: number };
}

/**
 * Keeps a fraction of events. `rate: N` keeps 1 in N (so `rate: 100` keeps 1 %, not all);
 * `ratio: 0.1` keeps 10 %. There are no per-key rates: use one sample per group, with `exclude`.
 */
export interface SampleTransform extends TransformBase {
  readonly type: 'sample';
  /** Keep 1 event in `rate`. Give exactly one of `rate` and `ratio`. */
  readonly rate?: number;
  /** Keep this fraction of events, in (0, 1). */
  readonly ratio?: number;
  /** Events matching this condition are all kept. */
  readonly exclude?: Condition;
  /** Sample events with the same value of this field together (all or none). */
  readonly key_field?: string;
  /** Sample each group separately, e.g. `{{ namespace }}`. */
  readonly group_by?: string;
  /** Field that records the rate on kept events. @default 'sample_rate' */
  readonly sample_rate_key?: string;
}

/** One metric derived from log events. */
export type LogToMetricMetric = {
  /** Field whose presence (counter) or value (others) makes the metric. */
  readonly field: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly tags?: Readonly<Record<string, string>>;
} & (
  | { readonly type: 'counter'; readonly increment_by_value?: boolean; readonly kind?: 'incremental' | 'absolute' }
  | { readonly type: 'gauge' | 'histogram' | 'set' | 'summary' }
);

/** Turns log events into metrics. */
export interface LogToMetricTransform extends TransformBase {
  readonly type: 'log_to_metric';
  /** The metrics to derive. Give these, or set `all_metrics`. */
  readonly metrics?: readonly LogToMetricMetric[];
  /** Turn log events that already have a metric's shape into that metric. @default false */
  readonly all_metrics?: boolean;
}

/** Turns metrics into log events. */
export interface MetricToLogTransform extends TransformBase {
  readonly type: 'metric_to_log';
  readonly host_tag?: string;
  readonly timezone?: string;
  readonly metric_tag_values?: 'single' | 'full';
}

/** Limits the rate of log events, per key. */
export interface ThrottleTransform extends TransformBase {
  readonly type: 'throttle';
  /** Events allowed per window. */
  readonly threshold: number;
  readonly window_secs: number;
  readonly key_field?: string;
  readonly exclude?: Condition;
}

/** How `reduce` combines one field's values over the merged events. */
export type ReduceMergeStrategy =
  | 'array'
  | 'concat'
  | 'concat_newline'
  | 'concat_raw'
  | 'discard'
  | 'flat_unique'
  | 'longest_array'
  | 'max'
  | 'min'
  | 'retain'
  | 'shortest_array'
  | 'sum';

/**
 * Merges consecutive log events of one group into one (multiline stack traces, transactions). Give at most one of
 * `starts_when` and `ends_when`; without either, a group is flushed when it expires.
 */
export interface ReduceTransform extends TransformBase {
  readonly type: 'reduce';
  /** Fields whose values make a group: events of different groups never merge. @default [] (one group) */
  readonly group_by?: readonly string[];
  /** An event matching this starts a new merged event (the group's previous one is flushed). */
  readonly starts_when?: Condition;
  /** An event matching this is the last of its merged event. */
  readonly ends_when?: Condition;
  /** A group that gets no event for this long is flushed (ms). @default 30000 */
  readonly expire_after_ms?: number;
  /** How often expired groups are looked for (ms). @default 1000 */
  readonly flush_period_ms?: number;
  /** Flush a group every this long, whatever comes (ms). @default never */
  readonly end_every_period_ms?: number;
  /** Flush a group when it holds this many events. @default unlimited */
  readonly max_events?: number;
  /**
   * Per field, how values combine. @default strings: the first; numbers: summed; arrays: concatenated;
   * timestamps: the first, and the last in `<field>_end`
   */
  readonly merge_strategies?: Readonly<Record<string, ReduceMergeStrategy>>;
}

export type TransformSpec =
  | ReduceTransform
  | RemapTransform
  | RouteTransform
  | FilterTransform
  | DedupeTransform
  | SampleTransform
  | LogToMetricTransform
  | MetricToLogTransform
  | ThrottleTransform;

const transform = (def: Parameters<typeof defineKind>[1]) => defineKind('transform', def);
const isPositiveInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkRemap(o: ComponentOptions): string[] {
  const programs = ['source', 'file'].filter((k) => o[k] !== undefined);
  if (programs.length === 1) return [];
  return [
    `give exactly one of \`source\` and \`file\` (the VRL program); got ${programs.length === 0 ? 'neither' : 'both'}`,
  ];
}

function checkRoute(o: ComponentOptions): string[] {
  if (!isObject(o.route) || Object.keys(o.route).length === 0) {
    return ['`route` needs at least one named condition, e.g. { logs: { type: "is_log" } }'];
  }
  const problems: string[] = [];
  for (const name of Object.keys(o.route)) {
    if (name === '_unmatched') problems.push('route name `_unmatched` is reserved for events no route matches');
    else if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      problems.push(`route name "${name}" may contain only letters, digits, '_' and '-'`);
    }
  }
  return problems;
}

function checkDedupe(o: ComponentOptions): string[] {
  const fields = o.fields;
  if (fields === undefined) return [];
  if (Array.isArray(fields)) {
    return ['`fields` is not a list: write `fields: { match: [...] }` (compare these) or `fields: { ignore: [...] }`'];
  }
  const keys = isObject(fields) ? Object.keys(fields) : [];
  if (
    keys.length !== 1 ||
    !['match', 'ignore'].includes(keys[0]) ||
    !Array.isArray((fields as Record<string, unknown>)[keys[0]])
  ) {
    return ['`fields` must be exactly one of `{ match: [...] }` and `{ ignore: [...] }`'];
  }
  return [];
}

function checkSample(o: ComponentOptions): string[] {
  const given = ['rate', 'ratio'].filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    return ['give exactly one of `rate` (keep 1 in N) and `ratio` (keep a fraction in (0, 1))'];
  }
  if (o.rate !== undefined) {
    if (!isPositiveInteger(o.rate))
      return [`\`rate\` must be a whole number >= 2 (keeps 1 in rate); got ${String(o.rate)}`];
    if (o.rate === 1) return ['`rate: 1` keeps every event: remove the sample transform instead'];
  }
  if (o.ratio !== undefined) {
    const r = o.ratio;
    if (typeof r !== 'number' || !(r > 0 && r < 1)) {
      return [`\`ratio\` must be between 0 and 1 exclusive (the fraction kept); got ${String(r)}`];
    }
  }
  return [];
}

function checkThrottle(o: ComponentOptions): string[] {
  const problems: string[] = [];
  if (o.threshold !== undefined && !isPositiveInteger(o.threshold)) {
    problems.push(`\`threshold\` must be a whole number >= 1; got ${String(o.threshold)}`);
  }
  if (o.window_secs !== undefined && !(typeof o.window_secs === 'number' && o.window_secs > 0)) {
    problems.push(`\`window_secs\` must be > 0; got ${String(o.window_secs)}`);
  }
  return problems;
}

function checkReduce(o: ComponentOptions): string[] {
  const problems: string[] = [];
  if (o.starts_when !== undefined && o.ends_when !== undefined) {
    problems.push('give at most one of `starts_when` and `ends_when`: Vector refuses both');
  }
  for (const key of ['expire_after_ms', 'flush_period_ms', 'end_every_period_ms', 'max_events']) {
    if (o[key] !== undefined && !isPositiveInteger(o[key])) {
      problems.push(`\`${key}\` must be a whole number >= 1; got ${String(o[key])}`);
    }
  }
  if (o.group_by !== undefined && !Array.isArray(o.group_by)) {
    problems.push('`group_by` is a list of field names, e.g. ["file"]');
  }
  return problems;
}

export const TRANSFORM_KINDS: readonly ComponentKind[] = [
  transform({
    type: 'reduce',
    optionNames: optionNamesOf<ReduceTransform>()([
      'group_by',
      'starts_when',
      'ends_when',
      'expire_after_ms',
      'flush_period_ms',
      'end_every_period_ms',
      'max_events',
      'merge_strategies',
    ]),
    optionHints: { identifier_fields: 'the option is `group_by`', merge_strategy: 'the option is `merge_strategies`' },
    accepts: ['logs'],
    emits: 'passthrough',
    check: checkReduce,
  }),
  transform({
    type: 'remap',
    optionNames: optionNamesOf<RemapTransform>()([
      'source',
      'file',
      'drop_on_error',
      'drop_on_abort',
      'reroute_dropped',
      'timezone',
      'metric_tag_values',
    ]),
    accepts: ALL_EVENT_TYPES,
    emits: 'passthrough',
    outputs: (o) => ({ default: true, named: o.reroute_dropped === true ? ['dropped'] : [] }),
    check: checkRemap,
  }),
  transform({
    type: 'route',
    optionNames: optionNamesOf<RouteTransform>()(['route', 'reroute_unmatched']),
    required: ['route'],
    accepts: ALL_EVENT_TYPES,
    emits: 'passthrough',
    outputs: (o) => ({
      default: false,
      named: [
        ...(isObject(o.route) ? Object.keys(o.route) : []),
        ...(o.reroute_unmatched === false ? [] : ['_unmatched']),
      ],
    }),
    check: checkRoute,
  }),
  transform({
    type: 'filter',
    optionNames: optionNamesOf<FilterTransform>()(['condition']),
    required: ['condition'],
    accepts: ALL_EVENT_TYPES,
    emits: 'passthrough',
  }),
  transform({
    type: 'dedupe',
    optionNames: optionNamesOf<DedupeTransform>()(['fields', 'cache']),
    accepts: ['logs'],
    emits: 'passthrough',
    check: checkDedupe,
  }),
  transform({
    type: 'sample',
    optionNames: optionNamesOf<SampleTransform>()([
      'rate',
      'ratio',
      'exclude',
      'key_field',
      'group_by',
      'sample_rate_key',
    ]),
    optionHints: {
      sample_rates:
        '`sample` has no per-key rates: add one sample transform per group (route or `exclude` the others), each with its own `rate`',
      rates: '`sample` has no per-key rates: add one sample transform per group, each with its own `rate`',
    },
    accepts: ['logs', 'traces'],
    emits: 'passthrough',
    check: checkSample,
  }),
  transform({
    type: 'log_to_metric',
    optionNames: optionNamesOf<LogToMetricTransform>()(['metrics', 'all_metrics']),
    accepts: ['logs'],
    emits: ['metrics'],
    check: (o) =>
      o.all_metrics === true || (Array.isArray(o.metrics) && o.metrics.length > 0)
        ? []
        : ['give at least one entry in `metrics` (or set `all_metrics: true`): otherwise it emits nothing'],
  }),
  transform({
    type: 'metric_to_log',
    optionNames: optionNamesOf<MetricToLogTransform>()(['host_tag', 'timezone', 'metric_tag_values']),
    accepts: ['metrics'],
    emits: ['logs'],
  }),
  transform({
    type: 'throttle',
    optionNames: optionNamesOf<ThrottleTransform>()(['threshold', 'window_secs', 'key_field', 'exclude']),
    required: ['threshold', 'window_secs'],
    accepts: ['logs'],
    emits: 'passthrough',
    check: checkThrottle,
  }),
];
