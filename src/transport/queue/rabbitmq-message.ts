/**
 * How a queued message maps to an AMQP 0-9-1 message: the id in `messageId`, properties as
 * string headers, the enqueue time in `timestamp` (seconds, as AMQP has it) plus a
 * millisecond header, and a few internal headers the RabbitMQ adapter keeps across retries.
 */
import { createHash } from 'node:crypto';
import type { GetMessage, Options } from 'amqplib';
import { QUEUE_PROPERTY } from './types.js';

/** Headers the adapter writes for itself; they never appear in `properties`. */
export const INTERNAL_HEADER = {
  /** Deliveries settled by `retry` before this copy was published. */
  deliveryCount: 'wsseq-amqp-delivery-count',
  enqueuedAt: 'wsseq-amqp-enqueued-at',
  expiresAt: 'wsseq-amqp-expires-at',
  /** Matches a `basic.return` to its publish. */
  publishId: 'wsseq-amqp-publish-id',
} as const;

const INTERNAL_PREFIX = 'wsseq-amqp-';

/** The parts of a queued message a publish carries. */
export interface AmqpEnvelope {
  readonly id: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly enqueuedAt: number;
  readonly expiresAt: number | undefined;
  /** Deliveries before this publish (0 for a new message). */
  readonly priorDeliveries: number;
}

/** Property names RabbitMQ or the adapter reserve: `x-...` and `wsseq-amqp-...`. */
export function checkPropertyNames(properties: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(properties)) {
    if (key.startsWith('x-') || key.startsWith(INTERNAL_PREFIX)) {
      throw new TypeError(`send: property name ${key} is reserved (x-..., ${INTERNAL_PREFIX}...)`);
    }
  }
}

/** Publish options for `message`, with `expiration` from its remaining time to live. */
export function publishOptions(
  message: AmqpEnvelope,
  now: number,
  publishId: string,
): Options.Publish {
  const headers: Record<string, string> = {
    ...message.properties,
    [INTERNAL_HEADER.enqueuedAt]: String(message.enqueuedAt),
    [INTERNAL_HEADER.publishId]: publishId,
  };
  if (message.priorDeliveries > 0) {
    headers[INTERNAL_HEADER.deliveryCount] = String(message.priorDeliveries);
  }
  const options: Options.Publish = {
    messageId: message.id,
    timestamp: Math.floor(message.enqueuedAt / 1000),
    persistent: true,
    mandatory: true,
    contentType: 'application/octet-stream',
    headers,
  };
  if (message.expiresAt !== undefined) {
    headers[INTERNAL_HEADER.expiresAt] = String(message.expiresAt);
    options.expiration = String(Math.max(0, Math.ceil(message.expiresAt - now)));
  }
  return options;
}

/** A received AMQP message read back: the envelope and the delivery count. */
export interface DecodedMessage extends AmqpEnvelope {
  readonly deliveryCount: number;
  /** The broker's latest dead-letter reason and source queue, if it moved the message. */
  readonly brokerDeath: { readonly reason: string; readonly queue: string | undefined } | undefined;
}

/**
 * Read `message`. The delivery count is the retries recorded in the internal header plus one,
 * plus the broker's redeliveries: `x-delivery-count` (quorum queues) or, without it, one if
 * the `redelivered` flag is set (classic queues say only "at least once before").
 */
export function decodeMessage(message: GetMessage, now: number): DecodedMessage {
  const headers = asRecord(message.properties.headers);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (key.startsWith('x-') || key.startsWith(INTERNAL_PREFIX)) continue;
    if (typeof value === 'string') properties[key] = value;
  }
  const timestamp = numeric(message.properties.timestamp);
  const enqueuedAt =
    numeric(headers[INTERNAL_HEADER.enqueuedAt]) ??
    (timestamp === undefined ? now : timestamp * 1000);
  const retried = numeric(headers[INTERNAL_HEADER.deliveryCount]) ?? 0;
  const brokerCount = numeric(headers['x-delivery-count']) ?? 0;
  const redeliveries = Math.max(brokerCount, message.fields.redelivered ? 1 : 0);
  const id: unknown = message.properties.messageId;
  return {
    // A message published without an id (by another client) gets one from its bytes: the same
    // on every redelivery, so that a replay cache can tell a redelivery from a copy.
    id:
      typeof id === 'string' && id !== ''
        ? id
        : `sha256:${createHash('sha256').update(message.content).digest('hex')}`,
    properties,
    enqueuedAt,
    expiresAt: numeric(headers[INTERNAL_HEADER.expiresAt]),
    priorDeliveries: retried,
    deliveryCount: retried + redeliveries + 1,
    brokerDeath: brokerDeath(headers),
  };
}

function brokerDeath(headers: Record<string, unknown>): DecodedMessage['brokerDeath'] {
  // The latest death counts (a delayed retry leaves an earlier one from the delay queue):
  // x-last-death-* (RabbitMQ 3.13+), else x-death (most recent first), else x-first-death-*.
  const deaths = headers['x-death'];
  const latest = Array.isArray(deaths) ? asRecord(deaths[0]) : {};
  const reason =
    headers['x-last-death-reason'] ?? latest['reason'] ?? headers['x-first-death-reason'];
  const queue = headers['x-last-death-queue'] ?? latest['queue'] ?? headers['x-first-death-queue'];
  if (typeof reason !== 'string') return undefined;
  return { reason, queue: typeof queue === 'string' ? queue : undefined };
}

/** The dead-letter properties of a message the broker moved (unless it already has them). */
export function brokerDeadLetterProperties(
  decoded: DecodedMessage,
): Readonly<Record<string, string>> {
  const death = decoded.brokerDeath;
  if (death === undefined || QUEUE_PROPERTY.deadLetterReason in decoded.properties) {
    return decoded.properties;
  }
  const properties: Record<string, string> = {
    ...decoded.properties,
    [QUEUE_PROPERTY.deadLetterReason]: death.reason,
  };
  if (death.queue !== undefined) properties[QUEUE_PROPERTY.sourceQueue] = death.queue;
  return properties;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
