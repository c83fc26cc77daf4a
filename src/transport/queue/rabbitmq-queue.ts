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
import type { GetMessage, Options } from 'amqplib';
import {
  assertOpen,
  checkDelay,
  checkSendOptions,
  deadLetterProperties,
  poisonProperties,
  pollFor,
  settlementGuard,
} from './shared.js';
import { Link } from './rabbitmq-link.js';
import type { Role, Session } from './rabbitmq-link.js';
import {
  brokerDeadLetterProperties,
  checkPropertyNames,
  decodeMessage,
  publishOptions,
} from './rabbitmq-message.js';
import type { AmqpEnvelope, DecodedMessage } from './rabbitmq-message.js';
import type {
  Delivery,
  QueueAdapter,
  QueueConnectionEvent,
  ReceiveOptions,
  SendOptions,
} from './types.js';

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
  /** First delay before reconnecting after a loss, in ms; doubles per attempt. Default 100. */
  readonly reconnectDelayMs?: number;
  /** Longest delay between reconnection attempts, in ms. Default 5000. */
  readonly maxReconnectDelayMs?: number;
  /**
   * How long `send`, `retry`, `poison` and `count` wait for a lost connection to come back
   * (and retry an unconfirmed publish), in ms, before they reject. Default 30000.
   */
  readonly publishTimeoutMs?: number;
  /** Connection events (see {@link QueueConnectionEvent}). Exceptions thrown here are ignored. */
  readonly onEvent?: (event: QueueConnectionEvent) => void;
}

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
 * - Reconnection: when the connection or channel is lost (broker restart, kill, network) the
 *   adapter reconnects by itself with exponential backoff (`reconnectDelayMs` doubling up to
 *   `maxReconnectDelayMs`), declares its queues again and carries on; `onEvent` (and
 *   `subscribe`) report `disconnected`, `reconnect-failed` and `reconnected`. Meanwhile
 *   `receive` finds nothing (it does not throw); `send`, `retry` and `poison` wait for the
 *   connection up to `publishTimeoutMs` and publish again any publish left unconfirmed by the
 *   loss (so a message may be enqueued twice, under one id: never silently dropped), and
 *   reject after it. Deliveries received on the lost connection cannot be settled (their
 *   settlement rejects): the broker delivers them again.
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
  const numbers = {
    pollIntervalMs: options.pollIntervalMs ?? 50,
    reconnectDelayMs: options.reconnectDelayMs ?? 100,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 5000,
    publishTimeoutMs: options.publishTimeoutMs ?? 30_000,
  };
  for (const [key, value] of Object.entries(numbers)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
      throw new TypeError(`openRabbitQueue: ${key} must be a number >= 1`);
    }
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new TypeError('openRabbitQueue: onEvent must be a function');
  }
  const link = new Link({
    url: options.url ?? 'amqp://guest:guest@127.0.0.1:5672',
    name,
    queueType,
    reconnectDelayMs: numbers.reconnectDelayMs,
    maxReconnectDelayMs: numbers.maxReconnectDelayMs,
  });
  if (options.onEvent) link.subscribe(options.onEvent);
  await link.open();
  try {
    await link.declare(name, 'main');
    await link.declare(`${name}.poison`, 'terminal');
    await link.declare(`${name}.deadletter`, 'terminal');
  } catch (err) {
    await link.close();
    throw err;
  }
  return rabbitAdapter(
    { link, pollIntervalMs: numbers.pollIntervalMs, publishTimeoutMs: numbers.publishTimeoutMs },
    name,
    'main',
    Promise.resolve(),
  );
}

interface Shared {
  readonly link: Link;
  readonly pollIntervalMs: number;
  readonly publishTimeoutMs: number;
}

/** Publish on `session` and wait for the broker's confirm; reject if nacked, returned or lost. */
function publishOn(
  session: Session,
  queue: string,
  body: Buffer,
  message: AmqpEnvelope,
): Promise<void> {
  const publishId = randomUUID();
  const options: Options.Publish = publishOptions(message, Date.now(), publishId);
  return new Promise((resolve, reject) => {
    session.channel.sendToQueue(queue, body, options, (err: unknown) => {
      if (session.returned.delete(publishId)) {
        reject(new Error(`queue ${queue}: message ${message.id} unroutable (no such queue)`));
      } else if (err !== null && err !== undefined) {
        reject(err instanceof Error ? err : new Error(`queue ${queue}: publish not confirmed`));
      } else {
        resolve();
      }
    });
  });
}

/** True when `session` is (or turns out within a moment to be) no longer the live one. */
async function lostMeanwhile(link: Link, session: Session): Promise<boolean> {
  if (link.current !== session) return true;
  // A channel's error reaches the caller before its close event reaches the link.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return link.current !== session;
}

/**
 * Publish, waiting for a lost connection to come back and publishing again what the loss left
 * unconfirmed, until `publishTimeoutMs`: then (or for a nack or an unroutable message from a
 * live broker) reject.
 */
async function publish(
  shared: Shared,
  queue: string,
  body: Buffer,
  message: AmqpEnvelope,
): Promise<void> {
  const deadline = Date.now() + shared.publishTimeoutMs;
  for (;;) {
    const session = await shared.link.wait(deadline);
    try {
      await publishOn(session, queue, body, message);
      return;
    } catch (err) {
      if (!(await lostMeanwhile(shared.link, session)) || Date.now() > deadline) throw err;
    }
  }
}

function rabbitAdapter(
  shared: Shared,
  name: string,
  role: Role,
  declared: Promise<void>,
): QueueAdapter {
  const { link } = shared;
  let poison: QueueAdapter | undefined;
  let deadLetter: QueueAdapter | undefined;
  /** Unsettled deliveries and the session they came on. */
  const inflight = new Map<GetMessage, Session>();

  const ready = async (): Promise<void> => {
    assertOpen(link.closed, name);
    await declared;
  };

  const sub = (queue: string): QueueAdapter => {
    // The main queue declared its own sub-queues; deeper ones are declared on first use.
    const subDeclared = role === 'main' ? declared : link.declare(queue, 'terminal');
    subDeclared.catch(() => undefined); // surfaces on the sub-queue's first operation
    return rabbitAdapter(shared, queue, 'terminal', subDeclared);
  };

  const deliver = (message: GetMessage, decoded: DecodedMessage, session: Session): Delivery => {
    inflight.set(message, session);
    const guard = settlementGuard();
    const stale = (): Error =>
      new Error(
        `queue ${name}: the connection this message came on was lost; the broker delivers it again`,
      );
    const settle = (action: () => Promise<void>): Promise<void> =>
      guard(async () => {
        await ready();
        if (link.current !== session) {
          inflight.delete(message);
          throw stale();
        }
        await action();
        if (link.current !== session) throw stale();
        session.channel.ack(message);
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
            await publishOn(session, name, message.content, copy);
            return;
          }
          const delayQueue = `${name}.retry.${String(delay)}`;
          // Redeclared on each use: that also renews its x-expires idle timer.
          await session.channel.assertQueue(delayQueue, {
            durable: true,
            arguments: {
              'x-queue-type': link.options.queueType,
              'x-message-ttl': delay,
              'x-expires': delay + DELAY_QUEUE_IDLE_MS,
              'x-dead-letter-exchange': '',
              'x-dead-letter-routing-key': name,
            },
          });
          await publishOn(session, delayQueue, message.content, copy);
        });
      },
      poison: (code: string, reason: string) =>
        settle(() =>
          publishOn(
            session,
            `${name}.poison`,
            message.content,
            envelope(poisonProperties(properties, name, code, reason), 0),
          ),
        ),
    };
  };

  /**
   * One `basic.get`; expired messages met are moved to the dead-letter queue. While the
   * connection is down: nothing (reconnection runs in the background).
   */
  const attempt = async (): Promise<Delivery | undefined> => {
    for (;;) {
      await ready();
      const session = link.poke();
      if (session === undefined) return undefined;
      let message: GetMessage | false;
      try {
        message = await session.channel.get(name, { noAck: false });
      } catch (err) {
        if (await lostMeanwhile(link, session)) return undefined;
        throw err;
      }
      if (message === false) return undefined;
      const now = Date.now();
      const decoded = decodeMessage(message, now);
      if (role === 'main' && decoded.expiresAt !== undefined && decoded.expiresAt <= now) {
        await publishOn(session, `${name}.deadletter`, message.content, {
          id: decoded.id,
          properties: deadLetterProperties(decoded.properties, name),
          enqueuedAt: decoded.enqueuedAt,
          expiresAt: undefined,
          priorDeliveries: 0,
        });
        session.channel.ack(message);
        continue;
      }
      return deliver(message, decoded, session);
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
      await publish(shared, name, Buffer.from(body), {
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
      pollFor(attempt, receiveOptions, shared.pollIntervalMs),
    poisonQueue: () => (poison ??= sub(`${name}.poison`)),
    deadLetterQueue: () => (deadLetter ??= sub(`${name}.deadletter`)),
    async count(): Promise<number> {
      await ready();
      const session = await link.wait(Date.now() + shared.publishTimeoutMs);
      const { messageCount } = await session.channel.checkQueue(name);
      let held = 0;
      for (const [message, from] of inflight) {
        if (from === session) held += 1;
        else inflight.delete(message);
      }
      return messageCount + held;
    },
    subscribe: (listener) => link.subscribe(listener),
    async close(): Promise<void> {
      if (role !== 'main' || link.closed) return;
      await link.close();
    },
  };
}
