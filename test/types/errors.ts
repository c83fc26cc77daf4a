/**
 * Compile-only checks: the error class follows the code, and `switch (err.code)` narrows an
 * AnyWsseqError to its subclass, as jose's errors do.
 */
import { CertificateError, PolicyError, WsseqError, isWsseqError, wsseqError } from 'wsseq';
import type {
  AnyWsseqError,
  CertificateErrorCode,
  DecryptionError,
  GeneralErrorCode,
  PolicyErrorCode,
} from 'wsseq';

declare const err: unknown;

export function describe(e: AnyWsseqError): string | undefined {
  switch (e.code) {
    case 'CertificateRevoked':
    case 'CertificateUntrusted': {
      const narrowed: CertificateError = e;
      return narrowed.thumbprint;
    }
    case 'PolicyViolation': {
      const narrowed: PolicyError = e;
      return narrowed.publicMessage;
    }
    case 'DecryptionFailed': {
      const narrowed: DecryptionError = e;
      return narrowed.fault;
    }
    case 'Replay': {
      // @ts-expect-error a Replay is not a CertificateError
      const wrong: CertificateError = e; // eslint-disable-line @typescript-eslint/no-unsafe-class-instance-assignment
      return wrong.fault;
    }
    default:
      return undefined;
  }
}

// Narrowed by the code alone.
export const thumbprint: string | undefined =
  isWsseqError(err) && err.code === 'CertificateExpired' ? err.thumbprint : undefined;

export const certificateCode: CertificateErrorCode = 'CertificateMismatch';
export const policyCodes: PolicyErrorCode[] = ['PolicyViolation', 'UnsupportedAlgorithm'];
export const general: GeneralErrorCode = 'Replay';
export const built: AnyWsseqError = wsseqError('CertificateRevoked', 'revoked');

// @ts-expect-error a certificate code needs a CertificateError
export const misbuilt = new WsseqError('CertificateUntrusted', 'x');
// @ts-expect-error a policy code needs a PolicyError
export const misbuiltPolicy = new WsseqError('PolicyViolation', 'x');
// @ts-expect-error a CertificateError carries only certificate codes
export const wrongClass = new CertificateError('PolicyViolation', 'x');
export const replay = new WsseqError('Replay', 'seen before');
