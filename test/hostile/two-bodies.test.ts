/**
 * Two Bodies: besides the Envelope's own, a Body element anywhere else (a header, the other
 * SOAP version's namespace, inside the Body) is refused, so no later stage can be redirected
 * to it.
 */
import { describe, expect, it } from 'vitest';
import { SOAP11, SOAP12, getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, importXml, open, serialize } from './attacker.js';

describe('two Bodies', () => {
  for (const version of ['1.1', '1.2'] as const) {
    it(`SOAP ${version}: rejects two Envelope-level Bodies (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope(version));
      const opener = testOpener(pki);
      expect((await opener.open(honest)).context.soapVersion).toBe(version);

      const w = open(honest);
      w.envelope.appendChild(importXml(w.doc, `<s:Body xmlns:s="${w.soapNs}"/>`));
      await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
    });
  }

  it("rejects a Body of the other SOAP version's namespace in a header (MalformedMessage)", async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope('1.1'));
    const w = open(honest);
    expect(w.soapNs).toBe(SOAP11);
    w.header.appendChild(importXml(w.doc, `<s12:Body xmlns:s12="${SOAP12}"/>`));
    await expectRejected(testOpener(pki).open(serialize(w.doc)), 'MalformedMessage');
  });

  it('rejects an empty Body nested inside the signed Body (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    expect((await opener.open(honest)).body).toContain('widget');
    const w = open(honest);
    w.body.appendChild(importXml(w.doc, `<s:Body xmlns:s="${w.soapNs}"/>`));
    await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
  });
});
