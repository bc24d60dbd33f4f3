import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FluxKustomization, GitRepository } from '../../lib/k8s/flux';
import { expectValidChart, validateManifests } from '../helpers/k8s-schema';

describe('Flux L1 classes', () => {
  it('write GitRepository and Kustomization with exactly the fields given, valid against the CRD schemas', () => {
    const chart = Testing.chart();
    new GitRepository(chart, 'repo', {
      metadata: { name: 'fleet', namespace: 'flux-system' },
      spec: {
        url: 'ssh://git@github.com/example/fleet.git',
        interval: '1m',
        ref: { branch: 'main' },
        secretRef: { name: 'fleet-git' },
        timeout: '60s',
      },
    });
    new FluxKustomization(chart, 'ks', {
      metadata: { name: 'fleet-dev', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        path: './dist/dev',
        dependsOn: [{ name: 'fleet-monitoring' }],
        kubeConfig: { secretRef: { name: 'dev-kubeconfig', key: 'value' } },
        wait: true,
        timeout: '10m',
        retryInterval: '1m',
      },
    });
    expectValidChart(chart);
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'fleet', namespace: 'flux-system' },
        spec: {
          url: 'ssh://git@github.com/example/fleet.git',
          interval: '1m',
          ref: { branch: 'main' },
          secretRef: { name: 'fleet-git' },
          timeout: '60s',
        },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'fleet-dev', namespace: 'flux-system' },
        spec: {
          interval: '10m',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
          path: './dist/dev',
          dependsOn: [{ name: 'fleet-monitoring' }],
          kubeConfig: { secretRef: { name: 'dev-kubeconfig', key: 'value' } },
          wait: true,
          timeout: '10m',
          retryInterval: '1m',
        },
      },
    ]);
  });

  it('are caught by the schema helper when a field is wrong', () => {
    const chart = Testing.chart();
    new FluxKustomization(chart, 'ks', {
      metadata: { name: 'fleet-dev' },
      // Values the TypeScript types reject, the way an untyped caller would write them.
      spec: JSON.parse('{"interval":"10 minutes","prune":true,"sourceRef":{"kind":"HelmRepository","name":"fleet"}}'),
    });
    new GitRepository(chart, 'repo', {
      metadata: { name: 'fleet' },
      spec: JSON.parse('{"url":"git@github.com:example/fleet.git","interval":"1m"}'),
    });
    expect(validateManifests(chart.toJson()).map((p) => `${p.object}: ${p.message}`)).toEqual([
      'kustomize.toolkit.fluxcd.io/v1 Kustomization fleet-dev: /spec/interval: must match pattern "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization fleet-dev: /spec/sourceRef/kind: must be equal to one of the allowed values ("OCIRepository", "GitRepository", "Bucket")',
      'source.toolkit.fluxcd.io/v1 GitRepository fleet: /spec/url: must match pattern "^(http|https|ssh)://.*$"',
    ]);
  });

  it('require an explicit metadata.name', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new GitRepository(chart, 'r', { metadata: { name: '' }, spec: { url: 'https://x.example', interval: '1m' } }),
    ).toThrow('GitRepository: metadata.name is required (this library writes no generated names)');
    expect(
      () =>
        new FluxKustomization(chart, 'k', {
          metadata: { name: '' },
          spec: { interval: '1m', prune: true, sourceRef: { kind: 'GitRepository', name: 'r' } },
        }),
    ).toThrow('Kustomization: metadata.name is required');
  });

  it('expose their group, version and kind', () => {
    expect([GitRepository.GVK, FluxKustomization.GVK]).toEqual([
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' },
      { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' },
    ]);
  });
});
