/**
 * Requirement 7: the two scripts the pod template ships, taken from the synthesized ConfigMap and run with real
 * shells, with `cat` into a file standing in for Vector and a small sh script standing in for the Airflow task. The
 * wrapper runs under the shells of the Debian-based Airflow image (/bin/sh, which is dash, and bash); the sidecar
 * under those and, when busybox is on PATH, under busybox sh with busybox's awk, mkfifo and sleep, as in the Vector
 * alpine image. Without busybox those tests are skipped, visibly, unless REQUIRE_BUSYBOX=1 (the CI), where they fail.
 * Each test owns a temporary directory and process groups, removed and killed after it; every wait is bounded.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_ENV, SIDECAR_SCRIPT_FILE, WRAPPER_SCRIPT_FILE } from '../../lib/airflow/capture-scripts';
import { synthTemplate } from './airflow-fixtures';

type Expect = typeof expect;

const LINES_PER_STREAM = 5000;
const OUT = Array.from({ length: LINES_PER_STREAM }, (_, i) => `out ${i + 1}`);
const ERR = Array.from({ length: LINES_PER_STREAM }, (_, i) => `err ${i + 1}`);

/** The stand-in task: `task.sh <exit code> [<go file>]`, 5,000 numbered lines on each stream, interleaved. */
const TASK_SCRIPT = [
  'i=1',
  `while [ "$i" -le ${LINES_PER_STREAM} ]; do`,
  '  echo "out $i"',
  '  echo "err $i" >&2',
  // With a go file, it waits half-way until the file exists, so that a test can act while it runs.
  `  if [ "$i" -eq ${LINES_PER_STREAM / 2} ] && [ -n "\${2:-}" ]; then`,
  '    while [ ! -e "$2" ]; do sleep 0.02; done',
  '  fi',
  '  i=$((i + 1))',
  'done',
  'exit "$1"',
  '',
].join('\n');

/** Lines of the chatty task: more output than the pipes between the task and Vector hold together (~350 KiB). */
const CHATTY_LINES_PER_STREAM = 3000;
const PADDING = '.'.repeat(100);
const CHATTY_OUT = Array.from({ length: CHATTY_LINES_PER_STREAM }, (_, i) => `out ${i + 1} ${PADDING}`);
const CHATTY_ERR = Array.from({ length: CHATTY_LINES_PER_STREAM }, (_, i) => `err ${i + 1} ${PADDING}`);
/** `chatty-task.sh <exit code>`: about 650 KB over both streams, as fast as the shell can print. */
const CHATTY_TASK_SCRIPT = [
  'i=1',
  `while [ "$i" -le ${CHATTY_LINES_PER_STREAM} ]; do`,
  `  echo "out $i ${PADDING}"`,
  `  echo "err $i ${PADDING}" >&2`,
  '  i=$((i + 1))',
  'done',
  'exit "$1"',
  '',
].join('\n');

/**
 * A Vector slower than the task (a CPU-throttled sidecar): `node slow-reader.js <pause ms> <bytes> <every ms>` reads
 * nothing for the pause, then at most that many bytes per interval, and copies them to stdout.
 */
const SLOW_READER_SCRIPT = `const fs = require('node:fs');
const [pauseMs, bytes, everyMs] = process.argv.slice(2).map(Number);
const cell = new Int32Array(new SharedArrayBuffer(4));
const nap = (ms) => Atomics.wait(cell, 0, 0, ms);
nap(pauseMs);
const buffer = Buffer.alloc(bytes);
for (;;) {
  const n = fs.readSync(0, buffer, 0, bytes, null);
  if (n === 0) break;
  fs.writeSync(1, buffer, 0, n);
  nap(everyMs);
}
`;
const SLOW_READER_PAUSE_MS = 500;

/** A task that runs until SIGTERM, then says so on both streams and exits 7. */
const TERM_TASK_SCRIPT = [
  `trap 'echo "task got TERM"; echo "task cleans up" >&2; exit 7' TERM`,
  'echo started',
  'while :; do sleep 0.05; done',
  '',
].join('\n');

function which(command: string): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

const BASH = which('bash');
const BUSYBOX = which('busybox');
const REQUIRE_BUSYBOX = process.env.REQUIRE_BUSYBOX === '1';

/**
 * A folder with every busybox applet as a link to busybox, first on the sidecar's PATH: Debian's busybox sh runs
 * `awk` from PATH (mawk here), where the alpine image has only busybox's.
 */
const appletDir = mkdtempSync(join(tmpdir(), 'vector-capture-busybox-'));
if (BUSYBOX) {
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) symlinkSync(BUSYBOX, join(appletDir, applet));
}
afterAll(() => rmSync(appletDir, { recursive: true, force: true }));
const BUSYBOX_PATH = [appletDir, process.env.PATH ?? ''].join(delimiter);

/** How one run of the scripts is set up: the shell of each container, and what the sidecar finds on PATH. */
interface Shells {
  readonly label: string;
  /** The base image's shell, running the wrapper. */
  readonly wrapper: readonly string[];
  /** The Vector image's shell, running the sidecar script. */
  readonly sidecar: readonly string[];
  readonly sidecarPath?: string;
  readonly skip: boolean;
  /** Why a required shell is missing; the tests then fail with it. */
  readonly missing?: string;
}

const SHELLS: readonly Shells[] = [
  {
    label: `/bin/sh (${basename(realpathSync('/bin/sh'))}) for both`,
    wrapper: ['/bin/sh'],
    sidecar: ['/bin/sh'],
    skip: false,
  },
  // Visible as skipped, not silently left out, where bash is missing.
  { label: 'bash for both', wrapper: [BASH ?? 'bash'], sidecar: [BASH ?? 'bash'], skip: !BASH },
  {
    label: 'busybox sh and awk for the sidecar (the Vector alpine image), /bin/sh for the wrapper',
    wrapper: ['/bin/sh'],
    sidecar: [BUSYBOX ?? 'busybox', 'sh'],
    sidecarPath: BUSYBOX_PATH,
    skip: !BUSYBOX && !REQUIRE_BUSYBOX,
    missing: BUSYBOX ? undefined : 'busybox is not on PATH, and REQUIRE_BUSYBOX=1 requires it',
  },
];

/** The scripts as the ConfigMap ships them. */
let scripts: { readonly wrapper: string; readonly sidecar: string };
beforeAll(() => {
  const data = synthTemplate().config.data ?? {};
  const wrapper = data[WRAPPER_SCRIPT_FILE];
  const sidecar = data[SIDECAR_SCRIPT_FILE];
  if (!wrapper || !sidecar) throw new Error('the ConfigMap lacks a capture script');
  scripts = { wrapper, sidecar };
});

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

/** Rejects with `what` unless the promise settles within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** performance.now() when the process exited. */
  readonly exitedAt: number;
}

/** A script run in its own process group, as a container's PID 1 would be; its output is collected. */
class Run {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  readonly finished: Promise<Finished>;
  exitedAt: number | undefined;

  constructor(shell: readonly string[], script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(shell[0], [...shell.slice(1), script, ...args], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    this.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.child.on('exit', () => (this.exitedAt = performance.now()));
    this.finished = new Promise((resolveFinished, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) =>
        resolveFinished({ code, signal, stdout, stderr, exitedAt: this.exitedAt ?? performance.now() }),
      );
    });
  }

  get running(): boolean {
    return this.exitedAt === undefined;
  }

  /** Like the kubelet: a signal to the script's shell only, not to its children. */
  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  killGroup(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }
}

/** One test's world: the shared capture directory, the scripts, the stand-ins, and every process started. */
class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'vector-capture-'));
  readonly captureDir = join(this.dir, 'capture');
  readonly vectorOut = join(this.dir, 'vector.out');
  readonly task = join(this.dir, 'task.sh');
  readonly chattyTask = join(this.dir, 'chatty-task.sh');
  readonly termTask = join(this.dir, 'term-task.sh');
  readonly slowReader = join(this.dir, 'slow-reader.js');
  readonly goFile = join(this.dir, 'go');
  private readonly runs: Run[] = [];

  constructor(
    private readonly shells: Shells,
    private readonly timeoutSeconds: number,
  ) {
    if (shells.missing && !shells.skip) throw new Error(shells.missing);
    mkdirSync(this.captureDir);
    writeFileSync(join(this.dir, WRAPPER_SCRIPT_FILE), scripts.wrapper);
    writeFileSync(join(this.dir, SIDECAR_SCRIPT_FILE), scripts.sidecar);
    writeFileSync(this.task, TASK_SCRIPT);
    writeFileSync(this.chattyTask, CHATTY_TASK_SCRIPT);
    writeFileSync(this.termTask, TERM_TASK_SCRIPT);
    writeFileSync(this.slowReader, SLOW_READER_SCRIPT);
  }

  private env(mode: 'container' | 'native', path = process.env.PATH): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: path,
      [CAPTURE_ENV.dir]: this.captureDir,
      [CAPTURE_ENV.timeoutSeconds]: String(this.timeoutSeconds),
      [CAPTURE_ENV.sidecarMode]: mode,
    };
  }

  /** The sidecar script with `cat` into a file standing in for Vector, or another stand-in writing that file. */
  sidecar(mode: 'container' | 'native' = 'container', vector = 'exec cat >"$0"'): Run {
    const script = join(this.dir, SIDECAR_SCRIPT_FILE);
    const env = this.env(mode, this.shells.sidecarPath);
    return this.start(this.shells.sidecar, script, ['/bin/sh', '-c', vector, this.vectorOut], env);
  }

  /** The sidecar with a Vector that reads nothing for a while, then slowly: see {@link SLOW_READER_SCRIPT}. */
  slowSidecar(): Run {
    return this.sidecar(
      'container',
      `exec '${process.execPath}' '${this.slowReader}' ${SLOW_READER_PAUSE_MS} 32768 5 >"$0"`,
    );
  }

  /** The wrapper script running a task command, as the base container's command runs Airflow's args. */
  wrapper(task: readonly string[]): Run {
    const script = join(this.dir, WRAPPER_SCRIPT_FILE);
    return this.start(this.shells.wrapper, script, task, this.env('container'));
  }

  /** What the Vector stand-in received so far. */
  vectorLines(): string[] {
    return existsSync(this.vectorOut) ? lines(readFileSync(this.vectorOut, 'utf8')) : [];
  }

  cleanup(): void {
    for (const run of this.runs) run.killGroup();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private start(shell: readonly string[], script: string, args: readonly string[], env: NodeJS.ProcessEnv): Run {
    const run = new Run(shell, script, args, env);
    this.runs.push(run);
    return run;
  }
}

const sandboxes = new Map<string, Sandbox>();
afterEach(({ task }) => {
  sandboxes.get(task.id)?.cleanup();
  sandboxes.delete(task.id);
});

/** Every line in order per stream, once, in the Vector stand-in's file and in the wrapper's own output. */
function expectEveryLine(e: Expect, sandbox: Sandbox, wrapper: Finished, out = OUT, err = ERR): void {
  const tagged = sandbox.vectorLines();
  e(tagged.length, 'lines Vector received').toBe(out.length + err.length);
  const ofStream = (stream: string) =>
    tagged.filter((l) => l.startsWith(`${stream}\t`)).map((l) => l.slice(stream.length + 1));
  e(ofStream('stdout')).toEqual(out);
  e(ofStream('stderr')).toEqual(err);
  // What kubectl logs shows: the container's own streams.
  e(lines(wrapper.stdout)).toEqual(out);
  e(lines(wrapper.stderr)).toEqual(err);
}

describe('the stand-in task', () => {
  // The scenario the issue asks for, not a benchmark: the fixture must really be that fast. Best of five, retried, so
  // that a machine busy with the concurrent capture tests does not fail it.
  it('prints its 10,000 lines and exits within 100 ms (best of five)', { retry: 2 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'vector-capture-task-'));
    try {
      writeFileSync(join(dir, 'task.sh'), TASK_SCRIPT);
      const times = [1, 2, 3, 4, 5].map(() => {
        const started = performance.now();
        const run = spawnSync('/bin/sh', [join(dir, 'task.sh'), '3'], { stdio: 'ignore' });
        expect(run.status).toBe(3);
        return performance.now() - started;
      });
      expect(Math.min(...times)).toBeLessThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('busybox', () => {
  it.skipIf(!REQUIRE_BUSYBOX)('is on PATH, as REQUIRE_BUSYBOX=1 requires', () => {
    expect(BUSYBOX, 'busybox on PATH').toBeDefined();
  });

  it.skipIf(!BUSYBOX)("is what the sidecar's shell runs for awk, mkfifo and sleep", () => {
    const found = spawnSync(
      BUSYBOX ?? 'busybox',
      ['sh', '-c', 'for c in awk mkfifo sleep; do readlink -f "$(command -v "$c")"; done'],
      { env: { ...process.env, PATH: BUSYBOX_PATH }, encoding: 'utf8' },
    );
    expect(lines(found.stdout)).toEqual(Array(3).fill(realpathSync(BUSYBOX ?? 'busybox')));
  });
});

for (const shells of SHELLS) {
  describe.skipIf(shells.skip).concurrent(`capture scripts, ${shells.label}`, { timeout: 15_000 }, () => {
    const sandbox = (id: string, timeoutSeconds: number) => {
      const created = new Sandbox(shells, timeoutSeconds);
      sandboxes.set(id, created);
      return created;
    };

    it.for(['container', 'native'] as const)(
      '%s mode: a task printing 10,000 lines and exiting 3 has every line delivered; exit code 3; the sidecar then ends by itself',
      async (mode, { expect: e, task }) => {
        const sb = sandbox(task.id, 5);
        const sidecar = sb.sidecar(mode);
        const wrapper = sb.wrapper(['/bin/sh', sb.task, '3']);
        const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
        e(wrapped.code).toBe(3);
        const side = await within(sidecar.finished, 3000, 'the sidecar, after the task ended');
        e(side.code).toBe(0);
        e(side.exitedAt - wrapped.exitedAt).toBeLessThan(3000);
        e(side.stderr).toBe('');
        expectEveryLine(e, sb, wrapped);
      },
    );

    it('a task exiting 0 leaves exit code 0', async ({ expect: e, task }) => {
      const sb = sandbox(task.id, 5);
      const wrapper = sb.wrapper(['/bin/sh', sb.task, '0']);
      const sidecar = sb.sidecar();
      const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
      e(wrapped.code).toBe(0);
      e((await within(sidecar.finished, 3000, 'the sidecar')).code).toBe(0);
      expectEveryLine(e, sb, wrapped);
    });

    it("a Vector slower than the task: the task's writes wait for it, every line arrives, the exit code stays 3", async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 5);
      const sidecar = sb.slowSidecar();
      const wrapper = sb.wrapper(['/bin/sh', sb.chattyTask, '3']);
      const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
      e(wrapped.code).toBe(3);
      // The output is larger than the pipes hold: the task cannot end before the reader has started to read.
      e(wrapped.exitedAt - wrapper.startedAt, "the task ran at the reader's pace").toBeGreaterThan(
        SLOW_READER_PAUSE_MS - 200,
      );
      const side = await within(sidecar.finished, 3000, 'the sidecar, after the task ended');
      e(side.code).toBe(0);
      e(side.stderr).toBe('');
      expectEveryLine(e, sb, wrapped, CHATTY_OUT, CHATTY_ERR);
    });

    it('a sidecar starting half a second after the task container (image pull) loses nothing', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 5);
      const wrapper = sb.wrapper(['/bin/sh', sb.task, '3']);
      await sleep(500);
      e(wrapper.running, 'the wrapper waits for the sidecar').toBe(true);
      const sidecar = sb.sidecar();
      const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
      e(wrapped.code).toBe(3);
      e((await within(sidecar.finished, 3000, 'the sidecar')).code).toBe(0);
      expectEveryLine(e, sb, wrapped);
    });

    it('no sidecar: after the timeout the task runs without capture and says so; a sidecar that comes later ends at once', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 1);
      const wrapper = sb.wrapper(['/bin/sh', sb.task, '3']);
      const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
      e(wrapped.code).toBe(3);
      e(wrapped.exitedAt - wrapper.startedAt).toBeGreaterThanOrEqual(900);
      e(lines(wrapped.stdout)).toEqual(OUT);
      e(lines(wrapped.stderr)).toEqual([
        'vector-capture: no Vector sidecar after 1 s: running the task without log capture',
        ...ERR,
      ]);
      const late = await within(sb.sidecar().finished, 2000, 'a sidecar started after the wrapper gave up');
      e(late.code).toBe(0);
      e(late.stderr).toContain('the task already runs without log capture');
      e(existsSync(sb.vectorOut), 'Vector was never started').toBe(false);
    });

    it('the sidecar ignores SIGTERM while the task still runs, and still delivers everything', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 5);
      const sidecar = sb.sidecar();
      const wrapper = sb.wrapper(['/bin/sh', sb.task, '3', sb.goFile]);
      await waitUntil(() => sb.vectorLines().includes('stderr\terr 2500'), 5000, 'half of the lines');
      sidecar.signal('SIGTERM');
      await sleep(300);
      e(sidecar.running, 'the sidecar is still running after SIGTERM').toBe(true);
      writeFileSync(sb.goFile, '');
      const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
      e(wrapped.code).toBe(3);
      e((await within(sidecar.finished, 3000, 'the sidecar')).code).toBe(0);
      expectEveryLine(e, sb, wrapped);
    });

    it("the wrapper passes SIGTERM on to the task, exits with the task's status, and the task's last lines arrive", async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 5);
      const sidecar = sb.sidecar();
      const wrapper = sb.wrapper(['/bin/sh', sb.termTask]);
      await waitUntil(() => sb.vectorLines().includes('stdout\tstarted'), 5000, 'the task starting');
      wrapper.signal('SIGTERM');
      const wrapped = await within(wrapper.finished, 3000, 'the wrapper');
      e(wrapped.code).toBe(7);
      e(lines(wrapped.stdout)).toEqual(['started', 'task got TERM']);
      e(lines(wrapped.stderr)).toEqual(['task cleans up']);
      e((await within(sidecar.finished, 3000, 'the sidecar')).code).toBe(0);
      e(sb.vectorLines().sort()).toEqual(['stderr\ttask cleans up', 'stdout\tstarted', 'stdout\ttask got TERM']);
    });

    it('Vector dying mid-task costs only the copy to it: the task ends with its status, kubectl logs has every line', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 5);
      const sidecar = sb.sidecar('container', 'head -n 100 >"$0"; exit 1');
      const wrapper = sb.wrapper(['/bin/sh', sb.task, '3']);
      const wrapped = await within(wrapper.finished, 5000, 'the wrapper');
      e(wrapped.code).toBe(3);
      e(lines(wrapped.stdout)).toEqual(OUT);
      e(lines(wrapped.stderr)).toEqual(ERR);
      const side = await within(sidecar.finished, 3000, 'the sidecar');
      e(side.code, 'the sidecar never fails the pod').toBe(0);
      e(side.stderr).toContain('vector-capture: Vector exited with status 1');
      e(sb.vectorLines()).toHaveLength(100);
    });

    it('a sidecar that died after making `ready` (FIFOs nobody reads) delays the task by the timeout at most', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 1);
      execFileSync('mkfifo', [join(sb.captureDir, 'stdout'), join(sb.captureDir, 'stderr')]);
      mkdirSync(join(sb.captureDir, 'ready'));
      const wrapper = sb.wrapper(['/bin/sh', sb.task, '3']);
      const wrapped = await within(wrapper.finished, 6000, 'the wrapper');
      e(wrapped.code).toBe(3);
      e(lines(wrapped.stdout)).toEqual(OUT);
      e(lines(wrapped.stderr)).toEqual(ERR);
    });

    it('container mode: a sidecar whose task never starts writing stops after the timeout', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 1);
      const sidecar = sb.sidecar('container');
      const side = await within(sidecar.finished, 4000, 'the sidecar');
      e(side.code).toBe(0);
      e(side.exitedAt - sidecar.startedAt).toBeGreaterThanOrEqual(900);
      e(sb.vectorLines()).toEqual([]);
    });

    it('native mode: SIGTERM (the task container has ended) before the task attached ends the sidecar at once', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 30);
      const sidecar = sb.sidecar('native');
      await waitUntil(() => existsSync(join(sb.captureDir, 'ready')), 3000, 'the sidecar getting ready');
      sidecar.signal('SIGTERM');
      const side = await within(sidecar.finished, 3000, 'the sidecar after SIGTERM');
      e(side.code).toBe(0);
      e(sb.vectorLines()).toEqual([]);
    });

    it('native mode: a restarted sidecar (ready exists) has nothing to read, idles, and exits 0 on SIGTERM', async ({
      expect: e,
      task,
    }) => {
      const sb = sandbox(task.id, 30);
      mkdirSync(join(sb.captureDir, 'ready'));
      const sidecar = sb.sidecar('native');
      await sleep(300);
      e(sidecar.running, 'it does not exit, or the kubelet would restart it again').toBe(true);
      sidecar.signal('SIGTERM');
      const side = await within(sidecar.finished, 3000, 'the sidecar after SIGTERM');
      e(side.code).toBe(0);
      e(side.stderr).toContain('nothing to read');
    });
  });
}
