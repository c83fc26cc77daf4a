/**
 * `wsseq console` as a process: it prints the URL and the two tokens, serves nothing without
 * authentication, lets a token sign in, and stops on SIGTERM (killed by its PID).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteQueue } from '../../src/transport/queue/sqlite-queue.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('wsseq console', () => {
  let child: ChildProcess;
  let url = '';
  let operator = '';
  let viewer = '';
  let output = '';

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsseq-console-cmd-'));
    const file = join(dir, 'queues.db');
    const queue = openSqliteQueue({ file, name: 'orders' });
    await queue.send(Buffer.from('<x/>'));
    await queue.close();
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/run.ts',
        'console',
        '--sqlite',
        file,
        '--listen',
        '127.0.0.1:0',
        '--audit',
        join(dir, 'audit.jsonl'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no start line: ${output}`));
      }, 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const found =
          /on (http:\/\/\S+) [\s\S]*viewer token:\s+(\S+)[\s\S]*operator token:\s+(\S+)/.exec(
            output,
          );
        if (found) {
          [, url = '', viewer = '', operator = ''] = found;
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        reject(new Error(`exited: ${output}`));
      });
    });
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('listens on 127.0.0.1 and prints two distinct tokens', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(operator).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(viewer).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(viewer).not.toBe(operator);
  });

  it('answers 401 without authentication and signs in with a token', async () => {
    expect((await fetch(`${url}/api/queues`)).status).toBe(401);
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: operator }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const queues = (await (await fetch(`${url}/api/queues`, { headers: { cookie } })).json()) as {
      name: string;
      depth: number;
    }[];
    expect(queues).toEqual([expect.objectContaining({ name: 'orders', depth: 1 })]);
    const bearer = await fetch(`${url}/api/queues`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
