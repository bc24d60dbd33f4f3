/**
 * Annotation keys and image references that users give to the constructs are checked at synth, with the construct
 * path, the prop and the rule: the API server or the container runtime would refuse them only at apply or pull time.
 */
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { LogHeartbeat, VectorAggregator, type VectorAggregatorProps, VectorMonitoring } from '../../lib';
import { thrownMessage } from '../helpers/errors';

const REQUIRED: VectorAggregatorProps = {
  loki: { endpoint: 'http://loki-gateway.monitoring.svc:80' },
  metrics: { remoteWrite: { endpoint: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write' } },
};

const aggregatorWith = (annotations: Record<string, string>) =>
  thrownMessage(
    () =>
      new VectorAggregator(Testing.chart(), 'aggregator', {
        ...REQUIRED,
        loadBalancer: { hostname: 'vector.example.com', annotations },
      }),
  );

describe('loadBalancer.annotations', () => {
  it('refuses a key that is no Kubernetes key', () => {
    expect(aggregatorWith({ 'hetzner location': 'fsn1' })).toMatch(
      /^test\/aggregator: invalid loadBalancer\.annotations key "hetzner location": /,
    );
  });

  it('refuses more than 256 KiB in total', () => {
    expect(aggregatorWith({ 'example.com/big': 'x'.repeat(300_000) })).toBe(
      'test/aggregator: invalid loadBalancer.annotations "1 annotations": the annotations take 300015 bytes (keys and ' +
        'values together); the API server accepts at most 262144 (256 KiB) on one object',
    );
  });

  it('accepts prefixed keys such as the Hetzner ones', () => {
    expect(
      () =>
        new VectorAggregator(Testing.chart(), 'aggregator', {
          ...REQUIRED,
          loadBalancer: {
            hostname: 'vector.example.com',
            annotations: { 'load-balancer.hetzner.cloud/location': 'fsn1' },
          },
        }),
    ).not.toThrow();
  });
});

describe('image references', () => {
  it('refuses a malformed digest', () => {
    expect(
      thrownMessage(() => new LogHeartbeat(Testing.chart(), 'heartbeat', { image: 'busybox@sha256:abc' })),
    ).toMatch(/^test\/heartbeat: invalid image "busybox@sha256:abc": .*sha256/);
  });
});

describe('VectorMonitoring dashboard.annotations', () => {
  it('refuses more than 256 KiB in total', () => {
    expect(
      thrownMessage(
        () =>
          new VectorMonitoring(Testing.chart(), 'monitoring', {
            targets: [],
            namespace: 'monitoring',
            cluster: 'prod',
            dashboard: { annotations: { 'example.com/big': 'x'.repeat(300_000) } },
          }),
      ),
    ).toContain(
      'invalid dashboard.annotations: the annotations take 300015 bytes (keys and values together); the API server ' +
        'accepts at most 262144 (256 KiB) on one object',
    );
  });
});
