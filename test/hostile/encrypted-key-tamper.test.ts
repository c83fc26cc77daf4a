/** The wrapped content key (EncryptedKey CipherValue) tampered: RSA-OAEP decoding fails. */
import { expect, it } from 'vitest';
import { getTestPki, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';
import { encryptedKeyFlip } from './decryption-attacks.js';

it('rejects a flipped EncryptedKey CipherValue byte (DecryptionFailed)', async () => {
  const pki = await getTestPki();
  const { honest, attacked } = encryptedKeyFlip(pki);
  const opener = testOpener(pki);
  expect((await opener.open(honest)).body).toContain('widget');
  await expectRejected(opener.open(attacked), 'DecryptionFailed');
});
