import { type ClusterIdentity, vrlString } from '../k8s/cluster';
import { LINE_HASH_FIELD } from '../k8s/log-fields';

/** The agent's one severity vocabulary: `.severity` of every log event is one of these. */
export const SEVERITIES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The cluster and Kubernetes fields the agent sets on every log event (Loki labels among them). */
export const ENRICHMENT_FIELDS = ['cluster', 'environment', 'region', 'namespace', 'pod', 'container', 'node'] as const;

/** Where a JSON line's own keys go when their names are reserved ({@link RESERVED_LOG_FIELDS}). */
export const LINE_FIELDS = 'line_fields';

export { LINE_HASH_FIELD };

/**
 * Top-level fields whose values are Vector's or the agent's, never a log line's: what `kubernetes_logs` sets
 * (`timestamp` is the container runtime's write time), the enrichment fields, `severity` and the agent's own.
 * A JSON line's keys of these names are kept under `line_fields` instead.
 */
export const RESERVED_LOG_FIELDS = [
  'timestamp',
  'file',
  'stream',
  'source_type',
  'kubernetes',
  ...ENRICHMENT_FIELDS,
  'severity',
  LINE_HASH_FIELD,
  LINE_FIELDS,
] as const;

/**
 * Values of a line's `level` (or `severity`) field, trimmed and lower-cased, and the severity each means: the usual
 * names of syslog, log4j/logback, Python, Go (logrus, zap, klog) and bunyan/pino.
 */
export const LEVEL_WORDS: Readonly<Record<string, Severity>> = {
  trace: 'trace',
  trac: 'trace',
  trc: 'trace',
  verbose: 'trace',
  finest: 'trace',
  debug: 'debug',
  debu: 'debug',
  dbug: 'debug',
  dbg: 'debug',
  fine: 'debug',
  info: 'info',
  inf: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  error: 'error',
  erro: 'error',
  eror: 'error',
  err: 'error',
  severe: 'error',
  fatal: 'fatal',
  fata: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
  pani: 'fatal',
  dpanic: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
};

/**
 * Leading words of a plain-text line that name its level (any case, optionally in brackets: `ERROR`, `[warn]`,
 * `Info:`), a narrower list than {@link LEVEL_WORDS} because a sentence may start with "Notice" or "Fine"; and the
 * klog/glog prefix of Kubernetes components (`E0101 12:00:00.000000 …`).
 */
export const PLAIN_TEXT_LEVEL_WORDS: Readonly<Record<string, Severity>> = {
  trace: 'trace',
  trac: 'trace',
  debug: 'debug',
  debu: 'debug',
  dbg: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  erro: 'error',
  err: 'error',
  fatal: 'fatal',
  fata: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
  pani: 'fatal',
  'klog i': 'info',
  'klog w': 'warn',
  'klog e': 'error',
  'klog f': 'fatal',
};

/** Syslog severities 0 (emergency) to 7 (debug). */
const SYSLOG: readonly Severity[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];
/** bunyan/pino: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal (each decade, so custom levels fit). */
const BUNYAN: readonly Severity[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
/** How much of a plain-text line is searched for its level word: lines may be megabytes long. */
export const LEVEL_WORD_PREFIX_BYTES = 64;

const vrlObject = (o: Readonly<Record<string, string>>) =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${vrlString(k)}: ${vrlString(v)}`)
    .join(', ')} }`;
const vrlArray = (a: readonly string[]) => `[${a.map(vrlString).join(', ')}]`;

/** VRL that sets `severity` from the value of `variable` (a line's `level` or `severity`), if it names one. */
function severityFrom(variable: string): string[] {
  return [
    `if severity == null && ${variable} != null {`,
    `  v = ${variable}`,
    '  if is_string(v) {',
    '    v = downcase(strip_whitespace(string!(v)))',
    '    v = parse_int(v) ?? v',
    '  }',
    '  if is_float(v) { v = to_int!(v) }',
    '  if is_integer(v) {',
    '    n = int!(v)',
    '    if n >= 0 && n <= 7 {',
    `      severity = get!(${vrlArray(SYSLOG)}, [n])`,
    '    } else if n >= 10 && n < 70 {',
    `      severity = get!(${vrlArray(BUNYAN)}, [to_int(floor(n / 10)) - 1])`,
    '    }',
    '  } else if is_string(v) {',
    '    severity = get!(level_words, [v])',
    '  }',
    '}',
  ];
}

/** VRL that makes `variable` (a line's own `timestamp`) a timestamp when it is RFC 3339 or epoch s/ms/µs/ns. */
function parseLineTimestamp(variable: string): string[] {
  return [
    `if is_string(${variable}) {`,
    `  s = strip_whitespace(string!(${variable}))`,
    `  ${variable} = parse_timestamp(s, "%+") ?? parse_float(s) ?? ${variable}`,
    '}',
    `if is_integer(${variable}) || is_float(${variable}) {`,
    `  n = to_float!(${variable})`,
    '  a = abs(n)',
    '  # Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by size (seconds up to year 5138).',
    '  if a >= 100000000000000000.0 {',
    `    ${variable} = from_unix_timestamp(to_int(n), unit: "nanoseconds") ?? ${variable}`,
    '  } else if a >= 100000000000000.0 {',
    `    ${variable} = from_unix_timestamp(to_int(n), unit: "microseconds") ?? ${variable}`,
    '  } else if a >= 100000000000.0 {',
    `    ${variable} = from_unix_timestamp(to_int(n), unit: "milliseconds") ?? ${variable}`,
    '  } else {',
    `    ${variable} = from_unix_timestamp(to_int(n * 1000.0), unit: "milliseconds") ?? ${variable}`,
    '  }',
    '}',
  ];
}

/**
 * The agent's `enrich_logs` program. Vector's own fields are never overwritten and the enrichment fields are read
 * from Vector's `kubernetes` metadata, so a log line cannot change where it appears to come from. With `parseJson`, a
 * line that is a JSON object gives its keys as top-level fields (its `message` replacing the raw line), except keys
 * named like a {@link RESERVED_LOG_FIELDS} field, which go under `line_fields` (its `timestamp` parsed).
 */
export function enrichLogsVrl(cluster: ClusterIdentity, parseJson: boolean): string {
  const moveReserved = RESERVED_LOG_FIELDS.flatMap((key) =>
    key === 'timestamp'
      ? [
          '  if exists(line.timestamp) {',
          '    own_timestamp = del(line.timestamp)',
          ...parseLineTimestamp('own_timestamp').map((l) => `    ${l}`),
          '    shadowed.timestamp = own_timestamp',
          '  }',
        ]
      : [`  if exists(line.${key}) { shadowed.${key} = del(line.${key}) }`],
  );
  const json = [
    '# A JSON object line: its keys become fields, but never over the reserved ones (kept under .line_fields).',
    'line = {}',
    'if is_string(.message) {',
    '  parsed, err = parse_json(.message)',
    '  if err == null && is_object(parsed) {',
    '    line = object!(parsed)',
    '    is_json = true',
    '  }',
    '}',
    'if is_json {',
    '  level = line.level',
    '  own_severity = line.severity',
    '  shadowed = {}',
    ...moveReserved,
    `  if !is_empty(shadowed) { .${LINE_FIELDS} = shadowed }`,
    '  . = merge(., line)',
    '}',
  ];
  return [
    "# Vector's own fields (timestamp, file, stream, source_type, kubernetes) are never overwritten, and the fields",
    "# below are read from Vector's kubernetes metadata: a log line cannot change where it appears to come from.",
    "# One delivery of one line: with Vector's file, stream and timestamp, the aggregators' dedupe key.",
    `if is_string(.message) { .${LINE_HASH_FIELD} = seahash(string!(.message)) }`,
    'level = null',
    'own_severity = null',
    'is_json = false',
    ...(parseJson ? json : []),
    "# severity: the line's level, else its severity, else a plain-text line's leading level word, else info.",
    `level_words = ${vrlObject(LEVEL_WORDS)}`,
    'severity = null',
    ...severityFrom('level'),
    ...severityFrom('own_severity'),
    'if severity == null && !is_json && is_string(.message) {',
    `  # Only the first ${LEVEL_WORD_PREFIX_BYTES} bytes: a line may be megabytes long.`,
    `  head = slice!(string!(.message), 0, ${LEVEL_WORD_PREFIX_BYTES})`,
    "  word = parse_regex(head, r'^\\s*\\[?\\s*(?P<word>[A-Za-z]+)(?P<klog>\\d{4} )?') ?? {}",
    '  if is_string(word.word) {',
    '    key = downcase(string!(word.word))',
    '    if is_string(word.klog) { key = "klog " + key }',
    `    severity = get!(${vrlObject(PLAIN_TEXT_LEVEL_WORDS)}, [key])`,
    '  }',
    '}',
    'if severity == null { severity = "info" }',
    '.severity = severity',
    `.cluster = ${vrlString(cluster.name)}`,
    `.environment = ${vrlString(cluster.environment)}`,
    `.region = ${vrlString(cluster.region)}`,
    '.namespace = .kubernetes.pod_namespace',
    '.pod = .kubernetes.pod_name',
    '.container = .kubernetes.container_name',
    '.node = .kubernetes.pod_node_name',
    '',
  ].join('\n');
}
