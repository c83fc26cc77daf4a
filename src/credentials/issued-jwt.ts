/**
 * The IssuedToken credential: a JWT from a token service (STS) the service trusts, carried in
 * the Security header as a BinarySecurityToken (see `jwt-token.ts` for the wire form), bound
 * to the client's key (holder-of-key) or, where the receiver allows it, a bearer token.
 */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../trust/certificate.js';
import type { TrustStore } from '../trust/validate.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';
import { checkOptions, isPrivateKey, isString, oneOf, required } from '../policy/check-options.js';
import { isCertificate, KEY_REFERENCE_STYLES } from '../policy/option-values.js';
import { authenticateIssuedToken, resolveAuthenticatorOptions } from './issued-jwt-verify.js';
import { certificateThumbprintS256, decodeJwt, jwkMatchesKey } from './jwt.js';
import type { DecodedJwt, JwtAlgorithm } from './jwt.js';
import { createJwtToken } from './jwt-token.js';
import { assertRsaPrivateKey, attachSigningCertificate } from './x509.js';
import type { AttachContext, Attachment, ReceiverCredential, SenderCredential } from './types.js';

/** Input of {@link issuedTokenCredential}. */
export interface IssuedTokenCredentialOptions {
  /** The compact JWT the STS issued. */
  readonly token: string;
  /** Holder-of-key: the certificate the token's `cnf` names (or whose key `cnf.jwk` is). */
  readonly certificate?: Certificate;
  /** Holder-of-key: that certificate's RSA private key; the message is signed with it. */
  readonly privateKey?: KeyObject;
  /** How the signature refers to the certificate. Default 'bst' (the certificate travels). */
  readonly keyReference?: KeyReferenceStyle;
}

/**
 * The sender half of the IssuedToken credential: the JWT goes into the Security header as a
 * BinarySecurityToken and is signed with the Body and the Timestamp.
 *
 * Holder-of-key (a token with `cnf`): give the certificate and private key the token is
 * bound to; the message is signed with that key, which proves possession. Bearer (no
 * `cnf`): without a key the message is signed with the symmetric key of the EncryptedKey
 * (so it needs `EncryptAndSign`), which protects integrity but proves nothing about the
 * sender: anyone who holds the token can send. Receivers refuse bearer tokens by default.
 *
 * Limits: the token is not encrypted (its claims are readable on the wire, as in a TLS
 * Authorization header); it is not checked for expiry here (the receiver does that).
 *
 * @example
 * const credential = issuedTokenCredential({ token, certificate: client.certificate, privateKey: client.privateKey });
 * const wire = secureEnvelope(xml, { credential, serviceCertificate });
 * @throws TypeError when the token is not a compact JWT, when only one of certificate and
 *   private key is given, when the key is not RSA, or when the token is holder-of-key and no
 *   key or another key is given.
 */
export function issuedTokenCredential(options: IssuedTokenCredentialOptions): SenderCredential {
  checkOptions<IssuedTokenCredentialOptions>(options, 'options', {
    token: required(isString()),
    certificate: isCertificate,
    privateKey: isPrivateKey,
    keyReference: oneOf(KEY_REFERENCE_STYLES),
  });
  const { token, certificate, privateKey } = options;
  const decoded = typeof token === 'string' ? decodeJwt(token.trim()) : undefined;
  if (!decoded) throw new TypeError('the issued token is not a compact JWT');
  const compact = token.trim();
  if ((certificate === undefined) !== (privateKey === undefined)) {
    throw new TypeError('holder-of-key needs both the certificate and its private key');
  }
  if (privateKey) assertRsaPrivateKey(privateKey);
  checkSenderBinding(decoded, certificate);
  const style = options.keyReference ?? 'bst';
  return {
    type: 'IssuedToken',
    attach(ctx: AttachContext): Attachment {
      const bst = createJwtToken(ctx.document, compact, ctx.newId('JWT'));
      ctx.security.appendChild(bst);
      const signingKey =
        certificate && privateKey
          ? attachSigningCertificate(ctx, certificate, privateKey, style)
          : undefined;
      return { signingKey, signedTokens: [bst] };
    },
  };
}

function checkSenderBinding(decoded: DecodedJwt, certificate: Certificate | undefined): void {
  const cnf = decoded.payload.cnf;
  if (cnf === undefined) return;
  if (!certificate) {
    throw new TypeError('the token is holder-of-key (cnf): give the certificate and key it names');
  }
  if (!isRecord(cnf)) throw new TypeError('the token has an unreadable cnf claim');
  const x5t = cnf['x5t#S256'];
  const bound =
    typeof x5t === 'string'
      ? x5t === certificateThumbprintS256(certificate)
      : jwkMatchesKey(cnf.jwk, certificate.publicKey);
  if (!bound) throw new TypeError('the token is bound to another key than this certificate');
}

/** An STS the service trusts, with the certificates whose keys sign its tokens. */
export interface TrustedIssuer {
  /** The token's `iss`, compared exactly. */
  readonly issuer: string;
  /** The STS signing certificates (several during a key rollover), known out of band. */
  readonly certificates: readonly Certificate[];
}

/** Input of {@link issuedTokenAuthenticator}. */
export interface IssuedTokenAuthenticatorOptions {
  readonly trustedIssuers: readonly TrustedIssuer[];
  /** This service's name(s): the token's `aud` must contain one. */
  readonly audience: string | readonly string[];
  /**
   * DANGEROUS: accept bearer tokens (no `cnf`). Anyone who obtains such a token (from a
   * queue, a log, a dead-letter store) can send as its subject until it expires — and,
   * under a policy that validates credentials at the signed time (`AtSignedTime`), for up
   * to the maximum message age after that, since a thief signs its own backdated Timestamp.
   * Default false: a bearer token is a `PolicyViolation`.
   */
  readonly allowBearer?: boolean;
  /** The JWS algorithms accepted, a subset of RS256, PS256, ES256. Default: all three. */
  readonly algorithms?: readonly JwtAlgorithm[];
  /** Tolerance on nbf/exp, in seconds. Default 300. */
  readonly maxClockSkewSeconds?: number;
  /**
   * Require the token's BinarySecurityToken to be covered by the Body's signature. Default
   * true. DANGEROUS to turn off: an unsigned token can be cut from one message and pasted
   * into another.
   */
  readonly requireSignedToken?: boolean;
  /**
   * Also validate the holder-of-key certificate (chain, dates, revocation) with this store.
   * Default: none; the STS vouched for the binding when it issued the token.
   */
  readonly proofCertificateTrust?: TrustStore;
  /** Longest token accepted, in characters of the compact JWT. Default 16384. */
  readonly maxTokenLength?: number;
}

/**
 * The receiver half of the IssuedToken credential. Returns undefined when the message has
 * no JWT BinarySecurityToken; otherwise accepts it or throws.
 *
 * Checks, in order: one JWT token; `alg` in the allowlist (RS256/PS256/ES256 only: `none`
 * and HS* are refused before any verification, so a public key can never serve as an HMAC
 * secret); the token covered by the Body signature; `iss` a trusted issuer; the signing
 * certificate chosen by `x5t#S256` (or `kid`, compared with the certificate's SHA-256
 * thumbprint as base64url or hex; a token naming neither needs an issuer with exactly one
 * certificate); signature, audience, `nbf`/`exp` (required), with `maxClockSkewSeconds`, at
 * the message's validation time (`evidence.validationTime`: the signed Created under an
 * `AtSignedTime` policy, so a token that expired while the message waited in the queue is
 * still accepted; else the receiver's clock); `sub` present; then the key binding: `cnf.x5t#S256` must
 * be the thumbprint of the certificate that signed the Body, or `cnf.jwk` its public key;
 * no `cnf` is a bearer token, refused unless `allowBearer`.
 *
 * The identity: name `sub`, credential type `IssuedToken`, claims the verified payload,
 * roles from a `roles` claim (string or array of strings).
 *
 * Limits: no token decryption (JWE), no `jku`/`x5u` fetching (keys are known out of band),
 * no revocation of tokens (they should be short-lived), `crit` headers are refused.
 *
 * @example
 * const opener = createOpener({
 *   serviceKeys: [service],
 *   credentials: [issuedTokenAuthenticator({ trustedIssuers: [{ issuer: 'https://sts.example', certificates: [stsCert] }], audience: 'urn:orders' })],
 * });
 * @throws TypeError for misuse (no trusted issuer, an issuer without certificates, no
 *   audience, an algorithm outside RS256/PS256/ES256, a bad number).
 *   At authentication: WsseqError `UnsupportedAlgorithm` (alg not allowed: none, HS*),
 *   `AuthenticationFailed` (untrusted issuer or key, bad signature, wrong audience, expired
 *   or not yet valid, token bound to another key), `PolicyViolation` (bearer token not
 *   allowed, token not signed, several tokens), `UnsupportedSecurityToken` (not a JWT,
 *   unknown confirmation method, `crit`), `MalformedMessage` (no Base64Binary encoding),
 *   `LimitExceeded`.
 */
export function issuedTokenAuthenticator(
  options: IssuedTokenAuthenticatorOptions,
): ReceiverCredential {
  const config = resolveAuthenticatorOptions(options);
  return {
    type: 'IssuedToken',
    authenticate: (evidence) => authenticateIssuedToken(evidence, config),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
