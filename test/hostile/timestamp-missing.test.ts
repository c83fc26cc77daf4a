/**
 * No Timestamp. Stripped by a man in the middle, the signature's reference to it no longer
 * resolves; left out by a sender that signs the rest, the receiver's requireTimestamp refuses
 * the message (unless the receiver does not require one).
 */
import { describe, expect, it } from 'vitest';
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

describe('Timestamp missing', () => {
  it('stripped in transit: the signed reference dangles (SecurityTokenUnavailable)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    w.security.removeChild(find(w.security, NS.wsu, 'Timestamp'));
    await expectRejected(opener.open(serialize(w.doc)), 'SecurityTokenUnavailable');
  });

  it('never sent, the rest properly signed (PolicyViolation)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' }));
    const ts = find(w.security, NS.wsu, 'Timestamp');
    const signature = find(w.security, NS.ds, 'Signature');
    dropReference(signature, idOf(ts));
    w.security.removeChild(ts);
    resign(signature, pki.client.privateKey);
    const wire = serialize(w.doc);

    await expectRejected(
      testOpener(pki, { protectionLevel: 'Sign' }).open(wire),
      'PolicyViolation',
    );
    // Only a receiver that opts out of timestamps takes it.
    const lax = testOpener(pki, { protectionLevel: 'Sign', requireTimestamp: false });
    expect((await lax.open(wire)).context.timestamp).toBeUndefined();
  });
});
