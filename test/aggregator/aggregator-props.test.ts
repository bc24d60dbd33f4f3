/**
 * Every bad prop of VectorAggregator is refused in the constructor with
 * `<construct path>: invalid <prop> <value>: <what is allowed>`, and the values at the edge of
 * what is allowed are accepted (so each check is exactly as strict as documented).
 */
import { describe, expect, it } from 'vitest';
import type { VectorAggregatorProps } from '../../lib/aggregator';
import {
  AGGREGATOR_PATH,
  constructionError,
  LOKI_ENDPOINT,
  newAggregator,
  REMOTE_WRITE_ENDPOINT,
  REQUIRED_PROPS,
} from './aggregator-fixtures';

const error = (prop: string, value: string, allowed: string) =>
  `${AGGREGATOR_PATH}: invalid ${prop} ${value}: ${allowed}`;

const WHOLE_AT_LEAST = (min: number) => `use a whole number at least ${min}`;
const PORT_RANGE = 'a port is a whole number from 1 to 65535';
const URL_ALLOWED = 'use an http:// or https:// URL, e.g. "https://prometheus.example.com/api/v1/write"';
const DNS_LABEL_ALLOWED =
  'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
const exporter = (port: number): Partial<VectorAggregatorProps> => ({ metrics: { exporter: { port } } });
const loki = (extra: Partial<VectorAggregatorProps['loki']>): Partial<VectorAggregatorProps> => ({
  loki: { endpoint: LOKI_ENDPOINT, ...extra },
});

describe('replicas', () => {
  it.each([
    [-1, '-1'],
    [0, '0'],
    [1.5, '1.5'],
  ])('refuses %s', (replicas, shown) => {
    expect(constructionError({ replicas })).toBe(error('replicas', shown, WHOLE_AT_LEAST(1)));
  });

  it('accepts a single replica', () => {
    expect(() => newAggregator({ replicas: 1 })).not.toThrow();
  });

  // FAILS (bug in lib/k8s/prop-errors.ts `describe`): JSON.stringify(NaN) is "null", so the message says
  // "invalid replicas null" although the value given was NaN (e.g. from Number(process.env.REPLICAS)).
  it('names NaN as NaN, not null', () => {
    expect(constructionError({ replicas: Number.NaN })).toBe(error('replicas', 'NaN', WHOLE_AT_LEAST(1)));
  });
});

describe('loki', () => {
  it('refuses a disk buffer below Vector minimum of 268435488 bytes, and accepts exactly that', () => {
    expect(constructionError(loki({ bufferBytes: 268_435_487 }))).toBe(
      error('loki.bufferBytes', '268435487', "Vector's disk buffers hold at least 268435488 bytes"),
    );
    expect(constructionError(loki({ bufferBytes: 300_000_000.5 }))).toBe(
      error('loki.bufferBytes', '300000000.5', "Vector's disk buffers hold at least 268435488 bytes"),
    );
    expect(() => newAggregator(loki({ bufferBytes: 268_435_488 }))).not.toThrow();
  });

  it.each([
    ['', '""'],
    ['loki-gateway.monitoring.svc:80', '"loki-gateway.monitoring.svc:80"'],
    ['loki-gateway', '"loki-gateway"'],
    ['ftp://loki.example.com', '"ftp://loki.example.com"'],
  ])('refuses the endpoint %j', (endpoint, shown) => {
    expect(constructionError({ loki: { endpoint } })).toBe(error('loki.endpoint', shown, URL_ALLOWED));
  });

  it('refuses a missing endpoint', () => {
    const props = { loki: {} } as unknown as Partial<VectorAggregatorProps>;
    expect(constructionError(props)).toBe(error('loki.endpoint', '(missing)', URL_ALLOWED));
  });

  it('refuses a bearer token Secret that is not a Secret name', () => {
    expect(constructionError(loki({ bearerTokenSecret: { name: 'Loki_Token', key: 'token' } }))).toBe(
      error(
        'loki.bearerTokenSecret.name',
        '"Loki_Token"',
        'use lowercase letters, digits, "-" and ".", at most 253 characters',
      ),
    );
  });

  it('refuses a bearer token Secret key Kubernetes cannot mount', () => {
    expect(constructionError(loki({ bearerTokenSecret: { name: 'loki-token', key: '' } }))).toBe(
      error('loki.bearerTokenSecret.key', '""', 'a Secret key: letters, digits, "-", "_" and "."'),
    );
    expect(constructionError(loki({ bearerTokenSecret: { name: 'loki-token', key: 'a/b' } }))).toBe(
      error('loki.bearerTokenSecret.key', '"a/b"', 'a Secret key: letters, digits, "-", "_" and "."'),
    );
  });
});

describe('metrics', () => {
  it.each([
    ['', '""'],
    ['prometheus:9090/api/v1/write', '"prometheus:9090/api/v1/write"'],
    ['/api/v1/write', '"/api/v1/write"'],
  ])('refuses the remote-write endpoint %j', (endpoint, shown) => {
    expect(constructionError({ metrics: { remoteWrite: { endpoint } } })).toBe(
      error('metrics.remoteWrite.endpoint', shown, URL_ALLOWED),
    );
  });

  it('refuses a remote-write bearer token Secret with a bad name or key', () => {
    const ref = (name: string, key: string): Partial<VectorAggregatorProps> => ({
      metrics: { remoteWrite: { endpoint: REMOTE_WRITE_ENDPOINT, bearerTokenSecret: { name, key } } },
    });
    expect(constructionError(ref('-prw', 'token'))).toBe(
      error(
        'metrics.remoteWrite.bearerTokenSecret.name',
        '"-prw"',
        'use lowercase letters, digits, "-" and ".", at most 253 characters',
      ),
    );
    expect(constructionError(ref('prw', 'to ken'))).toBe(
      error('metrics.remoteWrite.bearerTokenSecret.key', '"to ken"', 'a Secret key: letters, digits, "-", "_" and "."'),
    );
  });

  it.each([0, 65536, -80, 9090.5])('refuses the exporter port %s', (port) => {
    expect(constructionError(exporter(port))).toBe(error('metrics.exporter.port', String(port), PORT_RANGE));
  });

  it.each([
    ['vectorPort', 6000],
    ['apiPort', 8686],
    ['metricsPort', 9598],
  ])('refuses an exporter port that clashes with %s', (_, port) => {
    expect(constructionError(exporter(port))).toBe(
      error(
        'metrics.exporter.port',
        String(port),
        'must differ from {"apiPort":8686,"metricsPort":9598,"vectorPort":6000}',
      ),
    );
  });

  it('accepts exporter ports at both ends of the range', () => {
    expect(() => newAggregator(exporter(1))).not.toThrow();
    expect(() => newAggregator(exporter(65535))).not.toThrow();
  });
});

describe('ports', () => {
  it.each([
    ['vectorPort', 0],
    ['vectorPort', 65536],
    ['vectorPort', 6000.5],
    ['apiPort', 0],
    ['apiPort', 70000],
    ['metricsPort', -1],
    ['metricsPort', 65536],
  ] as const)('refuses %s %s', (prop, port) => {
    expect(constructionError({ [prop]: port })).toBe(error(prop, String(port), PORT_RANGE));
  });

  it('refuses vectorPort equal to apiPort or metricsPort', () => {
    expect(constructionError({ vectorPort: 8686 })).toBe(
      error(
        'vectorPort',
        '8686',
        'apiPort, metricsPort and vectorPort must all differ; got {"apiPort":8686,"metricsPort":9598,"vectorPort":8686}',
      ),
    );
    expect(constructionError({ vectorPort: 9000, metricsPort: 9000 })).toBe(
      error(
        'vectorPort',
        '9000',
        'apiPort, metricsPort and vectorPort must all differ; got {"apiPort":8686,"metricsPort":9000,"vectorPort":9000}',
      ),
    );
  });

  it('refuses apiPort equal to metricsPort', () => {
    expect(constructionError({ apiPort: 9598 })).toBe(error('metricsPort', '9598', 'must differ from apiPort (9598)'));
  });

  it('accepts ports at both ends of the range', () => {
    expect(() => newAggregator({ vectorPort: 1, apiPort: 65535, metricsPort: 2 })).not.toThrow();
  });
});

describe('pipeline props', () => {
  it('refuses maxConnectionAgeSecs below 10, and accepts 10', () => {
    expect(constructionError({ maxConnectionAgeSecs: 9 })).toBe(error('maxConnectionAgeSecs', '9', WHOLE_AT_LEAST(10)));
    expect(constructionError({ maxConnectionAgeSecs: 30.5 })).toBe(
      error('maxConnectionAgeSecs', '30.5', WHOLE_AT_LEAST(10)),
    );
    expect(() => newAggregator({ maxConnectionAgeSecs: 10 })).not.toThrow();
  });

  it('refuses empty dedupeFields, naming false as the way to turn it off', () => {
    expect(constructionError({ dedupeFields: [] })).toBe(
      error('dedupeFields', '[]', 'list the fields that make two events the same, or false to turn deduplication off'),
    );
  });

  it('refuses a sampled namespace that is not a DNS label', () => {
    expect(constructionError({ sampling: [{ namespace: 'Kube_System', rate: 10 }] })).toBe(
      error('sampling[0].namespace', '"Kube_System"', DNS_LABEL_ALLOWED),
    );
    expect(constructionError({ sampling: [{ namespace: 'x'.repeat(64), rate: 10 }] })).toBe(
      error('sampling[0].namespace', `"${'x'.repeat(64)}"`, DNS_LABEL_ALLOWED),
    );
    expect(constructionError({ sampling: [{ namespace: '', rate: 10 }] })).toBe(
      error('sampling[0].namespace', '""', DNS_LABEL_ALLOWED),
    );
  });

  it('refuses a namespace sampled twice, pointing at the second entry', () => {
    const sampling = [
      { namespace: 'kube-system', rate: 10 },
      { namespace: 'ingress-nginx', rate: 5 },
      { namespace: 'kube-system', rate: 20 },
    ];
    expect(constructionError({ sampling })).toBe(
      error('sampling[2].namespace', '"kube-system"', 'each namespace may be sampled once'),
    );
  });

  it.each([
    [1, '1'],
    [0.5, '0.5'],
    [0, '0'],
    [-10, '-10'],
  ])('refuses the sampling rate %s (it must drop something)', (rate, shown) => {
    expect(constructionError({ sampling: [{ namespace: 'kube-system', rate }] })).toBe(
      error('sampling[0].rate', shown, WHOLE_AT_LEAST(2)),
    );
  });

  it('accepts a sampling rate of 2', () => {
    expect(() => newAggregator({ sampling: [{ namespace: 'kube-system', rate: 2 }] })).not.toThrow();
  });
});

describe('storage', () => {
  const holds = (bytes: number, example: string) =>
    `use a quantity that holds the ${bytes}-byte Loki buffer, e.g. "${example}"`;

  it('refuses a size smaller than the Loki buffer', () => {
    expect(constructionError({ storage: { size: '512Mi' } })).toBe(
      error('storage.size', '"512Mi"', holds(1_073_741_824, '2Gi')),
    );
    // 1G is 10^9 bytes, less than the 1 GiB default buffer.
    expect(constructionError({ storage: { size: '1G' } })).toBe(
      error('storage.size', '"1G"', holds(1_073_741_824, '2Gi')),
    );
    expect(constructionError({ ...loki({ bufferBytes: 5 * 1024 ** 3 }), storage: { size: '4Gi' } })).toBe(
      error('storage.size', '"4Gi"', holds(5 * 1024 ** 3, '6Gi')),
    );
  });

  it.each(['lots', '', '10 Gi', 'Gi', '-1Gi'])('refuses the unparseable size %j', (size) => {
    expect(constructionError({ storage: { size } })).toBe(
      error('storage.size', JSON.stringify(size), holds(1_073_741_824, '2Gi')),
    );
  });

  it('accepts a size that just holds the buffer, in either mode', () => {
    expect(() => newAggregator({ storage: { size: '1Gi' } })).not.toThrow();
    expect(() => newAggregator({ stateless: true, storage: { size: '1Gi' } })).not.toThrow();
  });

  it('applies the same check to the emptyDir of a stateless aggregator', () => {
    expect(constructionError({ stateless: true, storage: { size: '100Mi' } })).toBe(
      error('storage.size', '"100Mi"', holds(1_073_741_824, '2Gi')),
    );
  });
});

describe('workload props', () => {
  it('refuses terminationGracePeriodSeconds of 60 or less, and accepts 61', () => {
    const allowed = "must exceed Vector's 60 s shutdown limit, or buffers are killed before they flush";
    expect(constructionError({ terminationGracePeriodSeconds: 60 })).toBe(
      error('terminationGracePeriodSeconds', '60', allowed),
    );
    expect(constructionError({ terminationGracePeriodSeconds: 30 })).toBe(
      error('terminationGracePeriodSeconds', '30', allowed),
    );
    expect(constructionError({ terminationGracePeriodSeconds: 90.5 })).toBe(
      error('terminationGracePeriodSeconds', '90.5', allowed),
    );
    expect(() => newAggregator({ terminationGracePeriodSeconds: 61 })).not.toThrow();
  });

  it('refuses a namespace or name that is not a DNS label', () => {
    expect(constructionError({ namespace: 'Vector_System' })).toBe(
      error('namespace', '"Vector_System"', DNS_LABEL_ALLOWED),
    );
    expect(constructionError({ name: 'vector.aggregator' })).toBe(
      error('name', '"vector.aggregator"', DNS_LABEL_ALLOWED),
    );
  });

  it('refuses an image that is not pinned', () => {
    const allowed = 'pin the image to an exact version tag or digest, e.g. "timberio/vector:0.57.0-distroless-libc"';
    expect(constructionError({ image: 'timberio/vector:latest' })).toBe(
      error('image', '"timberio/vector:latest"', allowed),
    );
    expect(constructionError({ image: 'timberio/vector' })).toBe(error('image', '"timberio/vector"', allowed));
  });

  it('refuses resources that do not parse, or requests above limits', () => {
    const resources = (requestsCpu: string, limitsCpu: string) => ({
      resources: { requests: { cpu: requestsCpu, memory: '512Mi' }, limits: { cpu: limitsCpu, memory: '1Gi' } },
    });
    expect(constructionError(resources('lots', '1'))).toBe(
      error('resources.requests.cpu', '"lots"', 'use a CPU quantity such as "100m" or "0.5"'),
    );
    expect(constructionError(resources('2', '1'))).toBe(
      error('resources.requests.cpu', '"2"', 'must not exceed limits.cpu (1)'),
    );
  });

  it('builds with the required props alone', () => {
    expect(() => newAggregator(REQUIRED_PROPS)).not.toThrow();
  });
});
