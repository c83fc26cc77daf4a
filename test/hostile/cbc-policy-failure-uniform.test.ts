/**
 * After a CBC decryption, a failure in a later stage (here the policy: the message names no
 * wsa:To) must look like the decryption failing too: "decrypted, parsed and verified, but the
 * policy refused it" versus "did not decrypt" would otherwise tell a padding oracle that its
 * guess was right. The decryption stage records the CBC plaintext; the opener runs the later
 * stages through it. With AES-GCM (authenticated) the policy's own code is kept.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../src/errors.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';

async function failure(promise: Promise<unknown>): Promise<{ code: string; cause: unknown }> {
  try {
    await promise;
  } catch (err) {
    if (!isWsseqError(err)) throw err;
    const cause = err.cause;
    return { code: err.code, cause: isWsseqError(cause) ? cause.code : undefined };
  }
  throw new Error('the message was accepted');
}

describe('a later stage failing after a CBC decryption', () => {
  it('is DecryptionFailed under AES-CBC (the PolicyViolation kept as its cause)', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { algorithmSuite: 'Basic256Sha256' });
    expect((await testOpener(pki).open(wire)).body).toContain('widget');
    const opener = testOpener(pki, { requireAddressTo: 'urn:example:service' });
    expect(await failure(opener.open(wire))).toEqual({
      code: 'DecryptionFailed',
      cause: 'PolicyViolation',
    });
  });

  it('keeps its own code under AES-GCM', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki, { requireAddressTo: 'urn:example:service' });
    expect((await failure(opener.open(wire))).code).toBe('PolicyViolation');
  });
});
