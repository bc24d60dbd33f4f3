import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What the fake cluster holds: objects by `<resource>/<namespace>/<name>` (namespace empty when cluster-scoped). */
export interface FakeCluster {
  readonly objects?: Readonly<Record<string, unknown>>;
  /** The contexts kubeconfig has; another `--context` fails as kubectl does. @default any */
  readonly contexts?: readonly string[];
  /** Failures of single `get`s, by the same key: kubectl's stderr. */
  readonly errors?: Readonly<Record<string, string>>;
  /** When set, the API server cannot be reached: every call fails with this on stderr. */
  readonly unreachable?: string;
}

/**
 * A stand-in for kubectl: a script answering `version -o json` and `get <resource> <name> [-n ns] -o json` from a
 * {@link FakeCluster}, with kubectl's NotFound message, and logging every call's arguments.
 */
const SCRIPT = `
const fs = require('node:fs');
const state = JSON.parse(fs.readFileSync(process.env.FAKE_KUBECTL_STATE, 'utf8'));
let args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_KUBECTL_LOG, JSON.stringify(args) + '\\n');
const fail = (message) => { process.stderr.write(message + '\\n'); process.exit(1); };
if (args[0] === '--context') {
  const context = args[1];
  args = args.slice(2);
  if (state.contexts && !state.contexts.includes(context)) fail('error: context "' + context + '" does not exist');
}
if (state.unreachable) fail(state.unreachable);
if (args[0] === 'version') {
  process.stdout.write(JSON.stringify({ clientVersion: { gitVersion: 'v1.28.4' }, serverVersion: { gitVersion: 'v1.28.4' } }));
  process.exit(0);
}
if (args[0] === 'get') {
  const [, resource, name] = args;
  const n = args.indexOf('-n');
  const key = resource + '/' + (n < 0 ? '' : args[n + 1]) + '/' + name;
  if ((state.errors || {})[key]) fail(state.errors[key]);
  const object = (state.objects || {})[key];
  if (!object) fail('Error from server (NotFound): ' + resource.split('.')[0] + ' "' + name + '" not found');
  process.stdout.write(JSON.stringify(object));
  process.exit(0);
}
fail('fake kubectl: unexpected arguments ' + JSON.stringify(args));
`;

/** A folder with the fake `kubectl`, and the environment that puts it first on PATH with `cluster` as its state. */
export function fakeKubectl(cluster: FakeCluster) {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kubectl-'));
  const script = join(dir, 'kubectl');
  writeFileSync(script, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(script, 0o755);
  writeFileSync(join(dir, 'state.json'), JSON.stringify(cluster));
  writeFileSync(join(dir, 'calls.log'), '');
  return {
    env: {
      PATH: [dir, process.env.PATH ?? ''].join(delimiter),
      FAKE_KUBECTL_STATE: join(dir, 'state.json'),
      FAKE_KUBECTL_LOG: join(dir, 'calls.log'),
    },
    /** The arguments of every call so far. */
    calls: (): string[][] =>
      readFileSync(join(dir, 'calls.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
  };
}
