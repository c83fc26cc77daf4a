/**
 * Poison handling with each error mode (WCF ReceiveErrorHandling), for security rejections
 * (never retried) and for handler failures (retried, then poison).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../../src/host/create-service.js';
import { REJECT_DISPOSITION_PROPERTY } from '../../../src/host/dispose.js';
import type { ServiceEvent } from '../../../src/host/events.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { QUEUE_PROPERTY } from '../../../src/transport/queue/types.js';
import { getTestPki, orderEnvelope } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { runService, testClient, testServiceOptions } from './harness.js';
import { queueKinds } from './queues.js';

describe.each(queueKinds())('receive error handling on the $label queue', (kind) => {
  let pki: TestPki;
  let n = 0;
  const newQueue = (): Promise<QueueAdapter> => kind.make(`errors-${n++}`);
  beforeAll(async () => {
    pki = await getTestPki();
  });
  afterAll(async () => {
    await kind.cleanup();
  });

  /** An untrusted client's message: a deterministic rejection. */
  async function untrustedMessage(q: QueueAdapter): Promise<string> {
    return testClient(pki, q, 'Message', { signer: pki.untrustedClient }).send(orderEnvelope());
  }

  describe('a rejected message (not retried)', () => {
    it('Move: to the poison queue with the code and reason', async () => {
      const q = await newQueue();
      const id = await untrustedMessage(q);
      const run = await runService(
        { ...testServiceOptions(pki, q, 'Message'), errorMode: 'Move' },
        1,
      );
      expect(run.events).toMatchObject([
        { type: 'rejected', code: 'CertificateUntrusted', disposition: 'Move', deliveryCount: 1 },
      ]);
      expect(await q.count()).toBe(0);
      const p = await q.poisonQueue().receive();
      expect(p?.id).toBe(id);
      expect(p?.properties[QUEUE_PROPERTY.rejectCode]).toBe('CertificateUntrusted');
      expect(p?.properties[QUEUE_PROPERTY.rejectReason]).toBeTruthy();
    });

    it('Drop: acknowledged and gone, reported by the event only', async () => {
      const q = await newQueue();
      await untrustedMessage(q);
      const run = await runService(
        { ...testServiceOptions(pki, q, 'Message'), errorMode: 'Drop' },
        1,
      );
      expect(run.events).toMatchObject([{ type: 'rejected', disposition: 'Drop' }]);
      expect(await q.count()).toBe(0);
      expect(await q.poisonQueue().count()).toBe(0);
    });

    it('Reject: copied to the poison queue flagged for the sender, with its source queue', async () => {
      const q = await newQueue();
      const id = await untrustedMessage(q);
      const run = await runService(
        { ...testServiceOptions(pki, q, 'Message'), errorMode: 'Reject' },
        1,
      );
      expect(run.events).toMatchObject([{ type: 'rejected', disposition: 'Reject' }]);
      expect(await q.count()).toBe(0);
      const p = await q.poisonQueue().receive();
      expect(p?.id).toBe(id);
      expect(p?.properties[REJECT_DISPOSITION_PROPERTY]).toBe('Reject');
      expect(p?.properties[QUEUE_PROPERTY.sourceQueue]).toBe(q.name);
      expect(p?.properties[QUEUE_PROPERTY.rejectCode]).toBe('CertificateUntrusted');
    });

    it('Reject: to the configured reject queue when there is one', async () => {
      const q = await newQueue();
      const nack = await newQueue();
      await untrustedMessage(q);
      await runService(
        { ...testServiceOptions(pki, q, 'Message'), errorMode: 'Reject', rejectQueue: nack },
        1,
      );
      expect(await q.poisonQueue().count()).toBe(0);
      expect(await nack.count()).toBe(1);
    });

    it('Fault: the message stays in the queue and the service stops with the error', async () => {
      const q = await newQueue();
      await untrustedMessage(q);
      const events: ServiceEvent[] = [];
      const service = createService({
        ...testServiceOptions(pki, q, 'Message'),
        errorMode: 'Fault',
        handler: () => undefined,
        onEvent: (e) => events.push(e),
      });
      service.start();
      const stopped = await service.stopped;
      expect(stopped.error).toMatchObject({ code: 'CertificateUntrusted' });
      expect(service.running).toBe(false);
      expect(events.map((e) => e.type)).toEqual(['rejected', 'faulted']);
      expect(await q.count()).toBe(1);
      expect(await q.poisonQueue().count()).toBe(0);
    });
  });

  describe('a handler that fails', () => {
    it('is retried with a delay, and a later success acknowledges the message', async () => {
      const q = await newQueue();
      await testClient(pki, q, 'Message').send(orderEnvelope());
      let calls = 0;
      const run = await runService(
        {
          ...testServiceOptions(pki, q, 'Message'),
          handler: () => {
            calls++;
            if (calls < 3) throw new Error('database busy');
          },
        },
        1,
      );
      const attempts = byAttempt(run.events);
      expect(attempts.map((e) => e.type)).toEqual(['retried', 'retried', 'accepted']);
      expect(attempts[2]).toMatchObject({ deliveryCount: 3 });
      expect(await q.count()).toBe(0);
    });

    for (const errorMode of ['Move', 'Drop', 'Reject'] as const) {
      it(`${errorMode}: after maxRetries the message is poison`, async () => {
        const q = await newQueue();
        await testClient(pki, q, 'Message').send(orderEnvelope());
        const run = await runService(
          {
            ...testServiceOptions(pki, q, 'Message'),
            errorMode,
            maxRetries: 2,
            handler: () => {
              throw new Error('always fails');
            },
          },
          1,
        );
        const attempts = byAttempt(run.events);
        expect(attempts.map((e) => e.type)).toEqual(['retried', 'retried', 'poisoned']);
        expect(attempts[2]).toMatchObject({
          code: 'HandlerFailed',
          reason: 'always fails',
          disposition: errorMode,
          deliveryCount: 3,
        });
        expect(await q.count()).toBe(0);
        expect(await q.poisonQueue().count()).toBe(errorMode === 'Drop' ? 0 : 1);
      });
    }

    it('Fault: after maxRetries the service stops and the message stays', async () => {
      const q = await newQueue();
      await testClient(pki, q, 'Message').send(orderEnvelope());
      const service = createService({
        ...testServiceOptions(pki, q, 'Message'),
        errorMode: 'Fault',
        maxRetries: 1,
        handler: () => {
          throw new Error('always fails');
        },
      });
      service.start();
      const stopped = await service.stopped;
      expect(stopped.error?.message).toBe('always fails');
      expect(await q.count()).toBe(1);
    });
  });
});

/**
 * Events in attempt order. A worker reports a retry after it has settled the delivery, so on
 * a fast queue another worker may already report the next attempt: compare by delivery count.
 */
function byAttempt<T extends { type: string }>(events: readonly T[]): T[] {
  const count = (e: T): number =>
    'deliveryCount' in e && typeof e.deliveryCount === 'number' ? e.deliveryCount : 0;
  return [...events].sort((a, b) => count(a) - count(b));
}
