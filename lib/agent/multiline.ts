import type { ReduceTransform } from '../vector';

/** Languages whose stack traces the agent knows how to merge. */
export const MULTILINE_LANGUAGES = ['java', 'python', 'go'] as const;
export type MultilineLanguage = (typeof MULTILINE_LANGUAGES)[number];

/**
 * Lines that continue the event before them, per language (Rust regex syntax, as VRL compiles it).
 * A line matching none of the chosen languages' patterns starts a new event.
 */
export const CONTINUATION_PATTERNS: Readonly<Record<MultilineLanguage, readonly string[]>> = {
  java: [
    // "\tat com.example.Foo.bar(Foo.java:12)", "\t... 5 more", "\t... 3 common frames omitted"
    String.raw`^\s+at\s`,
    String.raw`^\s*\.\.\. \d+ (more|common frames omitted)`,
    String.raw`^\s*(Caused by|Suppressed): `,
    // The exception line after the log line that reports it: "java.lang.IllegalStateException: boom"
    String.raw`^([a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(Exception|Error|Throwable)(: .*)?$`,
  ],
  python: [
    // '  File "/app/main.py", line 3, in <module>' and the source lines under it
    String.raw`^\s+\S`,
    // The last line: "ValueError: bad", "json.decoder.JSONDecodeError: ..."
    String.raw`^([a-zA-Z_]\w*\.)*[A-Z]\w*(Error|Exception|Warning|Exit|Interrupt)(: .*)?$`,
    String.raw`^(During handling of the above exception|The above exception was the direct cause)`,
    String.raw`^$`,
  ],
  go: [
    // "goroutine 1 [running]:", "main.main()", "\t/app/main.go:12 +0x1d", "created by net/http.(*Server).Serve"
    String.raw`^$`,
    String.raw`^goroutine \d+ \[[^\]]+\]:$`,
    String.raw`^\t`,
    String.raw`^created by `,
    String.raw`^[\w./-]+(\.\(\*?[\w]+\))?\.[\w.]+\(.*\)$`,
    String.raw`^\[signal `,
    String.raw`^exit status \d+$`,
  ],
};

export interface MultilineSettings {
  readonly languages: readonly MultilineLanguage[];
  readonly startPattern: string | undefined;
  readonly expireAfterMs: number;
  readonly maxEvents: number;
}

/** A regex as a VRL raw-string regex literal; a `'` (which ends a raw string) becomes `\x27`, the same character. */
export const vrlRegex = (pattern: string) => `r'${pattern.replace(/'/g, String.raw`\x27`)}'`;

/** The VRL condition that tells a line starting a new event. */
export function multilineStartCondition(s: MultilineSettings): string {
  const line = 'string(.message) ?? ""';
  const patterns = [...new Set(s.languages.flatMap((l) => CONTINUATION_PATTERNS[l]))];
  const notTrace = `!match(${line}, ${vrlRegex(patterns.map((p) => `(?:${p})`).join('|'))})`;
  if (s.startPattern === undefined) return notTrace;
  const start = `match(${line}, ${vrlRegex(s.startPattern)})`;
  return patterns.length === 0 ? start : `${start} && ${notTrace}`;
}

/**
 * The `reduce` that merges the lines of a stack trace into one event: lines are grouped by Vector's `file` and
 * `stream` (one container's stdout or stderr), so lines of different containers never merge, and joined with "\n".
 */
export function multilineReduce(input: string, s: MultilineSettings): ReduceTransform {
  return {
    type: 'reduce',
    inputs: [input],
    group_by: ['file', 'stream'],
    starts_when: { type: 'vrl', source: multilineStartCondition(s) },
    expire_after_ms: s.expireAfterMs,
    flush_period_ms: Math.max(100, Math.min(1000, Math.floor(s.expireAfterMs / 2))),
    max_events: s.maxEvents,
    merge_strategies: { message: 'concat_newline' },
  };
}
