/**
 * `npm run preflight -- <cluster> [--context NAME]` (build/apps/preflight.js), run as a process against a fake
 * kubectl on PATH that answers from fixtures: what it prints and its exit code when the prerequisites are present,
 * missing or wrong, and each way it cannot check.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivePrerequisites, type Manifest, PREREQUISITES_FILE, renderPrerequisitesFile } from '../../lib';
import { parseFleetYaml, synthesizeFleet } from '../../lib/fleet';
import { EXAMPLE_TEXT } from '../fleet/fixtures';
import { type FakeCluster, fakeKubectl } from '../helpers/fake-kubectl';

const ROOT = resolve(__dirname, '..', '..');

/** A shop: a Deployment reading a Secret key and a ConfigMap file, and a Certificate from a ClusterIssuer. */
const SHOP: Manifest[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'api',
              image: 'example/api:1.0.0',
              env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
            },
          ],
          volumes: [
            { name: 'settings', configMap: { name: 'settings', items: [{ key: 'app.ini', path: 'app.ini' }] } },
          ],
        },
      },
    },
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { secretName: 'api-tls', issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
  },
];

const CRD = (versions: Record<string, boolean>) => ({
  kind: 'CustomResourceDefinition',
  spec: { versions: Object.entries(versions).map(([name, served]) => ({ name, served })) },
});
/** Everything SHOP needs, as the cluster would have it. */
const SHOP_CLUSTER: Record<string, unknown> = {
  'customresourcedefinitions.apiextensions.k8s.io//certificates.cert-manager.io': CRD({ v1: true }),
  'namespaces//shop': { kind: 'Namespace' },
  'clusterissuers.cert-manager.io//letsencrypt': { kind: 'ClusterIssuer' },
  'configmaps/shop/settings': { kind: 'ConfigMap', data: { 'app.ini': '[app]' } },
  'secrets/shop/db': { kind: 'Secret', data: { password: 'cw==' } },
};

/** An output folder `out/` (relative to the returned cwd) with `clusters`, each a kustomization and optionally a list. */
function outputFolder(clusters: Record<string, string | undefined>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'preflight-'));
  for (const [cluster, prerequisites] of Object.entries(clusters)) {
    mkdirSync(join(cwd, 'out', cluster), { recursive: true });
    writeFileSync(join(cwd, 'out', cluster, 'kustomization.yaml'), `resources: [${cluster}.k8s.yaml]\n`);
    if (prerequisites !== undefined) writeFileSync(join(cwd, 'out', cluster, PREREQUISITES_FILE), prerequisites);
  }
  return cwd;
}

const shopFile = () => renderPrerequisitesFile({ cluster: 'shop', prerequisites: derivePrerequisites(SHOP) });

function preflight(cwd: string, cluster: FakeCluster, args: string[], path?: string) {
  const fake = fakeKubectl(cluster);
  const env: NodeJS.ProcessEnv = { ...process.env, ...fake.env, CDK8S_OUTDIR: 'out' };
  if (path !== undefined) env.PATH = path;
  const result = spawnSync(process.execPath, [join(ROOT, 'build', 'apps', 'preflight.js'), ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
  return { ...result, calls: fake.calls() };
}

describe('npm run preflight', () => {
  it('says each prerequisite is present and exits 0 when the cluster has them all', () => {
    const result = preflight(outputFolder({ shop: shopFile() }), { objects: SHOP_CLUSTER }, ['shop']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'Prerequisites of shop (out/shop/prerequisites.yaml) in the current kubectl context:',
        'present CustomResourceDefinition certificates.cert-manager.io (serving v1)',
        'present Namespace shop',
        'present ClusterIssuer letsencrypt',
        'present ConfigMap shop/settings (keys app.ini)',
        'present Secret shop/db (keys password)',
        'shop: 5 present, 0 missing, 0 wrong: ready to apply',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    expect(result.calls[0]).toEqual(['version', '-o', 'json']);
    expect(result.calls).toContainEqual(['get', 'secrets', 'db', '-o', 'json', '-n', 'shop']);
  });

  it('reports what is missing with why and what to do, and exits 1', () => {
    const objects = { ...SHOP_CLUSTER };
    delete objects['secrets/shop/db'];
    delete objects['namespaces//shop'];
    const result = preflight(outputFolder({ shop: shopFile() }), { objects }, ['shop']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      [
        'Prerequisites of shop (out/shop/prerequisites.yaml) in the current kubectl context:',
        'present CustomResourceDefinition certificates.cert-manager.io (serving v1)',
        'missing Namespace shop',
        '        needed by Deployment shop/api: metadata.namespace',
        '        needed by Certificate shop/api: metadata.namespace',
        '        to do: kubectl create namespace shop',
        'present ClusterIssuer letsencrypt',
        'present ConfigMap shop/settings (keys app.ini)',
        'missing Secret shop/db (keys password)',
        '        needed by Deployment shop/api: spec.template.spec.containers[api].env[DB_PASSWORD].valueFrom.secretKeyRef',
        '        to do: kubectl create secret generic db -n shop --from-literal=password=...',
        'shop: 3 present, 2 missing, 0 wrong: provide what is missing or wrong before applying',
        '',
      ].join('\n'),
    );
  });

  it('reports a Secret or ConfigMap without a needed key and a CRD not serving the version as wrong, and exits 1', () => {
    const objects = {
      ...SHOP_CLUSTER,
      'secrets/shop/db': { kind: 'Secret', data: { pass: 'cw==' } },
      'configmaps/shop/settings': { kind: 'ConfigMap' },
      'customresourcedefinitions.apiextensions.k8s.io//certificates.cert-manager.io': CRD({
        v1alpha2: true,
        v1: false,
      }),
    };
    const result = preflight(outputFolder({ shop: shopFile() }), { objects }, ['shop']);
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines.filter((l) => /^(present|missing|wrong)/.test(l))).toEqual([
      'wrong   CustomResourceDefinition certificates.cert-manager.io (serving v1): does not serve v1 (it serves: v1alpha2)',
      'present Namespace shop',
      'present ClusterIssuer letsencrypt',
      'wrong   ConfigMap shop/settings (keys app.ini): has no key "app.ini" (its keys: none)',
      'wrong   Secret shop/db (keys password): has no key "password" (its keys: pass)',
    ]);
    expect(lines).toContain('        to do: kubectl create secret generic db -n shop --from-literal=password=...');
    expect(lines.at(-2)).toBe('shop: 2 present, 0 missing, 3 wrong: provide what is missing or wrong before applying');
  });

  it('runs every kubectl call with --context when given one', () => {
    const cwd = outputFolder({ shop: shopFile() });
    const result = preflight(cwd, { objects: SHOP_CLUSTER, contexts: ['prod'] }, ['shop', '--context', 'prod']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Prerequisites of shop (out/shop/prerequisites.yaml) in context prod:');
    expect(result.calls.length).toBe(6);
    for (const call of result.calls) expect(call.slice(0, 2)).toEqual(['--context', 'prod']);
    const other = preflight(cwd, { objects: SHOP_CLUSTER, contexts: ['prod'] }, ['shop', '--context=staging']);
    expect(other.status).toBe(2);
    expect(other.stderr).toBe(
      'cannot reach the cluster (kubectl version exited with 1):\nerror: context "staging" does not exist\n',
    );
  });

  it('checks the real fleet folder of management (its CA copied by hand): everything missing in an empty cluster, nothing when all is there', () => {
    const management = synthesizeFleet(parseFleetYaml(EXAMPLE_TEXT, 'fleet.yaml'), 'fleet.yaml').find(
      (o) => o.cluster === 'management',
    );
    const cwd = outputFolder({ management: management?.files[PREREQUISITES_FILE] });
    const empty = preflight(cwd, { objects: {} }, ['management', '--context', 'management']);
    expect(empty.status).toBe(1);
    expect(empty.stdout).toContain('missing Secret vector-system/vector-ca (keys tls.crt, tls.key)\n');
    expect(empty.stdout).toContain(
      '        to do: the CA of the monitoring cluster monitoring, copied in (README, "Copying the CA Secret to a source cluster"),\n' +
        "          once monitoring's cert-manager has issued it and this cluster's namespace vector-system exists:\n" +
        '          kubectl --context monitoring -n cert-manager get secret vector-ca -o json \\\n',
    );
    expect(empty.stdout.split('\n').at(-2)).toBe(
      'management: 0 present, 8 missing, 0 wrong: provide what is missing or wrong before applying',
    );
    const everything = Object.fromEntries(
      empty.calls
        .filter((c) => c[2] === 'get')
        .map((c) => {
          const n = c.indexOf('-n');
          return [
            `${c[3]}/${n < 0 ? '' : c[n + 1]}/${c[4]}`,
            {
              data: { 'tls.crt': '', 'tls.key': '', token: '', connection: '', 'fernet-key': '', 'airflow.cfg': '' },
              spec: { versions: [{ name: 'v1', served: true }] },
            },
          ];
        }),
    );
    const full = preflight(cwd, { objects: everything }, ['management', '--context', 'management']);
    expect(full.stdout.split('\n').at(-2)).toBe('management: 8 present, 0 missing, 0 wrong: ready to apply');
    expect(full.status).toBe(0);
  }, 60_000);
});

describe('npm run preflight: when it cannot check (exit 2, the reason on stderr)', () => {
  it('names an unknown cluster and lists the known ones', () => {
    const result = preflight(outputFolder({ dev: shopFile(), staging: shopFile() }), {}, ['prod']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('unknown cluster "prod": out/ has dev, staging\n');
    const none = preflight(mkdtempSync(join(tmpdir(), 'preflight-')), {}, ['prod']);
    expect(none.stderr).toBe('unknown cluster "prod": out/ holds no synthesized cluster; run `npm run synth` first\n');
  });

  it('says to synth when the folder has no prerequisites file', () => {
    const result = preflight(outputFolder({ dev: undefined }), {}, ['dev']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'out/dev/prerequisites.yaml not found: run `npm run synth` to write it (a synth older than the preflight lacks it)\n',
    );
  });

  it('says how to use it when the arguments are wrong', () => {
    const cwd = outputFolder({ dev: shopFile() });
    expect(preflight(cwd, {}, []).stderr).toBe(
      'give exactly one cluster; usage: npm run preflight -- <cluster> [--context NAME]\n',
    );
    expect(preflight(cwd, {}, ['dev', '--contxt', 'x']).stderr).toBe(
      'unknown option "--contxt"; usage: npm run preflight -- <cluster> [--context NAME]\n',
    );
    expect(preflight(cwd, {}, ['dev', '--context']).stderr).toBe(
      '--context needs a kubeconfig context name; usage: npm run preflight -- <cluster> [--context NAME]\n',
    );
  });

  it('says kubectl is not on PATH', () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-kubectl-'));
    const result = preflight(outputFolder({ shop: shopFile() }), {}, ['shop'], emptyPath);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'kubectl not found on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/) and run the preflight again\n',
    );
  });

  it("shows kubectl's stderr when a lookup fails for another reason than NotFound", () => {
    const forbidden =
      'Error from server (Forbidden): secrets "db" is forbidden: User "ci" cannot get resource "secrets" in API group "" in the namespace "shop"';
    const result = preflight(
      outputFolder({ shop: shopFile() }),
      { objects: SHOP_CLUSTER, errors: { 'secrets/shop/db': forbidden } },
      ['shop'],
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `kubectl get secrets db -o json -n shop failed (exit 1) for Secret shop/db (keys password):\n${forbidden}\n`,
    );
  });

  it("shows kubectl's stderr when the cluster cannot be reached", () => {
    const refused = 'The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?';
    const result = preflight(outputFolder({ shop: shopFile() }), { unreachable: refused }, ['shop']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`cannot reach the cluster (kubectl version exited with 1):\n${refused}\n`);
  });
});
