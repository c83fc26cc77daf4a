/**
 * An in-process queue for tests and samples: the same semantics as the durable adapters
 * (visibility, retry delays, TTL to the dead-letter queue, poison sub-queue, delivery counts),
 * none of their durability.
 */
import { randomUUID } from 'node:crypto';
import {
  assertOpen,
  checkDelay,
  checkSendOptions,
  deadLetterProperties,
  poisonProperties,
  pollFor,
  promised,
  settlementGuard,
} from './shared.js';
import type { Delivery, QueueAdapter, ReceiveOptions, SendOptions } from './types.js';

/** Options of {@link createMemoryQueue}. */
export interface MemoryQueueOptions {
  /** The clock (visibility, TTL). Default: the system clock. */
  readonly now?: () => Date;
  /** How often a waiting `receive` looks again, in milliseconds. Default 5. */
  readonly pollIntervalMs?: number;
}

interface Entry {
  readonly id: string;
  readonly body: Buffer;
  readonly properties: Readonly<Record<string, string>>;
  readonly enqueuedAt: number;
  readonly expiresAt: number | undefined;
  deliveryCount: number;
  visibleAt: number;
  leased: boolean;
}

interface Store {
  readonly queues: Map<string, Entry[]>;
  readonly now: () => number;
  readonly pollIntervalMs: number;
  closed: boolean;
}

/**
 * Create an in-process queue named `name`, with its poison (`<name>;poison`) and dead-letter
 * (`<name>;deadletter`) sub-queues.
 *
 * Limits: nothing survives the process; a received message stays invisible until it is
 * settled or the queue is closed (there is no lease timeout: a "crashed" receiver cannot be
 * simulated). `close()` on the main queue returns unsettled messages and closes the
 * sub-queues; `close()` on a sub-queue does nothing.
 *
 * @example
 * ```ts
 * const queue = createMemoryQueue('orders');
 * await queue.send(Buffer.from('<Envelope/>'), { ttlMs: 60_000 });
 * const delivery = await queue.receive({ waitMs: 1000 });
 * await delivery?.ack();
 * ```
 */
export function createMemoryQueue(name: string, options: MemoryQueueOptions = {}): QueueAdapter {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError('createMemoryQueue: name must be a non-empty string');
  }
  const clock = options.now;
  const store: Store = {
    queues: new Map(),
    now: clock === undefined ? Date.now : () => clock().getTime(),
    pollIntervalMs: options.pollIntervalMs ?? 5,
    closed: false,
  };
  return memoryAdapter(store, name, true);
}

function entries(store: Store, name: string): Entry[] {
  let list = store.queues.get(name);
  if (list === undefined) {
    list = [];
    store.queues.set(name, list);
  }
  return list;
}

function remove(list: Entry[], entry: Entry): void {
  const at = list.indexOf(entry);
  if (at >= 0) list.splice(at, 1);
}

function memoryAdapter(store: Store, name: string, root: boolean): QueueAdapter {
  const poisonName = `${name};poison`;
  const deadLetterName = `${name};deadletter`;
  let poison: QueueAdapter | undefined;
  let deadLetter: QueueAdapter | undefined;

  const moveExpired = (list: Entry[], now: number): void => {
    for (const entry of [...list]) {
      if (entry.leased || entry.visibleAt > now) continue;
      if (entry.expiresAt === undefined || entry.expiresAt > now) continue;
      remove(list, entry);
      entries(store, deadLetterName).push(
        fresh(entry, deadLetterProperties(entry.properties, name), now),
      );
    }
  };

  const deliver = (list: Entry[], entry: Entry): Delivery => {
    entry.leased = true;
    entry.deliveryCount += 1;
    const guard = settlementGuard();
    const owned = (): void => {
      assertOpen(store.closed, name);
      if (!entry.leased || !list.includes(entry)) {
        throw new Error(`queue ${name}: the delivery was returned to the queue (closed)`);
      }
    };
    return {
      id: entry.id,
      body: Buffer.from(entry.body),
      properties: { ...entry.properties },
      enqueuedAt: new Date(entry.enqueuedAt),
      expiresAt: entry.expiresAt === undefined ? undefined : new Date(entry.expiresAt),
      deliveryCount: entry.deliveryCount,
      ack: () =>
        guard(() => {
          owned();
          remove(list, entry);
          return Promise.resolve();
        }),
      retry: (delayMs: number) =>
        guard(() => {
          checkDelay(delayMs);
          owned();
          entry.leased = false;
          entry.visibleAt = store.now() + delayMs;
          return Promise.resolve();
        }),
      poison: (code: string, reason: string) =>
        guard(() => {
          owned();
          remove(list, entry);
          const props = poisonProperties(entry.properties, name, code, reason);
          entries(store, poisonName).push(fresh(entry, props, store.now()));
          return Promise.resolve();
        }),
    };
  };

  const adapter: QueueAdapter = {
    name,
    send: (body: Buffer, sendOptions: SendOptions = {}): Promise<string> =>
      promised(() => {
        assertOpen(store.closed, name);
        checkSendOptions(sendOptions);
        const now = store.now();
        const id = sendOptions.id ?? randomUUID();
        entries(store, name).push({
          id,
          body: Buffer.from(body),
          properties: { ...sendOptions.properties },
          enqueuedAt: now,
          expiresAt: sendOptions.ttlMs === undefined ? undefined : now + sendOptions.ttlMs,
          deliveryCount: 0,
          visibleAt: now,
          leased: false,
        });
        return id;
      }),
    receive(receiveOptions: ReceiveOptions = {}): Promise<Delivery | undefined> {
      return pollFor(
        () => {
          assertOpen(store.closed, name);
          const list = entries(store, name);
          const now = store.now();
          moveExpired(list, now);
          const next = list.find((entry) => !entry.leased && entry.visibleAt <= now);
          return next === undefined ? undefined : deliver(list, next);
        },
        receiveOptions,
        store.pollIntervalMs,
      );
    },
    poisonQueue: () => (poison ??= memoryAdapter(store, poisonName, false)),
    deadLetterQueue: () => (deadLetter ??= memoryAdapter(store, deadLetterName, false)),
    count: () =>
      promised(() => {
        assertOpen(store.closed, name);
        return entries(store, name).length;
      }),
    close(): Promise<void> {
      if (!root || store.closed) return Promise.resolve();
      for (const list of store.queues.values()) {
        for (const entry of list) entry.leased = false;
      }
      store.closed = true;
      return Promise.resolve();
    },
  };
  return adapter;
}

/** A moved message: same id, body and enqueue time; new properties; no TTL; count reset. */
function fresh(entry: Entry, properties: Record<string, string>, now: number): Entry {
  return {
    id: entry.id,
    body: entry.body,
    properties,
    enqueuedAt: entry.enqueuedAt,
    expiresAt: undefined,
    deliveryCount: 0,
    visibleAt: now,
    leased: false,
  };
}
