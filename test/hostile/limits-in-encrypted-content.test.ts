/**
 * Parse limits must hold for decrypted content too. Anyone can encrypt for the service (its
 * certificate is public), and the signature and the signer's trust are checked only after
 * decryption, so content hidden in an EncryptedData must meet the same depth, element and
 * attribute limits as the rest of the message. Like every other fault of decrypted content
 * (not XML, a duplicate id), a limit passed there is the one uniform DecryptionFailed; never a
 * RangeError from a recursion that ran out of stack, never an accepted message.
 *
 * Security fix: before it, such content was not checked at all (depth 100 accepted, depth
 * 20,000 a RangeError from the recursive canonicalization, reached before the signer's
 * certificate is ever looked at).
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import type { TestCredential, TestPki } from '../helpers.js';
import {
  NS,
  attackerKey,
  clear,
  encryptedData,
  expectRejected,
  find,
  fragment,
  importXml,
  open,
  resign,
  serialize,
} from './attacker.js';

const nested = (depth: number) =>
  `${'<m:n xmlns:m="urn:example:orders">'.repeat(depth)}${'</m:n>'.repeat(depth)}`;

/**
 * A Sign-only message from `signer` whose Body content becomes `content`, re-signed (when
 * `digests`), then encrypted for the service with an attacker-made key.
 */
function hide(pki: TestPki, signer: TestCredential, content: string, digests: boolean): string {
  const w = open(secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' }, signer));
  clear(w.body);
  const signature = find(w.security, NS.ds, 'Signature');
  if (digests) {
    w.body.appendChild(w.doc.importNode(fragment(content), true));
    resign(signature, signer.privateKey);
    clear(w.body);
  }
  const k = attackerKey(pki.service.certificate);
  w.body.appendChild(importXml(w.doc, encryptedData(k.key, 'ED-deep', content, 'Content')));
  w.security.insertBefore(importXml(w.doc, k.encryptedKey(['ED-deep'])), signature);
  return serialize(w.doc);
}

describe('limits inside encrypted content', () => {
  it('the same content within the limits opens', async () => {
    const pki = await getTestPki();
    const wire = hide(pki, pki.client, nested(10), true);
    const { body } = await testOpener(pki).open(wire);
    expect(body.split('<m:n').length - 1).toBe(10);
  });

  it('rejects decrypted content nested deeper than maxDepth (DecryptionFailed)', async () => {
    const pki = await getTestPki();
    const wire = hide(pki, pki.client, nested(100), true);
    await expectRejected(testOpener(pki).open(wire), 'DecryptionFailed');
  });

  it('rejects 20,000 levels from an untrusted attacker (DecryptionFailed, not RangeError)', async () => {
    const pki = await getTestPki();
    // The attacker's own key signs SignedInfo; the digest is never reached if limits hold.
    const wire = hide(pki, pki.untrustedClient, nested(20_000), false);
    await expectRejected(testOpener(pki).open(wire), 'DecryptionFailed');
  });

  it('rejects decrypted content with more attributes than allowed (DecryptionFailed)', async () => {
    const pki = await getTestPki();
    const attrs = Array.from({ length: 100 }, (_, i) => ` a${i}="v"`).join('');
    const wire = hide(pki, pki.client, `<m:n xmlns:m="urn:example:orders"${attrs}/>`, true);
    await expectRejected(testOpener(pki).open(wire), 'DecryptionFailed');
  });

  it('the depth limit counts from where the content goes', async () => {
    const pki = await getTestPki();
    // Envelope 1, Body 2: 62 levels of content reach 64, the default maxDepth; 63 pass it.
    const { body } = await testOpener(pki).open(hide(pki, pki.client, nested(62), true));
    expect(body.split('<m:n').length - 1).toBe(62);
    await expectRejected(
      testOpener(pki).open(hide(pki, pki.client, nested(63), true)),
      'DecryptionFailed',
    );
  });
});
