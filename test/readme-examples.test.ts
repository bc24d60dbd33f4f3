/**
 * Every TypeScript example in README.md is compiled and run as printed, so that no example can rot. The only change
 * made to a block is where its imports point: `cdk8s-vector-fleet` becomes this checkout's `lib/`. Each block runs
 * with CDK8S_OUTDIR in a temporary folder, so an example's `app.synth()` never writes into the repository.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '..');
/** Inside the repository (git-ignored), so that the blocks resolve `cdk8s` and friends from node_modules. */
const WORK = join(REPO, 'build', 'readme-examples');

interface Block {
  /** Line of the opening fence in README.md. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a markdown text. */
export function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(open[1].length));
    blocks.push({ line: start + 1, code: body.join('\n') });
  }
  return blocks;
}

const blocks = tsBlocks(readFileSync(join(REPO, 'README.md'), 'utf8'));
const fileOf = (b: Block) => join(WORK, `readme-line-${b.line}.ts`);
const pointedAtLib = (code: string) => code.replace(/from 'cdk8s-vector-fleet'/g, `from '${join(REPO, 'lib')}'`);

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
for (const b of blocks) writeFileSync(fileOf(b), `${pointedAtLib(b.code)}\nexport {};\n`);
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('README.md examples', () => {
  it('has TypeScript examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('compile with the repository compiler options', () => {
    const config = ts.readConfigFile(join(REPO, 'tsconfig.json'), ts.sys.readFile).config;
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO);
    // Examples may leave a value unused (`const agent = ...` to show a name); everything else is as strict as lib/.
    const program = ts.createProgram(blocks.map(fileOf), { ...options, noUnusedLocals: false, noEmit: true });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && d.file.fileName.startsWith(WORK))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = Number(/readme-line-(\d+)/.exec(d.file!.fileName)![1]);
        return `README.md:${block + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);

  it.each(blocks.map((b) => [b.line, b] as const))('run: the block at line %i', async (_line, block) => {
    const outdir = mkdtempSync(join(tmpdir(), 'readme-synth-'));
    const saved = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      await import(fileOf(block));
      // What an example synthesizes applies as one: no object twice in a chart's file (kustomize refuses that).
      for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.k8s.yaml')) continue;
        const objects = parseAllDocuments(readFileSync(join(entry.parentPath, entry.name), 'utf8')).map(
          (d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } },
        );
        const keys = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
        expect(
          keys.filter((k, i) => keys.indexOf(k) !== i),
          entry.name,
        ).toEqual([]);
      }
    } finally {
      if (saved === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = saved;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
