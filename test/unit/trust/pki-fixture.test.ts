import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { Certificate } from '../../../src/trust/certificate.js';
import { createDevelopmentPki } from '../../../src/trust/dev-pki.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { describeIdentity } from '../../../src/trust/identity.js';
import { getTestPki, TEST_NOW, TEST_P12_PASSWORD, writeTestPki } from '../../fixtures/pki.js';

describe('test PKI fixture', () => {
  it('is memoized and keeps the documented windows', async () => {
    const pki = await getTestPki();
    expect(await getTestPki()).toBe(pki);
    expect(pki.client.certificate.notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(pki.client.certificate.notAfter.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(pki.expiredClient.certificate.notAfter.getTime()).toBeLessThan(TEST_NOW.getTime());
    expect(pki.notYetValidClient.certificate.notBefore.getTime()).toBeGreaterThan(
      TEST_NOW.getTime(),
    );
    expect(pki.service2.certificate.subject).toBe(pki.service.certificate.subject);
    expect(pki.service2.certificate.equals(pki.service.certificate)).toBe(false);
    // Each private key matches its certificate.
    for (const cred of [pki.client, pki.service, pki.root, pki.revokedClient]) {
      const pub = cred.certificate.publicKey.export({ format: 'der', type: 'spki' });
      const fromKey = cred.privateKey.export({ format: 'der', type: 'pkcs8' });
      expect(pub.length).toBeGreaterThan(0);
      expect(fromKey.length).toBeGreaterThan(0);
      expect(cred.certificate.node.checkPrivateKey(cred.privateKey)).toBe(true);
    }
  });

  it('writes PEM, CRL and PKCS#12 files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsseq-pki-'));
    try {
      const files = await writeTestPki(dir);
      const pki = await getTestPki();
      const clientPem = await readFile(files['client.pem'] ?? '', 'utf8');
      expect(Certificate.fromPem(clientPem).equals(pki.client.certificate)).toBe(true);
      expect(await readFile(files['client.key'] ?? '', 'utf8')).toContain('BEGIN PRIVATE KEY');
      expect(await readFile(files['crlIntermediate.pem'] ?? '', 'utf8')).toContain('X509 CRL');
      const p12 = await readFile(files['client.p12'] ?? '');
      const parsed = forge.pkcs12.pkcs12FromAsn1(
        forge.asn1.fromDer(p12.toString('binary')),
        TEST_P12_PASSWORD,
      );
      const bags = parsed.getBags({ bagType: forge.pki.oids.certBag ?? '' });
      expect(bags[forge.pki.oids.certBag ?? '']?.length).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('createDevelopmentPki', () => {
  it('makes a root, an intermediate, a service and a client that validate', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const pki = await createDevelopmentPki({
      now,
      serviceDnsName: 'orders.local',
      clientEmail: 'dev@example.com',
    });
    const store = new TrustStore({
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
      revocationMode: 'Offline',
      crls: [pki.crlRoot.pem, pki.crlIntermediate.der],
    });
    await store.validate(pki.client.certificate, [], now);
    await store.validate(pki.service.certificate, [], now, 'service');
    expect(describeIdentity(pki.service.certificate).dnsNames).toEqual(['orders.local']);
    expect(describeIdentity(pki.client.certificate).emails).toEqual(['dev@example.com']);
  });
});
