/**
 * XML signature wrapping (b): an evil Body in the Envelope's Body position, the original
 * signed Body (with the wsu:Id the signature references) moved into a wrapper inside the
 * evil Body. Refused as a Body element out of place.
 */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, importXml, open, serialize } from './attacker.js';

it('rejects the signed Body nested inside an evil Body (MalformedMessage)', async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope());
  const opener = testOpener(pki);
  expect((await opener.open(honest)).body).toContain('widget');

  const w = open(honest);
  const evil = importXml(
    w.doc,
    `<soap:Body xmlns:soap="${w.soapNs}"><m:PlaceOrder xmlns:m="urn:example:orders">` +
      `<m:Item>evil</m:Item></m:PlaceOrder><x:Wrapper xmlns:x="urn:attacker"/></soap:Body>`,
  );
  const signedBody = w.body;
  w.envelope.replaceChild(evil, signedBody);
  evil.lastChild?.appendChild(signedBody);

  await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
});
