import { describe, expect, it } from 'vitest';
import { expectValidManifests } from '../helpers/k8s-schema';
import { AGGREGATOR_PATH, newAggregator, only, synthAggregator, workload } from './aggregator-fixtures';

interface ServicePortJson {
  readonly name: string;
  readonly port: number;
}

const servicePorts = (manifests: ReturnType<typeof synthAggregator>['manifests'], name: string) =>
  ((only(manifests, 'Service', name).spec as { ports: ServicePortJson[] }).ports ?? []).map(
    (p) => `${p.name}:${p.port}`,
  );

describe('stateless rollout', () => {
  it('replaces pods in place, because required anti-affinity leaves no node for a surge pod', () => {
    const { manifests } = synthAggregator({ stateless: true });
    expect((workload(manifests).spec as { strategy: unknown }).strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expectValidManifests(manifests);
  });

  it('rejects a storage class, which a stateless aggregator has no volume for', () => {
    expect(() => newAggregator({ stateless: true, storage: { storageClassName: 'hcloud-volumes' } })).toThrow(
      `${AGGREGATOR_PATH}: invalid storage.storageClassName "hcloud-volumes": a stateless aggregator has no volumes: drop it, or stateless`,
    );
  });
});

describe('metrics exporter mode', () => {
  it('exposes the forwarded-metrics exporter on the headless Service, for per-replica scraping', () => {
    const { manifests } = synthAggregator({ metrics: { exporter: { port: 9090 } } });
    expect(servicePorts(manifests, 'vector-aggregator-headless')).toEqual([
      'vector:6000',
      'metrics:9598',
      'prom-exporter:9090',
      'heartbeat:9599',
    ]);
    expect(servicePorts(manifests, 'vector-aggregator')).toEqual(['vector:6000']);
  });

  it('has no exporter port with remote write', () => {
    const { manifests } = synthAggregator();
    expect(servicePorts(manifests, 'vector-aggregator-headless')).toEqual([
      'vector:6000',
      'metrics:9598',
      'heartbeat:9599',
    ]);
  });
});

describe('load balancer props', () => {
  it('rejects a hostname that is not a DNS name', () => {
    expect(() => newAggregator({ loadBalancer: { hostname: 'Vector Aggregator' } })).toThrow(
      `${AGGREGATOR_PATH}: invalid loadBalancer.hostname "Vector Aggregator"`,
    );
  });

  it.each([
    ['10.0.0.0/33', 'use a CIDR block'],
    ['10.0.0/16', 'use a CIDR block'],
    ['fsn1', 'use a CIDR block'],
    ['10.0.1.0/16', 'the address has bits set beyond the /16 prefix'],
  ])('rejects source range %s', (range, message) => {
    expect(() => newAggregator({ loadBalancer: { sourceRanges: [range] } })).toThrow(
      `${AGGREGATOR_PATH}: invalid loadBalancer.sourceRanges[0] "${range}": ${message}`,
    );
  });

  it.each([['local'], ['None'], [true]])('rejects externalTrafficPolicy %j', (policy) => {
    expect(() => newAggregator({ loadBalancer: { externalTrafficPolicy: policy as unknown as 'Local' } })).toThrow(
      `${AGGREGATOR_PATH}: invalid loadBalancer.externalTrafficPolicy ${JSON.stringify(policy)}: use "Local" (keeps client addresses, which sourceClusterCidrs match) or "Cluster"`,
    );
  });

  it('accepts IPv4 and IPv6 ranges', () => {
    const { manifests } = synthAggregator({ loadBalancer: { sourceRanges: ['10.0.0.0/16', '2001:db8::/32'] } });
    expect(
      (only(manifests, 'Service', 'vector-aggregator-lb').spec as { loadBalancerSourceRanges: string[] })
        .loadBalancerSourceRanges,
    ).toEqual(['10.0.0.0/16', '2001:db8::/32']);
  });
});

describe('name', () => {
  it('leaves room for the headless Service name within 63 characters', () => {
    expect(() => newAggregator({ name: 'a'.repeat(55) })).toThrow(
      `${AGGREGATOR_PATH}: invalid name "${'a'.repeat(55)}": start with a letter and use at most 54 characters: a Service is named "<name>-headless"`,
    );
    expect(() => newAggregator({ name: 'a'.repeat(54) })).not.toThrow();
  });

  it('starts with a letter, as Service names must', () => {
    expect(() => newAggregator({ name: '1vector' })).toThrow('start with a letter');
  });
});
