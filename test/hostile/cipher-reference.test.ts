/**
 * CipherReference instead of CipherValue: the receiver would fetch the ciphertext from a URI
 * the attacker names (SSRF, or a decryption oracle fed from outside). Never followed.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, find, importXml, open, serialize } from './attacker.js';
import type { Wire } from './attacker.js';

function toCipherReference(w: Wire, encrypted: ReturnType<typeof find>): void {
  const cipherData = find(encrypted, NS.xenc, 'CipherData');
  while (cipherData.firstChild) cipherData.removeChild(cipherData.firstChild);
  cipherData.appendChild(
    importXml(
      w.doc,
      `<xenc:CipherReference xmlns:xenc="${NS.xenc}" URI="http://attacker.example/cipher"/>`,
    ),
  );
}

describe('CipherReference', () => {
  it('rejects it in the Body EncryptedData (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    toCipherReference(w, find(w.body, NS.xenc, 'EncryptedData'));
    await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
  });

  it('rejects it in the EncryptedKey (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    toCipherReference(w, find(w.security, NS.xenc, 'EncryptedKey'));
    await expectRejected(testOpener(pki).open(serialize(w.doc)), 'MalformedMessage');
  });
});
