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

/** The codes a certificate validation can end with: every `Certificate*` code. */
export type CertificateErrorCode = Extract<WsseqErrorCode, `Certificate${string}`>;

/** The codes of a message that does not meet the receiver's policy. */
export type PolicyErrorCode = Extract<WsseqErrorCode, 'PolicyViolation' | 'UnsupportedAlgorithm'>;

/**
 * The codes a plain {@link WsseqError} carries: every code that has no subclass of its own
 * (certificate codes are {@link CertificateError}s, policy codes {@link PolicyError}s,
 * `DecryptionFailed` a {@link DecryptionError}).
 */
export type GeneralErrorCode = Exclude<
  WsseqErrorCode,
  CertificateErrorCode | PolicyErrorCode | 'DecryptionFailed' | 'MustUnderstand'
>;

const isCertificateCode = (code: string): code is CertificateErrorCode =>
  code.startsWith('Certificate') && code in FAULTS;
const isPolicyCode = (code: string): code is PolicyErrorCode =>
  code === 'PolicyViolation' || code === 'UnsupportedAlgorithm';

/**
 * A rejection. `message` is the detail for logs (it may name certificates, elements and
 * reasons); {@link WsseqError.publicMessage} and {@link WsseqError.fault} are the safe
 * outward form.
 *
 * The class follows the code: a certificate code is always a {@link CertificateError}, a
 * policy code a {@link PolicyError}, `DecryptionFailed` a {@link DecryptionError} (so
 * `switch (err.code)` on an {@link AnyWsseqError} narrows to the subclass). Use
 * {@link wsseqError} to build the right one from any code.
 */
export class WsseqError extends Error {
  readonly code: WsseqErrorCode;

  /** @throws TypeError when `code` belongs to a subclass (use that class, or {@link wsseqError}). */
  constructor(code: GeneralErrorCode, detail: string, options?: WsseqErrorOptions) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    if (new.target === WsseqError && !(code in GENERAL_CODES)) {
      throw new TypeError(`a ${code} rejection is a subclass of WsseqError: use wsseqError()`);
    }
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

const GENERAL_CODES: Readonly<Record<string, true>> = Object.fromEntries(
  Object.keys(FAULTS)
    .filter(
      (code) =>
        !isCertificateCode(code) &&
        !isPolicyCode(code) &&
        code !== 'DecryptionFailed' &&
        code !== 'MustUnderstand',
    )
    .map((code) => [code, true]),
);

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
    super(code as WsseqErrorCode as GeneralErrorCode, detail, options);
    this.name = 'CertificateError';
    this.thumbprint = options?.thumbprint;
  }
}

/** The message did not meet the receiver's policy (a part not signed, a weak algorithm...). */
export class PolicyError extends WsseqError {
  declare readonly code: PolicyErrorCode;

  constructor(code: PolicyErrorCode, detail: string, options?: WsseqErrorOptions) {
    super(code as WsseqErrorCode as GeneralErrorCode, detail, options);
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
    super(
      'DecryptionFailed' as WsseqErrorCode as GeneralErrorCode,
      PUBLIC_MESSAGES.DecryptionFailed,
      options,
    );
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
    super(
      'MustUnderstand' as WsseqErrorCode as GeneralErrorCode,
      `header(s) not understood: ${names}`,
      options,
    );
    this.name = 'MustUnderstandError';
    this.notUnderstood = Object.freeze(notUnderstood.map((h) => Object.freeze({ ...h })));
  }
}

/** A {@link WsseqError} whose code has no subclass of its own. */
export type GeneralWsseqError = WsseqError & { readonly code: GeneralErrorCode };

/**
 * Any error wsseq throws for a rejected message. A union discriminated by `code`, as jose's
 * errors are: `switch (err.code)` narrows (`case 'CertificateRevoked'`: a
 * {@link CertificateError}, with its `thumbprint`).
 */
export type AnyWsseqError =
  GeneralWsseqError | CertificateError | PolicyError | DecryptionError | MustUnderstandError;

/** True when `err` is a rejection from wsseq (as opposed to misuse or a bug). */
export function isWsseqError(err: unknown): err is AnyWsseqError {
  return err instanceof WsseqError;
}

/**
 * The rejection for `code`, of the class that code belongs to (see {@link WsseqError}).
 * A `DecryptionFailed` keeps its one public message whatever `detail` says.
 */
export function wsseqError(
  code: WsseqErrorCode,
  detail: string,
  options?: WsseqErrorOptions,
): AnyWsseqError {
  if (isCertificateCode(code)) return new CertificateError(code, detail, options);
  if (isPolicyCode(code)) return new PolicyError(code, detail, options);
  if (code === 'DecryptionFailed') return new DecryptionError(options);
  if (code === 'MustUnderstand') return new MustUnderstandError([], options);
  return new WsseqError(code, detail, options) as GeneralWsseqError;
}

/** Shorthand used across the pipeline. */
export function reject(code: WsseqErrorCode, detail: string, cause?: unknown): AnyWsseqError {
  return wsseqError(code, detail, cause === undefined ? undefined : { cause });
}
