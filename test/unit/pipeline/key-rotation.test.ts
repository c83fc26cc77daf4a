/**
 * Certificate rotation while old messages still sit in the queue: the service holds several
 * keys at once and picks the one each EncryptedKey refers to.
 */
import { describe, expect, it } from 'vitest';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { TEST_NOW, getTestPki, orderEnvelope, testOpener } from '../../helpers.js';

describe('several service keys', () => {
  for (const style of ['thumbprint', 'ski', 'issuer-serial'] as const) {
    it(`opens messages for the old and the new certificate (${style})`, async () => {
      const pki = await getTestPki();
      const opener = testOpener(pki, {}, { serviceKeys: [pki.service2, pki.service] });
      for (const target of [pki.service, pki.service2]) {
        const wire = createSecurer({
          credential: certificateCredential(pki.client),
          serviceCertificate: target.certificate,
          policy: { serviceKeyReference: style },
          now: () => TEST_NOW,
        }).secure(orderEnvelope('1.1', `for-${target.certificate.serialNumberHex}`));
        const result = await opener.open(wire);
        expect(result.body).toContain(`for-${target.certificate.serialNumberHex}`);
      }
    });
  }

  it('a message for a retired certificate is DecryptionFailed once its key is gone', async () => {
    const pki = await getTestPki();
    const wire = createSecurer({
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service2.certificate,
      now: () => TEST_NOW,
    }).secure(orderEnvelope());
    await expect(testOpener(pki).open(wire)).rejects.toMatchObject({ code: 'DecryptionFailed' });
  });
});
