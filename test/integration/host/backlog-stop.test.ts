/**
 * A service draining a backlog from the embedded SQLite queue yields to the event loop between
 * messages: a timer set while it works fires on time, and the graceful stop it calls begins at
 * once (issue 9 item 7): within 100 ms, or, where one message takes longer on a loaded
 * machine, after no more than the messages the workers have in hand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../../src/host/create-service.js';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import { orderEnvelope } from '../../helpers.js';
import { fillSqliteQueue } from '../queue/sqlite-fill.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsseq-backlog-stop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BACKLOG = 1500;
const CONCURRENCY = 4;

describe('a service with a backlog', () => {
  it('fires timers while it drains, and a stop begins within 100 ms', async () => {
    const file = join(dir, 'queue.db');
    const name = `backlog-${String(process.pid)}`;
    await openSqliteQueue({ file, name }).close();
    fillSqliteQueue(file, name, BACKLOG, Buffer.from(orderEnvelope()));
    const queue = openSqliteQueue({ file, name });
    let handled = 0;
    let handledAfterStop = 0;
    let stopCalledAt: number | undefined;
    const service = createService({
      queue,
      mode: 'None',
      concurrency: CONCURRENCY,
      receiveWaitMs: 50,
      handler: () => {
        handled += 1;
        if (stopCalledAt !== undefined) handledAfterStop += 1;
      },
    });
    try {
      const started = performance.now();
      service.start();
      while (handled < 20) await new Promise((r) => setTimeout(r, 5));
      // What one message costs on this machine now (a shared machine's disk can be slow):
      // the stop waits at most for the messages each worker has in hand.
      const perMessageMs = (performance.now() - started) / handled;
      // A timer set while the service is busy with the backlog.
      const due = performance.now() + 20;
      const lateness = await new Promise<number>((resolve) => {
        setTimeout(() => {
          stopCalledAt = performance.now();
          void service.stop();
          resolve(stopCalledAt - due);
        }, 20);
      });
      await service.stopped;
      expect(lateness).toBeLessThan(Math.max(100, 2 * CONCURRENCY * perMessageMs));
      // Only the messages already in flight were handled after the stop began.
      expect(handledAfterStop).toBeLessThanOrEqual(CONCURRENCY);
      expect(handled).toBeLessThan(BACKLOG);
      expect(await queue.count()).toBe(BACKLOG - handled);
    } finally {
      await service.stop();
      await queue.close();
    }
  }, 120_000);
});
