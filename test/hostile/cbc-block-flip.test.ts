/**
 * AES-CBC (Basic256Sha256) tampering. CBC has no integrity of its own: a flipped ciphertext
 * byte garbles one block and flips a byte of the next; a flipped IV byte flips one plaintext
 * byte and nothing else. Whether the plaintext then fails to parse or parses and fails the
 * signature, the outcome must be the one DecryptionFailed (no padding or format oracle).
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';
import { cbcBlockFlip, cbcIvFlip } from './decryption-attacks.js';

describe('CBC tampering', () => {
  it('rejects a flipped ciphertext block (DecryptionFailed)', async () => {
    const pki = await getTestPki();
    const { honest, attacked } = cbcBlockFlip(pki);
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');
    await expectRejected(opener.open(attacked), 'DecryptionFailed');
  });

  it('rejects a flipped IV whose plaintext still parses (DecryptionFailed, not SignatureInvalid)', async () => {
    const pki = await getTestPki();
    const { honest, attacked } = cbcIvFlip(pki);
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('0123456789abcdef');
    await expectRejected(opener.open(attacked), 'DecryptionFailed');
  });
});
