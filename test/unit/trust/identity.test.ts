import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('names as RFC 4514 text', () => {
  it('prints the RDNs most specific first, as OpenSSL -nameopt RFC2253 does', async () => {
    const pki = await getTestPki();
    const dir = mkdtempSync(join(tmpdir(), 'rfc4514-'));
    for (const cred of [pki.client, pki.intermediate, pki.root]) {
      const file = join(dir, 'c.pem');
      writeFileSync(file, cred.certificatePem);
      const openssl = (what: string): string =>
        execFileSync('openssl', ['x509', '-noout', what, '-nameopt', 'RFC2253', '-in', file])
          .toString('utf8')
          .replace(/^(subject|issuer)=/, '')
          .trim()
          .replace(/,(?=[A-Za-z]+=)/g, ', ');
      expect(cred.certificate.subject).toBe(openssl('-subject'));
      expect(cred.certificate.issuer).toBe(openssl('-issuer'));
    }
  });
});
