/**
 * A symmetric signature keyed by the attacker's own EncryptedKey. Anyone can wrap a key for
 * the service (its certificate is public), encrypt the Body with it and HMAC-sign Body and
 * Timestamp with it: every signature and decryption checks out, but the key proves nothing
 * about who sent the message. A receiver accepting only the Certificate credential finds no
 * certificate behind the Body signature and refuses it.
 */
import { createHash, createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { canonicalize } from '../../src/dsig/c14n.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import {
  ALG,
  NS,
  attackerKey,
  clear,
  encryptedData,
  expectRejected,
  find,
  importXml,
  open,
  serialize,
} from './attacker.js';

it('rejects a Body signed with an attacker-made EncryptedKey (CertificateRequired: no client certificate signed it)', async () => {
  const pki = await getTestPki();
  const opener = testOpener(pki);
  expect((await opener.open(secureAs(pki, orderEnvelope()))).body).toContain('widget');

  // Start from a Sign-only message and drop everything that names alice.
  const w = open(secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' }));
  const signature = find(w.security, NS.ds, 'Signature');
  const bst = find(w.security, NS.wsse, 'BinarySecurityToken');
  find(signature, NS.ds, 'SignedInfo').removeChild(find(signature, NS.ds, 'Reference', 2));
  w.security.removeChild(bst);

  const k = attackerKey(pki.service.certificate);
  // Sign the evil plaintext Body and the Timestamp with HMAC under the attacker's key.
  find(w.body, 'urn:example:orders', 'Item').textContent = 'evil';
  const signedInfo = find(signature, NS.ds, 'SignedInfo');
  find(signature, NS.ds, 'SignatureMethod').setAttribute('Algorithm', ALG.hmacSha256);
  for (const [i, target] of [w.body, find(w.security, NS.wsu, 'Timestamp')].entries()) {
    find(signedInfo, NS.ds, 'DigestValue', i).textContent = createHash('sha256')
      .update(canonicalize(target).text)
      .digest('base64');
  }
  find(signature, NS.ds, 'SignatureValue').textContent = createHmac('sha256', k.key)
    .update(canonicalize(signedInfo).text)
    .digest('base64');
  const ek = importXml(w.doc, k.encryptedKey(['ED-evil']));
  const ekId = ek.getAttribute('Id') ?? '';
  const keyInfo = find(signature, NS.ds, 'KeyInfo');
  clear(keyInfo);
  keyInfo.appendChild(
    importXml(
      w.doc,
      `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}"><wsse:Reference URI="#${ekId}" ` +
        `ValueType="http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey"/>` +
        `</wsse:SecurityTokenReference>`,
    ),
  );
  // Then encrypt the Body content with the same key (EncryptAndSign is met).
  const plaintext = serialize(find(w.body, 'urn:example:orders', 'PlaceOrder'));
  clear(w.body);
  w.body.appendChild(importXml(w.doc, encryptedData(k.key, 'ED-evil', plaintext, 'Content')));
  w.security.insertBefore(ek, signature);

  await expectRejected(opener.open(serialize(w.doc)), 'CertificateRequired');
});
