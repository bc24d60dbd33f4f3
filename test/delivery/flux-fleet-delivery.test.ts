import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FluxFleetDelivery, type FluxFleetDeliveryProps } from '../../lib/delivery';
import { thrownMessage } from '../helpers/errors';
import { expectValidChart } from '../helpers/k8s-schema';

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: Record<string, unknown>;
}

const PROPS: FluxFleetDeliveryProps = {
  repository: { url: 'https://github.com/example/fleet.git' },
  path: 'dist',
  clusters: [
    { name: 'monitoring' },
    { name: 'mgmt', local: true, dependsOn: ['monitoring'] },
    { name: 'dev', dependsOn: ['monitoring'] },
  ],
};

function synth(props: Partial<FluxFleetDeliveryProps> = {}) {
  const chart = Testing.chart();
  new FluxFleetDelivery(chart, 'flux', { ...PROPS, ...props });
  expectValidChart(chart);
  return Testing.synth(chart) as Manifest[];
}
const kustomization = (objects: Manifest[], name: string) =>
  objects.find((o) => o.kind === 'Kustomization' && o.metadata.name === name)?.spec;
const error = (props: Partial<FluxFleetDeliveryProps>) =>
  thrownMessage(() => new FluxFleetDelivery(Testing.chart(), 'flux', { ...PROPS, ...props }));

describe('FluxFleetDelivery', () => {
  it('writes one GitRepository and one Kustomization per cluster in flux-system, valid against the Flux CRDs', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'GitRepository flux-system/vector-fleet',
      'Kustomization flux-system/vector-fleet-monitoring',
      'Kustomization flux-system/vector-fleet-mgmt',
      'Kustomization flux-system/vector-fleet-dev',
    ]);
    expect(objects[0].spec).toEqual({
      url: 'https://github.com/example/fleet.git',
      interval: '1m',
      ref: { branch: 'main' },
    });
  });

  it("applies each cluster's folder to that cluster through its kubeconfig Secret, and waits for its objects", () => {
    const objects = synth();
    expect(kustomization(objects, 'vector-fleet-dev')).toEqual({
      interval: '10m',
      retryInterval: '1m',
      timeout: '10m',
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: 'vector-fleet' },
      path: './dist/dev',
      dependsOn: [{ name: 'vector-fleet-monitoring' }],
      kubeConfig: { secretRef: { name: 'dev-kubeconfig' } },
    });
    // The cluster Flux runs in is applied with Flux's own ServiceAccount; a cluster nothing waits for has no dependsOn.
    expect(kustomization(objects, 'vector-fleet-mgmt')).not.toHaveProperty('kubeConfig');
    expect(kustomization(objects, 'vector-fleet-monitoring')).not.toHaveProperty('dependsOn');
    expect(kustomization(objects, 'vector-fleet-monitoring')).toMatchObject({ wait: true });
  });

  it('takes the namespace, intervals, timeout, a tag, credentials and a path with ./ and a trailing /', () => {
    const objects = synth({
      namespace: 'flux',
      repository: { url: 'ssh://git@github.com/example/fleet.git', ref: { tag: 'v2.0.0' }, secretName: 'fleet-git' },
      path: './deploy/dist/',
      fetchInterval: '5m',
      interval: '1h',
      timeout: '20m',
    });
    expect(objects.every((o) => o.metadata.namespace === 'flux')).toBe(true);
    expect(objects[0].spec).toEqual({
      url: 'ssh://git@github.com/example/fleet.git',
      interval: '5m',
      ref: { tag: 'v2.0.0' },
      secretRef: { name: 'fleet-git' },
    });
    expect(kustomization(objects, 'vector-fleet-dev')).toMatchObject({
      interval: '1h',
      timeout: '20m',
      path: './deploy/dist/dev',
    });
  });

  it('keeps its own folder applied from Git with selfFolder', () => {
    const objects = synth({ selfFolder: '_flux' });
    expect(kustomization(objects, 'vector-fleet')).toEqual({
      interval: '10m',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'vector-fleet' },
      path: './dist/_flux',
    });
    expect(synth().some((o) => o.metadata.name === 'vector-fleet' && o.kind === 'Kustomization')).toBe(false);
  });

  it('refuses a URL Flux cannot fetch, a ref that is neither a branch nor a tag, and a bad Secret name', () => {
    expect(error({ repository: { url: 'git@github.com:example/fleet.git' } })).toBe(
      'test/flux: invalid repository.url "git@github.com:example/fleet.git": use an https://, http:// or ssh:// URL (Flux reads no other)',
    );
    const both = JSON.parse('{"branch":"main","tag":"v1"}') as { branch: string };
    expect(error({ repository: { url: 'https://x.example/r.git', ref: both } })).toBe(
      'test/flux: invalid repository.ref {"branch":"main","tag":"v1"}: give { branch: <name> } or { tag: <name> }',
    );
    expect(error({ repository: { url: 'https://x.example/r.git', ref: { branch: '' } } })).toBe(
      'test/flux: invalid repository.ref {"branch":""}: give { branch: <name> } or { tag: <name> }',
    );
    expect(error({ repository: { url: 'https://x.example/r.git', secretName: 'Fleet_Git' } })).toMatch(
      /^test\/flux: invalid repository.secretName "Fleet_Git": use lowercase letters/,
    );
  });

  it('refuses durations Flux does not read, and a bad namespace', () => {
    expect(error({ interval: '10 minutes' })).toBe(
      'test/flux: invalid interval "10 minutes": use a Go duration such as "30s", "10m" or "1h"',
    );
    expect(error({ fetchInterval: '1d' })).toBe(
      'test/flux: invalid fetchInterval "1d": use a Go duration such as "30s", "10m" or "1h"',
    );
    expect(error({ timeout: '' })).toBe(
      'test/flux: invalid timeout "": use a Go duration such as "30s", "10m" or "1h"',
    );
    expect(error({ namespace: 'Flux' })).toMatch(/^test\/flux: invalid namespace "Flux": use at most 63 lowercase/);
  });

  it('refuses a path outside the repository or with . and .. parts', () => {
    for (const path of ['/srv/dist', '../dist', 'dist/../other', 'a//b', '', 'dist\\dev']) {
      expect(error({ path })).toBe(
        `test/flux: invalid path ${JSON.stringify(path)}: use a folder of the repository, relative to its root, such as "dist": no leading "/", no "." or ".." parts`,
      );
    }
  });

  it('refuses unknown, own and cyclic dependencies, two local clusters, duplicates and no clusters', () => {
    expect(error({ clusters: [{ name: 'dev', dependsOn: ['monitoring'] }] })).toBe(
      'test/flux: invalid clusters "dev" dependsOn "monitoring": name another of dev',
    );
    expect(error({ clusters: [{ name: 'dev', dependsOn: ['dev'] }, { name: 'b' }] })).toBe(
      'test/flux: invalid clusters "dev" dependsOn "dev": name another of dev, b',
    );
    expect(
      error({
        clusters: [
          { name: 'a', dependsOn: ['b'] },
          { name: 'b', dependsOn: ['c'] },
          { name: 'c', dependsOn: ['a'] },
        ],
      }),
    ).toBe('test/flux: invalid clusters[].dependsOn "a -> b -> c -> a": dependencies must not form a cycle');
    expect(
      error({
        clusters: [
          { name: 'a', local: true },
          { name: 'b', local: true },
        ],
      }),
    ).toBe('test/flux: invalid clusters[].local ["a","b"]: Flux runs in one cluster: mark one cluster local at most');
    expect(error({ clusters: [{ name: 'a' }, { name: 'a' }] })).toBe(
      'test/flux: invalid clusters[].name "a": each cluster once',
    );
    expect(error({ clusters: [{ name: 'Dev' }] })).toMatch(
      /^test\/flux: invalid clusters\[\]\.name "Dev": use at most 63/,
    );
    expect(error({ clusters: [] })).toBe('test/flux: invalid clusters []: give at least one cluster');
  });
});
