/**
 * References through the operators' objects the fleet writes: External Secrets' stores, the Secret a PushSecret
 * pushes and the one an ExternalSecret writes, and Flux's credentials and kubeconfig Secrets.
 */
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../lib/k8s/object-references';
import { derivePrerequisites } from '../../lib/k8s/prerequisites';

const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vector-system' } };
const short = (manifests: Manifest[]) =>
  derivePrerequisites([ns, ...manifests])
    .filter((p) => p.kind !== 'CustomResourceDefinition')
    .map(
      (p) => `${p.kind} ${p.namespace ?? ''}/${p.name}${p.keys ? ` [${p.keys.join(' ')}]` : ''} <- ${p.why.join('; ')}`,
    );

describe('prerequisites through External Secrets and Flux', () => {
  it("lists a PushSecret's stores and the Secret it pushes, with the keys it reads", () => {
    expect(
      short([
        {
          apiVersion: 'external-secrets.io/v1alpha1',
          kind: 'PushSecret',
          metadata: { name: 'ca', namespace: 'vector-system' },
          spec: {
            secretStoreRefs: [{ name: 'vault', kind: 'ClusterSecretStore' }, { name: 'local' }],
            selector: { secret: { name: 'vector-ca' } },
            data: [{ match: { secretKey: 'tls.crt' } }, { match: { secretKey: 'tls.key' } }],
          },
        },
      ]),
    ).toEqual([
      'ClusterSecretStore /vault <- PushSecret vector-system/ca: spec.secretStoreRefs[0]',
      'Secret vector-system/vector-ca [tls.crt tls.key] <- PushSecret vector-system/ca: spec.selector.secret',
      'SecretStore vector-system/local <- PushSecret vector-system/ca: spec.secretStoreRefs[1]',
    ]);
  });

  it("counts an ExternalSecret's target Secret as created, unless it merges into one that must exist", () => {
    const externalSecret = (target: Record<string, unknown>): Manifest => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'pull', namespace: 'vector-system' },
      spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, target },
    });
    const issuer: Manifest = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'vector-ca', namespace: 'vector-system' },
      spec: { ca: { secretName: 'vector-ca' } },
    };
    expect(short([externalSecret({ name: 'vector-ca' }), issuer])).toEqual([
      'ClusterSecretStore /vault <- ExternalSecret vector-system/pull: spec.secretStoreRef',
    ]);
    expect(short([externalSecret({ name: 'vector-ca', creationPolicy: 'Merge' }), issuer])).toEqual([
      'ClusterSecretStore /vault <- ExternalSecret vector-system/pull: spec.secretStoreRef',
      'Secret vector-system/vector-ca [tls.crt tls.key] <- Issuer vector-system/vector-ca: spec.ca.secretName',
    ]);
  });

  it("lists a Flux source's credentials and a Kustomization's kubeconfig Secret with its key", () => {
    expect(
      short([
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'fleet', namespace: 'vector-system' },
          spec: { url: 'ssh://git@example.com/fleet.git', secretRef: { name: 'git' } },
        },
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'dev', namespace: 'vector-system' },
          spec: { kubeConfig: { secretRef: { name: 'dev-kubeconfig', key: 'value.yaml' } } },
        },
      ]),
    ).toEqual([
      'Secret vector-system/dev-kubeconfig [value.yaml] <- Kustomization vector-system/dev: spec.kubeConfig.secretRef',
      'Secret vector-system/git [] <- GitRepository vector-system/fleet: spec.secretRef',
    ]);
  });
});

describe('prerequisites of an autoscaler', () => {
  it('lists the resource metrics API for an HPA on CPU or memory, and says to install metrics-server', () => {
    const hpa = (type: string): Manifest => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'vector-system' },
      spec: { metrics: [{ type }] },
    });
    const [metricsApi] = derivePrerequisites([ns, hpa('Resource')]);
    expect(metricsApi).toMatchObject({
      kind: 'APIService',
      name: 'v1beta1.metrics.k8s.io',
      why: ['HorizontalPodAutoscaler vector-system/api: spec.metrics[0]'],
      how: expect.stringMatching(/^install metrics-server/),
    });
    expect(derivePrerequisites([ns, hpa('External')])).toEqual([]);
  });
});
