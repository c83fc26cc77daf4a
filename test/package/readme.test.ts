/**
 * The README's code blocks run as written, in order, in a fresh directory: `sh` blocks with
 * bash, where `npx wsseq` is the built command; `ts` blocks with tsx, where `wsseq` resolves
 * through the package's own `exports` to dist/. A block followed by a
 * `<!-- not run by the README test: why -->` comment is skipped (installing the package,
 * the repository's own setup and test commands).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './build.js';

interface Block {
  readonly lang: string;
  readonly code: string;
  readonly line: number;
  readonly skipped: boolean;
}

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] ?? '');
    blocks.push({
      lang: open[1] ?? '',
      code: body.join('\n'),
      line: start + 1,
      skipped: (lines[i + 1] ?? '').startsWith('<!-- not run by the README test'),
    });
  }
  return blocks;
}

const blocks = readmeBlocks();
const runnable = blocks.filter((b) => !b.skipped && (b.lang === 'sh' || b.lang === 'ts'));
let dir: string;

describe('README code blocks', () => {
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'wsseq-readme-'));
    // A project that installed wsseq: node_modules/wsseq and its bin.
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'wsseq'), 'dir');
    symlinkSync(join(ROOT, 'bin', 'wsseq.js'), join(dir, 'node_modules', '.bin', 'wsseq'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  }, 180_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the blocks a new user needs: install, quick start, command line', () => {
    expect(blocks.some((b) => b.skipped && b.code.includes('npm install wsseq'))).toBe(true);
    expect(runnable.map((b) => b.lang)).toEqual(['sh', 'ts', 'sh']);
    expect(blocks.some((b) => b.code.includes('bash .ci/setup && npm start'))).toBe(true);
    expect(blocks.some((b) => b.code.includes('bash .ci/setup --test && npm test'))).toBe(true);
  });

  it('runs every sh and ts block in order', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const env = { ...process.env, npm_config_offline: 'true', NO_COLOR: '1' };
    const outputs: string[] = [];
    for (const [n, block] of runnable.entries()) {
      const file = join(dir, `block-${n}.${block.lang}`);
      writeFileSync(file, block.code);
      const out =
        block.lang === 'sh'
          ? execFileSync('bash', ['-euo', 'pipefail', file], { cwd: dir, env, encoding: 'utf8' })
          : execFileSync(process.execPath, ['--import', tsx, file], {
              cwd: dir,
              env,
              encoding: 'utf8',
            });
      outputs.push(out);
    }
    // The quick start opened alice's message; so did `wsseq open`.
    expect(outputs[1]).toMatch(/CN=alice/);
    const opened = JSON.parse(outputs[2]?.trim().split('\n').pop() ?? '{}') as {
      ok?: boolean;
      identity?: { commonName?: string };
    };
    expect(opened.ok).toBe(true);
    expect(opened.identity?.commonName).toBe('alice');
  }, 120_000);
});
