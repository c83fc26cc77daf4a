/**
 * The receiver half of the IssuedToken credential, step by step: find the token, refuse
 * algorithms outside the allowlist before anything else, require it signed with the Body,
 * pick the trusted STS certificate, verify (jsonwebtoken), then check the key binding.
 */
import { PolicyError, reject } from '../errors.js';
import type { Certificate } from '../trust/certificate.js';
import type { TrustStore, ValidatedCertificate } from '../trust/validate.js';
import type { IssuedTokenAuthenticatorOptions, TrustedIssuer } from './issued-jwt.js';
import {
  anyOf,
  arrayOf,
  checkOptions,
  isBoolean,
  isNumber,
  isOptions,
  isString,
  oneOf,
  required,
} from '../policy/check-options.js';
import type { OptionSpec } from '../policy/check-options.js';
import { isCertificate } from '../policy/option-values.js';
import { isTrustStore } from '../policy/pipeline-options.js';
import {
  JWT_ALGORITHMS,
  certificateThumbprintS256,
  decodeJwt,
  isJwtAlgorithm,
  isJwtLifetimeError,
  jwkMatchesKey,
  verifyJwt,
} from './jwt.js';
import type { DecodedJwt, JwtAlgorithm } from './jwt.js';
import { isJwtToken, readJwtToken } from './jwt-token.js';
import type { Authentication, MessageEvidence } from './types.js';

/** Checked {@link IssuedTokenAuthenticatorOptions}. */
export interface AuthenticatorConfig {
  readonly issuers: ReadonlyMap<string, readonly Certificate[]>;
  readonly audience: readonly string[];
  readonly allowBearer: boolean;
  readonly algorithms: readonly JwtAlgorithm[];
  readonly skew: number;
  readonly requireSignedToken: boolean;
  readonly trust: TrustStore | undefined;
  readonly maxTokenLength: number;
}

/** Every {@link IssuedTokenAuthenticatorOptions} option and what it accepts. */
const AUTHENTICATOR_OPTIONS: OptionSpec<IssuedTokenAuthenticatorOptions> = {
  trustedIssuers: required(
    arrayOf(
      isOptions<TrustedIssuer>({
        issuer: required(isString()),
        certificates: required(arrayOf(isCertificate, { nonEmpty: true })),
      }),
      { nonEmpty: true },
    ),
  ),
  audience: required(anyOf(isString(), arrayOf(isString(), { nonEmpty: true }))),
  allowBearer: isBoolean,
  algorithms: arrayOf(oneOf(JWT_ALGORITHMS), { nonEmpty: true }),
  maxClockSkewSeconds: isNumber(),
  requireSignedToken: isBoolean,
  proofCertificateTrust: isTrustStore,
  maxTokenLength: isNumber({ exclusiveMin: true, integer: true }),
};

export function resolveAuthenticatorOptions(
  options: IssuedTokenAuthenticatorOptions,
): AuthenticatorConfig {
  checkOptions<IssuedTokenAuthenticatorOptions>(options, 'options', AUTHENTICATOR_OPTIONS);
  const issuers = new Map<string, readonly Certificate[]>();
  for (const entry of options.trustedIssuers) {
    if (typeof entry.issuer !== 'string' || entry.issuer === '') {
      throw new TypeError('a trusted issuer needs a name');
    }
    if (entry.certificates.length === 0) {
      throw new TypeError(`trusted issuer ${entry.issuer} has no certificate`);
    }
    issuers.set(entry.issuer, [...(issuers.get(entry.issuer) ?? []), ...entry.certificates]);
  }
  if (issuers.size === 0) throw new TypeError('issuedTokenAuthenticator needs a trusted issuer');
  const audience =
    typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError('audience must name this service');
  }
  const algorithms = [...(options.algorithms ?? JWT_ALGORITHMS)];
  if (algorithms.length === 0 || !algorithms.every(isJwtAlgorithm)) {
    throw new TypeError('algorithms must be a non-empty subset of RS256, PS256, ES256');
  }
  const skew = options.maxClockSkewSeconds ?? 300;
  if (!Number.isFinite(skew) || skew < 0) {
    throw new TypeError('maxClockSkewSeconds must be a non-negative number');
  }
  const maxTokenLength = options.maxTokenLength ?? 16_384;
  if (!Number.isInteger(maxTokenLength) || maxTokenLength <= 0) {
    throw new TypeError('maxTokenLength must be a positive integer');
  }
  return {
    issuers,
    audience,
    allowBearer: options.allowBearer === true,
    algorithms,
    skew,
    requireSignedToken: options.requireSignedToken ?? true,
    trust: options.proofCertificateTrust,
    maxTokenLength,
  };
}

export async function authenticateIssuedToken(
  evidence: MessageEvidence,
  config: AuthenticatorConfig,
): Promise<Authentication | undefined> {
  const found = evidence.tokens.filter(isJwtToken);
  const [bst] = found;
  if (!bst) return undefined;
  if (found.length > 1) throw new PolicyError('PolicyViolation', 'more than one issued token');
  const token = readJwtToken(bst, config.maxTokenLength);
  const decoded = decodeJwt(token);
  if (!decoded) throw reject('UnsupportedSecurityToken', 'the issued token is not a compact JWT');
  const alg = decoded.header.alg;
  if (!isJwtAlgorithm(alg) || !config.algorithms.includes(alg)) {
    throw new PolicyError(
      'UnsupportedAlgorithm',
      `issued token algorithm ${JSON.stringify(alg)} refused (only ${config.algorithms.join(', ')})`,
    );
  }
  if (decoded.header.crit !== undefined) {
    throw reject('UnsupportedSecurityToken', 'the issued token has critical header parameters');
  }
  const body = evidence.bodySignature;
  if (config.requireSignedToken && !body?.covered.includes(bst)) {
    throw new PolicyError(
      'PolicyViolation',
      'the issued token is not covered by the Body signature',
    );
  }
  const issuer = decoded.payload.iss;
  const certificates = typeof issuer === 'string' ? config.issuers.get(issuer) : undefined;
  if (typeof issuer !== 'string' || !certificates) {
    throw reject(
      'AuthenticationFailed',
      `issued token from untrusted issuer ${JSON.stringify(issuer)}`,
    );
  }
  const stsCertificate = selectIssuerCertificate(decoded, certificates, issuer);
  const at = validationTime(evidence);
  let payload: Record<string, unknown>;
  try {
    payload = verifyJwt(token, stsCertificate.publicKey, {
      algorithms: config.algorithms,
      issuer,
      audience: config.audience,
      clockToleranceSeconds: config.skew,
      at,
    });
  } catch (cause) {
    const detail = isJwtLifetimeError(cause)
      ? 'the issued token is expired or not yet valid'
      : 'the issued token failed verification';
    throw reject('AuthenticationFailed', `${detail} (${errorMessage(cause)})`, cause);
  }
  if (typeof payload.exp !== 'number') {
    throw reject('AuthenticationFailed', 'the issued token has no expiry (exp)');
  }
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject === '') {
    throw reject('AuthenticationFailed', 'the issued token has no subject (sub)');
  }
  const signer = await checkKeyBinding(payload, evidence, config, at);
  return {
    identity: {
      name: subject,
      credentialType: 'IssuedToken',
      claims: Object.freeze({ ...payload }),
      roles: rolesOf(payload.roles),
    },
    ...(signer ? { signer } : {}),
  };
}

/** The one trusted certificate the token's header names (x5t#S256 or kid). */
function selectIssuerCertificate(
  decoded: DecodedJwt,
  certificates: readonly Certificate[],
  issuer: string,
): Certificate {
  const x5t = decoded.header['x5t#S256'];
  const kid = decoded.header.kid;
  let match: Certificate | undefined;
  if (typeof x5t === 'string') {
    match = certificates.find((c) => certificateThumbprintS256(c) === x5t);
  } else if (typeof kid === 'string') {
    match = certificates.find(
      (c) => certificateThumbprintS256(c) === kid || c.thumbprintSha256 === kid.toLowerCase(),
    );
  } else if (certificates.length === 1) {
    match = certificates[0];
  }
  if (!match) {
    throw reject(
      'AuthenticationFailed',
      `no trusted certificate of issuer ${issuer} matches the issued token's key (x5t#S256/kid)`,
    );
  }
  return match;
}

/**
 * Holder-of-key: the certificate that signed the Body must be the one `cnf` names. A token
 * without `cnf` is a bearer token.
 */
async function checkKeyBinding(
  payload: Readonly<Record<string, unknown>>,
  evidence: MessageEvidence,
  config: AuthenticatorConfig,
  at: Date,
): Promise<ValidatedCertificate | undefined> {
  const cnf = payload.cnf;
  if (cnf === undefined) {
    if (!config.allowBearer) {
      throw new PolicyError('PolicyViolation', 'bearer issued tokens are not accepted (no cnf)');
    }
    return undefined;
  }
  if (!isRecord(cnf)) throw reject('UnsupportedSecurityToken', 'the cnf claim is not an object');
  const proof = evidence.bodySignature?.certificate;
  if (!proof) {
    throw reject(
      'AuthenticationFailed',
      'holder-of-key token, but the Body was not signed with a certificate key',
    );
  }
  let bound: boolean;
  if (typeof cnf['x5t#S256'] === 'string') {
    bound = cnf['x5t#S256'] === certificateThumbprintS256(proof);
  } else if (cnf.jwk !== undefined) {
    bound = jwkMatchesKey(cnf.jwk, proof.publicKey);
  } else {
    throw reject('UnsupportedSecurityToken', 'unsupported cnf confirmation method');
  }
  if (!bound) {
    throw reject(
      'AuthenticationFailed',
      `token bound to another key than the Body signer ${proof.thumbprintSha256}`,
    );
  }
  return config.trust?.validate(proof, evidence.certificates, at, 'client');
}

/** The instant tokens are checked at: the signed time under an AtSignedTime policy, else now. */
function validationTime(evidence: MessageEvidence & { readonly validationTime?: Date }): Date {
  return evidence.validationTime ?? evidence.now;
}

function rolesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((r): r is string => typeof r === 'string');
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
