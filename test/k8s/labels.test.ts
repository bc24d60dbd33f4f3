import { describe, expect, it } from 'vitest';
import { commonLabels, MANAGED_BY, selectorLabels } from '../../lib/k8s/labels';

describe('labels', () => {
  const id = { name: 'vector', instance: 'vector-agent', component: 'agent', version: '0.57.0' };

  it('selectors use only name, instance and component, never the version', () => {
    expect(selectorLabels(id)).toEqual({
      'app.kubernetes.io/name': 'vector',
      'app.kubernetes.io/instance': 'vector-agent',
      'app.kubernetes.io/component': 'agent',
    });
  });

  it('common labels add part-of, managed-by and version', () => {
    expect(commonLabels(id)).toEqual({
      ...selectorLabels(id),
      'app.kubernetes.io/part-of': 'vector-fleet',
      'app.kubernetes.io/managed-by': MANAGED_BY,
      'app.kubernetes.io/version': '0.57.0',
    });
    expect(commonLabels({ ...id, version: undefined, partOf: 'logging' })).not.toHaveProperty(
      'app.kubernetes.io/version',
    );
    expect(commonLabels({ ...id, partOf: 'logging' })['app.kubernetes.io/part-of']).toBe('logging');
  });

  it('rejects values Kubernetes would refuse, naming the label', () => {
    expect(() => selectorLabels({ ...id, instance: 'Vector Agent' })).toThrow(
      'label app.kubernetes.io/instance="Vector Agent" is not a valid Kubernetes label value',
    );
    expect(() => commonLabels({ ...id, version: 'x'.repeat(64) })).toThrow('app.kubernetes.io/version');
    expect(() => selectorLabels({ ...id, component: '-agent' })).toThrow('starting and ending with an alphanumeric');
  });
});
