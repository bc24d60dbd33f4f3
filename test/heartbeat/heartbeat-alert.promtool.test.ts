import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HeartbeatAlert, type HeartbeatAlertProps } from '../../lib/heartbeat';
import { checkRules, expectRulesValid, expectRuleTestsPass, testRules } from '../helpers/promtool';

/*
 * VectorHeartbeatMissing under promtool: a 120 s heartbeat, a 5m window (2.5 intervals), clusters known over 24h.
 * Every case runs twice: with the default `for: 2m`, and with `for: 0s`, so that the expression itself (not the
 * `for`) is what keeps new clusters and restarted aggregators silent. Prometheus scrapes the aggregators' heartbeat
 * exporter every 30 s, so a beating cluster's counter grows by one every 4th sample. Series carry what the scrape of
 * an aggregator pod adds (pod, instance, ...); each aggregator replica exports its own series per cluster.
 */

function ruleFile(props: Partial<HeartbeatAlertProps>): { file: string; construct: HeartbeatAlert } {
  const construct = new HeartbeatAlert(Testing.chart(), 'alert', {
    namespace: 'monitoring',
    alertLabels: { team: 'platform' },
    ...props,
  });
  const groups = (construct.prometheusRule.toJson() as { spec: { groups: unknown } }).spec.groups;
  return { file: stringify({ groups }), construct };
}

const SCRAPE_SECONDS = 30;
const SAMPLES = 121; // 0 .. 60m
const SAMPLES_PER_BEAT = 120 / SCRAPE_SECONDS;
/** Seconds since the start at a sample. */
const seconds = (sample: number) => sample * SCRAPE_SECONDS;

interface CounterShape {
  /** First sample the series exists at (its first heartbeat on that aggregator). @default 0 */
  readonly from?: number;
  /** The series is gone from this sample on (a stale marker, then nothing). @default never */
  readonly goneAt?: number;
  /** No more increments from this sample on (the cluster went silent, its series stays). @default never */
  readonly silentFrom?: number;
  /** Increments on samples where this holds (one heartbeat per 120 s by default). */
  readonly beatsAt?: (sample: number) => boolean;
  /** Value at the first sample. @default 1 */
  readonly start?: number;
}

/** promtool's values for one counter series, one per 30 s sample. */
function counter(shape: CounterShape = {}): string {
  const { from = 0, goneAt = SAMPLES, silentFrom = SAMPLES, start = 1 } = shape;
  const beatsAt = shape.beatsAt ?? ((i: number) => (i - from) % SAMPLES_PER_BEAT === 0);
  const values: string[] = [];
  let value = start;
  for (let i = 0; i < SAMPLES; i++) {
    if (i < from || i > goneAt) values.push('_');
    else if (i === goneAt) values.push('stale');
    else {
      if (i > from && i < silentFrom && beatsAt(i)) value++;
      values.push(String(value));
    }
  }
  return values.join(' ');
}

function series(cluster: string, pod: string, values: string): { series: string; values: string } {
  const labels = {
    cluster,
    container: 'vector',
    endpoint: 'heartbeat',
    instance: `${pod}:9599`,
    job: 'vector-system/vector-aggregator',
    namespace: 'vector-system',
    pod,
  };
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return { series: `vector_heartbeat_total{${text}}`, values };
}

function firing(cluster: string, forText: string) {
  return {
    exp_labels: { alertname: 'VectorHeartbeatMissing', cluster, severity: 'critical', team: 'platform' },
    exp_annotations: {
      summary: `No Vector heartbeat from cluster ${cluster} for 5m`,
      description:
        `vector_heartbeat_total{cluster="${cluster}"} has not grown for 5m (2.5 heartbeat intervals of 120 s)` +
        `${forText}, although the cluster sent heartbeats within the last 24h: its logs are not reaching the ` +
        `aggregators. Check the heartbeat pod of that cluster (label app.kubernetes.io/name=vector-heartbeat), the ` +
        `Vector agent on its node, and the agents' connection to the aggregators (errors and buffer of their ` +
        `to_aggregators sink). A cluster removed on purpose keeps this alert until 24h after its last heartbeat.`,
    },
  };
}

type Expected = ReturnType<typeof firing>;
const at = (seconds: number, ...exp_alerts: Expected[]) => ({
  eval_time: `${seconds}s`,
  alertname: 'VectorHeartbeatMissing',
  exp_alerts,
});
/** Silent at every evaluation from 1m to 60m. */
const silentThroughout = () => Array.from({ length: 119 }, (_, i) => at(seconds(i + 2)));

const A = 'prod-eu-1';
const B = 'staging';
const C = 'edge-new';

const WINDOW = 300; // 2.5 × 120 s
// Cluster B's last heartbeat is at sample 36 (18m): the counter stays flat from there.
const B_LAST_BEAT = 36;

/** Every case, for a rule whose `for` is `forSeconds`: an alert fires `WINDOW + forSeconds` after the last beat. */
function cases(forSeconds: number, forText: string) {
  const fire = (cluster: string) => firing(cluster, forText);
  const bFires = seconds(B_LAST_BEAT) + WINDOW + forSeconds;
  return [
    {
      name: '(a) B stops growing while A beats: fires for B only, 2.5 intervals + for after its last heartbeat',
      input_series: [
        series(A, 'vector-aggregator-0', counter()),
        series(B, 'vector-aggregator-1', counter({ silentFrom: B_LAST_BEAT + 1 })),
      ],
      alert_rule_test: [
        at(seconds(B_LAST_BEAT)),
        at(seconds(B_LAST_BEAT) + WINDOW - 30), // the window still holds the last increment
        at(bFires - 30),
        at(bFires, fire(B)),
        at(3600, fire(B)),
      ],
    },
    {
      name: '(b) B disappears altogether (the exporter dropped its series) while A beats: fires for B',
      input_series: [
        series(A, 'vector-aggregator-0', counter()),
        series(B, 'vector-aggregator-1', counter({ goneAt: B_LAST_BEAT + 2 })),
      ],
      alert_rule_test: [at(seconds(B_LAST_BEAT + 4)), at(bFires - 30), at(bFires, fire(B)), at(3600, fire(B))],
    },
    {
      name: '(c) a new cluster C is silent through its first interval (and as long as it beats)',
      input_series: [
        series(A, 'vector-aggregator-0', counter()),
        series(C, 'vector-aggregator-2', counter({ from: 60 })),
      ],
      alert_rule_test: silentThroughout(),
    },
    {
      name: '(c) a new cluster C whose first heartbeat is also its last fires once 2.5 intervals + for have passed',
      input_series: [
        series(A, 'vector-aggregator-0', counter()),
        series(C, 'vector-aggregator-2', counter({ from: 60, silentFrom: 61 })),
      ],
      alert_rule_test: [
        at(seconds(62)),
        at(seconds(60) + WINDOW + forSeconds - 30),
        at(seconds(60) + WINDOW + forSeconds, fire(C)),
      ],
    },
    {
      name: '(d) every cluster beats, on several aggregator replicas: silent',
      input_series: [
        series(A, 'vector-aggregator-0', counter()),
        series(B, 'vector-aggregator-1', counter()),
        series(B, 'vector-aggregator-2', counter({ from: 2 })),
      ],
      alert_rule_test: silentThroughout(),
    },
    {
      name: '(e) an aggregator restarts as a new pod (new pod label, counter from 1): silent',
      input_series: [
        series(A, 'vector-aggregator-7d9c5b6f4-hx2kq', counter({ goneAt: 38 })),
        series(A, 'vector-aggregator-7d9c5b6f4-p8z6m', counter({ from: 42 })),
        series(B, 'vector-aggregator-7d9c5b6f4-q4w7t', counter()),
      ],
      alert_rule_test: silentThroughout(),
    },
    {
      name: '(e) a StatefulSet aggregator restarts under the same name (counter reset to 1): silent',
      input_series: [
        series(A, 'vector-aggregator-0', joined(counter({ goneAt: 38 }), counter({ from: 41 }), 41)),
        series(B, 'vector-aggregator-1', counter()),
      ],
      alert_rule_test: silentThroughout(),
    },
    {
      name: "heartbeats spread over three aggregator replicas (each sees every third): silent; B's stop still fires",
      input_series: [
        series(A, 'vector-aggregator-0', counter({ beatsAt: (i) => i % 12 === 0 })),
        series(A, 'vector-aggregator-1', counter({ from: 4, beatsAt: (i) => i % 12 === 4 })),
        series(A, 'vector-aggregator-2', counter({ from: 8, beatsAt: (i) => i % 12 === 8 })),
        series(B, 'vector-aggregator-0', counter({ beatsAt: (i) => i % 12 === 0, silentFrom: B_LAST_BEAT + 1 })),
        series(
          B,
          'vector-aggregator-1',
          counter({ from: 4, beatsAt: (i) => i % 12 === 4, silentFrom: B_LAST_BEAT + 1 }),
        ),
        series(
          B,
          'vector-aggregator-2',
          counter({ from: 8, beatsAt: (i) => i % 12 === 8, silentFrom: B_LAST_BEAT + 1 }),
        ),
      ],
      alert_rule_test: [at(300), at(600), at(1200), at(bFires - 30), at(bFires, fire(B)), at(2400, fire(B))],
    },
    {
      name: 'two clusters stop: one alert each, A keeps beating',
      input_series: [
        series(A, 'vector-aggregator-0', counter()),
        series(B, 'vector-aggregator-1', counter({ silentFrom: B_LAST_BEAT + 1 })),
        series(C, 'vector-aggregator-1', counter({ goneAt: B_LAST_BEAT + 2 })),
      ],
      alert_rule_test: [at(bFires - 30), at(bFires, fire(C), fire(B))],
    },
  ].map((t) => ({ ...t, interval: `${SCRAPE_SECONDS}s` }));
}

/** The first `at` samples of one series, then the rest of another: the same labels before and after a restart. */
function joined(before: string, after: string, at: number): string {
  return [...before.split(' ').slice(0, at), ...after.split(' ').slice(at)].join(' ');
}

describe.each([
  ['the default for (2m)', {}, 120, ', then for 2m more'],
  ['for: 0s', { for: '0s' }, 0, ''],
])('VectorHeartbeatMissing under promtool, %s', (_name, props: Partial<HeartbeatAlertProps>, forSeconds, forText) => {
  const { file } = ruleFile(props);
  const tests = cases(forSeconds, forText);

  it('passes promtool check rules', () => {
    expectRulesValid(file);
    expect(checkRules(file).output).toContain('SUCCESS: 3 rules found');
  });

  it('fires and stays silent exactly as the cases (a) to (e) expect', () => {
    expectRuleTestsPass(file, stringify({ evaluation_interval: '30s', tests }));
  });

  it('would catch a rule that fires too early: the test fails when B is expected 30 s sooner', () => {
    const bFires = seconds(B_LAST_BEAT) + WINDOW + forSeconds;
    const early = { ...tests[0], alert_rule_test: [at(bFires - 30, firing(B, forText))] };
    const result = testRules(file, stringify({ evaluation_interval: '30s', tests: [early] }));
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('VectorHeartbeatMissing');
  });
});
