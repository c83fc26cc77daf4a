/**
 * Strictness is about what was signed, not cosmetic order: the header layouts real stacks
 * emit all open. WSS4J (sign then encrypt): EncryptedKey (service certificate by
 * issuer-serial), BinarySecurityToken, Signature, Timestamp last. WCF: Timestamp first (our
 * own order). zeep (Signature before its token, Timestamp last) is covered by the interop
 * tests with real zeep messages.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

function reorder(wire: string, order: readonly string[]): string {
  const doc = new DOMParser().parseFromString(wire, 'text/xml');
  const security = doc.getElementsByTagNameNS(WSSE, 'Security').item(0);
  if (!security) throw new Error('no Security header');
  const entries: Element[] = [];
  for (let c = security.firstChild; c; c = c.nextSibling)
    if (c.nodeType === 1) entries.push(c as Element);
  const byName = (name: string): Element => {
    const found = entries.find((e) => e.localName === name);
    if (!found) throw new Error(`no ${name}`);
    return found;
  };
  for (const e of entries) security.removeChild(e);
  for (const name of order) security.appendChild(byName(name));
  return new XMLSerializer().serializeToString(doc);
}

describe('header layouts of real stacks', () => {
  it('WSS4J: EncryptedKey, BinarySecurityToken, Signature, Timestamp', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { serviceKeyReference: 'issuer-serial' });
    const wss4j = reorder(wire, ['EncryptedKey', 'BinarySecurityToken', 'Signature', 'Timestamp']);
    expect(wss4j.indexOf('EncryptedKey')).toBeLessThan(wss4j.indexOf('Timestamp'));
    const result = await testOpener(pki).open(wss4j);
    expect(result.body).toContain('widget');
    expect(result.context.signed).toEqual(['Body', 'Timestamp', 'BinarySecurityToken']);
  });

  it('WCF: Timestamp first', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope());
    const wcf = reorder(wire, ['Timestamp', 'EncryptedKey', 'BinarySecurityToken', 'Signature']);
    expect((await testOpener(pki).open(wcf)).body).toContain('widget');
  });

  it('a signature placed before the key that decrypts what it covers fails (order matters there)', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope());
    const wrong = reorder(wire, ['Timestamp', 'BinarySecurityToken', 'Signature', 'EncryptedKey']);
    await expect(testOpener(pki).open(wrong)).rejects.toMatchObject({ code: 'SignatureInvalid' });
  });
});
