/**
 * The security summary read without decrypting, and the verdict re-run: per credential type,
 * for messages that are not SOAP, and for a signer that expired (then accepted, now refused).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSecurer } from '../../src/secure/secure-envelope.js';
import { usernameCredential } from '../../src/credentials/username.js';
import { TrustStore } from '../../src/trust/validate.js';
import { claimedSender, summarizeMessage } from '../../src/console/summary.js';
import { rerunVerdict } from '../../src/console/verdict.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs } from '../helpers.js';
import type { TestPki } from '../helpers.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await getTestPki();
});

describe('summarizeMessage', () => {
  it('reads a signed and encrypted Certificate message without decrypting it', () => {
    const wire = secureAs(pki, orderEnvelope());
    const s = summarizeMessage(Buffer.from(wire), {}, TEST_NOW);
    expect(s).toMatchObject({
      soap: true,
      soapVersion: '1.1',
      credentialType: 'Certificate',
      bodyEncrypted: true,
    });
    expect(s.signer?.subject).toBe(pki.client.certificate.subject);
    expect(s.signer?.thumbprint).toBe(pki.client.certificate.thumbprintSha256);
    expect(s.signer?.currentlyValid).toBe(true);
    expect(s.algorithms.signature).toEqual(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256']);
    expect(s.algorithms.encryption).toEqual(['http://www.w3.org/2009/xmlenc11#aes256-gcm']);
    expect(s.timestamp?.created).toBe(TEST_NOW.toISOString());
    expect(s.size).toBe(Buffer.byteLength(wire));
    // The clear Body is not in anything the summary holds.
    expect(JSON.stringify(s)).not.toContain('PlaceOrder');
    expect(claimedSender(s)).toBe(pki.client.certificate.subject);
  });

  it('does not name an encrypted UsernameToken, and never shows a password', () => {
    for (const passwordType of ['PasswordDigest', 'PasswordText'] as const) {
      const wire = createSecurer({
        credential: usernameCredential({ username: 'carol', password: 's3cret-pw', passwordType }),
        serviceCertificate: pki.service.certificate,
        now: () => TEST_NOW,
      }).secure(orderEnvelope());
      const s = summarizeMessage(Buffer.from(wire), {}, TEST_NOW);
      expect(s).toMatchObject({
        credentialType: 'Encrypted',
        encryptedHeaderElements: 1,
        bodyEncrypted: true,
      });
      expect(s.username).toBeUndefined();
      expect(JSON.stringify(s)).not.toContain('s3cret-pw');
    }
  });

  it('says what it cannot read instead of throwing', () => {
    expect(summarizeMessage(Buffer.from('not xml'), {})).toMatchObject({
      soap: false,
      problem: expect.stringContaining('MalformedMessage') as unknown,
    });
    expect(summarizeMessage(Buffer.from('<!DOCTYPE x><x/>'), {})).toMatchObject({ soap: false });
    expect(
      summarizeMessage(Buffer.from('<a/>'), { 'wsseq-transport-enc': 'aes-256-gcm' }),
    ).toMatchObject({ soap: false, transportEncrypted: true });
    expect(summarizeMessage(Buffer.from(orderEnvelope()), {})).toMatchObject({
      soap: true,
      credentialType: 'None',
      bodyEncrypted: false,
    });
  });
});

describe('rerunVerdict', () => {
  it('compares the recorded code with the verdict now and at enqueue time', async () => {
    const wire = secureAs(pki, orderEnvelope(), {}, pki.client, TEST_NOW);
    const trust = new TrustStore({
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
    });
    const options = { serviceKeys: [pki.service], trust };
    const later = new Date(TEST_NOW.getTime() + 60_000);
    const fixed = await rerunVerdict(
      Buffer.from(wire),
      'CertificateUntrusted',
      TEST_NOW,
      options,
      later,
    );
    expect(fixed.atEnqueue.ok).toBe(true);
    expect(fixed.sentence).toMatch(
      /^rejected then as CertificateUntrusted; would now be (accepted|rejected as MessageExpired)$/,
    );
    // Without the intermediate the service held then: still refused.
    const untrusted = await rerunVerdict(
      Buffer.from(wire),
      'CertificateUntrusted',
      TEST_NOW,
      {
        serviceKeys: [pki.service],
        trust: new TrustStore({ trustedRoots: [pki.untrustedRoot.certificate] }),
      },
      TEST_NOW,
    );
    expect(untrusted.now).toEqual({ ok: false, code: 'CertificateUntrusted' });
    expect(untrusted.sentence).toBe(
      'rejected then as CertificateUntrusted; would now be rejected as CertificateUntrusted',
    );
    // Another service's key cannot open it.
    const wrongKey = await rerunVerdict(
      Buffer.from(wire),
      undefined,
      TEST_NOW,
      { serviceKeys: [pki.service2], trust },
      TEST_NOW,
    );
    expect(wrongKey.now).toMatchObject({ ok: false });
    expect(wrongKey.sentence).toMatch(/^not rejected; would now be rejected as /);
  });

  it('shows an expired signer: accepted as of enqueue time, refused now', async () => {
    const wire = secureAs(pki, orderEnvelope(), {}, pki.client, TEST_NOW);
    const trust = new TrustStore({
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
    });
    const afterExpiry = new Date(pki.client.certificate.notAfter.getTime() + 86_400_000);
    const r = await rerunVerdict(
      Buffer.from(wire),
      'HandlerFailed',
      TEST_NOW,
      { serviceKeys: [pki.service], trust },
      afterExpiry,
    );
    expect(r.atEnqueue.ok).toBe(true);
    expect(r.now.ok).toBe(false);
  });
});
