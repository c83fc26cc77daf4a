/** A message opened after its Timestamp expired (Expires + skew < now). */
import { expect, it } from 'vitest';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

it('rejects a message opened an hour after it was secured (MessageExpired)', async () => {
  const pki = await getTestPki();
  const wire = secureAs(pki, orderEnvelope());
  expect((await testOpener(pki).open(wire)).body).toContain('widget');
  const later = new Date(TEST_NOW.getTime() + 3_600_000);
  await expectRejected(testOpener(pki, {}, { now: () => later }).open(wire), 'MessageExpired');
});
