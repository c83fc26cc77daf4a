/**
 * One error hierarchy for everything wsseq rejects.
 *
 * A {@link WsseqError} means a message, token or certificate was rejected. Caller misuse
 * (a bad option, a missing key) is a plain `TypeError`, thrown at construction.
 *
 * Codes are API: they are never renamed. Each code maps to the WS-Security 1.1 fault
 * (section 12 of the SOAP Message Security specification) that a service may return.
 */

/** Every stable rejection code. */
export type WsseqErrorCode =
  | 'MalformedMessage'
  | 'LimitExceeded'
  | 'UnsupportedAlgorithm'
  | 'UnsupportedSecurityToken'
  | 'SecurityTokenUnavailable'
  | 'PolicyViolation'
  | 'SignatureInvalid'
  | 'DecryptionFailed'
  | 'CertificateRequired'
  | 'CertificateUntrusted'
  | 'CertificateRevoked'
  | 'CertificateExpired'
  | 'CertificateNotValidForPurpose'
  | 'CertificateMismatch'
  | 'MessageExpired'
  | 'AuthenticationFailed'
  | 'Replay'
  | 'MustUnderstand';

/**
 * The WS-Security 1.1 fault codes (qualified with the `wsse` prefix), and SOAP's own
 * MustUnderstand fault (SOAP 1.1 section 4.4.1, SOAP 1.2 section 5.4.8).
 */
export type WssFaultCode =
  | 'soap:MustUnderstand'
  | 'wsse:UnsupportedSecurityToken'
  | 'wsse:UnsupportedAlgorithm'
  | 'wsse:InvalidSecurity'
  | 'wsse:InvalidSecurityToken'
  | 'wsse:FailedAuthentication'
  | 'wsse:FailedCheck'
  | 'wsse:SecurityTokenUnavailable'
  | 'wsse:MessageExpired';

const FAULTS: Readonly<Record<WsseqErrorCode, WssFaultCode>> = {
  MalformedMessage: 'wsse:InvalidSecurity',
  LimitExceeded: 'wsse:InvalidSecurity',
  UnsupportedAlgorithm: 'wsse:UnsupportedAlgorithm',
  UnsupportedSecurityToken: 'wsse:UnsupportedSecurityToken',
  SecurityTokenUnavailable: 'wsse:SecurityTokenUnavailable',
  PolicyViolation: 'wsse:InvalidSecurity',
  SignatureInvalid: 'wsse:FailedCheck',
  DecryptionFailed: 'wsse:FailedCheck',
  CertificateRequired: 'wsse:SecurityTokenUnavailable',
  CertificateUntrusted: 'wsse:InvalidSecurityToken',
  CertificateRevoked: 'wsse:InvalidSecurityToken',
  CertificateExpired: 'wsse:InvalidSecurityToken',
  CertificateNotValidForPurpose: 'wsse:InvalidSecurityToken',
  CertificateMismatch: 'wsse:FailedAuthentication',
  MessageExpired: 'wsse:MessageExpired',
  AuthenticationFailed: 'wsse:FailedAuthentication',
  Replay: 'wsse:InvalidSecurity',
  MustUnderstand: 'soap:MustUnderstand',
};

/** The outward message for each code: safe to send back to an unauthenticated sender. */
const PUBLIC_MESSAGES: Readonly<Record<WsseqErrorCode, string>> = {
  MalformedMessage: 'The message is not a well-formed secured SOAP message.',
  LimitExceeded: 'The message exceeds a processing limit.',
  UnsupportedAlgorithm: 'An algorithm in the message is not accepted.',
  UnsupportedSecurityToken: 'A security token in the message is not supported.',
  SecurityTokenUnavailable: 'A referenced security token could not be found.',
  PolicyViolation: 'The message does not meet the security policy.',
  SignatureInvalid: 'The signature could not be verified.',
  DecryptionFailed: 'The message could not be decrypted.',
  CertificateRequired: 'A client certificate is required.',
  CertificateUntrusted: 'The certificate is not trusted.',
  CertificateRevoked: 'The certificate has been revoked.',
  CertificateExpired: 'The certificate is expired or not yet valid.',
  CertificateNotValidForPurpose: 'The certificate is not valid for this purpose.',
  CertificateMismatch: 'The transport and message certificates differ.',
  MessageExpired: 'The message has expired.',
  AuthenticationFailed: 'The security token could not be authenticated.',
  Replay: 'The message has already been received.',
  MustUnderstand: 'A header that must be understood was not understood.',
};

/** Options common to every {@link WsseqError}. */
export interface WsseqErrorOptions {
  /** The underlying error (from node:crypto, xmldom, node-forge, ...), kept for logs. */
  readonly cause?: unknown;
}

/**
 * A rejection. `message` is the detail for logs (it may name certificates, elements and
 * reasons); {@link WsseqError.publicMessage} and {@link WsseqError.fault} are the safe
 * outward form.
 */
export class WsseqError extends Error {
  readonly code: WsseqErrorCode;

  constructor(code: WsseqErrorCode, detail: string, options?: WsseqErrorOptions) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'WsseqError';
  }

  /** The WS-Security fault code this rejection maps to. */
  get fault(): WssFaultCode {
    return FAULTS[this.code];
  }

  /** A message that reveals nothing beyond the code. */
  get publicMessage(): string {
    return PUBLIC_MESSAGES[this.code];
  }
}

/** The codes a certificate validation can end with. */
export type CertificateErrorCode = Extract<
  WsseqErrorCode,
  | 'CertificateRequired'
  | 'CertificateUntrusted'
  | 'CertificateRevoked'
  | 'CertificateExpired'
  | 'CertificateNotValidForPurpose'
  | 'CertificateMismatch'
>;

/** A certificate was missing, untrusted, revoked, expired or unfit for its purpose. */
export class CertificateError extends WsseqError {
  declare readonly code: CertificateErrorCode;
  /** SHA-256 thumbprint (hex) of the certificate concerned, where known. */
  readonly thumbprint: string | undefined;

  constructor(
    code: CertificateErrorCode,
    detail: string,
    options?: WsseqErrorOptions & { readonly thumbprint?: string },
  ) {
    super(code, detail, options);
    this.name = 'CertificateError';
    this.thumbprint = options?.thumbprint;
  }
}

/** The message did not meet the receiver's policy (a part not signed, a weak algorithm...). */
export class PolicyError extends WsseqError {
  declare readonly code: 'PolicyViolation' | 'UnsupportedAlgorithm';

  constructor(
    code: 'PolicyViolation' | 'UnsupportedAlgorithm',
    detail: string,
    options?: WsseqErrorOptions,
  ) {
    super(code, detail, options);
    this.name = 'PolicyError';
  }
}

/**
 * Every decryption failure, whatever its cause (unknown key, bad padding, bad tag, bad
 * plaintext), is this one error with one message: no padding or tag oracle. The cause is
 * kept for logs only.
 */
export class DecryptionError extends WsseqError {
  declare readonly code: 'DecryptionFailed';

  constructor(options?: WsseqErrorOptions) {
    super('DecryptionFailed', PUBLIC_MESSAGES.DecryptionFailed, options);
    this.name = 'DecryptionError';
  }
}

/** A header block's qualified name. */
export interface HeaderName {
  readonly namespaceURI: string;
  readonly localName: string;
}

/**
 * A header block targeted at this node carries mustUnderstand and nobody understands it
 * (SOAP 1.1 section 4.2.3, SOAP 1.2 section 5.2.3). The fault names the headers (SOAP 1.2:
 * NotUnderstood header blocks) and nothing else.
 */
export class MustUnderstandError extends WsseqError {
  declare readonly code: 'MustUnderstand';
  /** The headers not understood, in document order. */
  readonly notUnderstood: readonly HeaderName[];

  constructor(notUnderstood: readonly HeaderName[], options?: WsseqErrorOptions) {
    const names = notUnderstood.map((h) => `{${h.namespaceURI}}${h.localName}`).join(', ');
    super('MustUnderstand', `header(s) not understood: ${names}`, options);
    this.name = 'MustUnderstandError';
    this.notUnderstood = Object.freeze(notUnderstood.map((h) => Object.freeze({ ...h })));
  }
}

/** Any error wsseq throws for a rejected message; `switch (err.code)` narrows. */
export type AnyWsseqError =
  WsseqError | CertificateError | PolicyError | DecryptionError | MustUnderstandError;

/** True when `err` is a rejection from wsseq (as opposed to misuse or a bug). */
export function isWsseqError(err: unknown): err is AnyWsseqError {
  return err instanceof WsseqError;
}

/** Shorthand used across the pipeline. */
export function reject(code: WsseqErrorCode, detail: string, cause?: unknown): WsseqError {
  return new WsseqError(code, detail, cause === undefined ? undefined : { cause });
}
