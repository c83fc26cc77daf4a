/**
 * XML signature wrapping (d): the signed Timestamp (expired by now) is moved into a wrapper and
 * a fresh unsigned Timestamp put in its place. The reference still resolves to the signed one
 * and its digest matches; wsseq requires the Timestamp it reads (the Security header's own)
 * to be the element the signature covered.
 */
import { describe, expect, it } from 'vitest';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, find, idOf, importXml, open, serialize } from './attacker.js';
import type { Wire } from './attacker.js';

const LATER = new Date(TEST_NOW.getTime() + 3_600_000);

function freshTimestamp(w: Wire, id: string | undefined): ReturnType<typeof importXml> {
  const created = new Date(LATER.getTime() - 1000).toISOString();
  const expires = new Date(LATER.getTime() + 300_000).toISOString();
  return importXml(
    w.doc,
    `<wsu:Timestamp xmlns:wsu="${NS.wsu}"${id === undefined ? '' : ` wsu:Id="${id}"`}>` +
      `<wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp>`,
  );
}

describe('XSW: signed Timestamp wrapped, fresh unsigned one in its place', () => {
  it('the honest message has expired an hour later (MessageExpired)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    expect((await testOpener(pki).open(honest)).body).toContain('widget');
    await expectRejected(testOpener(pki, {}, { now: () => LATER }).open(honest), 'MessageExpired');
  });

  it('rejects the signed Timestamp moved to an unknown header (PolicyViolation)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    const signed = find(w.doc, NS.wsu, 'Timestamp');
    w.security.replaceChild(freshTimestamp(w, undefined), signed);
    const wrapper = importXml(w.doc, '<x:Wrapper xmlns:x="urn:attacker"/>');
    wrapper.appendChild(signed);
    w.header.appendChild(wrapper);

    await expectRejected(
      testOpener(pki, {}, { now: () => LATER }).open(serialize(w.doc)),
      'PolicyViolation',
    );
  });

  it('rejects the fresh Timestamp reusing the signed one’s id (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    const signed = find(w.doc, NS.wsu, 'Timestamp');
    w.security.replaceChild(freshTimestamp(w, idOf(signed)), signed);
    const wrapper = importXml(w.doc, '<x:Wrapper xmlns:x="urn:attacker"/>');
    wrapper.appendChild(signed);
    w.header.appendChild(wrapper);

    await expectRejected(
      testOpener(pki, {}, { now: () => LATER }).open(serialize(w.doc)),
      'MalformedMessage',
    );
  });

  it('rejects the signed Timestamp wrapped inside the Security header (UnsupportedSecurityToken)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    const signed = find(w.doc, NS.wsu, 'Timestamp');
    w.security.replaceChild(freshTimestamp(w, undefined), signed);
    const wrapper = importXml(w.doc, '<x:Wrapper xmlns:x="urn:attacker"/>');
    wrapper.appendChild(signed);
    w.security.appendChild(wrapper);

    // An element the Security header processor does not know is refused as such.
    await expectRejected(
      testOpener(pki, {}, { now: () => LATER }).open(serialize(w.doc)),
      'UnsupportedSecurityToken',
    );
  });
});
