import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HeartbeatAlert, type HeartbeatAlertProps } from '../../lib/heartbeat';
import { checkRules, expectRulesValid, expectRuleTestsPass, testRules } from '../helpers/promtool';

/*
 * VectorHeartbeatLoss and VectorHeartbeatLatency under promtool, on series simulated the way the aggregators make
 * them: a heartbeat pod sends one line every 120 s (seq 1, 2, …); each line that is not lost reaches one aggregator
 * replica `lag` seconds later; each replica's heartbeat exporter keeps, per cluster and heartbeat pod, the last seq
 * it saw (vector_heartbeat_sent_total, absolute) and the lag histogram's _count and _sum, drops a series 900 s after
 * its last update (between flush_period_secs and twice that), and starts from nothing when the replica restarts.
 * Prometheus scrapes every 30 s. Defaults: loss > 10 % over 30m for 10m; mean lag > 5m over 10m for 10m.
 */

const SCRAPE = 30;
const END = 7200; // 2 h
const SAMPLES = END / SCRAPE + 1;
const INTERVAL = 120;
const EXPIRE_AFTER = 900;
const CLUSTER = 'prod-eu-1';
const HB_POD = 'vector-heartbeat-6d5f7c9b8-x2x9z';
const HB_POD_2 = 'vector-heartbeat-6d5f7c9b8-k7q4m';
const REPLICAS = ['vector-aggregator-0', 'vector-aggregator-1', 'vector-aggregator-2'];

interface Beat {
  readonly pod: string;
  readonly seq: number;
  readonly sentAt: number;
}

/** Which replica incarnation receives a line that arrives at `arrival`: its pod name and a restart count. */
type Receiver = (beat: Beat, arrival: number) => { readonly replica: string; readonly incarnation: number };

interface Scenario {
  /** The pods' lines: pod, when it starts (seq 1), when it stops. @default one pod beating all along */
  readonly pods?: readonly { readonly pod: string; readonly from: number; readonly until: number }[];
  /** Whether a line is lost on the way. @default none */
  readonly lost?: (beat: Beat) => boolean;
  /** Seconds from sending to arriving. @default 1 */
  readonly lag?: (beat: Beat) => number;
  /** @default round robin over three replicas, by seq */
  readonly receiver?: Receiver;
  /** When a replica incarnation stops existing (its series go stale). @default never */
  readonly endOf?: (replica: string, incarnation: number) => number;
  /** A container restart: from this time the pod's seq starts at 1 again. @default never */
  readonly seqRestartAt?: number;
}

const roundRobin: Receiver = (beat) => ({ replica: REPLICAS[beat.seq % 3], incarnation: 0 });

interface State {
  sent: number;
  count: number;
  sum: number;
  first: number;
  last: number;
}

/** promtool input series of the three metrics for one scenario. */
function simulate(sc: Scenario): { series: string; values: string }[] {
  const pods = sc.pods ?? [{ pod: HB_POD, from: 0, until: END + 1 }];
  const receiver = sc.receiver ?? roundRobin;
  const events: { arrival: number; beat: Beat; lag: number }[] = [];
  for (const p of pods) {
    let seq = 0;
    for (let t = p.from; t < p.until && t <= END; t += INTERVAL) {
      if (sc.seqRestartAt !== undefined && t >= sc.seqRestartAt && t - INTERVAL < sc.seqRestartAt) seq = 0;
      seq++;
      const beat = { pod: p.pod, seq, sentAt: t };
      if (sc.lost?.(beat)) continue;
      const lag = sc.lag?.(beat) ?? 1;
      events.push({ arrival: t + lag, beat, lag });
    }
  }
  events.sort((a, b) => a.arrival - b.arrival);
  // key: replica|incarnation|pod
  const states = new Map<string, State>();
  const byLabels = new Map<string, { sent: string[]; count: string[]; sum: string[] }>();
  const samples: { t: number; snapshot: Map<string, State> }[] = [];
  let next = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const t = i * SCRAPE;
    while (next < events.length && events[next].arrival <= t) {
      const { arrival, beat, lag } = events[next++];
      const { replica, incarnation } = receiver(beat, arrival);
      if (arrival >= (sc.endOf?.(replica, incarnation) ?? Infinity))
        throw new Error('a line reached a stopped replica');
      const key = `${replica}|${incarnation}|${beat.pod}`;
      const s = states.get(key);
      if (s && arrival - s.last <= EXPIRE_AFTER) {
        Object.assign(s, { sent: beat.seq, count: s.count + 1, sum: s.sum + lag, last: arrival });
      } else {
        states.set(key, { sent: beat.seq, count: 1, sum: lag, first: arrival, last: arrival });
      }
    }
    const snapshot = new Map<string, State>();
    for (const [key, s] of states) {
      const [replica, incarnation] = key.split('|');
      const alive = t < (sc.endOf?.(replica, Number(incarnation)) ?? Infinity) && t - s.last <= EXPIRE_AFTER;
      if (alive) snapshot.set(`${replica}|${key.split('|')[2]}`, { ...s });
    }
    samples.push({ t, snapshot });
  }
  const labelKeys = new Set(samples.flatMap((s) => [...s.snapshot.keys()]));
  for (const key of labelKeys) {
    const out = { sent: [] as string[], count: [] as string[], sum: [] as string[] };
    let present = false;
    for (const { snapshot } of samples) {
      const s = snapshot.get(key);
      if (s) {
        out.sent.push(String(s.sent));
        out.count.push(String(s.count));
        out.sum.push(String(s.sum));
      } else {
        const v = present ? 'stale' : '_';
        out.sent.push(v);
        out.count.push(v);
        out.sum.push(v);
      }
      present = s !== undefined;
    }
    byLabels.set(key, out);
  }
  return [...byLabels].flatMap(([key, v]) => {
    const [replica, pod] = key.split('|');
    const labels = [
      `cluster="${CLUSTER}"`,
      'container="vector"',
      'endpoint="heartbeat"',
      `heartbeat_pod="${pod}"`,
      `instance="${replica}:9599"`,
      'job="vector-system/vector-aggregator"',
      'namespace="vector-system"',
      `pod="${replica}"`,
    ].join(', ');
    return [
      { series: `vector_heartbeat_sent_total{${labels}}`, values: v.sent.join(' ') },
      { series: `vector_heartbeat_lag_seconds_count{${labels}}`, values: v.count.join(' ') },
      { series: `vector_heartbeat_lag_seconds_sum{${labels}}`, values: v.sum.join(' ') },
    ];
  });
}

function ruleFile(props: Partial<HeartbeatAlertProps> = {}): string {
  const construct = new HeartbeatAlert(Testing.chart(), 'alert', {
    namespace: 'monitoring',
    alertLabels: { team: 'platform' },
    ...props,
  });
  return stringify({ groups: (construct.prometheusRule.toJson() as { spec: { groups: unknown } }).spec.groups });
}

const LOSS = 'VectorHeartbeatLoss';
const LATENCY = 'VectorHeartbeatLatency';

/** The `for` of both rules in the case table below: the default, or 0s to test the expressions alone. */
let FOR = '10m';

function lossAlert(pod: string) {
  return {
    exp_labels: { alertname: LOSS, cluster: CLUSTER, heartbeat_pod: pod, severity: 'warning', team: 'platform' },
    exp_annotations: {
      summary: `Vector heartbeats of cluster ${CLUSTER} are being lost (over 10 % in 30m)`,
      description:
        `Of the heartbeat lines pod ${pod} of cluster ${CLUSTER} sent in the last 30m (its seq advanced, ` +
        `vector_heartbeat_sent_total), more than 10 % reached no aggregator (vector_heartbeat_lag_seconds_count), ` +
        `for ${FOR}: the cluster's logs are being dropped on the way. Check the agents' errors and discarded events ` +
        `(vector_component_errors_total, vector_component_discarded_events_total, ` +
        `vector_buffer_discarded_events_total) on that cluster and on the aggregators, a full agent buffer with ` +
        `when_full: drop_newest, and the aggregators' own errors.`,
    },
  };
}

const latencyAlert = () => ({
  exp_labels: { alertname: LATENCY, cluster: CLUSTER, severity: 'warning', team: 'platform' },
  exp_annotations: {
    summary: `Vector heartbeats of cluster ${CLUSTER} arrive more than 5m late`,
    description:
      `The heartbeat lines of cluster ${CLUSTER} that reached the aggregators in the last 10m were sent more than ` +
      `5m earlier on average (vector_heartbeat_lag_seconds), for ${FOR}: its logs arrive late in Loki. Check the ` +
      `agents' buffers (vector_buffer_size_events, a disk buffer filling up), their sink's retries and errors ` +
      `towards the aggregators, the aggregators' CPU and the Loki sink's backpressure. A node clock far behind the ` +
      `aggregators' looks like lag too.`,
  },
});

type Expected = ReturnType<typeof lossAlert> | ReturnType<typeof latencyAlert>;
const at = (alertname: string, seconds: number, ...exp_alerts: Expected[]) => ({
  eval_time: `${seconds}s`,
  alertname,
  exp_alerts,
});
/** Both alerts silent at every evaluation of the two hours. */
const silent = () => Array.from({ length: SAMPLES }, (_, i) => [at(LOSS, i * SCRAPE), at(LATENCY, i * SCRAPE)]).flat();

const test = (name: string, scenario: Scenario, alert_rule_test: ReturnType<typeof at>[]) => ({
  name,
  interval: `${SCRAPE}s`,
  input_series: simulate(scenario),
  alert_rule_test,
});

/** Every 10th line from `from` on, three of them: 30 % lost. */
const thirtyPercentFrom = (from: number) => (b: Beat) => b.sentAt >= from && [3, 6, 9].includes(b.seq % 10);
/** Replicas replaced one by one (a Deployment rollout), each by a new pod name, from `at` every 120 s. */
const rollout = (start: number) => ({
  receiver: ((beat: Beat, arrival: number) => {
    const i = beat.seq % 3;
    const replaced = arrival >= start + i * 120;
    return { replica: replaced ? `vector-aggregator-7d9c5b6f4-new${i}` : REPLICAS[i], incarnation: 0 };
  }) satisfies Receiver,
  endOf: (replica: string) => {
    const i = REPLICAS.indexOf(replica);
    return i < 0 ? Infinity : start + i * 120;
  },
});

const cases = () => [
  test('steady, lines round robin over three replicas: silent', {}, silent()),
  test(
    'steady, the agent sticks to one replica until max_connection_age (300 s) moves it: silent',
    { receiver: (_b, arrival) => ({ replica: REPLICAS[Math.floor(arrival / 300) % 3], incarnation: 0 }) },
    silent(),
  ),
  test('5 % of the lines lost (below the 10 % threshold): silent', { lost: (b) => b.seq % 20 === 7 }, silent()),
  test(
    '30 % of the lines lost from 30m on: VectorHeartbeatLoss fires for the pod, the latency alert does not',
    {
      lost: thirtyPercentFrom(1800),
    },
    [
      at(LOSS, 1800),
      at(LOSS, 2100), // one of the 15 lines in the window lost so far
      at(LOSS, 5400, lossAlert(HB_POD)),
      at(LOSS, END, lossAlert(HB_POD)),
      at(LATENCY, END),
    ],
  ),
  test(
    'every line 10 minutes late from 40m on: VectorHeartbeatLatency fires, the loss alert does not',
    { lag: (b) => (b.sentAt >= 2400 ? 600 : 1) },
    [
      at(LATENCY, 2400),
      at(LATENCY, 2970), // the first late line arrives at 50m
      at(LATENCY, 5400, latencyAlert()),
      at(LATENCY, END, latencyAlert()),
      ...Array.from({ length: SAMPLES }, (_, i) => at(LOSS, i * SCRAPE)),
    ],
  ),
  test('a steady lag of 200 s (under 5m): silent', { lag: () => 200 }, silent()),
  test('the aggregators roll out as new pods (new names, counters from zero) at 60m: silent', rollout(3600), silent()),
  test(
    'a StatefulSet aggregator restarts under the same name at 60m (its series gone a minute, then from zero): silent',
    {
      receiver: (beat, arrival) => ({ replica: REPLICAS[beat.seq % 3], incarnation: arrival >= 3660 ? 1 : 0 }),
      endOf: (_replica, incarnation) => (incarnation === 0 ? 3600 : Infinity),
      lost: (b) => b.sentAt >= 3599 && b.sentAt < 3660,
    },
    // The line sent while every replica was down is lost for real: one of 15 in the window, under the threshold.
    silent(),
  ),
  test(
    'one replica of a StatefulSet restarts under the same name at 60m (counter reset), the others take its lines: silent',
    {
      receiver: (beat, arrival) => {
        const down = arrival >= 3600 && arrival < 3660;
        const i = down && beat.seq % 3 === 1 ? 2 : beat.seq % 3;
        return { replica: REPLICAS[i], incarnation: i === 1 && arrival >= 3660 ? 1 : 0 };
      },
      endOf: (replica, incarnation) => (replica === REPLICAS[1] && incarnation === 0 ? 3600 : Infinity),
    },
    silent(),
  ),
  test(
    'the heartbeat pod is replaced at 60m (a new pod name, seq from 1 again): silent',
    {
      pods: [
        { pod: HB_POD, from: 0, until: 3600 },
        { pod: HB_POD_2, from: 3630, until: END + 1 },
      ],
    },
    silent(),
  ),
  test(
    'the heartbeat container restarts at 60m in the same pod (seq from 1 again, the same heartbeat_pod): silent',
    { seqRestartAt: 3600 },
    silent(),
  ),
  test(
    'the container restarts at 60m and its lines move to a replica that never had the pod, while the old one keeps ' +
      'the old seq until it expires: silent',
    { seqRestartAt: 3600, receiver: (_b, arrival) => ({ replica: REPLICAS[arrival < 3600 ? 0 : 1], incarnation: 0 }) },
    silent(),
  ),
  test(
    'a replaced heartbeat pod whose lines are 30 % lost fires once a full window has passed',
    {
      pods: [
        { pod: HB_POD, from: 0, until: 1800 },
        { pod: HB_POD_2, from: 1830, until: END + 1 },
      ],
      lost: (b) => b.pod === HB_POD_2 && [3, 6, 9].includes(b.seq % 10),
    },
    [at(LOSS, 1800), at(LOSS, 3600), at(LOSS, END, lossAlert(HB_POD_2))],
  ),
];

describe.each([
  ['10m', {}],
  ['0s', { loss: { for: '0s' }, latency: { for: '0s' } }],
])(
  'VectorHeartbeatLoss and VectorHeartbeatLatency under promtool, for %s',
  (forText, props: Partial<HeartbeatAlertProps>) => {
    const file = ruleFile(props);
    FOR = forText;
    const CASES = cases();

    it('pass promtool check rules beside VectorHeartbeatMissing', () => {
      expectRulesValid(file);
      expect(checkRules(file).output).toContain('SUCCESS: 3 rules found');
    });

    it('fire and stay silent exactly as each simulated case expects', () => {
      expectRuleTestsPass(file, stringify({ evaluation_interval: `${SCRAPE}s`, tests: CASES }));
    });

    it('would catch a rule that stays silent: the 30 % case fails when nothing is expected at the end', () => {
      const wrong = { ...CASES[3], alert_rule_test: [at(LOSS, END)] };
      const result = testRules(file, stringify({ evaluation_interval: `${SCRAPE}s`, tests: [wrong] }));
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain(LOSS);
    });

    it('loss: false and latency: false leave only VectorHeartbeatMissing', () => {
      const only = ruleFile({ loss: false, latency: false });
      expect(checkRules(only).output).toContain('SUCCESS: 1 rules found');
    });
  },
);
