/**
 * A replay-cache failure does not kill the service (issue 9 item 3): with its Redis killed
 * before a reserve, or between the reserve and the commit, the message is returned for later,
 * a `replay-cache-error` event reports it, the service keeps running, and once Redis is back
 * the message is accepted (never poisoned, never acknowledged without its replay keys). A
 * private redis-server on a random port, killed with SIGKILL and restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../../src/host/create-service.js';
import type { ServiceEvent } from '../../../src/host/events.js';
import { createRedisReplayCache } from '../../../src/replay/redis.js';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { TEST_NOW, getTestPki, orderEnvelope, testOpener } from '../../helpers.js';
import { waitUntil } from '../../support/free-port.js';
import { startRedis } from '../../support/redis-server.js';
import type { PrivateRedis } from '../../support/redis-server.js';
import { testClient } from './harness.js';

let redis: PrivateRedis;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(async () => {
  redis = await startRedis(true);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await redis.dispose();
});

describe('a service whose Redis replay cache goes down', () => {
  it('returns the message, reports it and goes on, before the reserve and between reserve and commit', async () => {
    const pki = await getTestPki();
    const queue = createMemoryQueue(`outage-${String(process.pid)}`);
    const replayCache = createRedisReplayCache({
      client: redis.client(),
      keyPrefix: `wsseq-outage:${String(Date.now())}:`,
      leaseMs: 1000,
      now: () => TEST_NOW,
    });
    const events: ServiceEvent[] = [];
    const handledIds: string[] = [];
    let gate: Promise<void> | undefined;
    let entered: (() => void) | undefined;
    const service = createService({
      queue,
      mode: 'Message',
      opener: testOpener(pki, {}, { replayCache }),
      receiveWaitMs: 50,
      retryDelayMs: 50,
      concurrency: 1,
      handler: async ({ message }) => {
        handledIds.push(message.id);
        entered?.();
        if (gate) await gate;
      },
      onEvent: (e) => events.push(e),
    });
    const client = testClient(pki, queue, 'Message');
    const outcome = (id: string) =>
      events.find(
        (e) =>
          'messageId' in e &&
          e.messageId === id &&
          (e.type === 'accepted' || e.type === 'poisoned' || e.type === 'rejected'),
      );
    service.start();
    try {
      // 1. Redis down before the reserve.
      await redis.kill();
      const first = await client.send(orderEnvelope('1.1', 'first'));
      await waitUntil(
        'a reserve failure',
        () =>
          events.some(
            (e) =>
              e.type === 'replay-cache-error' && e.operation === 'reserve' && e.messageId === first,
          ),
        20_000,
      );
      expect(service.running).toBe(true);
      await redis.restart();
      await waitUntil('the first message accepted', () => outcome(first) !== undefined, 20_000);
      expect(outcome(first)?.type).toBe('accepted');

      // 2. Redis down while the handler runs: after the reserve, before the commit.
      let open: () => void = () => undefined;
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const inHandler = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const second = await client.send(orderEnvelope('1.1', 'second'));
      await inHandler;
      entered = undefined;
      await redis.kill();
      open();
      gate = undefined;
      await waitUntil(
        'a commit failure',
        () =>
          events.some(
            (e) =>
              e.type === 'replay-cache-error' && e.operation === 'commit' && e.messageId === second,
          ),
        20_000,
      );
      expect(service.running).toBe(true);
      expect(outcome(second)).toBeUndefined(); // not acknowledged without its replay keys
      await redis.restart();
      await waitUntil('the second message accepted', () => outcome(second) !== undefined, 20_000);
      expect(outcome(second)?.type).toBe('accepted');
      // Handled again after the failed commit: at least once, never lost.
      expect(handledIds.filter((id) => id === second).length).toBeGreaterThanOrEqual(2);
      expect(await queue.count()).toBe(0);
      expect(await queue.poisonQueue().count()).toBe(0);
      expect(events.filter((e) => e.type === 'faulted' || e.type === 'poisoned')).toEqual([]);
      expect(unhandled).toEqual([]);
    } finally {
      await service.stop();
    }
  }, 90_000);
});
