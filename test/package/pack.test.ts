import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * What `npm pack` publishes, installed the way a user installs it: the tarball and cdk8s, cdk8s-plus-28 and constructs
 * (at the versions this checkout has installed, so the peer-range check runs it at the lowest and highest of each
 * range) into a fresh app, which compiles the README's "own chart" example and a fleet entry point with tsc and runs
 * them with node. The package is built into a temporary folder, so the checkout's build/ is neither used nor changed.
 */
const REPO_ROOT = resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'cdk8s-vector-fleet';
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'] as const;
const run = promisify(execFile);

interface PackageJson {
  readonly name: string;
  readonly main: string;
  readonly types: string;
  readonly files: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const repoPackage = readJson<PackageJson>(join(REPO_ROOT, 'package.json'));
const installedVersion = (name: string) =>
  readJson<{ version: string }>(join(REPO_ROOT, 'node_modules', name, 'package.json')).version;
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The README's section under `heading` (up to the next `## ` heading). */
function readmeSection(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The first ```ts block of the README's "own chart" section, exactly as printed. */
function ownChartExample(): string {
  const match = /```ts\n([\s\S]*?)```/.exec(readmeSection('Using the constructs in your own chart'));
  if (!match?.[1]) throw new Error('README.md: no ```ts block under "Using the constructs in your own chart"');
  return match[1];
}

/** Every name the README tells users to import or call from the package. */
function readmeApiNames(): string[] {
  const names = new Set<string>();
  // What the code blocks import from the package.
  for (const [, list] of readme.matchAll(/import \{([^}]*)\} from 'cdk8s-vector-fleet'/g))
    for (const item of list!.split(','))
      if (item.trim() && !item.trim().startsWith('type ')) names.add(item.trim().split(/\s+as\s+/)[0]!);
  // The constructs of the "What is in it" table, and the functions the library sections name for entry points.
  for (const [, name] of readmeSection('What is in it').matchAll(/`([A-Z][A-Za-z]+)`/g)) names.add(name!);
  const library = [
    readmeSection('Using the constructs in your own chart'),
    readme.match(/With the library as a[^\n]*(\n {3}[^\n]*)*/)?.[0] ?? '',
  ];
  for (const [, span] of library
    .join('\n')
    .replace(/```[\s\S]*?```/g, '')
    .matchAll(/`([^`]+)`/g))
    for (const [, name] of span!.matchAll(/(?<![.\w])([A-Za-z]+)\(/g)) names.add(name!);
  return [...names].sort();
}

/** The README's own-chart example's kinds: what a VectorAgent, a VectorMonitoring and a LogHeartbeat write. */
const EXAMPLE_KINDS = [
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'DaemonSet',
  'Deployment',
  'PodMonitor',
  'PrometheusRule',
  'ServiceAccount',
];

/** An entry point of the user's own, as the README describes it: the fleet synthesized in memory, written atomically. */
const FLEET_ENTRY_POINT = `import { readFileSync } from 'node:fs';
import { parseFleetYaml, synthesizeFleet, writeClusters } from '${PACKAGE_NAME}';

writeClusters('fleet-out', () => synthesizeFleet(parseFleetYaml(readFileSync('fleet.yaml', 'utf8'), 'fleet.yaml'), 'fleet.yaml'));
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    strict: true,
    types: ['node'],
    // Checks the package's .d.ts files too, as a consumer's compiler reads them.
    skipLibCheck: false,
    outDir: 'out',
  },
  files: ['main.ts', 'fleet.ts'],
};

let work: string;
let tarballFiles: string[];
let tarball: string;
let app: string;

async function npm(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('npm', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  return stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pack-test-'));
  const stage = join(work, 'package');
  mkdirSync(stage);
  // The package folder as npm pack sees it: package.json, the README and licence, what "files" lists beside build/
  // (e.g. embedded data), and the build, compiled from the sources with the repository's build configuration.
  for (const entry of [
    'package.json',
    'README.md',
    ...readdirSync(REPO_ROOT).filter((f) => /^(LICEN[CS]E|NOTICE)/i.test(f)),
  ])
    cpSync(join(REPO_ROOT, entry), join(stage, entry));
  for (const entry of repoPackage.files.filter((f) => !/^build(\/|$)/.test(f)))
    cpSync(join(REPO_ROOT, entry), join(stage, entry), { recursive: true });
  await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), [
    '-p',
    join(REPO_ROOT, 'tsconfig.build.json'),
    '--outDir',
    join(stage, 'build'),
  ]);
  const [packed] = JSON.parse(await npm(stage, 'pack', '--json', '--ignore-scripts', '--pack-destination', work)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, packed!.filename);
  tarballFiles = packed!.files.map((f) => f.path).sort();

  // A fresh cdk8s app that installs the tarball beside the peers, from the local npm cache when it has them.
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true }));
  await npm(
    app,
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    tarball,
    ...[...PEERS, 'typescript', '@types/node'].map((name) => `${name}@${installedVersion(name)}`),
  );
  writeFileSync(join(app, 'main.ts'), ownChartExample());
  writeFileSync(join(app, 'fleet.ts'), FLEET_ENTRY_POINT);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
  cpSync(join(REPO_ROOT, 'fleet.yaml'), join(app, 'fleet.yaml'));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the compiled library with its declarations, the README and package.json, and nothing else', () => {
    expect(tarballFiles).toContain('package.json');
    expect(tarballFiles).toContain('README.md');
    for (const licence of readdirSync(REPO_ROOT).filter((f) => /^(LICEN[CS]E|NOTICE)/i.test(f)))
      expect(tarballFiles).toContain(licence);
    expect(tarballFiles).toContain(repoPackage.main);
    expect(tarballFiles).toContain(repoPackage.types);
    const extra = repoPackage.files.filter((f) => !/^build(\/|$)/.test(f));
    const allowed = (path: string) =>
      ['package.json', 'README.md'].includes(path) ||
      /^(LICEN[CS]E|NOTICE)/i.test(path) ||
      /^build\/lib\/.*\.(js|d\.ts)$/.test(path) ||
      extra.some((entry) => path === entry || path.startsWith(`${entry}/`));
    expect(tarballFiles.filter((path) => !allowed(path))).toEqual([]);
    expect(tarballFiles.filter((path) => /(^|\/)(test|dist|\.tools|node_modules|apps|bench)\//.test(path))).toEqual([]);
    expect(tarballFiles.filter((path) => /\.test\.|\.spec\./.test(path))).toEqual([]);
  });

  it('compiles every lib/ source into it, JavaScript and declarations', () => {
    const sources = readdirSync(join(REPO_ROOT, 'lib'), { recursive: true, encoding: 'utf8' })
      .map((p) => p.split('\\').join('/'))
      .filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'));
    expect(sources.length).toBeGreaterThan(10);
    const missing = sources.flatMap((source) =>
      [`build/lib/${source.replace(/\.ts$/, '.js')}`, `build/lib/${source.replace(/\.ts$/, '.d.ts')}`].filter(
        (file) => !tarballFiles.includes(file),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('holds every file of the other "files" entries (embedded data)', () => {
    for (const entry of repoPackage.files.filter((f) => !/^build(\/|$)/.test(f))) {
      const files = existsSync(join(REPO_ROOT, entry))
        ? readdirSync(join(REPO_ROOT, entry), { recursive: true, withFileTypes: true })
            .filter((d) => d.isFile())
            .map((d) =>
              join(d.parentPath, d.name)
                .slice(REPO_ROOT.length + 1)
                .split('\\')
                .join('/'),
            )
        : [];
      expect(files.length, `"files" entry ${entry} is missing or empty`).toBeGreaterThan(0);
      for (const file of files) expect(tarballFiles).toContain(file);
    }
  });

  it('declares cdk8s, cdk8s-plus-28 and constructs as peer dependencies only', () => {
    for (const peer of PEERS) {
      expect(repoPackage.peerDependencies?.[peer], peer).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(repoPackage.dependencies?.[peer], peer).toBeUndefined();
    }
  });
});

describe('the packed library in a fresh cdk8s app', () => {
  it("shares the app's one copy of cdk8s, cdk8s-plus-28 and constructs", () => {
    const nested = join(app, 'node_modules', PACKAGE_NAME, 'node_modules');
    for (const peer of PEERS) {
      expect(existsSync(join(nested, peer)), `a private copy of ${peer}`).toBe(false);
      expect(readJson<{ version: string }>(join(app, 'node_modules', peer, 'package.json')).version).toBe(
        installedVersion(peer),
      );
    }
  });

  it('exports everything the README points library users at', async () => {
    const script = `console.log(JSON.stringify(Object.keys(require('${PACKAGE_NAME}'))))`;
    const exported = JSON.parse((await run(process.execPath, ['-e', script], { cwd: app })).stdout) as string[];
    const names = readmeApiNames();
    expect(names).toEqual(
      expect.arrayContaining([
        'VectorAgent',
        'SourceClusterChart',
        'synthesizeFleet',
        'parseFleetYaml',
        'writeClusters',
      ]),
    );
    expect(names.filter((name) => !exported.includes(name))).toEqual([]);
  });

  it('compiles the README example and a fleet entry point with tsc, and synthesizes both with node', async () => {
    expect(ownChartExample()).toContain(`from '${PACKAGE_NAME}'`);
    await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: app }).catch(
      (error: { stdout?: string }) => {
        throw new Error(`the README example does not compile against the package:\n${error.stdout ?? String(error)}`);
      },
    );

    await run(process.execPath, ['out/main.js'], { cwd: app });
    const manifests = readdirSync(join(app, 'dist')).filter((f) => f.endsWith('.k8s.yaml'));
    expect(manifests).toEqual(['logging.k8s.yaml']);
    const kinds = parseAllDocuments(readFileSync(join(app, 'dist', 'logging.k8s.yaml'), 'utf8')).map(
      (doc) => (doc.toJS() as { kind: string }).kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(EXAMPLE_KINDS));

    await run(process.execPath, ['out/fleet.js'], { cwd: app });
    const clusters = (
      parse(readFileSync(join(app, 'fleet.yaml'), 'utf8')) as { clusters: { name: string }[] }
    ).clusters.map((c) => c.name);
    // The example fleet turns delivery on: its Flux objects' folder beside the clusters'.
    expect(readdirSync(join(app, 'fleet-out')).sort()).toEqual(['_flux', ...clusters].sort());
    for (const cluster of clusters) {
      expect(existsSync(join(app, 'fleet-out', cluster, 'kustomization.yaml')), cluster).toBe(true);
      expect(existsSync(join(app, 'fleet-out', cluster, `${cluster}.k8s.yaml`)), cluster).toBe(true);
    }
  }, 180_000);
});
