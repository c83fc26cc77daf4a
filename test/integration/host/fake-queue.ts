/**
 * A tiny in-memory QueueAdapter for the host and mode tests, written against the interface
 * (src/transport/queue/types.ts) only. The real adapters have their own tests.
 */
import { randomUUID } from 'node:crypto';
import type {
  Delivery,
  QueueAdapter,
  QueuedMessage,
  ReceiveOptions,
  SendOptions,
} from '../../../src/transport/queue/types.js';
import { QUEUE_PROPERTY } from '../../../src/transport/queue/types.js';

interface Stored {
  message: QueuedMessage;
  visibleAt: number;
  locked: boolean;
}

export function createFakeQueue(name: string): QueueAdapter {
  const items: Stored[] = [];
  let poison: QueueAdapter | undefined;
  let dead: QueueAdapter | undefined;
  const self: QueueAdapter = {
    name,
    send(body: Buffer, options: SendOptions = {}) {
      const now = Date.now();
      const id = options.id ?? randomUUID();
      items.push({
        message: {
          id,
          body: Buffer.from(body),
          properties: { ...(options.properties ?? {}) },
          enqueuedAt: new Date(now),
          expiresAt: options.ttlMs === undefined ? undefined : new Date(now + options.ttlMs),
          deliveryCount: 0,
        },
        visibleAt: now,
        locked: false,
      });
      return Promise.resolve(id);
    },
    async receive(options: ReceiveOptions = {}) {
      const until = Date.now() + (options.waitMs ?? 0);
      for (;;) {
        const now = Date.now();
        for (const item of [...items]) {
          if (item.locked || item.visibleAt > now) continue;
          const exp = item.message.expiresAt;
          if (exp && exp.getTime() <= now) {
            items.splice(items.indexOf(item), 1);
            await self.deadLetterQueue().send(item.message.body, {
              id: item.message.id,
              properties: {
                ...item.message.properties,
                [QUEUE_PROPERTY.deadLetterReason]: 'expired',
              },
            });
            continue;
          }
          item.locked = true;
          item.message = { ...item.message, deliveryCount: item.message.deliveryCount + 1 };
          return delivery(item);
        }
        if (Date.now() >= until || options.signal?.aborted === true) return undefined;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    poisonQueue() {
      poison ??= createFakeQueue(`${name};poison`);
      return poison;
    },
    deadLetterQueue() {
      dead ??= createFakeQueue(`${name};deadletter`);
      return dead;
    },
    count: () => Promise.resolve(items.length),
    close: () => Promise.resolve(),
  };
  const delivery = (item: Stored): Delivery => {
    let settled = false;
    const once = () => {
      if (settled) throw new Error('settled twice');
      settled = true;
    };
    return {
      ...item.message,
      ack() {
        once();
        items.splice(items.indexOf(item), 1);
        return Promise.resolve();
      },
      retry(delayMs: number) {
        once();
        item.locked = false;
        item.visibleAt = Date.now() + delayMs;
        return Promise.resolve();
      },
      async poison(code: string, reason: string) {
        once();
        items.splice(items.indexOf(item), 1);
        await self.poisonQueue().send(item.message.body, {
          id: item.message.id,
          properties: {
            ...item.message.properties,
            [QUEUE_PROPERTY.rejectCode]: code,
            [QUEUE_PROPERTY.rejectReason]: reason,
          },
        });
      },
    };
  };
  return self;
}
