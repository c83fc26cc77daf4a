/**
 * Operator operations on RabbitMQ, over AMQP 0-9-1 (amqplib), without the management plugin.
 *
 * Discovery: AMQP cannot list queues, so the console is given the main queue names; each
 * one's poison and dead-letter queues follow the adapter's convention (`<name>.poison`,
 * `<name>.deadletter`). A queue that does not exist is shown with zero counts.
 *
 * Counts: `queue.declare` (passive) gives the ready messages; messages other connections hold
 * unacknowledged are not visible over AMQP, so in-flight is unknown (undefined).
 *
 * Peek and list: `basic.get` without acknowledgement, then the channel is closed, which
 * returns every message to its queue at its place (classic and quorum queues requeue to the
 * head in order). Side effects, plainly: a peeked message is marked redelivered (a classic
 * queue then counts one earlier delivery; a quorum queue's `x-delivery-count` grows), and
 * while a listing runs its messages are invisible to consumers for a few milliseconds.
 *
 * Actions on one message take messages until they meet it (at most the listing limit),
 * publish a copy where it goes (with a publisher confirm), acknowledge the original, and
 * return the others.
 */
import { connect } from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { decodeMessage, publishOptions } from '../transport/queue/rabbitmq-message.js';
import { recordedOutcome, withoutOutcome } from './record.js';
import { ConsoleError, checkQueueName } from './types.js';
import type { ListOptions, PeekedMessage, QueueAdmin, QueueKind, QueueSummary } from './types.js';

/** Options of {@link openRabbitAdmin}. */
export interface RabbitAdminOptions {
  /** Default `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url?: string;
  /** The main queues to show (their poison and dead-letter queues are found by name). */
  readonly queues: readonly string[];
  /** Most messages a listing or a search for one message takes. Default 500. */
  readonly scanLimit?: number;
}

const POISON = '.poison';
const DEAD_LETTER = '.deadletter';

/** The kind of a queue by the RabbitMQ adapter's naming. */
export function rabbitQueueKind(queue: string): { family: string; kind: QueueKind } {
  if (queue.endsWith(POISON)) return { family: queue.slice(0, -POISON.length), kind: 'poison' };
  if (queue.endsWith(DEAD_LETTER)) {
    return { family: queue.slice(0, -DEAD_LETTER.length), kind: 'deadletter' };
  }
  return { family: queue, kind: 'main' };
}

/**
 * Connect to RabbitMQ for the console.
 * @throws the connection error; TypeError without queue names.
 */
export async function openRabbitAdmin(options: RabbitAdminOptions): Promise<QueueAdmin> {
  if (options.queues.length === 0) {
    throw new TypeError('openRabbitAdmin: give the main queue names (AMQP cannot list queues)');
  }
  const names = options.queues.map(checkQueueName);
  const limit = options.scanLimit ?? 500;
  const connection: ChannelModel = await connect(
    options.url ?? 'amqp://guest:guest@127.0.0.1:5672',
    { noDelay: true },
  );
  connection.on('error', () => undefined);

  /** Run `fn` on a fresh channel, closed afterwards (returning any message it holds). */
  const withChannel = async <T>(fn: (channel: ConfirmChannel) => Promise<T>): Promise<T> => {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    try {
      return await fn(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };

  /** Ready messages of `queue`, or undefined when it does not exist. */
  const depth = (queue: string): Promise<number | undefined> =>
    withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount).catch(
      (err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      },
    );

  const summarize = (queue: string, message: GetMessage): PeekedMessage => {
    const decoded = decodeMessage(message, Date.now());
    const { kind } = rabbitQueueKind(queue);
    const properties = { ...decoded.properties };
    if (decoded.brokerDeath && properties['wsseq-dead-letter-reason'] === undefined) {
      properties['wsseq-dead-letter-reason'] = decoded.brokerDeath.reason;
      if (decoded.brokerDeath.queue !== undefined) {
        properties['wsseq-source-queue'] ??= decoded.brokerDeath.queue;
      }
    }
    return {
      queue,
      kind,
      id: decoded.id,
      enqueuedAt: new Date(decoded.enqueuedAt),
      movedAt: undefined,
      ...recordedOutcome(kind, properties),
      deliveryCount: decoded.deliveryCount,
      inFlight: false,
      size: message.content.length,
      properties,
      body: message.content,
    };
  };

  /** Take up to `limit` messages of `queue` on `channel` (unacknowledged). */
  const take = async (channel: Channel, queue: string, max: number): Promise<GetMessage[]> => {
    const got: GetMessage[] = [];
    while (got.length < max) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) break;
      got.push(message);
    }
    return got;
  };

  const scan = (queue: string, max: number): Promise<PeekedMessage[]> =>
    withChannel(async (channel) => {
      try {
        return (await take(channel, queue, max)).map((m) => summarize(queue, m));
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    });

  /** Find `id` in `queue`, publish it with `publish`, acknowledge it; the rest go back. */
  const actOn = (
    queue: string,
    id: string,
    publish: ((found: PeekedMessage, channel: ConfirmChannel) => Promise<void>) | undefined,
  ): Promise<PeekedMessage> =>
    withChannel(async (channel) => {
      let messages: GetMessage[];
      try {
        messages = await take(channel, queue, limit);
      } catch (err) {
        if (isNotFound(err)) throw new ConsoleError('UnknownQueue', `no queue ${queue}`);
        throw err;
      }
      const index = messages.findIndex((m) => summarize(queue, m).id === id);
      const message = messages[index];
      if (message === undefined) {
        throw new ConsoleError('MessageNotFound', `no message ${id} in queue ${queue}`);
      }
      const found = summarize(queue, message);
      if (publish) await publish(found, channel);
      channel.ack(message);
      return found;
    });

  const republish = async (
    channel: ConfirmChannel,
    target: string,
    found: PeekedMessage,
    properties: Readonly<Record<string, string>>,
  ): Promise<void> => {
    const options = publishOptions(
      {
        id: found.id,
        properties,
        enqueuedAt: found.enqueuedAt.getTime(),
        expiresAt: undefined,
        priorDeliveries: 0,
      },
      Date.now(),
      randomUUID(),
    );
    // Not mandatory: a missing target queue must fail loudly, so check it first.
    await channel.checkQueue(target).catch((err: unknown) => {
      throw isNotFound(err) ? new ConsoleError('UnknownQueue', `no queue ${target}`) : err;
    });
    channel.sendToQueue(target, found.body, { ...options, mandatory: false });
    await channel.waitForConfirms();
  };

  return {
    backend: 'rabbitmq',
    async listQueues(): Promise<QueueSummary[]> {
      const out: QueueSummary[] = [];
      for (const name of names) {
        const [main, poison, deadLetter] = await Promise.all([
          depth(name),
          depth(`${name}${POISON}`),
          depth(`${name}${DEAD_LETTER}`),
        ]);
        out.push({
          name,
          poisonQueue: `${name}${POISON}`,
          deadLetterQueue: `${name}${DEAD_LETTER}`,
          depth: main ?? 0,
          inFlight: undefined,
          poison: poison ?? 0,
          deadLetter: deadLetter ?? 0,
        });
      }
      return out;
    },
    listMessages: (queue: string, listOptions: ListOptions = {}): Promise<PeekedMessage[]> =>
      scan(queue, Math.min(listOptions.limit ?? 200, limit)),
    async peek(queue: string, id: string): Promise<PeekedMessage | undefined> {
      return (await scan(queue, limit)).find((m) => m.id === id);
    },
    async retry(queue: string, id: string): Promise<string> {
      const { family, kind } = rabbitQueueKind(queue);
      if (kind === 'main') {
        throw new ConsoleError(
          'NoSourceQueue',
          `${queue} is a main queue: retry is for poison and dead-letter messages`,
        );
      }
      let target = family;
      await actOn(queue, id, async (found, channel) => {
        target = found.sourceQueue ?? family;
        await republish(channel, target, found, withoutOutcome(found.properties));
      });
      return target;
    },
    async move(queue: string, id: string, target: string): Promise<void> {
      checkQueueName(target);
      await actOn(queue, id, (found, channel) =>
        republish(channel, target, found, found.properties),
      );
    },
    async delete(queue: string, id: string): Promise<void> {
      await actOn(queue, id, undefined);
    },
    purge: (queue: string) =>
      withChannel(async (channel) => (await channel.purgeQueue(queue)).messageCount).catch(
        (err: unknown) => {
          if (isNotFound(err)) throw new ConsoleError('UnknownQueue', `no queue ${queue}`);
          throw err;
        },
      ),
    async close(): Promise<void> {
      await connection.close().catch(() => undefined);
    },
  };
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
}
