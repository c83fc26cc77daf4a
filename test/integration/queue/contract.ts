/**
 * The queue adapter contract: one suite every adapter passes (memory, SQLite, RabbitMQ).
 * Each test opens its own uniquely named queue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_EXPIRED } from '../../../src/transport/queue/shared.js';
import type { Delivery, QueueAdapter } from '../../../src/transport/queue/types.js';
import { QUEUE_PROPERTY } from '../../../src/transport/queue/types.js';

export type QueueFactory = (name: string) => Promise<QueueAdapter>;

export interface ContractOptions {
  /** Remove what a test left behind (RabbitMQ queues); called after the adapter is closed. */
  readonly cleanup?: (name: string) => Promise<void>;
  /** How long a receive may wait for a message the queue moved or delayed. Default 5000. */
  readonly waitMs?: number;
}

let counter = 0;
/** A queue name unique to this run and test. */
export function uniqueQueueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${String(process.pid)}-${Date.now().toString(36)}-${String(counter)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Receive, failing the test if nothing comes. */
export async function receiveOne(queue: QueueAdapter, waitMs = 5000): Promise<Delivery> {
  const delivery = await queue.receive({ waitMs });
  if (delivery === undefined) throw new Error(`nothing received from ${queue.name}`);
  return delivery;
}

export function queueContract(
  adapterName: string,
  factory: QueueFactory,
  options: ContractOptions = {},
): void {
  const waitMs = options.waitMs ?? 5000;
  describe(`queue contract: ${adapterName}`, () => {
    const opened: QueueAdapter[] = [];
    const open = async (): Promise<QueueAdapter> => {
      const queue = await factory(uniqueQueueName('wsseq-contract'));
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      for (const queue of opened.splice(0)) {
        await queue.close();
        await options.cleanup?.(queue.name);
      }
    });

    it('sends, receives and acknowledges', async () => {
      const queue = await open();
      const id = await queue.send(Buffer.from('<Envelope>one</Envelope>'));
      expect(id).toMatch(/\S/);
      expect(await queue.count()).toBe(1);
      const delivery = await receiveOne(queue, waitMs);
      expect(delivery.id).toBe(id);
      expect(delivery.body.toString()).toBe('<Envelope>one</Envelope>');
      expect(delivery.deliveryCount).toBe(1);
      await delivery.ack();
      expect(await queue.count()).toBe(0);
      expect(await queue.receive()).toBeUndefined();
    });

    it('delivers in FIFO order', async () => {
      const queue = await open();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await queue.send(Buffer.from(`m${String(i)}`)));
      const got: string[] = [];
      for (let i = 0; i < 5; i++) {
        const delivery = await receiveOne(queue, waitMs);
        got.push(delivery.id);
        expect(delivery.body.toString()).toBe(`m${String(i)}`);
        await delivery.ack();
      }
      expect(got).toEqual(ids);
    });

    it('round-trips the id, the properties, the enqueue time and the expiry', async () => {
      const queue = await open();
      const before = Date.now();
      const properties = {
        'wsseq-transport-signature': 'c2ln',
        destination: 'orders',
        'ü-key': 'välue ✓',
      };
      const id = await queue.send(Buffer.from([0, 1, 2, 255]), {
        id: 'urn:uuid:chosen-by-sender',
        properties,
        ttlMs: 3_600_000,
      });
      expect(id).toBe('urn:uuid:chosen-by-sender');
      const delivery = await receiveOne(queue, waitMs);
      expect(delivery.id).toBe(id);
      expect([...delivery.body]).toEqual([0, 1, 2, 255]);
      expect(delivery.properties).toEqual(properties);
      expect(delivery.enqueuedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(delivery.enqueuedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(delivery.expiresAt).toBeInstanceOf(Date);
      expect(delivery.expiresAt!.getTime() - delivery.enqueuedAt.getTime()).toBeCloseTo(
        3_600_000,
        -3,
      );
      await delivery.ack();
    });

    it('hides an unsettled message, then redelivers it after retry(delay) with deliveryCount 2', async () => {
      const queue = await open();
      const id = await queue.send(Buffer.from('retry me'), { properties: { k: 'v' } });
      const first = await receiveOne(queue, waitMs);
      expect(await queue.receive({ waitMs: 200 })).toBeUndefined();
      expect(await queue.count()).toBe(1);
      await first.retry(300);
      expect(await queue.receive()).toBeUndefined(); // not visible before the delay
      const second = await receiveOne(queue, waitMs);
      expect(second.id).toBe(id);
      expect(second.deliveryCount).toBe(2);
      expect(second.properties).toEqual({ k: 'v' });
      expect(second.body.toString()).toBe('retry me');
      await second.ack();
      expect(await queue.count()).toBe(0);
    });

    it('refuses a second settlement of one delivery', async () => {
      const queue = await open();
      await queue.send(Buffer.from('once'));
      const delivery = await receiveOne(queue, waitMs);
      await delivery.ack();
      await expect(delivery.ack()).rejects.toThrow(TypeError);
      await expect(delivery.retry(0)).rejects.toThrow(TypeError);
    });

    it('moves a poisoned message to the poison queue with the code and reason', async () => {
      const queue = await open();
      const id = await queue.send(Buffer.from('bad'), { properties: { origin: 'client-a' } });
      const delivery = await receiveOne(queue, waitMs);
      await delivery.poison('SignatureInvalid', 'the signature does not verify');
      expect(await queue.count()).toBe(0);
      const poisoned = await receiveOne(queue.poisonQueue(), waitMs);
      expect(poisoned.id).toBe(id);
      expect(poisoned.body.toString()).toBe('bad');
      expect(poisoned.properties).toEqual({
        origin: 'client-a',
        [QUEUE_PROPERTY.rejectCode]: 'SignatureInvalid',
        [QUEUE_PROPERTY.rejectReason]: 'the signature does not verify',
        [QUEUE_PROPERTY.sourceQueue]: queue.name,
      });
      expect(poisoned.deliveryCount).toBe(1);
      await poisoned.ack();
      expect(await queue.poisonQueue().count()).toBe(0);
    });

    it('moves an expired message to the dead-letter queue with a reason', async () => {
      const queue = await open();
      const doomed = await queue.send(Buffer.from('late'), { ttlMs: 100, properties: { a: 'b' } });
      const alive = await queue.send(Buffer.from('fine'));
      await sleep(400);
      const delivery = await receiveOne(queue, waitMs);
      expect(delivery.id).toBe(alive);
      await delivery.ack();
      const dead = await receiveOne(queue.deadLetterQueue(), waitMs);
      expect(dead.id).toBe(doomed);
      expect(dead.body.toString()).toBe('late');
      expect(dead.properties).toMatchObject({
        a: 'b',
        [QUEUE_PROPERTY.deadLetterReason]: DEAD_LETTER_EXPIRED,
        [QUEUE_PROPERTY.sourceQueue]: queue.name,
      });
      expect(dead.expiresAt).toBeUndefined();
      await dead.ack();
      expect(await queue.count()).toBe(0);
    });

    it('counts waiting messages, visible or not', async () => {
      const queue = await open();
      expect(await queue.count()).toBe(0);
      for (let i = 0; i < 3; i++) await queue.send(Buffer.from(String(i)));
      expect(await queue.count()).toBe(3);
      const delivery = await receiveOne(queue, waitMs);
      expect(await queue.count()).toBe(3);
      await delivery.ack();
      expect(await queue.count()).toBe(2);
    });

    it('loses nothing: every message ends handled, poisoned or dead-lettered', async () => {
      const queue = await open();
      const n = 24;
      const sent = new Set<string>();
      for (let i = 0; i < n; i++) {
        const ttl = i % 6 === 5 ? { ttlMs: 50 } : {};
        sent.add(await queue.send(Buffer.from(`msg ${String(i)}`), ttl));
      }
      await sleep(300); // the short-lived ones expire
      const handled = new Set<string>();
      const poisoned = new Set<string>();
      const dead = new Set<string>();
      for (;;) {
        const delivery = await queue.receive({ waitMs: 500 });
        if (delivery === undefined) break;
        const i = Number(delivery.body.toString().slice(4));
        if (i % 3 === 0) {
          await delivery.poison('AuthenticationFailed', `message ${String(i)}`);
        } else if (i % 3 === 1 && delivery.deliveryCount === 1) {
          await delivery.retry(0);
        } else {
          handled.add(delivery.id);
          await delivery.ack();
        }
      }
      for (;;) {
        const delivery = await queue.poisonQueue().receive({ waitMs: 300 });
        if (delivery === undefined) break;
        poisoned.add(delivery.id);
        await delivery.ack();
      }
      for (;;) {
        const delivery = await queue.deadLetterQueue().receive({ waitMs: 300 });
        if (delivery === undefined) break;
        dead.add(delivery.id);
        await delivery.ack();
      }
      expect(handled.size + poisoned.size + dead.size).toBe(n);
      expect(new Set([...handled, ...poisoned, ...dead])).toEqual(sent);
      expect(dead.size).toBe(4);
      expect(await queue.count()).toBe(0);
    });
  });
}
