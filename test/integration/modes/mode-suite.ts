/**
 * The security modes end to end over one queue implementation: each mode, receivers
 * rejecting messages in another mode, Both with the same and with different certificates,
 * a message moved to another queue, transport encryption, a TTL passed in transit.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { SecurityMode } from '../../../src/transport/modes.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { QUEUE_PROPERTY } from '../../../src/transport/queue/types.js';
import { TEST_NOW, getTestPki, orderEnvelope } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { rejectionCodes, runService, testClient, testServiceOptions } from '../host/harness.js';

export type QueueFactory = (name: string) => Promise<QueueAdapter>;

const MODES: readonly SecurityMode[] = ['None', 'Transport', 'Message', 'Both'];

/**
 * @param cleanup called after every queue was closed, with the names of the queues used
 *   (main, poison and dead-letter queues).
 */
export function describeModes(
  label: string,
  makeQueue: QueueFactory,
  cleanup?: (queueNames: readonly string[]) => Promise<void>,
): void {
  describe(`security modes over ${label}`, () => {
    let pki: TestPki;
    const opened: QueueAdapter[] = [];
    let n = 0;
    const queue = async (): Promise<QueueAdapter> => {
      const q = await makeQueue(`modes-${process.pid}-${Date.now()}-${n++}`);
      opened.push(q);
      return q;
    };
    beforeAll(async () => {
      pki = await getTestPki();
    });
    afterAll(async () => {
      const names = opened.flatMap((q) => [q.name, q.poisonQueue().name, q.deadLetterQueue().name]);
      for (const q of opened) await q.close().catch(() => undefined);
      await cleanup?.(names);
    });

    for (const mode of MODES) {
      it(`${mode}: a message sent in ${mode} is handled with the sender's identity`, async () => {
        const q = await queue();
        await testClient(pki, q, mode).send(orderEnvelope('1.1', `item-${mode}`));
        const run = await runService(testServiceOptions(pki, q, mode), 1);
        expect(run.events.map((e) => e.type)).toEqual(['accepted']);
        const req = run.handled[0]!;
        expect(req.body).toContain(`item-${mode}`);
        expect(req.envelope).not.toContain('Security');
        expect(req.context.mode).toBe(mode);
        const alice = pki.client.certificate;
        if (mode === 'None') expect(req.context.identity).toBeUndefined();
        else expect(req.context.identity?.certificate?.thumbprint).toBe(alice.thumbprintSha256);
        if (mode === 'Transport' || mode === 'Both') {
          expect(req.context.transportCertificate?.equals(alice)).toBe(true);
        }
        if (mode === 'Message' || mode === 'Both') {
          expect(req.context.security?.signingCertificate?.equals(alice)).toBe(true);
          expect(req.context.security?.encrypted).toContain('Body');
        }
        expect(await q.count()).toBe(0);
      });
    }

    const crossings: [SecurityMode, SecurityMode, string][] = [
      ['Message', 'None', 'PolicyViolation'],
      ['Transport', 'None', 'CertificateRequired'],
      ['Transport', 'Message', 'CertificateRequired'],
      ['None', 'Transport', 'PolicyViolation'],
      ['Transport', 'Both', 'PolicyViolation'],
      ['Message', 'Both', 'PolicyViolation'],
      ['Message', 'Transport', 'PolicyViolation'],
      ['Both', 'Message', 'CertificateRequired'],
      ['Both', 'Transport', 'PolicyViolation'],
    ];
    for (const [receiver, sender, code] of crossings) {
      it(`a ${receiver} receiver rejects a ${sender} message (${code}) and moves it to the poison queue`, async () => {
        const q = await queue();
        const id = await testClient(pki, q, sender).send(orderEnvelope());
        const run = await runService(testServiceOptions(pki, q, receiver), 1);
        expect(rejectionCodes(run)).toEqual([code]);
        expect(run.handled).toHaveLength(0);
        const poisoned = await q.poisonQueue().receive({ waitMs: 1000 });
        expect(poisoned?.id).toBe(id);
        expect(poisoned?.properties[QUEUE_PROPERTY.rejectCode]).toBe(code);
        await poisoned?.ack();
      });
    }

    it('Both: the same certificate for transport and message is accepted', async () => {
      const q = await queue();
      await testClient(pki, q, 'Both', { signer: pki.client, transport: pki.client }).send(
        orderEnvelope(),
      );
      const run = await runService(testServiceOptions(pki, q, 'Both'), 1);
      expect(run.events.map((e) => e.type)).toEqual(['accepted']);
    });

    it('Both: different certificates (both trusted) are rejected with CertificateMismatch', async () => {
      const q = await queue();
      await testClient(pki, q, 'Both', { signer: pki.client, transport: pki.client2 }).send(
        orderEnvelope(),
      );
      const run = await runService(testServiceOptions(pki, q, 'Both'), 1);
      expect(rejectionCodes(run)).toEqual(['CertificateMismatch']);
      expect(run.handled).toHaveLength(0);
    });

    it('a message moved to another queue is rejected (the destination is signed)', async () => {
      const a = await queue();
      const b = await queue();
      const id = await testClient(pki, a, 'Transport').send(orderEnvelope());
      const original = await a.receive({ waitMs: 1000 });
      expect(original).toBeDefined();
      await b.send(original!.body, { id, properties: original!.properties });
      await original!.ack();
      const run = await runService(testServiceOptions(pki, b, 'Transport'), 1);
      expect(rejectionCodes(run)).toEqual(['PolicyViolation']);
      const rejected = run.events[0];
      expect(rejected?.type === 'rejected' && rejected.reason).toMatch(/sent to queue/);
    });

    it('a changed transport property breaks the signature (SignatureInvalid)', async () => {
      const a = await queue();
      const b = await queue();
      const id = await testClient(pki, a, 'Transport').send(orderEnvelope());
      const original = await a.receive({ waitMs: 1000 });
      await b.send(original!.body, {
        id,
        properties: { ...original!.properties, 'wsseq-destination': b.name },
      });
      await original!.ack();
      const run = await runService(testServiceOptions(pki, b, 'Transport'), 1);
      expect(rejectionCodes(run)).toEqual(['SignatureInvalid']);
    });

    it('Transport with encryption for the destination: the body is ciphertext in the queue and clear to the handler', async () => {
      const q = await queue();
      await testClient(pki, q, 'Transport', { encryptFor: pki.service }).send(
        orderEnvelope('1.1', 'secret-item'),
      );
      const peek = await q.receive({ waitMs: 1000 });
      expect(peek!.body.toString('latin1')).not.toContain('secret-item');
      await peek!.retry(0);
      const run = await runService(testServiceOptions(pki, q, 'Transport'), 1);
      expect(run.events.map((e) => e.type)).toEqual(['accepted']);
      expect(run.handled[0]!.body).toContain('secret-item');
      expect(run.handled[0]!.context.transport?.encrypted).toBe(true);
    });

    it('a transport-encrypted message for another certificate fails with DecryptionFailed', async () => {
      const q = await queue();
      await testClient(pki, q, 'Transport', { encryptFor: pki.service2 }).send(orderEnvelope());
      const run = await runService(testServiceOptions(pki, q, 'Transport'), 1);
      expect(rejectionCodes(run)).toEqual(['DecryptionFailed']);
    });

    it('an untrusted transport certificate is rejected (CertificateUntrusted)', async () => {
      const q = await queue();
      await testClient(pki, q, 'Transport', { transport: pki.untrustedClient }).send(
        orderEnvelope(),
      );
      const run = await runService(testServiceOptions(pki, q, 'Transport'), 1);
      expect(rejectionCodes(run)).toEqual(['CertificateUntrusted']);
    });

    it('a message whose signed TTL passed in transit goes to the dead-letter queue', async () => {
      const q = await queue();
      const sentAt = new Date(TEST_NOW.getTime() - 3_600_000);
      // The queue's own TTL (real clock) is long; the signed one (sender's clock) has passed.
      const id = await testClient(pki, q, 'Transport', { now: sentAt }).send(orderEnvelope(), {
        ttlMs: 600_000,
      });
      const run = await runService(testServiceOptions(pki, q, 'Transport'), 1);
      expect(run.events.map((e) => e.type)).toEqual(['dead-lettered']);
      const dead = await q.deadLetterQueue().receive({ waitMs: 1000 });
      expect(dead?.id).toBe(id);
      expect(dead?.properties[QUEUE_PROPERTY.deadLetterReason]).toMatch(/time to live/);
      await dead?.ack();
    });
  });
}
