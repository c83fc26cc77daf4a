/**
 * The service host: identity mapping and authorization in the pipeline, bounded concurrency,
 * graceful shutdown, option checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/host/create-client.js';
import { createService } from '../../../src/host/create-service.js';
import type { ServiceEvent } from '../../../src/host/events.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import { TEST_NOW, getTestPki, orderEnvelope, testOpener } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { rejectionCodes, runService, testClient, testServiceOptions } from './harness.js';

let n = 0;
const newQueue = (): QueueAdapter => createMemoryQueue(`service-${n++}`);

describe('service host', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await getTestPki();
  });

  describe('identity mapping and authorization', () => {
    it('maps the message signer one-to-one: the handler sees the account and its roles', async () => {
      const q = newQueue();
      await testClient(pki, q, 'Message').send(orderEnvelope());
      const run = await runService(
        {
          ...testServiceOptions(pki, q, 'Message'),
          mapping: {
            oneToOne: [
              { certificate: pki.client.certificate, account: 'CORP\\alice', roles: ['buyer'] },
            ],
          },
        },
        1,
      );
      const ctx = run.handled[0]!.context;
      expect(ctx.account).toEqual({
        account: 'CORP\\alice',
        roles: ['buyer'],
        rule: 'one-to-one:0',
      });
      expect(ctx.identity?.name).toBe('CORP\\alice');
      expect(ctx.identity?.roles).toContain('buyer');
    });

    it('maps the transport certificate many-to-one under Transport', async () => {
      const q = newQueue();
      await testClient(pki, q, 'Transport', { transport: pki.client2 }).send(orderEnvelope());
      const run = await runService(
        {
          ...testServiceOptions(pki, q, 'Transport'),
          mapping: {
            manyToOne: [{ upn: '*@corp.example', account: 'CORP\\staff', roles: ['staff'] }],
          },
        },
        1,
      );
      expect(run.handled[0]!.context.identity?.name).toBe('CORP\\staff');
    });

    it('an unmapped certificate is rejected (AuthenticationFailed) when a mapping is required', async () => {
      const q = newQueue();
      await testClient(pki, q, 'Message', { signer: pki.client2 }).send(orderEnvelope());
      const run = await runService(
        {
          ...testServiceOptions(pki, q, 'Message'),
          mapping: { oneToOne: [{ certificate: pki.client.certificate, account: 'alice' }] },
        },
        1,
      );
      expect(rejectionCodes(run)).toEqual(['AuthenticationFailed']);
    });

    it('the authorization hook refusing is PolicyViolation; it sees the mapped identity', async () => {
      const q = newQueue();
      await testClient(pki, q, 'Message').send(orderEnvelope('1.1', 'allowed'));
      await testClient(pki, q, 'Message', { signer: pki.client2 }).send(
        orderEnvelope('1.1', 'refused'),
      );
      const seen: string[] = [];
      const run = await runService(
        {
          ...testServiceOptions(pki, q, 'Message'),
          concurrency: 1,
          mapping: {
            manyToOne: [
              { subject: { CN: 'alice' }, account: 'alice', roles: ['buyer'] },
              { subject: { CN: 'bob' }, account: 'bob' },
            ],
          },
          authorize: (ctx) => {
            seen.push(ctx.identity?.name ?? '?');
            return ctx.identity?.roles.includes('buyer') ?? false;
          },
        },
        2,
      );
      expect(seen).toEqual(['alice', 'bob']);
      expect(run.events.map((e) => e.type)).toEqual(['accepted', 'rejected']);
      expect(rejectionCodes(run)).toEqual(['PolicyViolation']);
      expect(run.handled.map((r) => r.body.includes('allowed'))).toEqual([true]);
    });
  });

  describe('replay cache in the opener', () => {
    it('a failed handler releases the keys (the retry is accepted); a copy after the commit is a Replay', async () => {
      const q = newQueue();
      const replayCache = createMemoryReplayCache({ now: () => TEST_NOW });
      const wire = testClient(pki, q, 'Message');
      await wire.send(orderEnvelope());
      const original = await q.receive();
      await q.send(original!.body, { id: 'first' });
      await original!.ack();
      let calls = 0;
      const run = await runService(
        {
          ...testServiceOptions(pki, q, 'Message'),
          opener: testOpener(pki, {}, { replayCache }),
          handler: () => {
            if (++calls === 1) throw new Error('transient');
          },
        },
        1,
      );
      expect(run.events.map((e) => e.type)).toEqual(['retried', 'accepted']);
      await q.send(original!.body, { id: 'copy' });
      const again = await runService(
        { ...testServiceOptions(pki, q, 'Message'), opener: testOpener(pki, {}, { replayCache }) },
        1,
      );
      expect(rejectionCodes(again)).toEqual(['Replay']);
      expect(again.events[0]).toMatchObject({ messageId: 'copy' });
    });
  });

  describe('concurrency and shutdown', () => {
    it('handles at most `concurrency` messages at once', async () => {
      const q = newQueue();
      const client = testClient(pki, q, 'None');
      for (let i = 0; i < 6; i++) await client.send(orderEnvelope());
      let active = 0;
      let peak = 0;
      await runService(
        {
          ...testServiceOptions(pki, q, 'None'),
          concurrency: 2,
          handler: async () => {
            active++;
            peak = Math.max(peak, active);
            await new Promise((r) => setTimeout(r, 30));
            active--;
          },
        },
        6,
      );
      expect(peak).toBe(2);
    });

    it('stop() lets an in-flight handler finish and acknowledges it', async () => {
      const q = newQueue();
      await testClient(pki, q, 'None').send(orderEnvelope());
      let started!: () => void;
      const inHandler = new Promise<void>((r) => (started = r));
      const events: ServiceEvent[] = [];
      const service = createService({
        ...testServiceOptions(pki, q, 'None'),
        handler: async () => {
          started();
          await new Promise((r) => setTimeout(r, 200));
        },
        onEvent: (e) => events.push(e),
      });
      service.start();
      await inHandler;
      await service.stop();
      expect(events.map((e) => e.type)).toEqual(['accepted']);
      expect(await q.count()).toBe(0);
    });

    it('stop() returns a message whose handler outlives stopTimeoutMs to the queue', async () => {
      const q = newQueue();
      await testClient(pki, q, 'None').send(orderEnvelope());
      let started!: () => void;
      const inHandler = new Promise<void>((r) => (started = r));
      const events: ServiceEvent[] = [];
      let aborted = false;
      const service = createService({
        ...testServiceOptions(pki, q, 'None'),
        stopTimeoutMs: 50,
        handler: async ({ signal }) => {
          started();
          await new Promise((r) => setTimeout(r, 500));
          aborted = signal.aborted;
        },
        onEvent: (e) => events.push(e),
      });
      service.start();
      await inHandler;
      await service.stop();
      expect(events.map((e) => e.type)).toEqual(['returned']);
      expect(await q.count()).toBe(1);
      await new Promise((r) => setTimeout(r, 600));
      expect(aborted).toBe(true);
      expect(events.map((e) => e.type)).toEqual(['returned']); // no late ack
      const again = await q.receive();
      expect(again?.deliveryCount).toBe(2);
    });
  });

  describe('option checks (TypeError at construction)', () => {
    it('rejects inconsistent options', () => {
      const q = newQueue();
      const handler = () => undefined;
      expect(() => createService({ queue: q, mode: 'Message', handler })).toThrow(TypeError);
      expect(() => createService({ queue: q, mode: 'Transport', handler })).toThrow(TypeError);
      expect(() => createService({ queue: q, mode: 'Sometimes' as 'None', handler })).toThrow(
        TypeError,
      );
      expect(() => createService({ queue: q, mode: 'None', handler, concurrency: 0 })).toThrow(
        TypeError,
      );
      expect(() => createClient({ queue: q, mode: 'Both' })).toThrow(TypeError);
      expect(() =>
        createClient({
          queue: q,
          mode: 'Message',
          destinationCertificate: pki.service.certificate,
        }),
      ).toThrow(TypeError);
    });
  });
});
