/**
 * XML signature wrapping (c): the original signed Body is kept and a second Envelope-level
 * Body is added (after it, or before it for processors that take the first). The Envelope
 * may hold one Header then one Body, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, importXml, open, serialize } from './attacker.js';

describe('XSW: a second Envelope-level Body', () => {
  for (const where of ['after', 'before'] as const) {
    it(`rejects an evil Body ${where} the signed one (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope());
      const opener = testOpener(pki);
      expect((await opener.open(honest)).body).toContain('widget');

      const w = open(honest);
      const evil = importXml(
        w.doc,
        `<soap:Body xmlns:soap="${w.soapNs}"><m:PlaceOrder xmlns:m="urn:example:orders">` +
          `<m:Item>evil</m:Item></m:PlaceOrder></soap:Body>`,
      );
      if (where === 'after') w.envelope.appendChild(evil);
      else w.envelope.insertBefore(evil, w.body);

      await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
    });
  }
});
