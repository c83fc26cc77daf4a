/**
 * A key reference that does not say what it refers to (BSP R3059, R3069): a direct Reference
 * to an EncryptedKey with neither ValueType nor TokenType. The same untyped reference is
 * refused from a ds:Signature's KeyInfo and from an EncryptedData's KeyInfo (one resolver, one
 * table); under the named relaxation `allowMissingValueType` both are accepted, and the
 * message's SecurityContext reports the relaxation.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/dsig/c14n.js';
import type { ReceiverPolicy } from '../../src/policy/policy.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import type { TestPki } from '../fixtures/pki.js';
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

const EK_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey';
const WSSE11 = 'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd';

type Typing = 'ValueType' | 'TokenType' | 'none';

function reference(ekId: string, typing: Typing): string {
  const tokenType =
    typing === 'TokenType' ? ` xmlns:wsse11="${WSSE11}" wsse11:TokenType="${EK_TYPE}"` : '';
  const valueType = typing === 'ValueType' ? ` ValueType="${EK_TYPE}"` : '';
  return (
    `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}"${tokenType}>` +
    `<wsse:Reference URI="#${ekId}"${valueType}/></wsse:SecurityTokenReference>`
  );
}

/** A Body HMAC-signed with a key the attacker wrapped for the service; the KeyInfo names it. */
function symmetricSignature(pki: TestPki, typing: Typing): string {
  const w = open(secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' }));
  const signature = find(w.security, NS.ds, 'Signature');
  find(signature, NS.ds, 'SignedInfo').removeChild(find(signature, NS.ds, 'Reference', 2));
  w.security.removeChild(find(w.security, NS.wsse, 'BinarySecurityToken'));
  const k = attackerKey(pki.service.certificate);
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
  const ek = importXml(w.doc, k.encryptedKey(['ED-1']));
  const keyInfo = find(signature, NS.ds, 'KeyInfo');
  clear(keyInfo);
  keyInfo.appendChild(importXml(w.doc, reference(ek.getAttribute('Id') ?? '', typing)));
  const plaintext = serialize(find(w.body, 'urn:example:orders', 'PlaceOrder'));
  clear(w.body);
  w.body.appendChild(importXml(w.doc, encryptedData(k.key, 'ED-1', plaintext, 'Content')));
  w.security.insertBefore(ek, signature);
  return serialize(w.doc);
}

/**
 * Alice's signed Body, its content then encrypted under a key wrapped for the service; the
 * EncryptedData's own KeyInfo names the EncryptedKey, a standalone ReferenceList lists it.
 */
function encryptedDataReference(pki: TestPki, typing: Typing): string {
  const w = open(secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' }));
  const k = attackerKey(pki.service.certificate);
  const ek = importXml(w.doc, k.encryptedKey([]));
  const ekId = ek.getAttribute('Id') ?? '';
  let plaintext = '';
  for (let c = w.body.firstChild; c; c = c.nextSibling) plaintext += serialize(c);
  const data = importXml(w.doc, encryptedData(k.key, 'ED-1', plaintext, 'Content'));
  const keyInfo = importXml(
    w.doc,
    `<ds:KeyInfo xmlns:ds="${NS.ds}">${reference(ekId, typing)}</ds:KeyInfo>`,
  );
  data.insertBefore(keyInfo, find(data, NS.xenc, 'CipherData'));
  clear(w.body);
  w.body.appendChild(data);
  const list = importXml(
    w.doc,
    `<xenc:ReferenceList xmlns:xenc="${NS.xenc}"><xenc:DataReference URI="#ED-1"/></xenc:ReferenceList>`,
  );
  const first = w.security.firstChild;
  w.security.insertBefore(list, first);
  w.security.insertBefore(ek, list);
  return serialize(w.doc);
}

const RELAXED: ReceiverPolicy = { relaxations: { allowMissingValueType: true } };

describe('a Reference to an EncryptedKey without ValueType or TokenType (BSP R3059, R3069)', () => {
  it('from a Signature KeyInfo: refused (MalformedMessage); typed either way it resolves', async () => {
    const pki = await getTestPki();
    await expectRejected(testOpener(pki).open(symmetricSignature(pki, 'none')), 'MalformedMessage');
    // Typed, the reference resolves and the message fails where the key leads: no certificate.
    for (const typing of ['ValueType', 'TokenType'] as const) {
      await expectRejected(
        testOpener(pki).open(symmetricSignature(pki, typing)),
        'CertificateRequired',
      );
    }
    // Under the named relaxation it resolves too.
    await expectRejected(
      testOpener(pki, RELAXED).open(symmetricSignature(pki, 'none')),
      'CertificateRequired',
    );
  });

  it('from an EncryptedData KeyInfo: refused (MalformedMessage), the same rule', async () => {
    const pki = await getTestPki();
    await expectRejected(
      testOpener(pki).open(encryptedDataReference(pki, 'none')),
      'MalformedMessage',
    );
    const typed = await testOpener(pki).open(encryptedDataReference(pki, 'ValueType'));
    expect(typed.body).toContain('widget');
    expect(typed.context.relaxed).toEqual([]);
  });

  it('accepted only under allowMissingValueType, and reported in the SecurityContext', async () => {
    const pki = await getTestPki();
    const result = await testOpener(pki, RELAXED).open(encryptedDataReference(pki, 'none'));
    expect(result.body).toContain('widget');
    expect(result.context.encrypted).toEqual(['Body']);
    expect(result.context.relaxed).toEqual(['allowMissingValueType']);
  });

  it('a ValueType or TokenType that names another token type is refused (R3058, R3074)', async () => {
    const pki = await getTestPki();
    const wrongValueType = symmetricSignature(pki, 'ValueType').replace(
      `ValueType="${EK_TYPE}"`,
      'ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"',
    );
    await expectRejected(testOpener(pki, RELAXED).open(wrongValueType), 'MalformedMessage');
    const wrongTokenType = symmetricSignature(pki, 'TokenType').replace(
      `wsse11:TokenType="${EK_TYPE}"`,
      'wsse11:TokenType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0"',
    );
    await expectRejected(testOpener(pki, RELAXED).open(wrongTokenType), 'MalformedMessage');
  });
});
