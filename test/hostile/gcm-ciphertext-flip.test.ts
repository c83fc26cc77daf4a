/** AES-GCM ciphertext tampering: one flipped byte fails the tag check. */
import { expect, it } from 'vitest';
import { getTestPki, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';
import { gcmCiphertextFlip } from './decryption-attacks.js';

it('rejects a flipped GCM ciphertext byte (DecryptionFailed)', async () => {
  const pki = await getTestPki();
  const { honest, attacked } = gcmCiphertextFlip(pki);
  const opener = testOpener(pki);
  expect((await opener.open(honest)).body).toContain('widget');
  await expectRejected(opener.open(attacked), 'DecryptionFailed');
});
