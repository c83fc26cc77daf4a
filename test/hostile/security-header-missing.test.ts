/** No Security header at all: nothing authenticates the message. */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, open, serialize } from './attacker.js';

it('rejects a message whose Security header was removed (PolicyViolation)', async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
  const opener = testOpener(pki, { protectionLevel: 'Sign' });
  expect((await opener.open(honest)).body).toContain('widget');

  const w = open(honest);
  w.header.removeChild(w.security);
  await expectRejected(opener.open(serialize(w.doc)), 'PolicyViolation');
  // A plain envelope, never secured, likewise.
  await expectRejected(opener.open(orderEnvelope()), 'PolicyViolation');
});
