import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_IDS, type MultilineOptions } from '../../lib/agent';
import { runCondition } from '../../lib/vector';
import { expectRecordedConfigsAccepted, newAgent, synthAgent } from './agent-fixtures';
import { kubernetesLogsEvent } from './kubernetes-logs-event';

afterAll(() => expectRecordedConfigsAccepted());

const startsEvent = (multiline: boolean | MultilineOptions) => {
  const { agent } = newAgent({ multiline });
  return (line: string) => runCondition(agent.pipeline, AGENT_IDS.multiline, kubernetesLogsEvent(line));
};

const JAVA = [
  '2025-01-02 03:04:05.123 ERROR [main] c.e.Shop - request failed',
  'java.lang.IllegalStateException: boom',
  '\tat com.example.Shop.handle(Shop.java:42)',
  '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
  'Caused by: java.io.IOException: disk full',
  '\t... 3 more',
];
const PYTHON = [
  'Traceback (most recent call last):',
  '  File "/app/main.py", line 3, in <module>',
  '    main()',
  'ValueError: bad value',
  '',
  'During handling of the above exception, another exception occurred:',
];
const GO = [
  'panic: runtime error: index out of range [3] with length 3',
  '',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/app/main.go:12 +0x1d',
  'created by net/http.(*Server).Serve',
  'exit status 2',
];

describe('multiline stack traces', () => {
  it('is off by default', () => {
    expect(synthAgent().config.transforms).not.toHaveProperty(AGENT_IDS.multiline);
  });

  it('merges lines of one container stream, joined with "\\n", before JSON parsing and enrichment', () => {
    const { config } = synthAgent({ multiline: true });
    const reduce = config.transforms?.[AGENT_IDS.multiline];
    expect(reduce).toMatchObject({
      type: 'reduce',
      inputs: ['kubernetes_logs'],
      group_by: ['file', 'stream'],
      expire_after_ms: 2000,
      flush_period_ms: 1000,
      max_events: 500,
      merge_strategies: { message: 'concat_newline' },
    });
    expect(config.transforms?.enrich_logs?.inputs).toEqual([AGENT_IDS.multiline]);
  });

  it.each([
    ['java', JAVA],
    ['python', PYTHON],
    ['go', GO],
  ] as const)('%s: only the first line of a trace starts an event', (language, lines) => {
    const starts = startsEvent({ languages: [language] });
    expect(lines.map(starts)).toEqual(lines.map((_, i) => i === 0));
  });

  it('by default knows all three languages, and ordinary lines each start an event', () => {
    const starts = startsEvent(true);
    for (const lines of [JAVA, PYTHON, GO]) expect(lines.slice(1).map(starts)).toEqual(lines.slice(1).map(() => false));
    expect(['GET /health 200', '{"level":"info","msg":"ok"}', 'INFO started'].map(starts)).toEqual([true, true, true]);
  });

  it('with a start pattern appends every line that does not match it', () => {
    const starts = startsEvent({ startPattern: String.raw`^\d{4}-\d{2}-\d{2} ` });
    expect(JAVA.map(starts)).toEqual(JAVA.map((_, i) => i === 0));
    // A quote in the pattern survives VRL's raw-string quoting.
    const quoted = startsEvent({ startPattern: "^'start" });
    expect(["'start here", 'next'].map(quoted)).toEqual([true, false]);
  });

  it('with a start pattern and languages, a trace line matching the pattern is still appended', () => {
    const starts = startsEvent({ startPattern: '^[A-Za-z]', languages: ['java'] });
    expect(['INFO up', 'java.lang.IllegalStateException: boom', '\tat a.B.c(B.java:1)'].map(starts)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('takes expireAfterMs and maxLines', () => {
    const { config } = synthAgent({ multiline: { expireAfterMs: 500, maxLines: 50 } });
    expect(config.transforms?.[AGENT_IDS.multiline]).toMatchObject({
      expire_after_ms: 500,
      flush_period_ms: 250,
      max_events: 50,
    });
  });

  it('compiles its condition in validate(), which reports a pattern VRL refuses', () => {
    const ofReduce = (multiline: MultilineOptions) =>
      newAgent({ multiline })
        .agent.pipeline.validate()
        .filter((p) => p.component.includes(AGENT_IDS.multiline));
    expect(ofReduce({ languages: ['java', 'python', 'go'] })).toEqual([]);
    // A named back-reference: JavaScript takes it, Rust's regex crate (VRL) does not.
    const problems = ofReduce({ startPattern: String.raw`^(?<a>x)\k<a>` });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/starts_when/);
  });
});

describe('multiline props', () => {
  const error =
    (multiline: unknown, extra: object = {}) =>
    () =>
      newAgent({ multiline: multiline as MultilineOptions, ...extra });
  it('rejects an invalid start pattern', () => {
    expect(error({ startPattern: '^(unclosed' })).toThrow(
      /test\/agent: invalid multiline\.startPattern "\^\(unclosed": not a valid regex/,
    );
  });
  it('rejects look-around, which Rust regexes lack', () => {
    expect(error({ startPattern: '^(?!\\s)' })).toThrow(
      /invalid multiline\.startPattern "\^\(\?!\\\\s\)": VRL's regex syntax \(Rust\) has no look-around/,
    );
  });
  it('rejects an empty start pattern', () => {
    expect(error({ startPattern: '' })).toThrow(/invalid multiline\.startPattern "": a non-empty regex/);
  });
  it('rejects an unknown language', () => {
    expect(error({ languages: ['ruby'] })).toThrow(/invalid multiline\.languages\[0\] "ruby": one of java, python, go/);
  });
  it('rejects no language', () => {
    expect(error({ languages: [] })).toThrow(
      /invalid multiline\.languages \[\]: give at least one of java, python, go/,
    );
  });
  it('rejects a too short expiry and a max of one line', () => {
    expect(error({ expireAfterMs: 10 })).toThrow(/invalid multiline\.expireAfterMs 10/);
    expect(error({ maxLines: 1 })).toThrow(/invalid multiline\.maxLines 1/);
  });
  it('needs container logs', () => {
    expect(error(true, { kubernetesLogs: false })).toThrow(
      /invalid multiline true: multiline merges container logs: it needs kubernetesLogs on/,
    );
  });
});
