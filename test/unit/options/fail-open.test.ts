/**
 * Issue 9 item 10: a misspelled enumerated option used to fail open. A sender with
 * `protectionOrder: 'SignBeforeEncryption'` emitted a message with no signature and no
 * encryption; a receiver with `protectionLevel: 'EncryptandSign'` accepted unencrypted
 * messages. Both are now TypeErrors at construction; the honest spellings keep working.
 */
import { describe, expect, it } from 'vitest';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { isWsseqError } from '../../../src/errors.js';
import { InvalidOptionError } from '../../../src/policy/check-options.js';
import type { ReceiverPolicy, SenderPolicy } from '../../../src/policy/policy.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('fail-open typos (issue 9 item 10)', () => {
  it("sender protectionOrder 'SignBeforeEncryption' is a TypeError naming the option; 'SignBeforeEncrypt' signs and encrypts", async () => {
    const pki = await getTestPki();
    const make = (policy: SenderPolicy) =>
      createSecurer({
        credential: certificateCredential(pki.client),
        serviceCertificate: pki.service.certificate,
        policy,
        now: () => TEST_NOW,
      });
    const err = thrown(() =>
      make({
        protectionOrder: 'SignBeforeEncryption' as NonNullable<SenderPolicy['protectionOrder']>,
      }),
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('policy.protectionOrder');
    expect((err as InvalidOptionError).allowed).toEqual([
      'SignBeforeEncrypt',
      'SignBeforeEncryptAndEncryptSignature',
      'EncryptBeforeSign',
    ]);

    const wire = make({ protectionOrder: 'SignBeforeEncrypt' }).secure(orderEnvelope());
    expect(wire).not.toContain('widget');
    const result = await testOpener(pki).open(wire);
    expect(result.context.signed).toContain('Body');
    expect(result.context.encrypted).toContain('Body');
  });

  it("receiver protectionLevel 'EncryptandSign' is a TypeError; 'EncryptAndSign' rejects a signed-only message", async () => {
    const pki = await getTestPki();
    const err = thrown(() =>
      testOpener(pki, {
        protectionLevel: 'EncryptandSign' as NonNullable<ReceiverPolicy['protectionLevel']>,
      }),
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('policy.protectionLevel');
    expect((err as InvalidOptionError).allowed).toEqual(['None', 'Sign', 'EncryptAndSign']);

    const signedOnly = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const strict = testOpener(pki, { protectionLevel: 'EncryptAndSign' });
    const rejection: unknown = await strict.open(signedOnly).catch((e: unknown) => e);
    expect(isWsseqError(rejection) && rejection.code).toBe('PolicyViolation');
    const lenient = await testOpener(pki, { protectionLevel: 'Sign' }).open(signedOnly);
    expect(lenient.context.encrypted).toEqual([]);
  });

  it('a misspelled key (protectonLevel) is refused as an unknown option, on both sides', async () => {
    const pki = await getTestPki();
    const receiver = thrown(() =>
      testOpener(pki, { protectonLevel: 'Sign' } as unknown as ReceiverPolicy),
    );
    expect(receiver).toBeInstanceOf(InvalidOptionError);
    expect((receiver as InvalidOptionError).option).toBe('policy.protectonLevel');
    expect((receiver as InvalidOptionError).allowed).toContain('protectionLevel');
    const sender = thrown(() =>
      secureAs(pki, orderEnvelope(), { protectonOrder: 'EncryptBeforeSign' } as SenderPolicy),
    );
    expect((sender as InvalidOptionError).option).toBe('policy.protectonOrder');
  });
});
