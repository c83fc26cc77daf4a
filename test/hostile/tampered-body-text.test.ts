/** Sign-only: the Body text changed in transit; its digest no longer matches. */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

it('rejects a tampered Body (SignatureInvalid)', async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
  const opener = testOpener(pki, { protectionLevel: 'Sign' });
  expect((await opener.open(honest)).body).toContain('widget');

  const attacked = honest.replace('<m:Quantity>3<', '<m:Quantity>3000<');
  expect(attacked).not.toBe(honest);
  await expectRejected(opener.open(attacked), 'SignatureInvalid');
});
