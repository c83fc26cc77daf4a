/**
 * The queue adapter interface: bytes and string properties, at-least-once delivery, explicit
 * settlement. Adapters (memory, embedded SQLite, RabbitMQ) know nothing of XML or security.
 */

/** A message as it sits in a queue. */
export interface QueuedMessage {
  /** Unique id assigned when sent (the sender may choose it). */
  readonly id: string;
  /** The payload: a SOAP envelope, secured or not. */
  readonly body: Buffer;
  /** Transport properties (transport signature, certificate, destination, reason of a move...). */
  readonly properties: Readonly<Record<string, string>>;
  /** When the message was first enqueued. */
  readonly enqueuedAt: Date;
  /** When the message expires (its time to live), if it has one. */
  readonly expiresAt: Date | undefined;
  /** 1 on the first delivery; incremented on each redelivery (retry, crash, nack). */
  readonly deliveryCount: number;
}

export interface SendOptions {
  /** The message id. Default: a random UUID. */
  readonly id?: string;
  readonly properties?: Readonly<Record<string, string>>;
  /** Time to live in milliseconds; an expired message goes to the dead-letter queue. */
  readonly ttlMs?: number;
}

/** A received message and the ways to settle it. Exactly one settlement per delivery. */
export interface Delivery extends QueuedMessage {
  /** Handled: remove it from the queue. */
  ack(): Promise<void>;
  /** Put it back, visible again after `delayMs` (its deliveryCount grows). */
  retry(delayMs: number): Promise<void>;
  /**
   * Move it to the poison queue of this queue, recording why (`wsseq-reject-code`,
   * `wsseq-reject-reason` properties are added).
   */
  poison(code: string, reason: string): Promise<void>;
}

export interface ReceiveOptions {
  /** How long to wait for a message, in milliseconds. Default 0 (return at once). */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
}

/** One named queue. */
export interface QueueAdapter {
  /** The queue's name (the destination a transport signature binds). */
  readonly name: string;
  /**
   * How long a received message stays invisible without a sign of life from its receiver,
   * in milliseconds, for adapters that redeliver on a lease (the embedded SQLite queue);
   * undefined where redelivery follows the loss of a connection (RabbitMQ) or a close.
   */
  readonly leaseMs?: number;
  /** Enqueue durably; resolves once the queue has it (publisher confirm / commit). */
  send(body: Buffer, options?: SendOptions): Promise<string>;
  /**
   * Take the next visible, unexpired message; it stays invisible to other receivers until
   * settled (or until the receiver's connection or process dies: then it is redelivered).
   * Expired messages met on the way are moved to the dead-letter queue.
   */
  receive(options?: ReceiveOptions): Promise<Delivery | undefined>;
  /** The poison queue of this queue (`<name>;poison`, as MSMQ names it). */
  poisonQueue(): QueueAdapter;
  /** The dead-letter queue for expired messages. */
  deadLetterQueue(): QueueAdapter;
  /** Messages waiting (visible or not), for operators and tests. */
  count(): Promise<number>;
  close(): Promise<void>;
  /**
   * Listen to the adapter's connection (adapters with a connection to a broker); returns the
   * way to stop listening. A service forwards these as `queue-connection` events.
   */
  subscribe?(listener: (event: QueueConnectionEvent) => void): () => void;
}

/** What an adapter with a broker connection reports about it. */
export type QueueConnectionEvent =
  | {
      /** The connection or channel was lost; reconnection starts. */
      readonly type: 'disconnected';
      readonly queue: string;
      readonly error: Error;
    }
  | {
      /** A reconnection attempt failed; the next one is in `retryInMs`. */
      readonly type: 'reconnect-failed';
      readonly queue: string;
      readonly attempt: number;
      readonly error: Error;
      readonly retryInMs: number;
    }
  | {
      /** Connected again, topology declared again; receiving and sending resume. */
      readonly type: 'reconnected';
      readonly queue: string;
      readonly attempts: number;
    };

/** Reserved property names. */
export const QUEUE_PROPERTY = {
  rejectCode: 'wsseq-reject-code',
  rejectReason: 'wsseq-reject-reason',
  deadLetterReason: 'wsseq-dead-letter-reason',
  sourceQueue: 'wsseq-source-queue',
} as const;
