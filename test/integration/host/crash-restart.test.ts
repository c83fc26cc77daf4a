/**
 * A receiver process killed (SIGKILL) in the middle of a handler and restarted: the message
 * is handled after the restart (not lost) and not rejected as a replay (its replay keys were
 * only reserved, never committed).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import { writeTestPki } from '../../fixtures/pki.js';
import { TEST_NOW, getTestPki, orderEnvelope } from '../../helpers.js';
import { capturingSink, testClient } from './harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, 'crash-service.script.ts');
const ROOT = join(HERE, '..', '..', '..');

interface Line {
  readonly event: string;
  readonly id?: string;
  readonly deliveryCount?: number;
  readonly code?: string;
}

function startService(env: Record<string, string>): {
  child: ChildProcessByStdio<null, Readable, Readable>;
  lines: Line[];
  waitFor: (event: string, timeoutMs?: number) => Promise<Line>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  const waiters: { event: string; resolve: (l: Line) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of waiters.filter((x) => x.event === line.event)) w.resolve(line);
  });
  const waitFor = (event: string, timeoutMs = 30_000): Promise<Line> =>
    new Promise((resolve, reject) => {
      const seen = lines.find((l) => l.event === event);
      if (seen) {
        resolve(seen);
        return;
      }
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no "${event}" within ${timeoutMs} ms; lines: ${JSON.stringify(lines)}; stderr: ${stderr}`,
          ),
        );
      }, timeoutMs);
      waiters.push({
        event,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  return { child, lines, waitFor };
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
}

/** The environment of the service processes: a PKI, a queue and a replay cache in `dir`. */
async function serviceEnv(dir: string, suffix: string) {
  const pkiDir = join(dir, `pki${suffix}`);
  await writeTestPki(pkiDir);
  return {
    WSSEQ_PKI_DIR: pkiDir,
    WSSEQ_QUEUE_DB: join(dir, `queue${suffix}.db`),
    WSSEQ_QUEUE_NAME: 'orders',
    WSSEQ_REPLAY_DB: join(dir, `replay${suffix}.db`),
    WSSEQ_CLOCK_ANCHOR: String(Date.now()),
  };
}

describe('a receiver killed mid-handler and restarted', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wsseq-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('handles the message after the restart: not lost, not a replay', async () => {
    const pki = await getTestPki();
    const env = await serviceEnv(dir, '');
    const queue = openSqliteQueue({ file: env.WSSEQ_QUEUE_DB, name: 'orders' });
    try {
      const id = await testClient(pki, queue, 'Message', { now: TEST_NOW }).send(orderEnvelope());

      const first = startService({ ...env, WSSEQ_HANG: '1' });
      const handling = await first.waitFor('handling');
      expect(handling).toMatchObject({ id, deliveryCount: 1 });
      first.child.kill('SIGKILL');
      expect(await exited(first.child)).toMatchObject({ signal: 'SIGKILL' });
      expect(await queue.count()).toBe(1); // not acknowledged, not lost

      const second = startService({ ...env, WSSEQ_HANG: '0' });
      const accepted = await second.waitFor('accepted');
      expect(accepted.id).toBe(id);
      expect(accepted.deliveryCount).toBeGreaterThanOrEqual(2);
      expect(await exited(second.child)).toMatchObject({ code: 0 });
      expect(second.lines.filter((l) => l.event === 'rejected' || l.event === 'poisoned')).toEqual(
        [],
      );
      expect(await queue.count()).toBe(0);
      expect(await queue.poisonQueue().count()).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it('acknowledges a handled message redelivered after a crash before the ack as a duplicate; a copy under another id stays a Replay', async () => {
    const pki = await getTestPki();
    const env = await serviceEnv(dir, '-dup');
    const queue = openSqliteQueue({ file: env.WSSEQ_QUEUE_DB, name: 'orders' });
    try {
      const capture = capturingSink(queue);
      const id = await testClient(pki, capture, 'Message', { now: TEST_NOW }).send(orderEnvelope());
      const secured = capture.last();

      // Handled, replay keys committed, killed before the acknowledgement.
      const first = startService({ ...env, WSSEQ_CRASH_BEFORE_ACK: '1' });
      expect(await first.waitFor('crashing')).toMatchObject({ id });
      expect(await exited(first.child)).toMatchObject({ signal: 'SIGKILL' });
      expect(first.lines.filter((l) => l.event === 'handling')).toHaveLength(1);
      expect(await queue.count()).toBe(1);

      // The same bytes under another queue message id: a copy, a replay.
      const copyId = await queue.send(secured, { id: `copy-${id}` });

      const second = startService({
        ...env,
        WSSEQ_EXIT_ON: 'duplicate,rejected,accepted,poisoned',
        WSSEQ_EXIT_COUNT: '2',
      });
      expect(await exited(second.child)).toMatchObject({ code: 0 });
      const outcomes = second.lines.filter((l) =>
        ['duplicate', 'rejected', 'accepted', 'poisoned'].includes(l.event),
      );
      expect(outcomes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event: 'duplicate', id }),
          expect.objectContaining({ event: 'rejected', id: copyId, code: 'Replay' }),
        ]),
      );
      expect(outcomes).toHaveLength(2);
      // Not handled a second time.
      expect(second.lines.filter((l) => l.event === 'handling')).toEqual([]);
      expect(await queue.count()).toBe(0);
      const poison = await queue.poisonQueue().receive();
      expect(poison?.id).toBe(copyId);
      await poison?.ack();
    } finally {
      await queue.close();
    }
  });
});
