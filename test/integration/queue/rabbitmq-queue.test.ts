/**
 * The RabbitMQ adapter against the broker at 127.0.0.1:5672 (guest/guest; CI starts it).
 * If the broker is down these tests fail: they do not skip.
 */
import { connect } from 'amqplib';
import type { ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRabbitQueue } from '../../../src/transport/queue/rabbitmq-queue.js';
import { queueContract, receiveOne, uniqueQueueName } from './contract.js';

const URL = process.env['WSSEQ_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** An admin connection of the test's own, to inspect and delete queues. */
let admin: ChannelModel;
beforeAll(async () => {
  admin = await connect(URL);
});
afterAll(async () => {
  await admin.close();
});

/** Delete `name` and every queue the adapter made for it (sub-queues, delay queues). */
async function deleteQueues(name: string, delays: readonly number[] = [0, 300]): Promise<void> {
  const channel = await admin.createChannel();
  channel.on('error', () => undefined);
  const names = [name, `${name}.poison`, `${name}.deadletter`];
  names.push(...delays.map((delay) => `${name}.retry.${String(delay)}`));
  for (const queue of names) await channel.deleteQueue(queue);
  await channel.close();
}

/** Ready messages in `queue`, asked on the admin connection. */
async function readyCount(queue: string): Promise<number> {
  const channel = await admin.createChannel();
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await channel.close();
  }
}

for (const queueType of ['classic', 'quorum'] as const) {
  queueContract(
    `RabbitMQ (${queueType})`,
    (name) => openRabbitQueue({ url: URL, name, queueType }),
    { cleanup: (name) => deleteQueues(name) },
  );

  describe(`the RabbitMQ adapter (${queueType})`, () => {
    it('redelivers a message whose receiver connection closed without acknowledging', async () => {
      const name = uniqueQueueName('wsseq-rabbit-drop');
      const first = await openRabbitQueue({ url: URL, name, queueType });
      const second = await openRabbitQueue({ url: URL, name, queueType });
      try {
        const id = await first.send(Buffer.from('held'), { properties: { p: 'q' } });
        const held = await receiveOne(first);
        expect(held.deliveryCount).toBe(1);
        expect(await second.receive({ waitMs: 200 })).toBeUndefined();
        await first.close(); // the connection goes away with the message unacknowledged
        const again = await receiveOne(second);
        expect(again.id).toBe(id);
        expect(again.deliveryCount).toBe(2);
        expect(again.properties).toEqual({ p: 'q' });
        await again.ack();
        await expect(held.ack()).rejects.toThrow(/closed/);
      } finally {
        await first.close();
        await second.close();
        await deleteQueues(name);
      }
    });

    it('resolves send only once the broker has the message (publisher confirm)', async () => {
      const name = uniqueQueueName('wsseq-rabbit-confirm');
      const queue = await openRabbitQueue({ url: URL, name, queueType });
      try {
        for (let i = 0; i < 5; i++) {
          await queue.send(Buffer.from(String(i)));
          // Another connection sees it at once: it was confirmed, not just written.
          expect(await readyCount(name)).toBe(i + 1);
        }
      } finally {
        await queue.close();
        await deleteQueues(name);
      }
    });

    it('rejects a send to a queue deleted behind its back (unroutable), never drops it silently', async () => {
      const name = uniqueQueueName('wsseq-rabbit-gone');
      const queue = await openRabbitQueue({ url: URL, name, queueType });
      try {
        await deleteQueues(name);
        await expect(queue.send(Buffer.from('lost?'))).rejects.toThrow(/unroutable/);
      } finally {
        await queue.close();
      }
    });

    it('refuses property names RabbitMQ or the adapter reserve', async () => {
      const name = uniqueQueueName('wsseq-rabbit-reserved');
      const queue = await openRabbitQueue({ url: URL, name, queueType });
      try {
        await expect(
          queue.send(Buffer.from('x'), { properties: { 'x-delivery-count': '9' } }),
        ).rejects.toThrow(TypeError);
        await expect(
          queue.send(Buffer.from('x'), { properties: { 'wsseq-amqp-expires-at': '1' } }),
        ).rejects.toThrow(TypeError);
      } finally {
        await queue.close();
        await deleteQueues(name);
      }
    });
  });
}

describe('the RabbitMQ adapter, connecting', () => {
  it('fails loudly when the broker cannot be reached', async () => {
    await expect(
      openRabbitQueue({ url: 'amqp://guest:guest@127.0.0.1:1', name: 'unreachable' }),
    ).rejects.toThrow();
  });
});
