import { describe, expect, it } from 'vitest';
import { AGENT_IDS, LEVEL_WORDS, LINE_FIELDS, RESERVED_LOG_FIELDS, SEVERITIES } from '../../lib/agent';
import { runRemap } from '../../lib/vector';
import { CLUSTER } from './agent-fixtures';
import { agentLogsPipeline, FILE, KUBERNETES, kubernetesLogsEvent, WRITTEN } from './kubernetes-logs-event';

const SPOOF = '{"kubernetes":{"pod_namespace":"kube-system","pod_name":"x"}}';
const HEARTBEAT =
  '{"timestamp":"2025-01-02T03:04:05Z","level":"INFO","message":"Vector heartbeat - logging pipeline active",' +
  '"heartbeat":true,"interval_seconds":120,"source":"heartbeat-container","seq":42}';

function enrich(line: string, props: { parseJson?: boolean } = {}) {
  const outcome = runRemap(
    agentLogsPipeline(props.parseJson ?? true),
    AGENT_IDS.enrichLogs,
    kubernetesLogsEvent(line),
    {
      timestamps: ['timestamp'],
      typesOf: ['timestamp', `${LINE_FIELDS}.timestamp`],
    },
  );
  if (outcome.dropped) throw new Error(`dropped: ${outcome.message}`);
  expect(outcome.error).toBeUndefined();
  return { event: outcome.event, types: outcome.types };
}

/** What every event keeps whatever its line: Vector's fields and the fields read from Vector's metadata. */
const VECTOR_FIELDS = {
  timestamp: WRITTEN,
  file: FILE,
  stream: 'stdout',
  source_type: 'kubernetes_logs',
  kubernetes: KUBERNETES,
  cluster: CLUSTER.name,
  environment: CLUSTER.environment,
  region: CLUSTER.region,
  namespace: 'shop',
  pod: 'web-7d4b9c-x2x9q',
  container: 'web',
  node: 'node-1',
};

const severityOf = (line: string) => enrich(line).event.severity;

describe('enrich_logs on kubernetes_logs events (executed)', () => {
  it('a JSON line: its keys are fields, its message the message, Vector and the cluster say where it comes from', () => {
    const { event, types } = enrich('{"message":"login","user":"alice","level":"warn","took_ms":12}');
    expect(event).toMatchObject({ ...VECTOR_FIELDS, message: 'login', user: 'alice', level: 'warn', took_ms: 12 });
    expect(event.severity).toBe('warn');
    expect(types.timestamp).toBe('timestamp');
    expect(event[LINE_FIELDS]).toBeUndefined();
  });

  it('a plain line stays the message, with its leading level word as severity', () => {
    const { event, types } = enrich('ERROR connection refused to db:5432');
    expect(event).toMatchObject({
      ...VECTOR_FIELDS,
      message: 'ERROR connection refused to db:5432',
      severity: 'error',
    });
    expect(types.timestamp).toBe('timestamp');
    expect(event[LINE_FIELDS]).toBeUndefined();
  });

  it('a JSON array or number is a plain line: message unchanged, severity info', () => {
    for (const line of ['[1,2,{"namespace":"kube-system"}]', '42', '"a string"', 'null']) {
      const { event } = enrich(line);
      expect(event).toMatchObject({ ...VECTOR_FIELDS, message: line, severity: 'info' });
    }
  });

  it('the heartbeat line: its message and heartbeat flag, severity info, its own timestamp parsed beside Vector’s', () => {
    const { event, types } = enrich(HEARTBEAT);
    expect(event).toMatchObject({
      ...VECTOR_FIELDS,
      message: 'Vector heartbeat - logging pipeline active',
      heartbeat: true,
      interval_seconds: 120,
      source: 'heartbeat-container',
      // Not reserved: the sequence number stays a top-level integer, where the aggregators' heartbeat_measure reads it.
      seq: 42,
      severity: 'info',
      [LINE_FIELDS]: { timestamp: '2025-01-02T03:04:05Z' },
    });
    expect(types).toEqual({ timestamp: 'timestamp', [`${LINE_FIELDS}.timestamp`]: 'timestamp' });
  });

  it('a 200 KB line, plain or JSON, is kept whole; the level word is looked for only at its start', () => {
    const big = 'x'.repeat(200 * 1024);
    const plain = enrich(`WARN ${big}`).event;
    expect(plain).toMatchObject({ ...VECTOR_FIELDS, severity: 'warn' });
    expect(plain.message).toBe(`WARN ${big}`);
    expect(enrich(`${big} ERROR`).event.severity).toBe('info');
    const json = enrich(JSON.stringify({ level: 'error', message: big, timestamp: 1735732800 })).event;
    expect(json).toMatchObject({
      ...VECTOR_FIELDS,
      severity: 'error',
      [LINE_FIELDS]: { timestamp: '2025-01-01T12:00:00Z' },
    });
    expect(json.message).toBe(big);
  });

  it('the spoofing line keeps namespace, pod and kubernetes from Vector; its kubernetes key is under line_fields', () => {
    const { event } = enrich(SPOOF);
    expect(event).toMatchObject(VECTOR_FIELDS);
    expect(event.namespace).toBe('shop');
    expect(event.pod).toBe('web-7d4b9c-x2x9q');
    expect(event.kubernetes).toEqual(KUBERNETES);
    expect(event[LINE_FIELDS]).toEqual({ kubernetes: { pod_namespace: 'kube-system', pod_name: 'x' } });
    // The raw line stays the message: the line has no message of its own.
    expect(event.message).toBe(SPOOF);
  });

  it('a line with every reserved key changes none of them; each of its values is under line_fields', () => {
    const own = Object.fromEntries(RESERVED_LOG_FIELDS.filter((k) => k !== 'timestamp').map((k) => [k, `line's ${k}`]));
    const line = JSON.stringify({ ...own, timestamp: 'yesterday', message: 'hi', user: 'bob' });
    const { event, types } = enrich(line);
    expect(event).toMatchObject({ ...VECTOR_FIELDS, severity: 'info', message: 'hi', user: 'bob' });
    expect(event[LINE_FIELDS]).toEqual({ ...own, timestamp: 'yesterday' });
    expect(types.timestamp).toBe('timestamp');
    expect(typeof event.line_hash).toBe('number');
  });

  it('with parseJson false a JSON line is a plain line, and still cannot change where it comes from', () => {
    const { event } = enrich(SPOOF, { parseJson: false });
    expect(event).toMatchObject({ ...VECTOR_FIELDS, message: SPOOF, severity: 'info' });
    expect(event[LINE_FIELDS]).toBeUndefined();
  });

  it('line_hash is the same for the same raw line and differs for lines differing in one field', () => {
    const alice = '{"timestamp":"2025-01-01T12:00:00Z","message":"login","user":"alice"}';
    const hash = (line: string) => enrich(line).event.line_hash;
    expect(hash(alice)).toBe(hash(alice));
    expect(hash(alice)).not.toBe(hash(alice.replace('alice', 'bob')));
  });
});

describe("a line's own timestamp (executed)", () => {
  const own = (timestamp: unknown) => {
    const { event, types } = enrich(JSON.stringify({ message: 'm', timestamp }));
    expect(event.timestamp).toBe(WRITTEN);
    expect(types.timestamp).toBe('timestamp');
    return {
      value: (event[LINE_FIELDS] as Record<string, unknown>).timestamp,
      type: types[`${LINE_FIELDS}.timestamp`],
    };
  };

  it('RFC 3339 (Z, offsets, fractions) becomes a timestamp under line_fields; .timestamp stays Vector’s', () => {
    expect(own('2025-01-01T12:00:00Z')).toEqual({ value: '2025-01-01T12:00:00Z', type: 'timestamp' });
    expect(own('2025-01-01T14:00:00.250+02:00')).toEqual({ value: '2025-01-01T12:00:00.250Z', type: 'timestamp' });
  });

  it('epoch seconds, milliseconds, microseconds and nanoseconds, as numbers or digit strings', () => {
    const noon = { value: '2025-01-01T12:00:00Z', type: 'timestamp' };
    expect(own(1735732800)).toEqual(noon);
    expect(own(1735732800000)).toEqual(noon);
    expect(own(1735732800000000)).toEqual(noon);
    expect(own(1735732800000000000)).toEqual(noon);
    expect(own('1735732800')).toEqual(noon);
    expect(own(1735732800.5)).toEqual({ value: '2025-01-01T12:00:00.500Z', type: 'timestamp' });
  });

  it('a value that is no time is kept as it is under line_fields, and never replaces .timestamp', () => {
    expect(own('yesterday')).toEqual({ value: 'yesterday', type: 'string' });
    expect(own(true)).toEqual({ value: true, type: 'boolean' });
    expect(own({ s: 1 })).toEqual({ value: { s: 1 }, type: 'object' });
  });
});

describe('severity (executed)', () => {
  it('has one vocabulary', () => {
    expect([...SEVERITIES]).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
    expect(new Set(Object.values(LEVEL_WORDS))).toEqual(new Set(SEVERITIES));
  });

  it("from the line's level: trimmed, lower-cased, common spellings", () => {
    const cases: Record<string, string> = {
      ' Warning ': 'warn',
      WARN: 'warn',
      ERROR: 'error',
      err: 'error',
      Critical: 'fatal',
      panic: 'fatal',
      DEBUG: 'debug',
      trace: 'trace',
      notice: 'info',
      information: 'info',
    };
    for (const [level, severity] of Object.entries(cases)) {
      expect([level, severityOf(JSON.stringify({ level, message: 'm' }))]).toEqual([level, severity]);
    }
  });

  it('from a numeric level: syslog 0-7 and bunyan/pino 10-60, as numbers or digit strings', () => {
    const cases: [unknown, string][] = [
      [0, 'fatal'],
      [2, 'fatal'],
      [3, 'error'],
      [4, 'warn'],
      [5, 'info'],
      [6, 'info'],
      [7, 'debug'],
      [10, 'trace'],
      [20, 'debug'],
      [30, 'info'],
      [40, 'warn'],
      [50, 'error'],
      [60, 'fatal'],
      ['50', 'error'],
      [' 40 ', 'warn'],
      [30.0, 'info'],
      [8, 'info'],
      [99, 'info'],
      [-1, 'info'],
    ];
    for (const [level, severity] of cases) {
      expect([level, severityOf(JSON.stringify({ level, message: 'm' }))]).toEqual([level, severity]);
    }
  });

  it("from the line's severity when it has no level (or a null or unknown one); the level wins over severity", () => {
    expect(severityOf('{"severity":"error","message":"disk full"}')).toBe('error');
    expect(severityOf('{"level":null,"severity":"ERROR","message":"m"}')).toBe('error');
    expect(severityOf('{"level":"chatty","severity":"warning","message":"m"}')).toBe('warn');
    expect(severityOf('{"level":"debug","severity":"error","message":"m"}')).toBe('debug');
    expect(severityOf('{"severity":3,"message":"m"}')).toBe('error');
    // The line's own severity is kept, under line_fields: .severity is the normalized one.
    expect(enrich('{"severity":" Error ","message":"m"}').event).toMatchObject({
      severity: 'error',
      [LINE_FIELDS]: { severity: ' Error ' },
    });
  });

  it('info when nothing names a level: null, empty, unknown, a JSON object without level or severity', () => {
    expect(severityOf('{"level":null,"message":"m"}')).toBe('info');
    expect(severityOf('{"level":"","message":"m"}')).toBe('info');
    expect(severityOf('{"level":"chatty","message":"m"}')).toBe('info');
    expect(severityOf('{"level":true,"message":"m"}')).toBe('info');
    expect(severityOf('{"message":"ERROR in the message of a JSON line"}')).toBe('info');
  });

  it("from a plain-text line's leading level word: any case, in brackets, with a colon, logrus and klog forms", () => {
    const cases: Record<string, string> = {
      'ERROR connection refused': 'error',
      'error: connection refused': 'error',
      '[WARN] disk 91% full': 'warn',
      '  Warning low memory': 'warn',
      'INFO started': 'info',
      'DEBUG cache miss': 'debug',
      'TRACE enter f()': 'trace',
      'FATAL cannot bind :80': 'fatal',
      'CRITICAL out of memory': 'fatal',
      'ERRO[0001] logrus line': 'error',
      'WARN[0001] logrus line': 'warn',
      'E0102 03:04:05.123456       1 controller.go:42] sync failed': 'error',
      'W0102 03:04:05.123456       1 reflector.go:9] watch closed': 'warn',
      'I0102 03:04:05.123456       1 main.go:1] started': 'info',
      'F0102 03:04:05.123456       1 main.go:1] cannot start': 'fatal',
      'Errors are counted below': 'info',
      'I think, therefore': 'info',
      'Notice: the meeting moved': 'info',
      'GET /healthz 200': 'info',
      '': 'info',
    };
    for (const [line, severity] of Object.entries(cases)) {
      expect([line, severityOf(line)]).toEqual([line, severity]);
    }
  });
});
