/** The queue implementations the host tests run on: in-memory, embedded SQLite, RabbitMQ. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { openRabbitQueue } from '../../../src/transport/queue/rabbitmq-queue.js';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';

export const AMQP_URL = process.env.WSSEQ_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Makes queues of one kind and removes them all afterwards. */
export interface QueueKind {
  readonly label: string;
  make(name: string): Promise<QueueAdapter>;
  /** Close every queue made and delete what they left (files, broker queues). */
  cleanup(): Promise<void>;
}

export function queueKinds(): QueueKind[] {
  return [memoryKind(), sqliteKind(), rabbitKind()];
}

function tracking(
  label: string,
  open: (name: string) => Promise<QueueAdapter>,
  after: (names: readonly string[]) => Promise<void>,
): QueueKind {
  const made: QueueAdapter[] = [];
  return {
    label,
    async make(name) {
      const q = await open(`${name}-${process.pid}-${Date.now()}`);
      made.push(q);
      return q;
    },
    async cleanup() {
      const names = made.flatMap((q) => [q.name, q.poisonQueue().name, q.deadLetterQueue().name]);
      for (const q of made) await q.close().catch(() => undefined);
      await after(names);
    },
  };
}

function memoryKind(): QueueKind {
  return tracking(
    'memory',
    (name) => Promise.resolve(createMemoryQueue(name)),
    () => Promise.resolve(),
  );
}

function sqliteKind(): QueueKind {
  let dir: string | undefined;
  return tracking(
    'SQLite',
    async (name) => {
      dir ??= await mkdtemp(join(tmpdir(), 'wsseq-host-'));
      return openSqliteQueue({ file: join(dir, 'queues.db'), name });
    },
    async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  );
}

function rabbitKind(): QueueKind {
  return tracking(
    'RabbitMQ',
    (name) => openRabbitQueue({ url: AMQP_URL, name }),
    async (names) => {
      const connection = await amqp.connect(AMQP_URL);
      try {
        const channel = await connection.createChannel();
        for (const name of names) await channel.deleteQueue(name);
        await channel.close();
      } finally {
        await connection.close();
      }
    },
  );
}
