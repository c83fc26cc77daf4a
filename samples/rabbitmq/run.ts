/**
 * The demo's flow over RabbitMQ instead of the embedded queue: the same clients, services,
 * credentials, modes and attacks, with durable queues on a broker (default
 * amqp://guest:guest@127.0.0.1:5672, or WSSEQ_AMQP_URL).
 *
 *   node --import tsx samples/rabbitmq/run.ts
 *
 * Queues are named `wsseq-sample-<time>.orders.<mode>` (poison queues `<name>.poison`) and
 * are left on the broker so that an operator can look at what was moved and why.
 */
import { runDemo } from '../../src/index.js';

const url = process.env.WSSEQ_AMQP_URL;
const summary = await runDemo({
  dir: '.wsseq-demo',
  color: process.stdout.isTTY,
  queues: { kind: 'rabbitmq', prefix: `wsseq-sample-${Date.now()}.`, ...(url ? { url } : {}) },
});
process.exitCode = summary.unexpected > 0 ? 1 : 0;
