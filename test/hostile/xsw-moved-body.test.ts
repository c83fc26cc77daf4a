/**
 * XML signature wrapping (a): the signed Body is moved into a wrapper element in the Header
 * (an unknown header, the Security header, or deeper inside an unknown header) and an evil
 * Body takes its place. A processor that resolves the reference by id finds the signed Body
 * and a digest that matches; wsseq refuses any Body element outside the Envelope's Body
 * position before anything else.
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

const places = {
  'an unknown header': (w: Wire) => {
    const wrapper = importXml(w.doc, '<x:Wrapper xmlns:x="urn:attacker"/>');
    w.header.appendChild(wrapper);
    return wrapper;
  },
  'the Security header': (w: Wire) => {
    const wrapper = importXml(w.doc, '<x:Wrapper xmlns:x="urn:attacker"/>');
    w.security.appendChild(wrapper);
    return wrapper;
  },
  'an element deep inside an unknown header': (w: Wire) => {
    const outer = importXml(w.doc, '<x:Outer xmlns:x="urn:attacker"><x:Inner/></x:Outer>');
    w.header.appendChild(outer);
    const inner = outer.firstChild;
    if (!inner) throw new Error('no inner');
    return inner as typeof outer;
  },
};

describe('XSW: signed Body moved into the Header, evil Body in its place', () => {
  for (const [where, wrapperIn] of Object.entries(places)) {
    it(`rejects the Body moved into ${where} (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope());
      const opener = testOpener(pki);
      expect((await opener.open(honest)).body).toContain('widget');

      const w = open(honest);
      const signedBody = w.body;
      const evil = evilBody(w);
      w.envelope.replaceChild(evil, signedBody);
      wrapperIn(w).appendChild(signedBody);

      await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
    });
  }
});
