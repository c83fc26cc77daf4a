import { describe, it, expect, beforeAll } from 'vitest';
import { CertificateError } from '../../../src/errors.js';
import type { CertificateErrorCode } from '../../../src/errors.js';
import { TrustStore } from '../../../src/trust/validate.js';
import type { TrustOptions } from '../../../src/trust/validate.js';
import { EKU, issueCertificate, issueCrl } from '../../../src/trust/dev-pki.js';
import type { Certificate } from '../../../src/trust/certificate.js';
import {
  getTestPki,
  INTERMEDIATE_CRL_URL,
  ROOT_CRL_URL,
  TEST_NOW,
  VALID_FROM,
  VALID_TO,
} from '../../fixtures/pki.js';
import type { TestPki } from '../../fixtures/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await getTestPki();
});

function store(extra: Partial<TrustOptions>): TrustStore {
  return new TrustStore({
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    cacheTtlSeconds: 0,
    ...extra,
  });
}

async function expectCode(promise: Promise<unknown>, code: CertificateErrorCode): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CertificateError);
  expect((err as CertificateError).code).toBe(code);
}

const offline = (crls: readonly (string | Uint8Array)[]) =>
  store({ revocationMode: 'Offline', crls });

describe('Offline revocation', () => {
  it('accepts a certificate absent from current CRLs', async () => {
    const s = offline([pki.crlRoot.pem, pki.crlIntermediate.pem]);
    const result = await s.validate(pki.client.certificate, [], TEST_NOW);
    expect(result.chain).toHaveLength(3);
  });

  it('rejects a certificate listed in its issuer CRL', async () => {
    const s = offline([pki.crlRoot.pem, pki.crlIntermediate.der]);
    await expectCode(s.validate(pki.revokedClient.certificate, [], TEST_NOW), 'CertificateRevoked');
  });

  it('fails closed without a CRL for the leaf issuer', async () => {
    const s = offline([pki.crlRoot.pem]);
    await expectCode(s.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
  });

  it('fails closed without a CRL for the intermediate (the anchor is not checked)', async () => {
    const s = offline([pki.crlIntermediate.pem]);
    await expectCode(s.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
  });

  it('ignores a CRL with a bad signature (revoked serial hidden → still fails closed)', async () => {
    // Names the intermediate as issuer, signed with another key, lists nothing.
    const forged = await issueCrl({
      issuer: {
        certificate: pki.intermediate.certificate,
        privateKey: pki.untrustedRoot.privateKey,
      },
      thisUpdate: new Date('2026-05-01T00:00:00Z'),
      nextUpdate: new Date('2026-07-01T00:00:00Z'),
    });
    const s = offline([pki.crlRoot.pem, forged.pem]);
    await expectCode(
      s.validate(pki.revokedClient.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
    await expectCode(s.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
  });

  it('treats a stale CRL as missing, and a CRL from the future too', async () => {
    const [stale, future] = await Promise.all([
      issueCrl({
        issuer: pki.intermediate,
        thisUpdate: new Date('2026-04-01T00:00:00Z'),
        nextUpdate: new Date('2026-05-01T00:00:00Z'),
      }),
      issueCrl({
        issuer: pki.intermediate,
        thisUpdate: new Date('2026-07-01T00:00:00Z'),
        nextUpdate: new Date('2026-08-01T00:00:00Z'),
      }),
    ]);
    await expectCode(
      offline([pki.crlRoot.pem, stale.pem]).validate(pki.client.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
    await expectCode(
      offline([pki.crlRoot.pem, future.pem]).validate(pki.client.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
    // Fresh at an instant inside its window.
    await offline([pki.crlRoot.pem, stale.pem]).validate(
      pki.client.certificate,
      [],
      new Date('2026-04-15T00:00:00Z'),
    );
  });

  it('uses a fresh CRL when a stale one is also held', async () => {
    const stale = await issueCrl({
      issuer: pki.intermediate,
      thisUpdate: new Date('2026-04-01T00:00:00Z'),
      nextUpdate: new Date('2026-05-01T00:00:00Z'),
    });
    const s = offline([pki.crlRoot.pem, stale.pem, pki.crlIntermediate.pem]);
    await expectCode(s.validate(pki.revokedClient.certificate, [], TEST_NOW), 'CertificateRevoked');
    await s.validate(pki.client.certificate, [], TEST_NOW);
  });

  it('does not check revocation of a pinned peer', async () => {
    const s = new TrustStore({
      validationMode: 'PeerTrust',
      trustedPeers: [pki.revokedClient.certificate],
      revocationMode: 'Offline',
      crls: [pki.crlIntermediate.pem],
    });
    const result = await s.validate(pki.revokedClient.certificate, [], TEST_NOW);
    expect(result.trustedBy).toBe('peer');
  });
});

describe('Online revocation', () => {
  function fetcher(): {
    calls: { url: string; subject: string }[];
    fetchCrl: (url: string, cert: Certificate) => Promise<string | undefined>;
  } {
    const calls: { url: string; subject: string }[] = [];
    return {
      calls,
      fetchCrl: (url, cert) => {
        calls.push({ url, subject: cert.subject });
        if (url === ROOT_CRL_URL) return Promise.resolve(pki.crlRoot.pem);
        if (url === INTERMEDIATE_CRL_URL) return Promise.resolve(pki.crlIntermediate.pem);
        return Promise.resolve(undefined);
      },
    };
  }

  it('fetches each certificate CRL from its distribution point', async () => {
    const f = fetcher();
    const s = store({ revocationMode: 'Online', fetchCrl: f.fetchCrl });
    await s.validate(pki.client.certificate, [], TEST_NOW);
    expect(f.calls.map((c) => c.url)).toEqual([INTERMEDIATE_CRL_URL, ROOT_CRL_URL]);
    expect(f.calls[0]?.subject).toBe(pki.client.certificate.subject);
    expect(f.calls[1]?.subject).toBe(pki.intermediate.certificate.subject);
    await expectCode(s.validate(pki.revokedClient.certificate, [], TEST_NOW), 'CertificateRevoked');
    // The fetched CRLs are reused while current.
    expect(f.calls).toHaveLength(2);
  });

  it('fails closed when the fetch fails or returns nothing usable', async () => {
    const failing = store({
      revocationMode: 'Online',
      fetchCrl: () => Promise.reject(new Error('network down')),
    });
    await expectCode(
      failing.validate(pki.client.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
    const empty = store({ revocationMode: 'Online', fetchCrl: () => Promise.resolve(undefined) });
    await expectCode(empty.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
    const garbage = store({
      revocationMode: 'Online',
      fetchCrl: () => Promise.resolve(new Uint8Array([1, 2, 3])),
    });
    await expectCode(
      garbage.validate(pki.client.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
    // The wrong CRL (the root's, for the leaf) is not used either.
    const wrong = store({
      revocationMode: 'Online',
      fetchCrl: () => Promise.resolve(pki.crlRoot.der),
    });
    await expectCode(wrong.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
  });

  it('fails closed when the distribution point serves another issuer CRL', async () => {
    const f = fetcher();
    const s = new TrustStore({
      trustedRoots: [pki.untrustedRoot.certificate],
      revocationMode: 'Online',
      fetchCrl: f.fetchCrl,
    });
    // untrustedClient carries the intermediate's URL, which serves a CRL of another issuer.
    await expectCode(
      s.validate(pki.untrustedClient.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
  });

  it('fails closed for a certificate without a distribution point', async () => {
    const f = fetcher();
    const leaf = await issueCertificate({
      subject: 'CN=no cdp',
      issuer: pki.intermediate,
      keyPair: { publicKey: pki.client.certificate.publicKey, privateKey: pki.client.privateKey },
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
    });
    const s = store({ revocationMode: 'Online', fetchCrl: f.fetchCrl });
    await expectCode(s.validate(leaf.certificate, [], TEST_NOW), 'CertificateUntrusted');
    expect(f.calls).toHaveLength(0);
  });
});
