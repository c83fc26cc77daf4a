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
