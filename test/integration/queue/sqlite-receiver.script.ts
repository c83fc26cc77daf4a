/**
 * A receiver for sqlite-queue.test.ts: receives one message, reports it on stdout as a JSON
 * line, then waits (never acknowledging) until the test kills it.
 * Usage: node --import tsx sqlite-receiver.script.ts <file> <queue> <leaseMs>
 */
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';

const [file, name, leaseMs] = process.argv.slice(2);
if (file === undefined || name === undefined || leaseMs === undefined) {
  throw new TypeError('usage: sqlite-receiver.script.ts <file> <queue> <leaseMs>');
}
const queue = openSqliteQueue({ file, name, leaseMs: Number(leaseMs) });
const delivery = await queue.receive({ waitMs: 10_000 });
process.stdout.write(
  `${JSON.stringify(delivery ? { id: delivery.id, deliveryCount: delivery.deliveryCount } : null)}\n`,
);
setInterval(() => undefined, 60_000); // hold the message until SIGKILL
