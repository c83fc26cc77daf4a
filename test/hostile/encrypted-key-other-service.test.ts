/**
 * A message encrypted for another service (service2) reaching this one: no key of ours
 * matches, which must look like any other decryption failure.
 */
import { expect, it } from 'vitest';
import { getTestPki, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';
import { encryptedForAnotherService } from './decryption-attacks.js';

it('rejects an EncryptedKey for service2 at service (DecryptionFailed)', async () => {
  const pki = await getTestPki();
  const { attacked } = encryptedForAnotherService(pki);
  // service2 itself opens it.
  const service2 = testOpener(pki, {}, { serviceKeys: [pki.service2] });
  expect((await service2.open(attacked)).body).toContain('widget');
  await expectRejected(testOpener(pki).open(attacked), 'DecryptionFailed');
});
