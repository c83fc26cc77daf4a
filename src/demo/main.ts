/**
 * Entry of `npm start`: run the demo in `.wsseq-demo` and exit 1 if anything was unexpected.
 * `npm start -- --rabbitmq` runs the same flow with its queues on RabbitMQ (WSSEQ_AMQP_URL,
 * default amqp://guest:guest@127.0.0.1:5672).
 */
import { shouldUseColor } from '../cli/io.js';
import { runDemo } from './run-demo.js';

const url = process.env.WSSEQ_AMQP_URL;
const summary = await runDemo({
  color: shouldUseColor(process.env, process.stdout.isTTY),
  ...(process.argv.includes('--rabbitmq')
    ? {
        queues: {
          kind: 'rabbitmq' as const,
          prefix: `wsseq-sample-${Date.now()}.`,
          ...(url ? { url } : {}),
        },
      }
    : {}),
});
process.exitCode = summary.unexpected > 0 ? 1 : 0;
