/**
 * Signer substitution: the BinarySecurityToken replaced by another trusted client's
 * certificate (client2, bob) without re-signing, so that the message would be attributed to
 * bob. The SignatureValue does not verify under bob's key.
 */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, find, open, serialize } from './attacker.js';

it("rejects alice's signature presented with bob's certificate (SignatureInvalid)", async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope());
  const opener = testOpener(pki);
  const alices = await opener.open(honest);
  expect(alices.context.signingCertificate?.equals(pki.client.certificate)).toBe(true);
  // bob is trusted in his own right.
  const bobs = await opener.open(secureAs(pki, orderEnvelope(), {}, pki.client2));
  expect(bobs.context.signingCertificate?.equals(pki.client2.certificate)).toBe(true);

  const w = open(honest);
  find(w.security, NS.wsse, 'BinarySecurityToken').textContent = Buffer.from(
    pki.client2.certificate.der,
  ).toString('base64');
  await expectRejected(opener.open(serialize(w.doc)), 'SignatureInvalid');
});
