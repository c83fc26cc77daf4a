/** Weak keys and SHA-1 signatures are called out. */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { diagnoseCertificate } from '../../../src/doctor/diagnose.js';
import { Certificate } from '../../../src/trust/certificate.js';
import { EKU, issueCertificate } from '../../../src/trust/dev-pki.js';
import { TEST_NOW, getTestPki } from '../../helpers.js';

describe('key strength and signature algorithm', () => {
  it('an RSA-1024 key is too weak', async () => {
    const pki = await getTestPki();
    const keyPair = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weak = await issueCertificate({
      subject: 'CN=weak',
      issuer: pki.intermediate,
      keyPair,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      eku: [EKU.clientAuth],
    });
    const findings = await diagnoseCertificate({ certificate: weak.certificate, at: TEST_NOW });
    const f = findings.find((x) => x.check === 'key-strength');
    expect(f).toMatchObject({ ok: false });
    expect(f?.message).toMatch(/RSA key of 1024 bits: too weak/);
  });

  it('a SHA-1 signature is refused', async () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2030-01-01T00:00:00Z');
    cert.setSubject([{ name: 'commonName', value: 'sha1 client' }]);
    cert.setIssuer([{ name: 'commonName', value: 'sha1 client' }]);
    cert.sign(keys.privateKey, forge.md.sha1.create());
    const certificate = Certificate.fromPem(forge.pki.certificateToPem(cert));
    const findings = await diagnoseCertificate({ certificate, at: TEST_NOW });
    const f = findings.find((x) => x.check === 'signature-algorithm');
    expect(f).toMatchObject({ ok: false });
    expect(f?.message).toMatch(/SHA1/);
    expect(findings.find((x) => x.check === 'self-signed')?.ok).toBe(false);
  });
});
