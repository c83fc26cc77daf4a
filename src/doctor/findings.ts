/** What the certificate doctor reports. */
import type { WsseqErrorCode } from '../errors.js';

/** The questions the doctor answers. */
export type CertificateCheck =
  | 'identity'
  | 'end-entity'
  | 'validity'
  | 'key-usage'
  | 'extended-key-usage'
  | 'key-strength'
  | 'signature-algorithm'
  | 'private-key'
  | 'self-signed'
  | 'chain'
  | 'revocation'
  | 'host-name'
  | 'receiver-verdict';

/** One answer, in plain words. */
export interface CertificateFinding {
  readonly check: CertificateCheck;
  /** False: this will make the certificate fail (or is unsafe). */
  readonly ok: boolean;
  /** The code the receiver rejects such a certificate with, when it does. */
  readonly code?: WsseqErrorCode;
  /** `warning`: passes, but deserves attention; `info`: for the record. Default: by `ok`. */
  readonly severity?: 'warning' | 'info';
  readonly message: string;
}

/** True when no finding says the certificate will fail. */
export function isCertificateUsable(findings: readonly CertificateFinding[]): boolean {
  return findings.every((f) => f.ok);
}
