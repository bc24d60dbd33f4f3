import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_MESSAGE, LogHeartbeat } from '../../lib/heartbeat';
import { busyboxAvailable } from '../helpers/busybox';
import { synth } from './heartbeat-fixtures';

/*
 * The heartbeat script exactly as the ConfigMap holds it, run by a real shell: /bin/sh always, and busybox's sh when
 * busybox runs (the image runs busybox; see test/helpers/busybox.ts).
 */

const dir = mkdtempSync(join(tmpdir(), 'heartbeat-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = ['timestamp', 'level', 'message', 'heartbeat', 'interval_seconds', 'source', 'seq'];
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function scriptFile(intervalSeconds: number): string {
  const { one } = synth((chart) => new LogHeartbeat(chart, 'heartbeat', { intervalSeconds }));
  const script = (one('ConfigMap').data as Record<string, string>)['heartbeat.sh'];
  const file = join(dir, `heartbeat-${intervalSeconds}.sh`);
  writeFileSync(file, script);
  return file;
}

interface Line {
  readonly text: string;
  /** When the test received it (ms since epoch). */
  readonly receivedAt: number;
}

interface Run {
  readonly child: ChildProcess;
  readonly lines: Line[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(shell: readonly string[], file: string): Run {
  const child = spawn(shell[0], [...shell.slice(1), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  const stderr: string[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      lines.push({ text: buffered.slice(0, newline), receivedAt: Date.now() });
      buffered = buffered.slice(newline + 1);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, lines, stderr, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await sleep(20);
}

/** SIGTERM, then how long the script took to exit and how. */
async function terminate(run: Run): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const sentAt = Date.now();
  run.child.kill('SIGTERM');
  const timeout = setTimeout(() => run.child.kill('SIGKILL'), 5000);
  const { code, signal, at } = await run.exited;
  clearTimeout(timeout);
  return { code, signal, ms: at - sentAt };
}

const hasBusybox = busyboxAvailable();
const SHELLS: readonly (readonly [string, readonly string[], boolean])[] = [
  ['/bin/sh', ['/bin/sh'], true],
  ['busybox sh', ['busybox', 'sh'], hasBusybox],
];

describe.each(SHELLS)('the heartbeat script under %s', (_name, shell, available) => {
  it.skipIf(!available)(
    'prints one exact JSON line per second, each with a current UTC timestamp and seq 1, 2, 3, …, and exits 0 on SIGTERM within 1 s',
    async () => {
      const run = start(shell, scriptFile(1));
      await sleep(3500);
      const { code, signal, ms } = await terminate(run);
      const now = Date.now();

      expect(run.stderr.join('')).toBe('');
      expect([code, signal]).toEqual([0, null]);
      expect(ms).toBeLessThan(1000);
      expect(run.lines.length).toBeGreaterThanOrEqual(3);
      expect(run.lines.length).toBeLessThanOrEqual(5);
      for (const [i, { text }] of run.lines.entries()) {
        const line = JSON.parse(text) as Record<string, unknown>;
        expect(Object.keys(line)).toEqual(KEYS);
        expect(line).toEqual({
          timestamp: line.timestamp,
          level: 'INFO',
          message: 'Vector heartbeat - logging pipeline active',
          heartbeat: true,
          interval_seconds: 1,
          source: 'heartbeat-container',
          seq: i + 1,
        });
        expect(line.timestamp).toMatch(RFC3339_UTC);
        const at = Date.parse(line.timestamp as string);
        expect(Math.abs(now - at)).toBeLessThan(10_000);
        // The exact text too: no spaces, the keys in this order, nothing else on the line.
        expect(text).toBe(
          `{"timestamp":"${String(line.timestamp)}","level":"INFO","message":"${HEARTBEAT_MESSAGE}",` +
            `"heartbeat":true,"interval_seconds":1,"source":"heartbeat-container","seq":${i + 1}}`,
        );
      }
      for (let i = 1; i < run.lines.length; i++) {
        const gap = run.lines[i].receivedAt - run.lines[i - 1].receivedAt;
        expect(gap, `gap before line ${i}`).toBeGreaterThan(800);
        expect(gap, `gap before line ${i}`).toBeLessThan(1500);
        const stamps = [i - 1, i].map((j) => Date.parse(JSON.parse(run.lines[j].text).timestamp as string));
        expect(stamps[1] - stamps[0]).toBeGreaterThanOrEqual(1000);
        expect(stamps[1] - stamps[0]).toBeLessThanOrEqual(2000);
      }
    },
  );

  it.skipIf(!available)(
    'writes the default interval into its line at once and stops in the middle of a 120 s sleep',
    async () => {
      const run = start(shell, scriptFile(120));
      await waitFor(() => run.lines.length > 0, 3000);
      await sleep(200);
      const { code, signal, ms } = await terminate(run);
      expect([code, signal]).toEqual([0, null]);
      expect(ms).toBeLessThan(1000);
      expect(run.lines).toHaveLength(1);
      expect(JSON.parse(run.lines[0].text)).toMatchObject({ interval_seconds: 120, heartbeat: true, seq: 1 });
    },
  );
});

describe('the heartbeat script text', () => {
  it('parses under sh -n and uses nothing beyond POSIX sh, date -u and sleep', () => {
    const file = scriptFile(120);
    expect(spawnSync('/bin/sh', ['-n', file]).status).toBe(0);
    const { construct } = synth((chart) => new LogHeartbeat(chart, 'heartbeat'));
    const commands = construct.script
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    expect(commands).toContain('date -u +%Y-%m-%dT%H:%M:%SZ');
    expect(commands).toContain('sleep 120 &');
    expect(commands).toContain('trap stop TERM INT');
    // No bash-only constructs.
    for (const bashism of ['[[', 'function ', 'local ', '$(( ', 'source ', 'echo -e', '<<<', '${#']) {
      expect(commands, bashism).not.toContain(bashism);
    }
  });
});
