/**
 * The error class follows the code: every Certificate* code is a CertificateError, every policy
 * code a PolicyError, DecryptionFailed a DecryptionError, whoever builds the error, and the
 * pipeline's own rejections obey it.
 */
import { describe, expect, it } from 'vitest';
import {
  CertificateError,
  DecryptionError,
  PolicyError,
  WsseqError,
  reject,
  wsseqError,
} from './exports.js';
import type { WsseqErrorCode } from './exports.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

const ALL_CODES: readonly WsseqErrorCode[] = [
  'MalformedMessage',
  'LimitExceeded',
  'UnsupportedAlgorithm',
  'UnsupportedSecurityToken',
  'SecurityTokenUnavailable',
  'PolicyViolation',
  'SignatureInvalid',
  'DecryptionFailed',
  'CertificateRequired',
  'CertificateUntrusted',
  'CertificateRevoked',
  'CertificateExpired',
  'CertificateNotValidForPurpose',
  'CertificateMismatch',
  'MessageExpired',
  'AuthenticationFailed',
  'Replay',
];

function expectedClass(code: WsseqErrorCode): abstract new (...args: never[]) => WsseqError {
  if (code.startsWith('Certificate')) return CertificateError;
  if (code === 'PolicyViolation' || code === 'UnsupportedAlgorithm') return PolicyError;
  if (code === 'DecryptionFailed') return DecryptionError;
  return WsseqError;
}

describe('error classes', () => {
  it.each(ALL_CODES)('%s: wsseqError and reject build the class the code belongs to', (code) => {
    for (const err of [wsseqError(code, 'detail'), reject(code, 'detail', new Error('x'))]) {
      expect(err.code).toBe(code);
      expect(err).toBeInstanceOf(WsseqError);
      expect(err.constructor).toBe(expectedClass(code));
      expect(typeof err.fault).toBe('string');
    }
  });

  it('refuses a plain WsseqError for a code that has a subclass', () => {
    const codes = ALL_CODES.filter((c) => expectedClass(c) !== WsseqError);
    expect(codes).toHaveLength(9);
    for (const code of codes) {
      expect(() => new WsseqError(code as 'Replay', 'detail')).toThrow(TypeError);
    }
    expect(new WsseqError('Replay', 'seen').code).toBe('Replay');
  });

  it('keeps the one decryption message whatever the detail', () => {
    const err = wsseqError('DecryptionFailed', 'bad padding at byte 17');
    expect(err.message).toBe(err.publicMessage);
  });

  it("rejects an untrusted signer with a CertificateError carrying the certificate's thumbprint", async () => {
    const pki = await getTestPki();
    const opener = testOpener(pki);
    // The honest client passes; the one from an unknown CA is refused.
    await expect(opener.open(secureAs(pki, orderEnvelope()))).resolves.toBeDefined();
    const wire = secureAs(pki, orderEnvelope(), {}, pki.untrustedClient);
    const err: unknown = await opener.open(wire).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateError);
    expect((err as CertificateError).code).toBe('CertificateUntrusted');
  });

  it('rejects an unsigned Body with a PolicyError', async () => {
    const pki = await getTestPki();
    const err: unknown = await testOpener(pki)
      .open(orderEnvelope())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('PolicyViolation');
  });
});
