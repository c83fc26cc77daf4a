/**
 * XML signature wrapping past the parse-time Body check: the attacker (who needs only the
 * service's public certificate) encrypts the signed Body into an EncryptedData in a header,
 * so no stray Body is visible when the message is parsed, and puts an evil Body in place.
 * After decryption the signature verifies over the moved Body; what saves the day is that
 * wsseq only accepts a signature covering the Envelope's own Body, by identity.
 */
import { expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import {
  NS,
  attackerKey,
  encryptedData,
  expectRejected,
  find,
  importXml,
  open,
  serialize,
} from './attacker.js';

it('rejects a signed Body smuggled in an encrypted header (PolicyViolation)', async () => {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope());
  const opener = testOpener(pki);
  expect((await opener.open(honest)).body).toContain('widget');

  const w = open(honest);
  const signedBody = w.body;
  const k = attackerKey(pki.service.certificate);
  // The evil Body is encrypted too, so the EncryptAndSign policy is met.
  const evil = importXml(
    w.doc,
    `<soap:Body xmlns:soap="${w.soapNs}">` +
      encryptedData(
        k.key,
        'ED-evil',
        '<m:PlaceOrder xmlns:m="urn:example:orders"><m:Item>evil</m:Item></m:PlaceOrder>',
        'Content',
      ) +
      `</soap:Body>`,
  );
  w.envelope.replaceChild(evil, signedBody);
  const hidden = importXml(
    w.doc,
    encryptedData(k.key, 'ED-hidden', serialize(signedBody), 'Element'),
  );
  w.header.appendChild(hidden);
  // The attacker's key goes first, so the hidden Body is back before the honest key and the
  // signature are processed.
  w.security.insertBefore(
    importXml(w.doc, k.encryptedKey(['ED-hidden', 'ED-evil'])),
    find(w.doc, NS.xenc, 'EncryptedKey'),
  );

  await expectRejected(opener.open(serialize(w.doc)), 'PolicyViolation');
});
