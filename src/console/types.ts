/**
 * What the operator console and `wsseq queues` see of a queue store: queues with their
 * counts, the messages in them, and the operator actions. One implementation per store
 * (embedded SQLite, RabbitMQ), written against the store's schema or AMQP, not the adapters.
 */

/** Which part of a queue family a queue is. */
export type QueueKind = 'main' | 'poison' | 'deadletter';

/** One queue family (a queue with its poison and dead-letter queues) and its counts. */
export interface QueueSummary {
  /** The main queue's name. */
  readonly name: string;
  readonly poisonQueue: string;
  readonly deadLetterQueue: string;
  /** Messages in the main queue (waiting or leased). */
  readonly depth: number;
  /** Messages received and not yet settled; undefined where the store cannot tell (AMQP). */
  readonly inFlight: number | undefined;
  readonly poison: number;
  readonly deadLetter: number;
}

/** A message as listed: what the queue and the host recorded, never its decrypted content. */
export interface MessageSummary {
  readonly queue: string;
  readonly kind: QueueKind;
  readonly id: string;
  readonly enqueuedAt: Date;
  /** When it was moved to this (poison or dead-letter) queue, where the store records it. */
  readonly movedAt: Date | undefined;
  /** `wsseq-reject-code`, or `Expired` style dead-letter reasons as the queue recorded them. */
  readonly code: string | undefined;
  readonly reason: string | undefined;
  /** The queue it came from (`wsseq-source-queue`). */
  readonly sourceQueue: string | undefined;
  /** Deliveries in this queue so far (the store's count). */
  readonly deliveryCount: number;
  /** True while a receiver holds it (it cannot be acted on then). */
  readonly inFlight: boolean;
  readonly size: number;
  readonly properties: Readonly<Record<string, string>>;
}

/** A message with its bytes (as queued: still encrypted under message security). */
export interface PeekedMessage extends MessageSummary {
  readonly body: Buffer;
}

/** Options of {@link QueueAdmin.listMessages}. */
export interface ListOptions {
  /** At most this many messages, oldest first. Default 200. */
  readonly limit?: number;
}

/** Stable codes of {@link ConsoleError}. */
export type ConsoleErrorCode =
  'UnknownQueue' | 'MessageNotFound' | 'MessageInFlight' | 'NoSourceQueue' | 'BadQueueName';

/** An operator action that cannot be done (not a bug: the state of the store forbids it). */
export class ConsoleError extends Error {
  readonly code: ConsoleErrorCode;
  constructor(code: ConsoleErrorCode, message: string) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
  }
}

/** The operations of the console over one store. */
export interface QueueAdmin {
  readonly backend: 'sqlite' | 'rabbitmq';
  /** Every queue family the store knows of, by name. */
  listQueues(): Promise<QueueSummary[]>;
  /** Messages of one queue (main, poison or dead-letter), oldest first, with their bytes. */
  listMessages(queue: string, options?: ListOptions): Promise<PeekedMessage[]>;
  /** One message with its bytes, without settling or changing it; undefined if absent. */
  peek(queue: string, id: string): Promise<PeekedMessage | undefined>;
  /**
   * Send a poison or dead-letter message back to the queue it came from, as new (reject
   * properties removed, delivery count reset). Resolves with that queue's name.
   * @throws ConsoleError MessageNotFound, MessageInFlight, NoSourceQueue.
   */
  retry(queue: string, id: string): Promise<string>;
  /** Move a message to `target` (any queue), properties kept. */
  move(queue: string, id: string, target: string): Promise<void>;
  /** Delete one message. */
  delete(queue: string, id: string): Promise<void>;
  /** Delete every message of one queue that no receiver holds; resolves with how many. */
  purge(queue: string): Promise<number>;
  close(): Promise<void>;
}

/** Reject properties a retry removes, so that the next outcome is recorded afresh. */
export const OUTCOME_PROPERTIES: readonly string[] = [
  'wsseq-reject-code',
  'wsseq-reject-reason',
  'wsseq-dead-letter-reason',
  'wsseq-source-queue',
  'wsseq-reject-disposition',
];

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

/** Check a queue name an operator typed. */
export function checkQueueName(name: string): string {
  if (typeof name !== 'string' || name === '' || name.length > 200 || hasControl(name)) {
    throw new ConsoleError('BadQueueName', 'a queue name is 1 to 200 printable characters');
  }
  return name;
}
