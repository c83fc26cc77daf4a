/**
 * Every decryption failure is one uniform error: the same code, message, public message and
 * fault whatever went wrong (bad tag, bad padding, garbled plaintext, wrong key, plaintext
 * that parses but fails the signature). Anything else is an oracle.
 */
import { expect, it } from 'vitest';
import { getTestPki, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';
import {
  cbcBlockFlip,
  cbcIvFlip,
  encryptedForAnotherService,
  encryptedKeyFlip,
  gcmCiphertextFlip,
  gcmTagFlip,
} from './decryption-attacks.js';

it('all decryption failures share one message, public message and fault', async () => {
  const pki = await getTestPki();
  const opener = testOpener(pki);
  const attacks = [
    gcmCiphertextFlip,
    gcmTagFlip,
    cbcBlockFlip,
    cbcIvFlip,
    encryptedKeyFlip,
    encryptedForAnotherService,
  ];
  const errors = [];
  for (const attack of attacks) {
    const { attacked } = attack(pki);
    errors.push(await expectRejected(opener.open(attacked), 'DecryptionFailed'));
  }
  const [first, ...rest] = errors;
  expect(first).toBeDefined();
  for (const e of rest) {
    expect(e.message).toBe(first?.message);
    expect(e.publicMessage).toBe(first?.publicMessage);
    expect(e.fault).toBe(first?.fault);
    expect(e.name).toBe(first?.name);
  }
});
