/** AES-GCM tag tampering: one flipped bit of the authentication tag. */
import { expect, it } from 'vitest';
import { getTestPki, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';
import { gcmTagFlip } from './decryption-attacks.js';

it('rejects a flipped GCM tag bit (DecryptionFailed)', async () => {
  const pki = await getTestPki();
  const { honest, attacked } = gcmTagFlip(pki);
  const opener = testOpener(pki);
  expect((await opener.open(honest)).body).toContain('widget');
  await expectRejected(opener.open(attacked), 'DecryptionFailed');
});
