/**
 * The RabbitMQ adapter (amqplib, AMQP 0-9-1): durable classic or quorum queues, persistent
 * messages, publisher confirms, manual acknowledgement. The only module that imports amqplib.
 *
 * Topology for a queue `orders` (all on the default exchange, all durable):
 * - `orders`: the queue; its dead-letter exchange routes expired messages to
 *   `orders.deadletter` (`x-dead-letter-exchange: ''`, `x-dead-letter-routing-key`).
 * - `orders.poison`, `orders.deadletter`: the sub-queues (no dead-lettering of their own).
 * - `orders.retry.<ms>`: one delay queue per distinct retry delay, `x-message-ttl: <ms>`,
 *   dead-lettering back to `orders`; it deletes itself (`x-expires`) once unused.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import type { ChannelModel, ConfirmChannel, GetMessage, Message, Options } from 'amqplib';
import {
  assertOpen,
  checkDelay,
  checkSendOptions,
  deadLetterProperties,
  poisonProperties,
  pollFor,
  settlementGuard,
} from './shared.js';
import {
  INTERNAL_HEADER,
  brokerDeadLetterProperties,
  checkPropertyNames,
  decodeMessage,
  publishOptions,
} from './rabbitmq-message.js';
import type { AmqpEnvelope, DecodedMessage } from './rabbitmq-message.js';
import type { Delivery, QueueAdapter, ReceiveOptions, SendOptions } from './types.js';

/** Options of {@link openRabbitQueue}. */
export interface RabbitQueueOptions {
  /** The broker. Default `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url?: string;
  /** The queue's name. Its sub-queues are `<name>.poison` and `<name>.deadletter`. */
  readonly name: string;
  /**
   * `classic` (default) or `quorum` (replicated; counts redeliveries in `x-delivery-count`).
   * Must match an existing queue's type: RabbitMQ refuses to redeclare a queue with other
   * arguments (PRECONDITION_FAILED).
   */
  readonly queueType?: 'classic' | 'quorum';
  /** How often a waiting `receive` asks the broker again (`basic.get`), in ms. Default 50. */
  readonly pollIntervalMs?: number;
}

/** What the main adapter and its sub-queues share: one connection, one confirm channel. */
interface Link {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  readonly queueType: 'classic' | 'quorum';
  readonly pollIntervalMs: number;
  /** Publishes the broker returned as unroutable, by publish id. */
  readonly returned: Set<string>;
  failure: Error | undefined;
  closed: boolean;
}

type Role = 'main' | 'terminal';

const QUEUE_TYPES: readonly string[] = ['classic', 'quorum'];

/** Delay queues unused for this long past their delay delete themselves. */
const DELAY_QUEUE_IDLE_MS = 60_000;

/**
 * Connect to RabbitMQ and declare the queue `name` with its poison and dead-letter queues.
 *
 * Choices and limits, plainly:
 * - `receive` polls with `basic.get` every `pollIntervalMs` while it waits: simple, exact
 *   (a message is either returned or left on the broker, never buffered here), but one round
 *   trip per poll per idle receiver, and no `prefetch` (it does not apply to `basic.get`).
 * - `send`, `retry` and `poison` resolve after the broker's publisher confirm; a publish to a
 *   queue that does not exist (deleted meanwhile) is returned (`mandatory`) and rejects.
 *   `ack` has no confirm in AMQP 0-9-1: it resolves once written to the channel.
 * - `retry(delayMs)` publishes a copy (after its confirm, the original is acknowledged) to
 *   the delay queue `<name>.retry.<delayMs>` (0: straight back to the end of `<name>`). Use few
 *   distinct delays: each one is a queue. A crash between the two steps delivers it twice.
 *   The move back from the delay queue is RabbitMQ's dead-lettering, which is at-most-once:
 *   if `<name>` is unavailable at that moment (deleted, quorum without a leader) the copy is
 *   lost.
 * - Time to live: per-message `expiration`; RabbitMQ expires only at the head of a queue, so
 *   an expired message may wait behind others, but it is never delivered: the broker moves it
 *   to `<name>.deadletter` (reason `expired`), and `receive` moves any it still meets (for
 *   example after a delayed retry, whose dead-lettering strips `expiration`).
 * - Delivery counts: retries are counted in a header; redeliveries after a lost connection
 *   come from `x-delivery-count` (quorum) or the `redelivered` flag (classic: at least one).
 * - `count()` is the ready messages on the broker plus those this connection holds unsettled;
 *   messages held by other connections or waiting in delay queues are not counted.
 * - Properties become AMQP headers: names `x-...` and `wsseq-amqp-...` are reserved, and all
 *   headers together must fit amqplib's 64 KiB table.
 * - No reconnection: after the connection or channel fails every operation rejects; close
 *   and open again. Unsettled messages of a lost connection are redelivered by the broker.
 *
 * @throws the connection error (ECONNREFUSED, ACCESS_REFUSED) or PRECONDITION_FAILED when an
 *   existing queue was declared with other arguments; TypeError for bad options.
 * @example
 * ```ts
 * const queue = await openRabbitQueue({ name: 'orders', queueType: 'quorum' });
 * await queue.send(Buffer.from(envelope), { ttlMs: 3_600_000 });
 * await queue.close();
 * ```
 */
export async function openRabbitQueue(options: RabbitQueueOptions): Promise<QueueAdapter> {
  const { name } = options;
  if (typeof name !== 'string' || name === '' || name.length > 200) {
    throw new TypeError('openRabbitQueue: name must be a non-empty string (at most 200 chars)');
  }
  const queueType = options.queueType ?? 'classic';
  if (!QUEUE_TYPES.includes(queueType)) {
    throw new TypeError("openRabbitQueue: queueType must be 'classic' or 'quorum'");
  }
  // noDelay: without it Nagle's algorithm and delayed ACKs add ~40 ms to every confirm.
  const connection = await connect(options.url ?? 'amqp://guest:guest@127.0.0.1:5672', {
    noDelay: true,
  });
  try {
    const channel = await connection.createConfirmChannel();
    const link: Link = {
      connection,
      channel,
      queueType,
      pollIntervalMs: options.pollIntervalMs ?? 50,
      returned: new Set(),
      failure: undefined,
      closed: false,
    };
    const fail = (err: Error): void => {
      link.failure ??= err;
    };
    connection.on('error', fail);
    connection.on('close', () => {
      fail(new Error(`queue ${name}: the connection to RabbitMQ closed`));
    });
    channel.on('error', fail);
    channel.on('close', () => {
      fail(new Error(`queue ${name}: the channel to RabbitMQ closed`));
    });
    channel.on('return', (message: Message) => {
      const headers = message.properties.headers as Record<string, unknown> | undefined;
      const publishId = headers?.[INTERNAL_HEADER.publishId];
      if (typeof publishId === 'string') link.returned.add(publishId);
    });
    await declare(link, name, 'main');
    await declare(link, `${name}.poison`, 'terminal');
    await declare(link, `${name}.deadletter`, 'terminal');
    return rabbitAdapter(link, name, 'main', Promise.resolve());
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}

async function declare(link: Link, queue: string, role: Role): Promise<void> {
  const args: Record<string, unknown> = { 'x-queue-type': link.queueType };
  if (role === 'main') {
    args['x-dead-letter-exchange'] = '';
    args['x-dead-letter-routing-key'] = `${queue}.deadletter`;
  }
  await link.channel.assertQueue(queue, { durable: true, arguments: args });
}

/** Publish and wait for the broker's confirm; reject if it was nacked or returned. */
function publish(link: Link, queue: string, body: Buffer, message: AmqpEnvelope): Promise<void> {
  const publishId = randomUUID();
  const options: Options.Publish = publishOptions(message, Date.now(), publishId);
  return new Promise((resolve, reject) => {
    link.channel.sendToQueue(queue, body, options, (err: unknown) => {
      if (link.returned.delete(publishId)) {
        reject(new Error(`queue ${queue}: message ${message.id} unroutable (no such queue)`));
      } else if (err !== null && err !== undefined) {
        reject(err instanceof Error ? err : new Error(`queue ${queue}: publish not confirmed`));
      } else {
        resolve();
      }
    });
  });
}

function rabbitAdapter(
  link: Link,
  name: string,
  role: Role,
  declared: Promise<void>,
): QueueAdapter {
  const { channel } = link;
  let poison: QueueAdapter | undefined;
  let deadLetter: QueueAdapter | undefined;
  const inflight = new Set<GetMessage>();

  const ready = async (): Promise<void> => {
    assertOpen(link.closed, name);
    if (link.failure !== undefined) throw link.failure;
    await declared;
  };

  const sub = (queue: string): QueueAdapter => {
    // The main queue declared its own sub-queues; deeper ones are declared on first use.
    const subDeclared = role === 'main' ? declared : declare(link, queue, 'terminal');
    subDeclared.catch(() => undefined); // surfaces on the sub-queue's first operation
    return rabbitAdapter(link, queue, 'terminal', subDeclared);
  };

  const deliver = (message: GetMessage, decoded: DecodedMessage): Delivery => {
    inflight.add(message);
    const guard = settlementGuard();
    const settle = (action: () => Promise<void>): Promise<void> =>
      guard(async () => {
        await ready();
        await action();
        channel.ack(message);
        inflight.delete(message);
      });
    const properties = role === 'main' ? decoded.properties : brokerDeadLetterProperties(decoded);
    const envelope = (props: Readonly<Record<string, string>>, prior: number): AmqpEnvelope => ({
      id: decoded.id,
      properties: props,
      enqueuedAt: decoded.enqueuedAt,
      expiresAt: role === 'main' ? decoded.expiresAt : undefined,
      priorDeliveries: prior,
    });
    return {
      id: decoded.id,
      body: message.content,
      properties,
      enqueuedAt: new Date(decoded.enqueuedAt),
      expiresAt:
        role === 'main' && decoded.expiresAt !== undefined
          ? new Date(decoded.expiresAt)
          : undefined,
      deliveryCount: decoded.deliveryCount,
      ack: () => settle(() => Promise.resolve()),
      retry: async (delayMs: number) => {
        checkDelay(delayMs);
        const delay = Math.ceil(delayMs);
        await settle(async () => {
          const copy = envelope(properties, decoded.deliveryCount);
          if (delay === 0) {
            await publish(link, name, message.content, copy);
            return;
          }
          const delayQueue = `${name}.retry.${String(delay)}`;
          // Redeclared on each use: that also renews its x-expires idle timer.
          await channel.assertQueue(delayQueue, {
            durable: true,
            arguments: {
              'x-queue-type': link.queueType,
              'x-message-ttl': delay,
              'x-expires': delay + DELAY_QUEUE_IDLE_MS,
              'x-dead-letter-exchange': '',
              'x-dead-letter-routing-key': name,
            },
          });
          await publish(link, delayQueue, message.content, copy);
        });
      },
      poison: (code: string, reason: string) =>
        settle(() =>
          publish(
            link,
            `${name}.poison`,
            message.content,
            envelope(poisonProperties(properties, name, code, reason), 0),
          ),
        ),
    };
  };

  /** One `basic.get`; expired messages met are moved to the dead-letter queue. */
  const attempt = async (): Promise<Delivery | undefined> => {
    for (;;) {
      await ready();
      const message = await channel.get(name, { noAck: false });
      if (message === false) return undefined;
      const now = Date.now();
      const decoded = decodeMessage(message, now);
      if (role === 'main' && decoded.expiresAt !== undefined && decoded.expiresAt <= now) {
        await publish(link, `${name}.deadletter`, message.content, {
          id: decoded.id,
          properties: deadLetterProperties(decoded.properties, name),
          enqueuedAt: decoded.enqueuedAt,
          expiresAt: undefined,
          priorDeliveries: 0,
        });
        channel.ack(message);
        continue;
      }
      return deliver(message, decoded);
    }
  };

  return {
    name,
    async send(body: Buffer, sendOptions: SendOptions = {}): Promise<string> {
      checkSendOptions(sendOptions);
      const properties = { ...sendOptions.properties };
      checkPropertyNames(properties);
      await ready();
      const now = Date.now();
      const id = sendOptions.id ?? randomUUID();
      const ttl = sendOptions.ttlMs;
      await publish(link, name, Buffer.from(body), {
        id,
        properties,
        enqueuedAt: now,
        // A sub-queue has no dead-letter queue of its own: its messages do not expire.
        expiresAt: ttl === undefined || role !== 'main' ? undefined : now + Math.ceil(ttl),
        priorDeliveries: 0,
      });
      return id;
    },
    receive: (receiveOptions: ReceiveOptions = {}) =>
      pollFor(attempt, receiveOptions, link.pollIntervalMs),
    poisonQueue: () => (poison ??= sub(`${name}.poison`)),
    deadLetterQueue: () => (deadLetter ??= sub(`${name}.deadletter`)),
    async count(): Promise<number> {
      await ready();
      const { messageCount } = await channel.checkQueue(name);
      return messageCount + inflight.size;
    },
    async close(): Promise<void> {
      if (role !== 'main' || link.closed) return;
      link.closed = true;
      // Unsettled messages go back to their queues when the channel closes.
      await channel.close().catch(() => undefined);
      await link.connection.close().catch(() => undefined);
    },
  };
}
