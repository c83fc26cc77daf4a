/**
 * Algorithm downgrade: a message signed with RSA-SHA1 and SHA-1 digests (Basic256, which a
 * sender can only use with allowInsecureAlgorithms) reaching a default receiver.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

const weak = { algorithmSuite: 'Basic256', allowInsecureAlgorithms: true } as const;

describe('RSA-SHA1 downgrade', () => {
  it('rejects a Sign-only RSA-SHA1 message (UnsupportedAlgorithm)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    expect((await opener.open(honest)).body).toContain('widget');

    const wire = secureAs(pki, orderEnvelope(), { ...weak, protectionLevel: 'Sign' });
    expect(wire).toContain('xmldsig#rsa-sha1');
    await expectRejected(opener.open(wire), 'UnsupportedAlgorithm');
  });

  it('rejects an encrypted Basic256 message; after CBC decryption it is DecryptionFailed', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), weak);
    // The Body was decrypted with AES-CBC before the signature's algorithm was read: whatever
    // fails after an unauthenticated decryption reports as DecryptionFailed (no oracle).
    await expectRejected(testOpener(pki).open(wire), 'DecryptionFailed');
  });

  it('is accepted only by a receiver that names the weak suite and allows it', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), weak);
    const opener = testOpener(pki, {
      algorithmSuites: ['Basic256'],
      allowInsecureAlgorithms: true,
    });
    expect((await opener.open(wire)).body).toContain('widget');
  });
});
