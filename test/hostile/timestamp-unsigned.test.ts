/**
 * A Timestamp the signature does not cover (the sender, or anyone re-signing, left its
 * reference out): its times could be anything, so it is refused.
 */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import {
  NS,
  dropReference,
  expectRejected,
  find,
  idOf,
  open,
  resign,
  serialize,
} from './attacker.js';

it('rejects a Timestamp outside the signature (PolicyViolation)', async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
  const opener = testOpener(pki, { protectionLevel: 'Sign' });
  expect((await opener.open(honest)).context.signed).toContain('Timestamp');

  const w = open(honest);
  const signature = find(w.security, NS.ds, 'Signature');
  dropReference(signature, idOf(find(w.security, NS.wsu, 'Timestamp')));
  resign(signature, pki.client.privateKey);
  const wire = serialize(w.doc);
  await expectRejected(opener.open(wire), 'PolicyViolation');

  const lax = testOpener(pki, { protectionLevel: 'Sign', requireSignedTimestamp: false });
  expect((await lax.open(wire)).context.signed).not.toContain('Timestamp');
});
