import { describe, it, expect, beforeAll, afterEach, vi } from 'vitest';
import { CertificateError } from '../../../src/errors.js';
import type { CertificateErrorCode } from '../../../src/errors.js';
import { Certificate } from '../../../src/trust/certificate.js';
import { TrustStore } from '../../../src/trust/validate.js';
import type { TrustOptions } from '../../../src/trust/validate.js';
import { issueCrl } from '../../../src/trust/dev-pki.js';
import { getTestPki, TEST_NOW } from '../../fixtures/pki.js';
import type { TestPki } from '../../fixtures/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await getTestPki();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function store(extra: Partial<TrustOptions> = {}): TrustStore {
  return new TrustStore({
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    ...extra,
  });
}

/** A new Certificate object for the same DER, as each incoming message would give. */
const fresh = (cert: Certificate) => Certificate.fromDer(cert.der);

async function expectCode(promise: Promise<unknown>, code: CertificateErrorCode): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CertificateError);
  expect((err as CertificateError).code).toBe(code);
}

describe('validation cache', () => {
  it('does not parse ASN.1 in JS for a cached certificate', async () => {
    const s = store();
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    const parsed = vi.spyOn(Certificate.prototype, 'parsed', 'get');
    const again = await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    expect(parsed).not.toHaveBeenCalled();
    expect(again.chain.map((c) => c.thumbprintSha256)).toEqual(
      [pki.client, pki.intermediate, pki.root].map((c) => c.certificate.thumbprintSha256),
    );
  });

  it('is disabled by cacheTtlSeconds: 0', async () => {
    const s = store({ cacheTtlSeconds: 0 });
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    const parsed = vi.spyOn(Certificate.prototype, 'parsed', 'get');
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    expect(parsed).toHaveBeenCalled();
  });

  it('expires after the TTL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T12:00:00Z'));
    const s = store({ cacheTtlSeconds: 60 });
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    const parsed = vi.spyOn(Certificate.prototype, 'parsed', 'get');
    vi.setSystemTime(new Date('2026-06-01T12:00:59Z'));
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    expect(parsed).not.toHaveBeenCalled();
    vi.setSystemTime(new Date('2026-06-01T12:01:01Z'));
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    expect(parsed).toHaveBeenCalled();
  });

  it('does not hide expiry: a later instant past notAfter still fails', async () => {
    const s = store();
    await s.validate(pki.client.certificate, [], TEST_NOW);
    await expectCode(
      s.validate(pki.client.certificate, [], new Date('2030-02-01T00:00:00Z')),
      'CertificateExpired',
    );
    await expectCode(
      s.validate(pki.client.certificate, [], new Date('2024-06-01T00:00:00Z')),
      'CertificateExpired',
    );
  });

  it('does not outlive the CRLs used', async () => {
    const crl = await issueCrl({
      issuer: pki.intermediate,
      thisUpdate: new Date('2026-05-01T00:00:00Z'),
      nextUpdate: new Date('2026-07-01T00:00:00Z'),
    });
    const s = store({ revocationMode: 'Offline', crls: [pki.crlRoot.pem, crl.pem] });
    await s.validate(pki.client.certificate, [], TEST_NOW);
    await expectCode(
      s.validate(pki.client.certificate, [], new Date('2026-08-01T00:00:00Z')),
      'CertificateUntrusted',
    );
  });

  it('is reused only while the same held CRLs are current (an older CRL that listed the certificate)', async () => {
    // Held first: a CRL current until mid-May that lists alice, then a clean one from May on.
    const listing = await issueCrl({
      issuer: pki.intermediate,
      thisUpdate: new Date('2026-01-01T00:00:00Z'),
      nextUpdate: new Date('2026-05-15T00:00:00Z'),
      revoked: [
        {
          serialHex: pki.client.certificate.serialNumberHex,
          date: new Date('2026-01-02T00:00:00Z'),
        },
      ],
    });
    const clean = await issueCrl({
      issuer: pki.intermediate,
      thisUpdate: new Date('2026-05-01T00:00:00Z'),
      nextUpdate: new Date('2026-07-01T00:00:00Z'),
    });
    const options: Partial<TrustOptions> = {
      revocationMode: 'Offline',
      crls: [pki.crlRoot.pem, listing.pem, clean.pem],
    };
    const may10 = new Date('2026-05-10T00:00:00Z');
    // The answer without a cache...
    await expectCode(
      store({ ...options, cacheTtlSeconds: 0 }).validate(pki.client.certificate, [], may10),
      'CertificateRevoked',
    );
    // ...is the answer after a success at another instant was cached.
    const s = store(options);
    await s.validate(pki.client.certificate, [], TEST_NOW);
    await expectCode(s.validate(pki.client.certificate, [], may10), 'CertificateRevoked');
    await s.validate(pki.client.certificate, [], TEST_NOW);
  });

  it('does not outlive a certificate of the chain (the intermediate expires first)', async () => {
    const s = store({ maxClockSkewSeconds: 0 });
    const v = await s.validate(pki.client.certificate, [], TEST_NOW);
    const earliest = Math.min(...v.chain.map((c) => c.notAfter.getTime()));
    await s.validate(pki.client.certificate, [], new Date(earliest));
    await expectCode(
      s.validate(pki.client.certificate, [], new Date(earliest + 1000)),
      'CertificateExpired',
    );
  });

  it('does not survive a trust-store change', async () => {
    const roots = [pki.root.certificate];
    const first = new TrustStore({
      trustedRoots: roots,
      intermediates: [pki.intermediate.certificate],
    });
    await first.validate(pki.client.certificate, [], TEST_NOW);
    // Changing the array given to the store changes nothing in it (it holds its own copy).
    roots.splice(0, 1, pki.untrustedRoot.certificate);
    await first.validate(pki.client.certificate, [], TEST_NOW);
    // A store with other roots (the way to change trust) has its own, empty cache.
    const other = new TrustStore({ trustedRoots: roots });
    await expectCode(other.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
    const untrusted = new TrustStore({ trustedRoots: [pki.untrustedClient.certificate] });
    await expectCode(
      untrusted.validate(pki.client.certificate, [pki.intermediate.certificate], TEST_NOW),
      'CertificateUntrusted',
    );
  });

  it('keeps purposes and candidate sets apart', async () => {
    const s = store();
    await s.validate(pki.client.certificate, [], TEST_NOW);
    await expectCode(
      s.validate(pki.client.certificate, [], TEST_NOW, 'service'),
      'CertificateNotValidForPurpose',
    );
    const onlyRoot = new TrustStore({ trustedRoots: [pki.root.certificate] });
    await onlyRoot.validate(pki.client.certificate, [pki.intermediate.certificate], TEST_NOW);
    await expectCode(
      onlyRoot.validate(pki.client.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
  });

  it('runs the custom validator on cached results too', async () => {
    let calls = 0;
    const s = store({
      customValidator: () => {
        calls += 1;
      },
    });
    await s.validate(pki.client.certificate, [], TEST_NOW);
    await s.validate(pki.client.certificate, [], TEST_NOW);
    expect(calls).toBe(2);
  });

  it('clearCache forgets results', async () => {
    const s = store();
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    s.clearCache();
    const parsed = vi.spyOn(Certificate.prototype, 'parsed', 'get');
    await s.validate(fresh(pki.client.certificate), [], TEST_NOW);
    expect(parsed).toHaveBeenCalled();
  });
});
