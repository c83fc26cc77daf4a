/**
 * Queue adapters: the interface and its three implementations (in-memory for tests, the
 * embedded durable SQLite queue, RabbitMQ).
 */
export type {
  Delivery,
  QueueAdapter,
  QueueConnectionEvent,
  QueuedMessage,
  ReceiveOptions,
  SendOptions,
} from './types.js';
export { QUEUE_PROPERTY } from './types.js';
export { DEAD_LETTER_EXPIRED } from './shared.js';
export { createMemoryQueue } from './memory-queue.js';
export type { MemoryQueueOptions } from './memory-queue.js';
export { openSqliteQueue } from './sqlite-queue.js';
export type { SqliteQueueOptions } from './sqlite-queue.js';
export { openRabbitQueue } from './rabbitmq-queue.js';
export type { RabbitQueueOptions } from './rabbitmq-queue.js';
