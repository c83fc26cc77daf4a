/**
 * A Sign-only message made for one service, delivered to another service that trusts the same
 * client. Without a binding it would open there; with `requireAddressTo` the service accepts
 * only messages whose signed wsa:To names it.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, find, open, serialize } from './attacker.js';

const WSA = 'http://www.w3.org/2005/08/addressing';
const ORDERS = 'urn:example:services:orders';
const PAYMENTS = 'urn:example:services:payments';

describe('a message meant for another service', () => {
  it('opens only at the service its signed wsa:To names (PolicyViolation elsewhere)', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign', addressTo: ORDERS });
    const orders = testOpener(pki, { protectionLevel: 'Sign', requireAddressTo: ORDERS });
    const result = await orders.open(wire);
    expect(result.context.signed).toContain('To');
    const payments = testOpener(pki, { protectionLevel: 'Sign', requireAddressTo: PAYMENTS });
    await expectRejected(payments.open(wire), 'PolicyViolation');
  });

  it('refuses a message without wsa:To, or with one added after signing', async () => {
    const pki = await getTestPki();
    const orders = testOpener(pki, { protectionLevel: 'Sign', requireAddressTo: ORDERS });
    const unbound = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    await expectRejected(orders.open(unbound), 'PolicyViolation');
    const w = open(unbound);
    const to = w.doc.createElementNS(WSA, 'wsa:To');
    to.appendChild(w.doc.createTextNode(ORDERS));
    w.header.appendChild(to);
    await expectRejected(orders.open(serialize(w.doc)), 'PolicyViolation');
  });

  it('a wsa:To rewritten on the way breaks the signature', async () => {
    const pki = await getTestPki();
    const w = open(
      secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign', addressTo: PAYMENTS }),
    );
    find(w.header, WSA, 'To').textContent = ORDERS;
    const orders = testOpener(pki, { protectionLevel: 'Sign', requireAddressTo: ORDERS });
    await expectRejected(orders.open(serialize(w.doc)), 'SignatureInvalid');
  });
});
