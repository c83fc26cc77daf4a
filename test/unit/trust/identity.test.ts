import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { describeIdentity } from '../../../src/trust/identity.js';
import { getTestPki } from '../../fixtures/pki.js';
import type { TestPki } from '../../fixtures/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await getTestPki();
});

describe('describeIdentity', () => {
  it('reads names, thumbprints, e-mail and UPN of a client certificate', () => {
    const cert = pki.client.certificate;
    const id = describeIdentity(cert);
    expect(id.subject).toBe('CN=alice, O=wsseq tests, C=US');
    expect(id.issuer).toBe('CN=wsseq Test Issuing CA, O=wsseq tests, C=US');
    expect(id.commonName).toBe('alice');
    expect(id.emails).toEqual(['alice@example.com']);
    expect(id.upns).toEqual(['alice@corp.example']);
    expect(id.dnsNames).toEqual([]);
    expect(id.thumbprint).toBe(createHash('sha256').update(cert.der).digest('hex'));
    expect(id.thumbprintSha1).toBe(createHash('sha1').update(cert.der).digest('hex'));
    expect(id.serialNumber).toBe(cert.serialNumberHex);
  });

  it('reads the DNS name of a service certificate', () => {
    const id = describeIdentity(pki.service.certificate);
    expect(id.dnsNames).toEqual(['service.example']);
    expect(id.emails).toEqual([]);
    expect(id.upns).toEqual([]);
  });

  it('gives empty lists for a certificate without a subjectAltName', () => {
    const id = describeIdentity(pki.root.certificate);
    expect(id.commonName).toBe('wsseq Test Root CA');
    expect(id.emails).toEqual([]);
  });
});
