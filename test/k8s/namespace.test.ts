/** One Namespace object per chart and name, enforcing the strictest Pod Security level that admits every user. */
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { sharedNamespace } from '../../lib/k8s/namespace';

const PSA = (level: string) => ({
  'pod-security.kubernetes.io/enforce': level,
  'pod-security.kubernetes.io/audit': level,
  'pod-security.kubernetes.io/warn': level,
});

function namespaces(chart: Chart) {
  return Testing.synth(chart).filter((o) => o.kind === 'Namespace');
}

describe('sharedNamespace', () => {
  it('writes one Namespace for two constructs, at the most permissive level either needs', () => {
    const chart = new Chart(Testing.app(), 'c');
    sharedNamespace(new Construct(chart, 'aggregator'), 'vector-system', 'restricted', { a: '1' });
    sharedNamespace(new Construct(chart, 'agent'), 'vector-system', 'privileged', { b: '2' });
    sharedNamespace(new Construct(chart, 'other'), 'vector-system', 'baseline', {});
    const found = namespaces(chart);
    expect(found).toHaveLength(1);
    expect(found[0].metadata).toEqual({ name: 'vector-system', labels: { a: '1', ...PSA('privileged') } });
  });

  it('keeps restricted when every user is restricted, and keeps namespaces of different names apart', () => {
    const chart = new Chart(Testing.app(), 'c');
    sharedNamespace(new Construct(chart, 'x'), 'a', 'restricted', {});
    sharedNamespace(new Construct(chart, 'y'), 'a', 'restricted', {});
    sharedNamespace(new Construct(chart, 'z'), 'b', 'privileged', {});
    expect(
      namespaces(chart).map((n) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]),
    ).toEqual([
      ['a', 'restricted'],
      ['b', 'privileged'],
    ]);
  });

  it('writes the namespace once per chart: each chart of an app is deployed on its own', () => {
    const app = new App({ outdir: '/tmp/unused' });
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    sharedNamespace(new Construct(one, 'x'), 'vector-system', 'restricted', {});
    sharedNamespace(new Construct(two, 'y'), 'vector-system', 'restricted', {});
    expect(namespaces(one)).toHaveLength(1);
    expect(namespaces(two)).toHaveLength(1);
  });
});
