/**
 * GitOps delivery: the inventory's `delivery` option writes dist/_flux/, the Flux objects that apply every cluster's
 * folder to that cluster, each source cluster after the monitoring cluster it ships to. Bad options are refused with
 * the file, the field and the value.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  checkFleet,
  type ClusterOutput,
  FLUX_DELIVERY_FOLDER,
  parseFleetYaml,
  synthesizeFleet,
  writeClusters,
} from '../../lib/fleet';
import { expectValidManifests } from '../helpers/k8s-schema';
import {
  type Changes,
  EXAMPLE_TEXT,
  exampleCluster,
  exampleFleet,
  exampleYamlError,
  inventoryErrorMessage,
  inventoryReport,
  REMOVE,
} from './fixtures';

const FILE = 'inventories/fleet.yaml';

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly path?: string;
    readonly dependsOn?: readonly { readonly name: string }[];
    readonly kubeConfig?: { readonly secretRef: { readonly name: string } };
    readonly [key: string]: unknown;
  };
}

const deliveryOf = (outputs: readonly ClusterOutput[]) =>
  outputs.find((o) => o.cluster === FLUX_DELIVERY_FOLDER) as ClusterOutput;
const objectsOf = (outputs: readonly ClusterOutput[]): Manifest[] =>
  parseAllDocuments(deliveryOf(outputs).files['_flux.k8s.yaml']).map((d) => d.toJS() as Manifest);
const kustomizations = (outputs: readonly ClusterOutput[]) =>
  new Map(
    objectsOf(outputs)
      .filter((o) => o.kind === 'Kustomization')
      .map((o) => [o.metadata.name, o.spec]),
  );
/** Which cluster's Kustomization depends on which, by cluster name. */
const order = (outputs: readonly ClusterOutput[]) =>
  Object.fromEntries(
    [...kustomizations(outputs)]
      .filter(([name]) => name !== 'vector-fleet')
      .map(([name, spec]) => [
        name.replace('vector-fleet-', ''),
        (spec.dependsOn ?? []).map((d) => d.name.replace('vector-fleet-', '')),
      ]),
  );

const report = (...problems: string[]) => inventoryReport(FILE, ...problems);
const yamlError = (changes: Changes) => exampleYamlError(FILE, changes);

const example = parseFleetYaml(EXAMPLE_TEXT, 'fleet.yaml');
const outputs = synthesizeFleet(example, 'fleet.yaml', { outputPath: 'dist' });

describe('delivery with Flux (the example fleet)', () => {
  it('writes dist/_flux/ with its manifests and a kustomization, valid against the Flux CRDs', () => {
    const folder = deliveryOf(outputs);
    expect(Object.keys(folder.files).sort()).toEqual(['_flux.k8s.yaml', 'kustomization.yaml', 'prerequisites.yaml']);
    // What Flux needs there: its CRDs and namespace, a kubeconfig Secret per remote cluster, the Git credentials.
    const prerequisites = parse(folder.files['prerequisites.yaml']) as {
      prerequisites: { kind: string; namespace?: string; name: string; keys?: string[] }[];
    };
    expect(prerequisites.prerequisites.map((p) => `${p.kind} ${p.namespace ?? ''}/${p.name} ${p.keys ?? ''}`)).toEqual([
      'CustomResourceDefinition /gitrepositories.source.toolkit.fluxcd.io ',
      'CustomResourceDefinition /kustomizations.kustomize.toolkit.fluxcd.io ',
      'Namespace /flux-system ',
      'Secret flux-system/dev-kubeconfig value',
      'Secret flux-system/monitoring-kubeconfig value',
      'Secret flux-system/staging-kubeconfig value',
      'Secret flux-system/vector-fleet-git ',
    ]);
    expect(parseAllDocuments(folder.files['kustomization.yaml'])[0].toJS()).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['_flux.k8s.yaml'],
    });
    expectValidManifests(objectsOf(outputs));
    expect(
      objectsOf(outputs).map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual([
      'source.toolkit.fluxcd.io/v1 GitRepository flux-system/vector-fleet',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/vector-fleet',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/vector-fleet-monitoring',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/vector-fleet-management',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/vector-fleet-dev',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/vector-fleet-staging',
    ]);
  });

  it('fetches the repository the inventory names, at its branch, with its credentials Secret', () => {
    const repository = objectsOf(outputs).find((o) => o.kind === 'GitRepository');
    expect(repository?.spec).toEqual({
      url: 'ssh://git@github.com/example/vector-fleet.git',
      interval: '1m',
      ref: { branch: 'main' },
      secretRef: { name: 'vector-fleet-git' },
    });
  });

  it("points each cluster's Kustomization at exactly the folder the synth wrote for it, and itself at dist/_flux", () => {
    const folders = outputs.map((o) => o.cluster);
    const paths = [...kustomizations(outputs)].map(([name, spec]) => [name, spec.path]);
    expect(paths).toEqual([
      ['vector-fleet', './dist/_flux'],
      ['vector-fleet-monitoring', './dist/monitoring'],
      ['vector-fleet-management', './dist/management'],
      ['vector-fleet-dev', './dist/dev'],
      ['vector-fleet-staging', './dist/staging'],
    ]);
    for (const [, path] of paths) {
      const folder = (path as string).replace('./dist/', '');
      expect(folders, path).toContain(folder);
      expect(Object.keys(outputs.find((o) => o.cluster === folder)!.files)).toContain('kustomization.yaml');
    }
  });

  it('orders the rollout: every source cluster depends on the monitoring cluster, which depends on nothing', () => {
    expect(order(outputs)).toEqual({
      monitoring: [],
      management: ['monitoring'],
      dev: ['monitoring'],
      staging: ['monitoring'],
    });
    // What the dependents wait for: Ready only once every object of the folder is ready.
    for (const [name, spec] of kustomizations(outputs)) {
      if (name !== 'vector-fleet') expect(spec, name).toMatchObject({ wait: true, timeout: '10m', prune: true });
    }
  });

  it('reaches every cluster but the management cluster through its kubeconfig Secret', () => {
    const secrets = [...kustomizations(outputs)].map(([name, spec]) => [name, spec.kubeConfig?.secretRef.name]);
    expect(secrets).toEqual([
      ['vector-fleet', undefined],
      ['vector-fleet-monitoring', 'monitoring-kubeconfig'],
      ['vector-fleet-management', undefined],
      ['vector-fleet-dev', 'dev-kubeconfig'],
      ['vector-fleet-staging', 'staging-kubeconfig'],
    ]);
    const outside = synthesizeFleet(exampleFleet({ 'delivery.managementCluster': REMOVE }), FILE);
    expect(kustomizations(outside).get('vector-fleet-management')?.kubeConfig).toEqual({
      secretRef: { name: 'management-kubeconfig' },
    });
  });

  it('makes each source cluster wait for the monitoring cluster it ships to, when there are several', () => {
    const two = synthesizeFleet(
      exampleFleet({
        monitoringCluster: 'monitoring',
        'clusters.4': exampleCluster(0, { name: 'monitoring-b' }),
        'clusters.3.monitoringCluster': 'monitoring-b',
      }),
      FILE,
    );
    expect(order(two)).toEqual({
      monitoring: [],
      management: ['monitoring'],
      dev: ['monitoring'],
      staging: ['monitoring-b'],
      'monitoring-b': [],
    });
  });

  it('takes the namespace, intervals, timeout, a tag and another path', () => {
    const changed = synthesizeFleet(
      exampleFleet({
        'delivery.namespace': 'flux',
        'delivery.interval': '30m',
        'delivery.timeout': '20m',
        'delivery.repository.ref': { tag: 'v1.2.0' },
        'delivery.path': 'deploy/dist',
      }),
      FILE,
      { outputPath: 'deploy/dist' },
    );
    const objects = objectsOf(changed);
    expect(objects.every((o) => o.metadata.namespace === 'flux')).toBe(true);
    expect(objects[0].spec.ref).toEqual({ tag: 'v1.2.0' });
    expect(kustomizations(changed).get('vector-fleet-dev')).toMatchObject({
      interval: '30m',
      timeout: '20m',
      path: './deploy/dist/dev',
    });
    expect(kustomizations(changed).get('vector-fleet')?.path).toBe('./deploy/dist/_flux');
  });

  it('writes nothing for delivery without the option', () => {
    const none = synthesizeFleet(exampleFleet({ delivery: REMOVE }), FILE, { outputPath: 'elsewhere' });
    expect(none.map((o) => o.cluster)).toEqual(['monitoring', 'management', 'dev', 'staging']);
  });

  it('uses a folder name no cluster can have, and is rewritten whole on every synth', () => {
    expect(yamlError({ 'clusters.2.name': FLUX_DELIVERY_FOLDER })).toMatch(
      /cluster "_flux" \(clusters\[2\]\): name: "_flux": must be a DNS label/,
    );
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-delivery-')), 'dist');
    writeClusters(outdir, () => outputs);
    const first = readFileSync(join(outdir, '_flux', '_flux.k8s.yaml'), 'utf8');
    // The folder passes the check that the output folder holds only earlier output, and is replaced like the rest.
    writeClusters(outdir, () => synthesizeFleet(example, 'fleet.yaml', { outputPath: 'dist' }));
    expect(readdirSync(outdir).sort()).toEqual(['_flux', 'dev', 'management', 'monitoring', 'staging']);
    expect(readFileSync(join(outdir, '_flux', '_flux.k8s.yaml'), 'utf8')).toBe(first);
  });
});

describe('bad delivery options', () => {
  it('refuses a delivery without a repository URL, or without a tool', () => {
    expect(yamlError({ 'delivery.repository.url': REMOVE })).toBe(
      report('fleet: delivery.repository.url: is required'),
    );
    expect(yamlError({ 'delivery.repository': REMOVE })).toBe(report('fleet: delivery.repository: is required'));
    expect(yamlError({ 'delivery.tool': REMOVE })).toMatch(
      /^ {2}- fleet: delivery\.tool: \(missing\): must be "flux": /m,
    );
  });

  it('refuses a URL Flux cannot fetch', () => {
    expect(yamlError({ 'delivery.repository.url': 'git@github.com:example/vector-fleet.git' })).toBe(
      report(
        'fleet: delivery.repository.url: "git@github.com:example/vector-fleet.git": must be an https://, http:// or ssh:// URL, the schemes Flux fetches',
      ),
    );
  });

  it('refuses a tool other than flux, saying why Argo CD is not written', () => {
    expect(yamlError({ 'delivery.tool': 'argocd' })).toBe(
      report(
        'fleet: delivery.tool: "argocd": must be "flux": Argo CD is not written, since its sync waves order Applications only inside a parent app and only with a custom health check (see "Delivering the fleet" in README.md)',
      ),
    );
  });

  it('refuses a management cluster that is not in the inventory', () => {
    expect(yamlError({ 'delivery.managementCluster': 'mgmt' })).toBe(
      report(
        'fleet: delivery.managementCluster: "mgmt" is not a cluster of the inventory: name one of monitoring, management, dev, staging, or leave it out when Flux runs outside the fleet',
      ),
    );
  });

  it('refuses a path outside the repository', () => {
    for (const path of ['/srv/dist', '../dist', 'dist/../dist']) {
      expect(yamlError({ 'delivery.path': path })).toBe(
        report(
          `fleet: delivery.path: ${JSON.stringify(path)}: use a folder of the repository, relative to its root, such as "dist": no leading "/", no "." or ".." parts`,
        ),
      );
    }
  });

  it('refuses a path that is not where the synth writes, with the default path too', () => {
    expect(inventoryErrorMessage(() => synthesizeFleet(example, FILE, { outputPath: 'build/out' }))).toBe(
      report(
        'fleet: delivery.path: "dist" is not where the synth writes: it writes "build/out" of the repository (CDK8S_OUTDIR, or FLEET_PROMOTE_TO with cdk8s synth), so Flux would find no cluster folders; set path: build/out, or write to dist',
      ),
    );
    const byDefault = exampleFleet({ 'delivery.path': REMOVE });
    expect(inventoryErrorMessage(() => synthesizeFleet(byDefault, FILE, { outputPath: 'out' }))).toContain(
      'fleet: delivery.path: "dist" (the default) is not where the synth writes: it writes "out" of the repository',
    );
    for (const same of ['dist', './dist', 'dist/']) {
      expect(() => synthesizeFleet(byDefault, FILE, { outputPath: same })).not.toThrow();
    }
  });

  it('refuses a branch and a tag together, and an empty ref', () => {
    expect(yamlError({ 'delivery.repository.ref': { branch: 'main', tag: 'v1' } })).toBe(
      report('fleet: delivery.repository.ref.tag: "v1": give a branch or a tag, not both'),
    );
    expect(yamlError({ 'delivery.repository.ref': {} })).toBe(
      report('fleet: delivery.repository.ref.branch: is required'),
    );
    expect(yamlError({ 'delivery.repository.ref': 'main' })).toBe(
      report('fleet: delivery.repository.ref: "main": must be a mapping: { branch: <name> } or { tag: <name> }'),
    );
  });

  it('refuses durations Flux does not read, a bad namespace or Secret name, and unknown keys', () => {
    expect(yamlError({ 'delivery.interval': '10 minutes', 'delivery.timeout': '1d' })).toBe(
      report(
        'fleet: delivery.interval: "10 minutes": must be a Go duration such as "30s", "10m" or "1h"',
        'fleet: delivery.timeout: "1d": must be a Go duration such as "30s", "10m" or "1h"',
      ),
    );
    expect(yamlError({ 'delivery.namespace': 'Flux' })).toMatch(
      /fleet: delivery\.namespace: "Flux": must be a DNS label/,
    );
    expect(yamlError({ 'delivery.repository.secretName': 'Git_Creds' })).toMatch(
      /fleet: delivery\.repository\.secretName: "Git_Creds": must be a Kubernetes object name/,
    );
    expect(yamlError({ 'delivery.managmentCluster': 'management' })).toMatch(
      /fleet: delivery\.managmentCluster: unknown key \(did you mean "managementCluster"\?\)/,
    );
  });

  it('checks a typed inventory the same way', () => {
    const typed = exampleFleet({ 'delivery.repository.url': 'ftp://example.com/fleet.git' });
    expect(inventoryErrorMessage(() => checkFleet(typed, FILE))).toContain('fleet: delivery.repository.url: "ftp://');
  });
});
