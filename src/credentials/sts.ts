/**
 * Token issuance for a security token service (STS): a JWT for one service (the audience),
 * signed with the STS's key, bound to the client's key (holder-of-key) unless a bearer token
 * is asked for explicitly. Used by the sample STS (`samples/sts/`) and `wsseq sts issue`.
 */
import { createPublicKey, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../trust/certificate.js';
import { loadPem, loadPfx } from './key-material.js';
import { certificateThumbprintS256, isJwtAlgorithm, publicJwk, signJwt } from './jwt.js';
import type { JwtAlgorithm } from './jwt.js';
import { checkIssueTokenOptions } from '../policy/tooling-options.js';

/**
 * How the token is bound to its holder:
 * - `{ certificate }`: `cnf: { "x5t#S256": ... }`, the SHA-256 thumbprint of the client
 *   certificate (RFC 8705); the client must sign its messages with that certificate's key.
 * - `{ publicKey }`: `cnf: { jwk }` (RFC 7800), the client's public key.
 * - `'bearer'`: no `cnf`: whoever holds the token may use it. Receivers refuse bearer tokens
 *   unless they allow them explicitly.
 */
export type TokenConfirmation =
  { readonly certificate: Certificate } | { readonly publicKey: KeyObject } | 'bearer';

/** Input of {@link issueToken}. */
export interface IssueTokenOptions {
  /** The STS's private key (RSA of at least 2048 bits, or EC P-256 for ES256). */
  readonly signingKey: KeyObject;
  /** The STS's certificate: its `x5t#S256` goes into the token header. */
  readonly signingCertificate: Certificate;
  /** `iss`: the STS's name, as the receivers know it. */
  readonly issuer: string;
  /** `aud`: the service (or services) the token is for. */
  readonly audience: string | readonly string[];
  /** `sub`: the client's name; the receiver's identity name. */
  readonly subject: string;
  /** `exp - iat`, in seconds. */
  readonly lifetimeSeconds: number;
  /** Further claims (`roles`, `email`...). The registered claims above cannot be overridden. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /**
   * The key binding. Required, so that a bearer token is never issued by accident: pass
   * `{ certificate }` for holder-of-key (the usual choice) or `'bearer'` explicitly.
   */
  readonly confirmation: TokenConfirmation;
  /** Default RS256 for an RSA key, ES256 for an EC key. */
  readonly algorithm?: JwtAlgorithm;
  /**
   * A `kid` header besides `x5t#S256`. Receivers match it against the SHA-256 thumbprint of
   * their trusted STS certificates (base64url or hex).
   */
  readonly keyId?: string;
  /** Issue time. Default: the current time. */
  readonly now?: Date;
}

/** Claims that {@link issueToken} sets itself. */
const REGISTERED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cnf']);

/**
 * Issue a compact JWT: header `{ alg, typ: "JWT", "x5t#S256" }`, payload `{ iss, sub, aud,
 * iat, nbf, exp, jti, cnf?, ...claims }`, signed with the STS key.
 *
 * Limits: no token encryption (JWE); the claims are readable by anyone who sees the token,
 * so a message that carries it should be encrypted if they are sensitive.
 *
 * @example
 * const token = issueToken({
 *   signingKey: sts.privateKey,
 *   signingCertificate: sts.certificate,
 *   issuer: 'https://sts.example',
 *   audience: 'urn:orders',
 *   subject: 'alice',
 *   lifetimeSeconds: 3600,
 *   confirmation: { certificate: client.certificate },
 * });
 * @throws TypeError for misuse: a missing or empty name, a bad lifetime, a registered claim
 *   in `claims`, no confirmation, an algorithm that does not fit the key, or a certificate
 *   that is not the signing key's.
 */
export function issueToken(options: IssueTokenOptions): string {
  checkIssueTokenOptions(options);
  const { signingKey, signingCertificate } = options;
  const algorithm = checkSigningKey(signingKey, signingCertificate, options.algorithm);
  for (const [name, value] of [
    ['issuer', options.issuer],
    ['subject', options.subject],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a name`);
  }
  const audience = typeof options.audience === 'string' ? [options.audience] : options.audience;
  if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError('audience must name at least one service');
  }
  const lifetime = options.lifetimeSeconds;
  if (!Number.isInteger(lifetime) || lifetime <= 0) {
    throw new TypeError('lifetimeSeconds must be a positive integer');
  }
  const claims = options.claims ?? {};
  for (const name of Object.keys(claims)) {
    if (REGISTERED_CLAIMS.has(name)) throw new TypeError(`claims may not set "${name}"`);
  }
  const cnf = confirmationClaim(options.confirmation);
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = {
    ...claims,
    iss: options.issuer,
    sub: options.subject,
    aud: audience.length === 1 ? audience[0] : [...audience],
    iat,
    nbf: iat,
    exp: iat + lifetime,
    jti: randomUUID(),
    ...(cnf === undefined ? {} : { cnf }),
  };
  const header: Record<string, string> = {
    'x5t#S256': certificateThumbprintS256(signingCertificate),
  };
  if (options.keyId !== undefined) header.kid = options.keyId;
  return signJwt(payload, { key: signingKey, algorithm, header });
}

function confirmationClaim(
  confirmation: TokenConfirmation | undefined,
): Record<string, unknown> | undefined {
  if (confirmation === 'bearer') return undefined;
  if (confirmation === undefined) {
    throw new TypeError("confirmation is required: { certificate }, { publicKey } or 'bearer'");
  }
  if ('certificate' in confirmation) {
    return { 'x5t#S256': certificateThumbprintS256(confirmation.certificate) };
  }
  return { jwk: publicJwk(confirmation.publicKey) };
}

/** Check the STS key against its certificate and pick (or check) the algorithm. */
function checkSigningKey(
  key: KeyObject,
  certificate: Certificate,
  algorithm: JwtAlgorithm | undefined,
): JwtAlgorithm {
  if (key.type !== 'private') throw new TypeError('the STS signing key must be a private key');
  if (!createPublicKey(key).equals(certificate.publicKey)) {
    throw new TypeError('the STS signing key does not match its certificate');
  }
  if (algorithm !== undefined && !isJwtAlgorithm(algorithm)) {
    throw new TypeError(`algorithm must be one of RS256, PS256, ES256`);
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      throw new TypeError('the STS RSA key must have at least 2048 bits');
    }
    const alg = algorithm ?? 'RS256';
    if (alg === 'ES256') throw new TypeError('ES256 needs an EC P-256 key');
    return alg;
  }
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    const alg = algorithm ?? 'ES256';
    if (alg !== 'ES256') throw new TypeError(`${alg} needs an RSA key`);
    return alg;
  }
  throw new TypeError('the STS signing key must be RSA (2048 bits or more) or EC P-256');
}

/** The STS's signing key and certificate. */
export interface StsKey {
  readonly signingKey: KeyObject;
  readonly signingCertificate: Certificate;
}

/** Input of {@link readStsKey}: file contents (PEM pair or PKCS#12), not paths. */
export type ReadStsKeyOptions =
  | {
      /** PEM certificate (the first one matching the key is used). */
      readonly certificate: string | Uint8Array;
      /** PEM private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1). */
      readonly privateKey: string | Uint8Array;
      readonly passphrase?: string;
    }
  | {
      /** A PKCS#12 (PFX) file holding one key and its certificate. */
      readonly pfx: Uint8Array;
      readonly passphrase?: string;
    };

/**
 * Load an STS signing key and certificate from PEM or PKCS#12 contents (`wsseq sts issue
 * --sts-key/--sts-cert` or `--sts-pfx`), checked for token signing.
 * @throws TypeError when the files cannot be read, the key does not match the certificate,
 *   or the key is neither RSA (2048 bits or more) nor EC P-256.
 */
export function readStsKey(options: ReadStsKeyOptions): StsKey {
  const material =
    'pfx' in options
      ? loadPfx(options.pfx, options.passphrase)
      : loadPem({
          certificate: options.certificate,
          privateKey: options.privateKey,
          ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
        });
  checkSigningKey(material.privateKey, material.certificate, undefined);
  return { signingKey: material.privateKey, signingCertificate: material.certificate };
}
