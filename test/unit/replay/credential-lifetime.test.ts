/**
 * Credential lifetimes across queue latency: a message signed while the client certificate was
 * valid, received after it expired.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqErrorCode } from '../../../src/errors.js';
import { resolveReceiverPolicy } from '../../../src/policy/policy.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

// expiredClient is valid from 2024-01-01 to 2025-06-01.
const SIGNED_AT = new Date('2025-05-31T12:00:00Z');
const RECEIVED_AT = new Date('2025-06-02T12:00:00Z'); // two days in the queue
const DAY = 86_400;

async function expectCode(promise: Promise<unknown>, code: WsseqErrorCode): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWsseqError(err) ? err.code : err).toBe(code);
}

async function queuedMessage(): Promise<string> {
  const pki = await getTestPki();
  // No Expires: maxMessageAgeSeconds is what bounds a queued message.
  return secureAs(pki, orderEnvelope(), { timestampTtlSeconds: 0 }, pki.expiredClient, SIGNED_AT);
}

describe('credentialValidation', () => {
  it('AtSignedTime accepts a certificate that expired while the message waited', async () => {
    const pki = await getTestPki();
    const opener = testOpener(
      pki,
      { credentialValidation: 'AtSignedTime', maxMessageAgeSeconds: 3 * DAY },
      { now: () => RECEIVED_AT },
    );
    const { context } = await opener.open(await queuedMessage());
    expect(context.signingCertificate?.equals(pki.expiredClient.certificate)).toBe(true);
    expect(context.identity.credentialType).toBe('Certificate');
  });

  it('AtSignedTime still rejects a message older than maxMessageAgeSeconds (MessageExpired)', async () => {
    const pki = await getTestPki();
    const opener = testOpener(
      pki,
      { credentialValidation: 'AtSignedTime', maxMessageAgeSeconds: DAY },
      { now: () => RECEIVED_AT },
    );
    await expectCode(opener.open(await queuedMessage()), 'MessageExpired');
  });

  it('AtReceipt (the default) rejects the expired certificate (CertificateExpired)', async () => {
    const pki = await getTestPki();
    const wire = await queuedMessage();
    for (const policy of [
      { maxMessageAgeSeconds: 3 * DAY },
      { credentialValidation: 'AtReceipt', maxMessageAgeSeconds: 3 * DAY } as const,
    ]) {
      await expectCode(
        testOpener(pki, policy, { now: () => RECEIVED_AT }).open(wire),
        'CertificateExpired',
      );
    }
  });

  it('AtSignedTime does not accept a certificate that had expired when the message was signed', async () => {
    const pki = await getTestPki();
    const late = secureAs(
      pki,
      orderEnvelope(),
      { timestampTtlSeconds: 0 },
      pki.expiredClient,
      new Date('2025-06-01T06:00:00Z'),
    );
    const opener = testOpener(
      pki,
      { credentialValidation: 'AtSignedTime', maxMessageAgeSeconds: 3 * DAY },
      { now: () => RECEIVED_AT },
    );
    await expectCode(opener.open(late), 'CertificateExpired');
  });

  it('AtSignedTime needs maxMessageAgeSeconds (TypeError)', () => {
    expect(() => resolveReceiverPolicy({ credentialValidation: 'AtSignedTime' })).toThrow(
      TypeError,
    );
    expect(() => resolveReceiverPolicy({ credentialValidation: 'Later' as 'AtReceipt' })).toThrow(
      TypeError,
    );
    expect(
      resolveReceiverPolicy({ credentialValidation: 'AtSignedTime', maxMessageAgeSeconds: 60 })
        .credentialValidation,
    ).toBe('AtSignedTime');
    expect(resolveReceiverPolicy().credentialValidation).toBe('AtReceipt');
  });
});
