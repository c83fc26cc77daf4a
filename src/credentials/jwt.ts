/**
 * The one module that uses jsonwebtoken: compact JWT signing and verification for issued
 * tokens, restricted to the asymmetric algorithms wsseq accepts, plus the key thumbprints
 * that token headers and `cnf` claims carry.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type JsonWebToken from 'jsonwebtoken';
import { lazyModule } from '../lazy-module.js';
import type { Certificate } from '../trust/certificate.js';

const jsonwebtoken = lazyModule<typeof JsonWebToken>('jsonwebtoken');

/**
 * The JWS algorithms wsseq signs and accepts issued tokens with. Never `none`, never HMAC:
 * a verifier that holds only the STS's public key must not be talked into using it as an
 * HMAC secret (algorithm confusion).
 */
export const JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** True when `alg` is one of {@link JWT_ALGORITHMS}. */
export function isJwtAlgorithm(alg: unknown): alg is JwtAlgorithm {
  return typeof alg === 'string' && (JWT_ALGORITHMS as readonly string[]).includes(alg);
}

/** A compact JWT's header and payload, decoded but NOT verified. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Decode a compact JWS without verifying it: to pick the verification key, or for a sender
 * to read the `cnf` of its own token. Returns undefined when it is not a compact JWS whose
 * header and payload are JSON objects.
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const [h = '', p = ''] = token.split('.');
  const header = parseJsonObject(h);
  const payload = parseJsonObject(p);
  return header && payload ? { header, payload } : undefined;
}

function parseJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Input of {@link signJwt}. */
export interface SignJwtOptions {
  readonly key: KeyObject;
  readonly algorithm: JwtAlgorithm;
  /** Extra JOSE header parameters (`x5t#S256`, `kid`). */
  readonly header: Readonly<Record<string, string>>;
}

/** Sign `payload` (which carries its own iat/nbf/exp) as a compact JWS. */
export function signJwt(
  payload: Readonly<Record<string, unknown>>,
  options: SignJwtOptions,
): string {
  return jsonwebtoken.sign({ ...payload }, options.key, {
    algorithm: options.algorithm,
    header: { alg: options.algorithm, typ: 'JWT', ...options.header },
  });
}

/** Input of {@link verifyJwt}. */
export interface VerifyJwtOptions {
  readonly algorithms: readonly JwtAlgorithm[];
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly clockToleranceSeconds: number;
  /** The instant the token must be valid at. */
  readonly at: Date;
}

/**
 * Verify a compact JWS with an STS public key: signature, algorithm (from the allowlist
 * only), issuer, audience, nbf and exp.
 * @throws jsonwebtoken's `JsonWebTokenError`, `TokenExpiredError` or `NotBeforeError`.
 */
export function verifyJwt(
  token: string,
  key: KeyObject,
  options: VerifyJwtOptions,
): Record<string, unknown> {
  if (key.type !== 'public') throw new TypeError('verifyJwt needs a public key');
  const [first, ...rest] = options.audience;
  if (first === undefined) throw new TypeError('verifyJwt needs an audience');
  const payload = jsonwebtoken.verify(token, key, {
    algorithms: [...options.algorithms],
    issuer: options.issuer,
    audience: [first, ...rest],
    clockTolerance: options.clockToleranceSeconds,
    clockTimestamp: Math.floor(options.at.getTime() / 1000),
    complete: false,
  });
  if (typeof payload === 'string') {
    throw new jsonwebtoken.JsonWebTokenError('the JWT payload is not a JSON object');
  }
  return payload;
}

/** What jsonwebtoken throws for a token that is expired or not yet valid. */
export function isJwtLifetimeError(err: unknown): boolean {
  return (
    err instanceof jsonwebtoken.TokenExpiredError || err instanceof jsonwebtoken.NotBeforeError
  );
}

/** RFC 8705 / RFC 7515 `x5t#S256`: base64url SHA-256 of the certificate's DER. */
export function certificateThumbprintS256(certificate: Certificate): string {
  return createHash('sha256').update(certificate.der).digest('base64url');
}

/**
 * A JSON Web Key as node:crypto reads it, named through `createPublicKey` so that the shipped
 * types compile against every @types/node from 20 on (its `JsonWebKey` export moved).
 */
export type Jwk = Extract<Parameters<typeof createPublicKey>[0], { format: 'jwk' }>['key'];

/** The public JWK of a key (RFC 7800 `cnf.jwk`). */
export function publicJwk(key: KeyObject): Jwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'jwk' });
}

/** True when `jwk` (an untrusted `cnf.jwk` value) is the public key `key`. */
export function jwkMatchesKey(jwk: unknown, key: KeyObject): boolean {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return false;
  try {
    const fromJwk = createPublicKey({ key: jwk as Jwk, format: 'jwk' });
    return fromJwk.equals(key.type === 'private' ? createPublicKey(key) : key);
  } catch {
    return false;
  }
}
