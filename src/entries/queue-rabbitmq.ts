/**
 * `wsseq/queue/rabbitmq`: the RabbitMQ queue adapter. Needs the optional peer dependency
 * amqplib. Re-exports only.
 */
export { openRabbitQueue } from '../transport/queue/rabbitmq-queue.js';
export type { RabbitQueueOptions } from '../transport/queue/rabbitmq-queue.js';
