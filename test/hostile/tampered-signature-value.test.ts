/** A SignatureValue changed in transit. */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, find, flipBase64, open, serialize } from './attacker.js';

it('rejects a tampered SignatureValue (SignatureInvalid)', async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope());
  const opener = testOpener(pki);
  expect((await opener.open(honest)).body).toContain('widget');

  const w = open(honest);
  flipBase64(find(w.security, NS.ds, 'SignatureValue'), 10);
  await expectRejected(opener.open(serialize(w.doc)), 'SignatureInvalid');
});
