/**
 * Key confusion: the SignatureMethod switched to HMAC-SHA256 and the SignatureValue computed
 * with the signer's public key (certificate DER, SPKI DER or PEM) as the HMAC secret, so a
 * verifier that feeds "the signer's key" to whatever algorithm the message names accepts a
 * MAC anyone can compute. HMAC is not an asymmetric-binding algorithm and is refused.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/dsig/c14n.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import type { TestPki } from '../helpers.js';
import { ALG, NS, expectRejected, find, open, serialize } from './attacker.js';

const secrets: Record<string, (pki: TestPki) => Buffer> = {
  'certificate DER': (pki) => Buffer.from(pki.client.certificate.der),
  'SubjectPublicKeyInfo DER': (pki) =>
    pki.client.certificate.publicKey.export({ type: 'spki', format: 'der' }),
  'certificate PEM': (pki) => Buffer.from(pki.client.certificatePem),
};

describe('HMAC with the public key as secret', () => {
  for (const [name, secret] of Object.entries(secrets)) {
    it(`rejects HMAC keyed with the ${name} (UnsupportedAlgorithm)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
      const opener = testOpener(pki, { protectionLevel: 'Sign' });
      expect((await opener.open(honest)).body).toContain('widget');

      const w = open(honest.replace('<m:Quantity>3<', '<m:Quantity>3000<'));
      const signature = find(w.security, NS.ds, 'Signature');
      find(signature, NS.ds, 'SignatureMethod').setAttribute('Algorithm', ALG.hmacSha256);
      // The attacker also fixes the Body digest; only the key binding can stop this.
      const body = w.body;
      const digest = await import('node:crypto').then((c) =>
        c.createHash('sha256').update(canonicalize(body).text).digest('base64'),
      );
      find(signature, NS.ds, 'DigestValue').textContent = digest;
      const signedInfo = find(signature, NS.ds, 'SignedInfo');
      find(signature, NS.ds, 'SignatureValue').textContent = createHmac('sha256', secret(pki))
        .update(canonicalize(signedInfo).text)
        .digest('base64');
      await expectRejected(opener.open(serialize(w.doc)), 'UnsupportedAlgorithm');
    });
  }
});
