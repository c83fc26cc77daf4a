/**
 * Certificate outcomes through `open`: each way a signer's certificate can fail, with its
 * stable code (the IIS-like outcomes: untrusted, expired or not yet valid, revoked, not valid
 * for the purpose), beside a good client passing under the same trust options.
 */
import { describe, expect, it } from 'vitest';
import type { WsseqErrorCode } from '../../../src/errors.js';
import { isWsseqError } from '../../../src/errors.js';
import type { TrustOptions } from '../../../src/trust/validate.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';
import type { TestCredential, TestPki } from '../../helpers.js';

type Name = Exclude<keyof TestPki, 'crlRoot' | 'crlIntermediate'>;

async function outcome(
  pki: TestPki,
  signer: TestCredential,
  trust: TrustOptions = {},
): Promise<WsseqErrorCode | 'accepted'> {
  // Secured at TEST_NOW: only the certificate can be wrong.
  const wire = secureAs(pki, orderEnvelope(), {}, signer);
  try {
    await testOpener(pki, {}, {}, trust).open(wire);
    return 'accepted';
  } catch (err) {
    if (!isWsseqError(err)) throw err;
    return err.code;
  }
}

describe('certificate outcomes through open (ChainTrust)', () => {
  const cases: [Name, WsseqErrorCode | 'accepted'][] = [
    ['client', 'accepted'],
    ['client2', 'accepted'],
    ['untrustedClient', 'CertificateUntrusted'],
    ['selfSignedClient', 'CertificateUntrusted'],
    ['expiredClient', 'CertificateExpired'],
    ['notYetValidClient', 'CertificateExpired'],
    ['noClientAuthClient', 'CertificateNotValidForPurpose'],
    // Without revocation checking, a revoked certificate is not noticed.
    ['revokedClient', 'accepted'],
  ];
  for (const [name, expected] of cases) {
    it(`${name} → ${expected}`, async () => {
      const pki = await getTestPki();
      expect(await outcome(pki, pki[name])).toBe(expected);
    });
  }
});

describe('revocation (Offline, the CRLs the service holds)', () => {
  const offline = (pki: TestPki): TrustOptions => ({
    revocationMode: 'Offline',
    crls: [pki.crlRoot.pem, pki.crlIntermediate.pem],
  });

  it('accepts a good client', async () => {
    const pki = await getTestPki();
    expect(await outcome(pki, pki.client, offline(pki))).toBe('accepted');
  });

  it('rejects a revoked client (CertificateRevoked)', async () => {
    const pki = await getTestPki();
    expect(await outcome(pki, pki.revokedClient, offline(pki))).toBe('CertificateRevoked');
  });

  it('fails closed without the issuing CA’s CRL (CertificateUntrusted)', async () => {
    const pki = await getTestPki();
    const trust: TrustOptions = { revocationMode: 'Offline', crls: [pki.crlRoot.pem] };
    expect(await outcome(pki, pki.client, trust)).toBe('CertificateUntrusted');
  });
});

describe('PeerTrust and PeerOrChainTrust', () => {
  it('PeerTrust: the pinned client is accepted, another trusted client is not', async () => {
    const pki = await getTestPki();
    const trust: TrustOptions = {
      validationMode: 'PeerTrust',
      trustedPeers: [pki.client.certificate],
    };
    expect(await outcome(pki, pki.client, trust)).toBe('accepted');
    expect(await outcome(pki, pki.client2, trust)).toBe('CertificateUntrusted');
  });

  it('PeerTrust: a pinned self-signed certificate is accepted', async () => {
    const pki = await getTestPki();
    const trust: TrustOptions = {
      validationMode: 'PeerTrust',
      trustedPeers: [pki.selfSignedClient.certificate],
    };
    expect(await outcome(pki, pki.selfSignedClient, trust)).toBe('accepted');
    expect(await outcome(pki, pki.client, trust)).toBe('CertificateUntrusted');
  });

  it('PeerOrChainTrust: a pinned peer or a chain to a trusted root', async () => {
    const pki = await getTestPki();
    const trust: TrustOptions = {
      validationMode: 'PeerOrChainTrust',
      trustedPeers: [pki.selfSignedClient.certificate],
    };
    expect(await outcome(pki, pki.selfSignedClient, trust)).toBe('accepted');
    expect(await outcome(pki, pki.client2, trust)).toBe('accepted');
    expect(await outcome(pki, pki.untrustedClient, trust)).toBe('CertificateUntrusted');
  });

  it('PeerTrust still checks dates: a pinned expired certificate (CertificateExpired)', async () => {
    const pki = await getTestPki();
    const trust: TrustOptions = {
      validationMode: 'PeerTrust',
      trustedPeers: [pki.expiredClient.certificate],
    };
    expect(await outcome(pki, pki.expiredClient, trust)).toBe('CertificateExpired');
  });
});
