/**
 * A message properly signed by a certificate the service does not trust (issued by another
 * root, or self-signed): the signature verifies, the signer does not.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

describe('untrusted signer', () => {
  for (const who of ['untrustedClient', 'selfSignedClient'] as const) {
    it(`rejects a message signed by ${who} (CertificateUntrusted)`, async () => {
      const pki = await getTestPki();
      const opener = testOpener(pki);
      expect((await opener.open(secureAs(pki, orderEnvelope()))).body).toContain('widget');
      await expectRejected(
        opener.open(secureAs(pki, orderEnvelope(), {}, pki[who])),
        'CertificateUntrusted',
      );
    });
  }
});
