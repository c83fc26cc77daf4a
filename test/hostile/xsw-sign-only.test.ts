/**
 * XML signature wrapping on a Sign-only message (Body in clear, `protectionLevel: 'Sign'` on
 * both sides): the classic attack, where the evil Body is readable plaintext.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, importXml, open, serialize } from './attacker.js';
import type { Wire } from './attacker.js';

function evilBody(w: Wire): ReturnType<typeof importXml> {
  return importXml(
    w.doc,
    `<soap:Body xmlns:soap="${w.soapNs}"><m:PlaceOrder xmlns:m="urn:example:orders">` +
      `<m:Item>evil</m:Item><m:Quantity>1000</m:Quantity></m:PlaceOrder></soap:Body>`,
  );
}

describe('XSW on a Sign-only message', () => {
  const attacks: Record<string, (w: Wire) => void> = {
    'signed Body moved into an unknown header': (w) => {
      const signed = w.body;
      w.envelope.replaceChild(evilBody(w), signed);
      const wrapper = importXml(w.doc, '<x:Wrapper xmlns:x="urn:attacker"/>');
      wrapper.appendChild(signed);
      w.header.appendChild(wrapper);
    },
    'signed Body moved inside the evil Body': (w) => {
      const signed = w.body;
      const evil = evilBody(w);
      w.envelope.replaceChild(evil, signed);
      evil.appendChild(signed);
    },
    'second Body appended': (w) => {
      w.envelope.appendChild(evilBody(w));
    },
  };
  for (const [name, attack] of Object.entries(attacks)) {
    it(`rejects: ${name} (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
      const opener = testOpener(pki, { protectionLevel: 'Sign' });
      expect((await opener.open(honest)).body).toContain('widget');

      const w = open(honest);
      attack(w);
      await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
    });
  }
});
