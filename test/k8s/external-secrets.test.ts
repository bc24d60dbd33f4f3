import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ExternalSecret, PushSecret } from '../../lib/k8s/external-secrets';
import { CRD_SCHEMA_KINDS, CRD_SCHEMA_RELEASE } from '../helpers/crd-schema';
import { expectValidChart, validateManifests } from '../helpers/k8s-schema';

const EXTERNAL_SECRET = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'vector-ca', namespace: 'vector-system' },
  spec: {
    secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
    refreshInterval: '1h',
    target: {
      name: 'vector-ca',
      creationPolicy: 'Owner',
      deletionPolicy: 'Retain',
      template: { type: 'kubernetes.io/tls' },
    },
    data: [{ secretKey: 'tls.crt', remoteRef: { key: 'vector-ca', property: 'tls_crt' } }],
  },
} as const;
const PUSH_SECRET = {
  apiVersion: 'external-secrets.io/v1alpha1',
  kind: 'PushSecret',
  metadata: { name: 'vector-ca', namespace: 'vector-system' },
  spec: {
    secretStoreRefs: [{ name: 'vault', kind: 'ClusterSecretStore' }],
    selector: { secret: { name: 'vector-ca' } },
    data: [{ match: { secretKey: 'tls.crt', remoteRef: { remoteKey: 'vector-ca', property: 'tls_crt' } } }],
  },
} as const;

/** `base` with the value at the dotted `path` replaced. */
function changed(base: object, path: string, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  let parent: Record<string, unknown> = copy;
  for (const key of keys) parent = parent[key] as Record<string, unknown>;
  parent[last] = value;
  return copy;
}

describe('External Secrets L1 classes', () => {
  it('write ExternalSecret external-secrets.io/v1 and PushSecret external-secrets.io/v1alpha1, exactly as given', () => {
    const chart = Testing.chart();
    new ExternalSecret(chart, 'pull', { metadata: EXTERNAL_SECRET.metadata, spec: EXTERNAL_SECRET.spec });
    new PushSecret(chart, 'push', { metadata: PUSH_SECRET.metadata, spec: PUSH_SECRET.spec });
    expect(Testing.synth(chart)).toEqual([EXTERNAL_SECRET, PUSH_SECRET]);
    expectValidChart(chart);
  });

  it('refuse an object without a name', () => {
    const chart = Testing.chart();
    expect(() => new PushSecret(chart, 'push', { metadata: { name: '' }, spec: PUSH_SECRET.spec })).toThrow(
      'PushSecret: metadata.name is required (this library writes no generated names)',
    );
    expect(() => new ExternalSecret(chart, 'pull', { metadata: { name: '' }, spec: EXTERNAL_SECRET.spec })).toThrow(
      'ExternalSecret: metadata.name is required (this library writes no generated names)',
    );
  });
});

describe('the External Secrets CRD schemas the tests validate against', () => {
  it(`are ESO ${CRD_SCHEMA_RELEASE}'s served versions: ExternalSecret v1 and PushSecret v1alpha1`, () => {
    expect(CRD_SCHEMA_KINDS).toEqual([
      'external-secrets.io/v1 ExternalSecret',
      'external-secrets.io/v1alpha1 PushSecret',
    ]);
  });

  it('report unknown fields at any depth, which the API server would silently drop', () => {
    expect(validateManifests([changed(EXTERNAL_SECRET, 'spec.target.type', 'kubernetes.io/tls')])).toEqual([
      {
        object: 'external-secrets.io/v1 ExternalSecret vector-system/vector-ca',
        message: '/spec/target: unknown field "type"',
      },
    ]);
    expect(validateManifests([changed(PUSH_SECRET, 'spec.secretStoreRef', { name: 'vault' })])).toEqual([
      {
        object: 'external-secrets.io/v1alpha1 PushSecret vector-system/vector-ca',
        message: '/spec: unknown field "secretStoreRef"',
      },
    ]);
    expect(validateManifests([changed(EXTERNAL_SECRET, 'metadata.labels', { a: 1 })])).toEqual([
      {
        object: 'external-secrets.io/v1 ExternalSecret vector-system/vector-ca',
        message: '/metadata/labels/a: must be string',
      },
    ]);
  });

  it('report bad enums with the allowed values, missing required fields and wrong types', () => {
    expect(validateManifests([changed(EXTERNAL_SECRET, 'spec.secretStoreRef.kind', 'Vault')])).toEqual([
      {
        object: 'external-secrets.io/v1 ExternalSecret vector-system/vector-ca',
        message:
          '/spec/secretStoreRef/kind: must be equal to one of the allowed values ("SecretStore", "ClusterSecretStore")',
      },
    ]);
    expect(validateManifests([changed(PUSH_SECRET, 'spec.selector', undefined)]).map((p) => p.message)).toEqual([
      "/spec: must have required property 'selector'",
    ]);
    expect(
      validateManifests([changed(PUSH_SECRET, 'spec.data', { secretKey: 'tls.crt' })]).map((p) => p.message),
    ).toEqual(['/spec/data: must be array']);
    expect(
      validateManifests([
        changed(EXTERNAL_SECRET, 'spec.data', [{ secretKey: 'tls crt', remoteRef: { key: 'k' } }]),
      ]).map((p) => p.message),
    ).toEqual(['/spec/data/0/secretKey: must match pattern "^[-._a-zA-Z0-9]+$"']);
  });

  it('refuse an apiVersion ESO does not serve: ExternalSecret v1beta1 is not served from v2.9.0 on', () => {
    expect(validateManifests([{ ...EXTERNAL_SECRET, apiVersion: 'external-secrets.io/v1beta1' }])).toEqual([
      {
        object: 'external-secrets.io/v1beta1 ExternalSecret vector-system/vector-ca',
        message: 'unknown kind external-secrets.io/v1beta1 ExternalSecret: no schema to validate it against',
      },
    ]);
  });
});
