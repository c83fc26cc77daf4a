import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import { queueContract, receiveOne, uniqueQueueName } from './contract.js';

let dir = '';
const file = (): string => join(dir, 'queues.db');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsseq-sqlite-queue-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

queueContract('embedded SQLite', (name) =>
  Promise.resolve(openSqliteQueue({ file: file(), name })),
);

describe('the embedded SQLite queue', () => {
  it('survives a reopen; an unsettled message is returned on close', async () => {
    const name = uniqueQueueName('reopen');
    const first = openSqliteQueue({ file: file(), name });
    const a = await first.send(Buffer.from('a'), { properties: { p: '1' }, ttlMs: 3_600_000 });
    const b = await first.send(Buffer.from('b'));
    const held = await receiveOne(first);
    expect(held.id).toBe(a);
    await first.close();

    const second = openSqliteQueue({ file: file(), name });
    try {
      expect(await second.count()).toBe(2);
      const again = await receiveOne(second, 0);
      expect(again.id).toBe(a);
      expect(again.deliveryCount).toBe(2);
      expect(again.properties).toEqual({ p: '1' });
      expect(again.expiresAt).toBeInstanceOf(Date);
      await again.ack();
      const next = await receiveOne(second, 0);
      expect(next.id).toBe(b);
      expect(next.deliveryCount).toBe(1);
      await next.ack();
      expect(await second.count()).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('redelivers a message whose receiving process was killed (SIGKILL) once the lease runs out', async () => {
    const name = uniqueQueueName('crash');
    const leaseMs = 1500;
    const queue = openSqliteQueue({ file: file(), name, leaseMs });
    try {
      const id = await queue.send(Buffer.from('<Envelope>crash</Envelope>'));
      const script = join(dirname(fileURLToPath(import.meta.url)), 'sqlite-receiver.script.ts');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', script, file(), name, String(leaseMs)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => {
        child.on('exit', (_code, signal) => {
          resolve(signal);
        });
      });
      const lines = createInterface({ input: child.stdout });
      const report = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', () => {
          reject(new Error('the receiver exited before reporting'));
        });
      });
      expect(JSON.parse(report)).toEqual({ id, deliveryCount: 1 });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      expect(await queue.receive()).toBeUndefined(); // still leased by the dead process
      expect(await queue.count()).toBe(1);
      const redelivered = await receiveOne(queue, leaseMs + 3000);
      expect(redelivered.id).toBe(id);
      expect(redelivered.deliveryCount).toBe(2);
      expect(redelivered.body.toString()).toBe('<Envelope>crash</Envelope>');
      await redelivered.ack();
    } finally {
      await queue.close();
    }
  });

  it('renews the lease of a slow handler, so its message is not delivered twice', async () => {
    const name = uniqueQueueName('slow');
    const queue = openSqliteQueue({ file: file(), name, leaseMs: 300 });
    const other = openSqliteQueue({ file: file(), name, leaseMs: 300 });
    try {
      await queue.send(Buffer.from('slow'));
      const delivery = await receiveOne(queue, 0);
      expect(await other.receive({ waitMs: 1000 })).toBeUndefined();
      await delivery.ack();
      expect(await other.count()).toBe(0);
    } finally {
      await queue.close();
      await other.close();
    }
  });

  it('shares one file between connections: each message goes to exactly one receiver', async () => {
    const name = uniqueQueueName('shared');
    const sender = openSqliteQueue({ file: file(), name: 'other-queue' });
    const receivers = [0, 1, 2].map(() =>
      openSqliteQueue({ file: file(), name, pollIntervalMs: 5 }),
    );
    try {
      const target = openSqliteQueue({ file: file(), name });
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) ids.add(await target.send(Buffer.from(String(i))));
      await target.close();
      await sender.send(Buffer.from('not for them'));
      const got: string[] = [];
      await Promise.all(
        receivers.map(async (queue) => {
          for (;;) {
            const delivery = await queue.receive({ waitMs: 200 });
            if (delivery === undefined) return;
            got.push(delivery.id);
            await delivery.ack();
          }
        }),
      );
      expect(got).toHaveLength(30);
      expect(new Set(got)).toEqual(ids);
      expect(await sender.count()).toBe(1);
    } finally {
      await sender.close();
      for (const queue of receivers) await queue.close();
    }
  });
});
