import { describe, it, expect, beforeAll } from 'vitest';
import { CertificateError } from '../../../src/errors.js';
import type { CertificateErrorCode } from '../../../src/errors.js';
import { TrustStore } from '../../../src/trust/validate.js';
import type { TrustOptions } from '../../../src/trust/validate.js';
import { EKU, issueCertificate } from '../../../src/trust/dev-pki.js';
import type { Certificate } from '../../../src/trust/certificate.js';
import { getTestPki, TEST_NOW, VALID_FROM, VALID_TO } from '../../fixtures/pki.js';
import type { TestPki } from '../../fixtures/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await getTestPki();
});

function chainStore(extra: Partial<TrustOptions> = {}): TrustStore {
  return new TrustStore({
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    cacheTtlSeconds: 0,
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<CertificateError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CertificateError) return err;
    throw err;
  }
  throw new Error('expected a CertificateError');
}

async function expectCode(
  promise: Promise<unknown>,
  code: CertificateErrorCode,
  thumbprint?: string,
): Promise<void> {
  const err = await rejection(promise);
  expect(err.code).toBe(code);
  if (thumbprint !== undefined) expect(err.thumbprint).toBe(thumbprint);
}

const thumbs = (chain: readonly Certificate[]) => chain.map((c) => c.thumbprintSha256);

describe('ChainTrust', () => {
  it('accepts a valid client and returns leaf → intermediate → root', async () => {
    const result = await chainStore().validate(pki.client.certificate, [], TEST_NOW);
    expect(result.trustedBy).toBe('chain');
    expect(result.leaf).toBe(pki.client.certificate);
    expect(thumbs(result.chain)).toEqual(
      thumbs([pki.client.certificate, pki.intermediate.certificate, pki.root.certificate]),
    );
  });

  it('accepts a service certificate for the service purpose (serverAuth)', async () => {
    const result = await chainStore().validate(pki.service.certificate, [], TEST_NOW, 'service');
    expect(result.chain).toHaveLength(3);
  });

  it('rejects a client certificate for the service purpose (no serverAuth)', async () => {
    await expectCode(
      chainStore().validate(pki.client.certificate, [], TEST_NOW, 'service'),
      'CertificateNotValidForPurpose',
    );
  });

  it('rejects a certificate from an untrusted issuer', async () => {
    await expectCode(
      chainStore().validate(pki.untrustedClient.certificate, [], TEST_NOW),
      'CertificateUntrusted',
      pki.untrustedClient.certificate.thumbprintSha256,
    );
  });

  it('does not take a root carried in the message as an anchor', async () => {
    await expectCode(
      chainStore().validate(
        pki.untrustedClient.certificate,
        [pki.untrustedRoot.certificate],
        TEST_NOW,
      ),
      'CertificateUntrusted',
    );
  });

  it('accepts an intermediate supplied only by the message', async () => {
    const store = new TrustStore({ trustedRoots: [pki.root.certificate], cacheTtlSeconds: 0 });
    await expectCode(store.validate(pki.client.certificate, [], TEST_NOW), 'CertificateUntrusted');
    const result = await store.validate(
      pki.client.certificate,
      [pki.intermediate.certificate],
      TEST_NOW,
    );
    expect(thumbs(result.chain)).toEqual(
      thumbs([pki.client.certificate, pki.intermediate.certificate, pki.root.certificate]),
    );
  });

  it('ignores unrelated candidates', async () => {
    const result = await chainStore().validate(
      pki.client.certificate,
      [pki.untrustedRoot.certificate, pki.client2.certificate, pki.client.certificate],
      TEST_NOW,
    );
    expect(result.chain).toHaveLength(3);
  });

  it('rejects an expired certificate', async () => {
    await expectCode(
      chainStore().validate(pki.expiredClient.certificate, [], TEST_NOW),
      'CertificateExpired',
      pki.expiredClient.certificate.thumbprintSha256,
    );
  });

  it('rejects a certificate that is not yet valid', async () => {
    await expectCode(
      chainStore().validate(pki.notYetValidClient.certificate, [], TEST_NOW),
      'CertificateExpired',
    );
  });

  it('accepts a certificate within the clock skew of its validity period, not beyond', async () => {
    const store = chainStore({ maxClockSkewSeconds: 300 });
    const notAfter = pki.client.certificate.notAfter.getTime();
    const notBefore = pki.client.certificate.notBefore.getTime();
    await store.validate(pki.client.certificate, [], new Date(notAfter + 299_000));
    await expectCode(
      store.validate(pki.client.certificate, [], new Date(notAfter + 301_000)),
      'CertificateExpired',
    );
    // The CA certificates share the window: 299 s before notBefore is fine for all of them.
    await store.validate(pki.client.certificate, [], new Date(notBefore - 299_000));
    await expectCode(
      store.validate(pki.client.certificate, [], new Date(notBefore - 301_000)),
      'CertificateExpired',
    );
    await expectCode(
      chainStore({ maxClockSkewSeconds: 0 }).validate(
        pki.client.certificate,
        [],
        new Date(notAfter + 1000),
      ),
      'CertificateExpired',
    );
  });

  it('rejects a certificate without the clientAuth EKU', async () => {
    await expectCode(
      chainStore().validate(pki.noClientAuthClient.certificate, [], TEST_NOW),
      'CertificateNotValidForPurpose',
    );
  });

  it('does not check the EKU when requiredExtendedKeyUsage is null', async () => {
    await chainStore({ requiredExtendedKeyUsage: null }).validate(
      pki.noClientAuthClient.certificate,
      [],
      TEST_NOW,
    );
  });

  it('accepts anyExtendedKeyUsage and a certificate without an EKU extension', async () => {
    const common = { issuer: pki.intermediate, notBefore: VALID_FROM, notAfter: VALID_TO };
    const [any, none] = await Promise.all([
      issueCertificate({
        subject: 'CN=any eku',
        eku: [EKU.any],
        ...common,
        keyPair: keysOf('client'),
      }),
      issueCertificate({ subject: 'CN=no eku', ...common, keyPair: keysOf('client2') }),
    ]);
    await chainStore().validate(any.certificate, [], TEST_NOW);
    await chainStore().validate(none.certificate, [], TEST_NOW);
  });

  it('rejects a client leaf whose key usage lacks digitalSignature', async () => {
    const leaf = await issueCertificate({
      subject: 'CN=encipher only',
      issuer: pki.intermediate,
      keyPair: keysOf('client'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
      keyUsage: ['keyEncipherment'],
    });
    await expectCode(
      chainStore().validate(leaf.certificate, [], TEST_NOW),
      'CertificateNotValidForPurpose',
    );
  });

  it('rejects a self-signed client certificate', async () => {
    await expectCode(
      chainStore().validate(pki.selfSignedClient.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
  });

  it('accepts a leaf that is itself a trusted root', async () => {
    const store = new TrustStore({ trustedRoots: [pki.selfSignedClient.certificate] });
    const result = await store.validate(pki.selfSignedClient.certificate, [], TEST_NOW);
    expect(thumbs(result.chain)).toEqual(thumbs([pki.selfSignedClient.certificate]));
  });

  it('rejects a path through a certificate that is not a CA (cA=false)', async () => {
    // client (cA=false, but with keyCertSign so that only basicConstraints stops it) signs a leaf.
    const fakeCa = await issueCertificate({
      subject: 'CN=alice, O=wsseq tests, C=US',
      issuer: pki.intermediate,
      keyPair: keysOf('client'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      keyUsage: ['digitalSignature', 'keyCertSign'],
    });
    const victim = await issueCertificate({
      subject: 'CN=mallory',
      issuer: fakeCa,
      keyPair: keysOf('client2'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
    });
    await expectCode(
      chainStore().validate(victim.certificate, [fakeCa.certificate], TEST_NOW),
      'CertificateUntrusted',
    );
    // The genuine client certificate (no keyCertSign) cannot act as a CA either.
    const victim2 = await issueCertificate({
      subject: 'CN=mallory2',
      issuer: pki.client,
      keyPair: keysOf('client2'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
    });
    await expectCode(
      chainStore().validate(victim2.certificate, [pki.client.certificate], TEST_NOW),
      'CertificateUntrusted',
    );
  });

  it('respects pathLenConstraint', async () => {
    // intermediate has pathLen 0: a sub-CA under it cannot issue.
    const subCa = await issueCertificate({
      subject: 'CN=sub CA',
      issuer: pki.intermediate,
      keyPair: keysOf('service2'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      isCa: true,
    });
    const leaf = await issueCertificate({
      subject: 'CN=deep leaf',
      issuer: subCa,
      keyPair: keysOf('client2'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
    });
    await expectCode(
      chainStore().validate(leaf.certificate, [subCa.certificate], TEST_NOW),
      'CertificateUntrusted',
    );
    // Trusting the sub-CA directly is fine: the constraint is above the anchor.
    const store = new TrustStore({ trustedRoots: [subCa.certificate] });
    await store.validate(leaf.certificate, [], TEST_NOW);
  });

  it('rejects an unhandled critical extension', async () => {
    const leaf = await issueCertificate({
      subject: 'CN=critical',
      issuer: pki.intermediate,
      keyPair: keysOf('client'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
      extensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: true, value: Buffer.from([5, 0]) }],
    });
    await expectCode(chainStore().validate(leaf.certificate, [], TEST_NOW), 'CertificateUntrusted');
  });

  it('rejects a forged certificate (issuer name right, signature wrong)', async () => {
    const forged = await issueCertificate({
      subject: 'CN=alice, O=wsseq tests, C=US',
      // Signed by the untrusted root's key but naming the intermediate as issuer.
      issuer: {
        certificate: pki.intermediate.certificate,
        privateKey: pki.untrustedRoot.privateKey,
      },
      keyPair: keysOf('client'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
    });
    await expectCode(
      chainStore().validate(forged.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
  });
});

describe('PeerTrust and PeerOrChainTrust', () => {
  it('accepts a pinned certificate and rejects another with the same subject and key', async () => {
    const store = new TrustStore({
      validationMode: 'PeerTrust',
      trustedPeers: [pki.client.certificate],
    });
    const result = await store.validate(pki.client.certificate, [], TEST_NOW);
    expect(result.trustedBy).toBe('peer');
    expect(thumbs(result.chain)).toEqual(thumbs([pki.client.certificate]));
    const twin = await issueCertificate({
      subject: pki.client.certificate.subject,
      issuer: pki.intermediate,
      keyPair: keysOf('client'),
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      eku: [EKU.clientAuth],
      emails: ['alice@example.com'],
    });
    await expectCode(store.validate(twin.certificate, [], TEST_NOW), 'CertificateUntrusted');
    // Chain-valid, but not pinned.
    await expectCode(store.validate(pki.client2.certificate, [], TEST_NOW), 'CertificateUntrusted');
  });

  it('still checks the validity period of a pinned certificate', async () => {
    const store = new TrustStore({
      validationMode: 'PeerTrust',
      trustedPeers: [pki.expiredClient.certificate],
    });
    await expectCode(
      store.validate(pki.expiredClient.certificate, [], TEST_NOW),
      'CertificateExpired',
    );
  });

  it('PeerOrChainTrust accepts a pinned self-signed certificate and a chain-trusted one', async () => {
    const store = new TrustStore({
      validationMode: 'PeerOrChainTrust',
      trustedPeers: [pki.selfSignedClient.certificate],
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
    });
    const peer = await store.validate(pki.selfSignedClient.certificate, [], TEST_NOW);
    expect(peer.trustedBy).toBe('peer');
    const chained = await store.validate(pki.client.certificate, [], TEST_NOW);
    expect(chained.trustedBy).toBe('chain');
    expect(chained.chain).toHaveLength(3);
    await expectCode(
      store.validate(pki.untrustedClient.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
  });

  it('ChainTrust ignores trustedPeers', async () => {
    const store = chainStore({ trustedPeers: [pki.selfSignedClient.certificate] });
    await expectCode(
      store.validate(pki.selfSignedClient.certificate, [], TEST_NOW),
      'CertificateUntrusted',
    );
  });
});

describe('None and Custom', () => {
  it('None accepts anything', async () => {
    const store = new TrustStore({ validationMode: 'None' });
    const result = await store.validate(pki.expiredClient.certificate, [], TEST_NOW);
    expect(result.trustedBy).toBe('none');
  });

  it('Custom delegates to the validator, which can reject', async () => {
    const seen: number[] = [];
    const store = new TrustStore({
      validationMode: 'Custom',
      customValidator: (leaf, chain) => {
        seen.push(chain.length);
        if (leaf.equals(pki.client2.certificate)) {
          throw new CertificateError('CertificateUntrusted', 'bob is not welcome', {
            thumbprint: leaf.thumbprintSha256,
          });
        }
      },
    });
    const ok = await store.validate(pki.selfSignedClient.certificate, [], TEST_NOW);
    expect(ok.trustedBy).toBe('custom');
    await expectCode(store.validate(pki.client2.certificate, [], TEST_NOW), 'CertificateUntrusted');
    expect(seen).toEqual([1, 1]);
  });

  it('runs the custom validator after the chain checks, and wraps a foreign throw', async () => {
    const store = chainStore({
      customValidator: () => {
        throw new Error('nope');
      },
    });
    const err = await rejection(store.validate(pki.client.certificate, [], TEST_NOW));
    expect(err.code).toBe('CertificateUntrusted');
    expect(err.cause).toBeInstanceOf(Error);
    // The built-in checks still come first.
    await expectCode(
      store.validate(pki.expiredClient.certificate, [], TEST_NOW),
      'CertificateExpired',
    );
  });
});

describe('options', () => {
  it('rejects inconsistent options with a TypeError', () => {
    const root = pki.root.certificate;
    expect(() => new TrustStore({})).toThrow(TypeError);
    expect(() => new TrustStore({ validationMode: 'PeerTrust' })).toThrow(TypeError);
    expect(() => new TrustStore({ validationMode: 'Custom' })).toThrow(TypeError);
    expect(() => new TrustStore({ trustedRoots: [root], revocationMode: 'Offline' })).toThrow(
      TypeError,
    );
    expect(() => new TrustStore({ trustedRoots: [root], revocationMode: 'Online' })).toThrow(
      TypeError,
    );
    expect(
      () =>
        new TrustStore({ trustedRoots: [root], revocationMode: 'Offline', crls: ['not a crl'] }),
    ).toThrow(TypeError);
    expect(
      () =>
        new TrustStore({
          trustedRoots: [root],
          revocationMode: 'Offline',
          crls: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])],
        }),
    ).toThrow(TypeError);
    expect(() => new TrustStore({ trustedRoots: [root], maxClockSkewSeconds: -1 })).toThrow(
      TypeError,
    );
    expect(
      () => new TrustStore({ trustedRoots: [root], requiredExtendedKeyUsage: 'clientAuth' }),
    ).toThrow(TypeError);
    // A PEM CRL and a DER CRL are both fine.
    expect(
      () =>
        new TrustStore({
          trustedRoots: [root],
          revocationMode: 'Offline',
          crls: [pki.crlRoot.pem, pki.crlIntermediate.der],
        }),
    ).not.toThrow();
  });

  it('rejects an invalid date', async () => {
    await expect(
      chainStore().validate(pki.client.certificate, [], new Date('nope')),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

function keysOf(name: 'client' | 'client2' | 'service2') {
  const cred = pki[name];
  return { publicKey: cred.certificate.publicKey, privateKey: cred.privateKey };
}
