/**
 * Redelivery or copy, at the service (issue 9 item 1): the same signed bytes enqueued again
 * under the id of a handled message are acknowledged as a duplicate and never handled again;
 * under another id they are a Replay (rejected to the poison queue); the honest first delivery
 * is accepted. Memory, SQLite and Redis replay caches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { TEST_NOW, getTestPki, orderEnvelope, testOpener } from '../../helpers.js';
import { CACHE_KINDS } from '../../unit/replay/caches.js';
import type { CacheStore } from '../../unit/replay/caches.js';
import { capturingSink, runService, testClient } from './harness.js';

for (const kind of CACHE_KINDS) {
  describe(`the service with a ${kind.name} replay cache`, () => {
    let store: CacheStore | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('acknowledges a handled message sent again under its id as a duplicate; under another id it is a Replay', async () => {
      const pki = await getTestPki();
      store = await kind.create();
      const queue = createMemoryQueue(`redelivery-${kind.name}`);
      const capture = capturingSink(queue);
      const id = await testClient(pki, capture, 'Message').send(orderEnvelope());
      const secured = capture.last();
      const service = {
        queue,
        mode: 'Message' as const,
        opener: testOpener(pki, {}, { replayCache: store.open({ now: () => TEST_NOW }) }),
        receiveWaitMs: 20,
        retryDelayMs: 10,
      };
      const first = await runService(service, 1);
      expect(first.events.map((e) => e.type)).toEqual(['accepted']);

      await queue.send(secured, { id }); // the same queue message again
      await queue.send(secured, { id: `copy-${id}` }); // a copy
      const second = await runService(service, 2);
      expect(second.handled).toEqual([]);
      const outcomes = second.events.map((e) => [
        e.type,
        'messageId' in e ? e.messageId : undefined,
        'code' in e ? e.code : undefined,
      ]);
      expect(outcomes).toEqual(
        expect.arrayContaining([
          ['duplicate', id, undefined],
          ['rejected', `copy-${id}`, 'Replay'],
        ]),
      );
      expect(await queue.count()).toBe(0);
      expect(await queue.poisonQueue().count()).toBe(1);
    });
  });
}
