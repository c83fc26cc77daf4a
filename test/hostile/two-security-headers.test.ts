/**
 * Two Security headers: a second one for our role (no actor, or SOAP 1.2's ultimateReceiver
 * spelled out) is refused; one for another actor is not ours and is ignored (left in the
 * envelope for that actor).
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, importXml, open, serialize } from './attacker.js';

const ULTIMATE = 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver';

describe('two Security headers', () => {
  it('rejects a second Security header without an actor (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    w.header.appendChild(importXml(w.doc, `<wsse:Security xmlns:wsse="${NS.wsse}"/>`));
    await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
  });

  it('rejects a second one spelling out the SOAP 1.2 ultimateReceiver role (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope('1.2'));
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    w.header.appendChild(
      importXml(
        w.doc,
        `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:s="${w.soapNs}" s:role="${ULTIMATE}"/>`,
      ),
    );
    await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
  });

  it('ignores a second Security header for another actor', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    w.header.appendChild(
      importXml(
        w.doc,
        `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:s="${w.soapNs}" s:actor="urn:other-node">` +
          `<x:Junk xmlns:x="urn:attacker"/></wsse:Security>`,
      ),
    );
    const result = await testOpener(pki).open(serialize(w.doc));
    expect(result.body).toContain('widget');
    expect(result.envelope).toContain('urn:other-node');
  });
});
