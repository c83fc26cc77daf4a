/**
 * The UserName credential (UsernameToken Profile 1.1), both halves.
 *
 * Sender: a `wsse:UsernameToken` with PasswordText or PasswordDigest (Nonce and Created always
 * present), a signed supporting token and, under EncryptAndSign, an encrypted one. The message
 * is signed either with a client certificate (`signWith`) or, without one, with HMAC keyed by
 * the content key of the message's EncryptedKey (WCF's UserNameForCertificate): the signature
 * then proves integrity and binds the token; the password authenticates.
 *
 * Receiver: the token is read, its protection checked against the authenticator's options,
 * its freshness bounded, and the user name and password handed to a {@link UserValidator}
 * (for example {@link createUserStore}). Every failure of the password check is the one code
 * `AuthenticationFailed`, whatever was wrong.
 */
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { reject } from '../errors.js';
import type { Certificate } from '../trust/certificate.js';
import type { TrustStore } from '../trust/validate.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';
import { createUsernameToken, isUsernameToken, readUsernameToken } from '../wss/username-token.js';
import type { PasswordType, UsernameToken } from '../wss/username-token.js';
import type { Element } from '../xml/dom.js';
import { attr } from '../xml/dom.js';
import { ENC_TYPE, NS } from '../xml/ns.js';
import type {
  AttachContext,
  Attachment,
  Authentication,
  MessageEvidence,
  ReceiverCredential,
  SenderCredential,
} from './types.js';
import { assertRsaPrivateKey, attachSigningCertificate } from './x509.js';
import {
  checkUsernameAuthenticatorOptions,
  checkUsernameCredentialOptions,
} from '../policy/credential-options.js';

export type { PasswordType } from '../wss/username-token.js';

/** A client certificate that signs the message besides the UsernameToken. */
export interface UsernameSigningCertificate {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
  /** How the signature refers to the certificate. Default 'bst' (the certificate travels). */
  readonly keyReference?: KeyReferenceStyle;
}

export interface UsernameCredentialOptions {
  readonly username: string;
  readonly password: string;
  /**
   * 'PasswordDigest' sends `Base64(SHA-1(nonce + created + password))` (SHA-1 is fixed by the
   * profile); 'PasswordText' sends the password itself and is attached only when the message is
   * encrypted (protection level EncryptAndSign), unless `allowUnencryptedPasswordText`.
   */
  readonly passwordType: PasswordType;
  /** Sign with this certificate; without it the message is signed with the content key (HMAC). */
  readonly signWith?: UsernameSigningCertificate;
  /**
   * DANGEROUS: attach a PasswordText token to a message that is not encrypted (the password
   * is then readable by every queue and hop on the way unless a TLS channel protects it).
   * Default false.
   */
  readonly allowUnencryptedPasswordText?: boolean;
  /** Source of nonces. Default: 16 random bytes. For tests. */
  readonly nonce?: () => Buffer;
  /**
   * Write Nonce and Created in the token (default true). Only a PasswordText token may leave
   * them out, for peers that cannot read them (Mono 6.8's WCF); its replay protection then
   * rests on the message signature alone.
   */
  readonly nonceAndCreated?: boolean;
}

/**
 * The sender half of the UserName credential.
 * @throws TypeError for an empty user name, a bad password type, or a `signWith` key that is
 *   not an RSA private key; and, when a message is secured, for a PasswordText token in a
 *   message that will not be encrypted (unless `allowUnencryptedPasswordText`).
 * @example
 * const securer = createSecurer({
 *   credential: usernameCredential({ username: 'alice', password, passwordType: 'PasswordDigest' }),
 *   serviceCertificate,
 * });
 */
export function usernameCredential(options: UsernameCredentialOptions): SenderCredential {
  checkUsernameCredentialOptions(options);
  const { username, password, passwordType, signWith } = options;
  if (typeof username !== 'string' || username.trim() === '' || username !== username.trim()) {
    throw new TypeError('username must be a non-empty string without surrounding spaces');
  }
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  if (!['PasswordText', 'PasswordDigest'].includes(passwordType)) {
    throw new TypeError('passwordType must be PasswordText or PasswordDigest');
  }
  if (signWith) assertRsaPrivateKey(signWith.privateKey);
  const nonceAndCreated = options.nonceAndCreated ?? true;
  if (!nonceAndCreated && passwordType !== 'PasswordText') {
    throw new TypeError('PasswordDigest needs Nonce and Created (nonceAndCreated: true)');
  }
  const makeNonce = options.nonce ?? (() => randomBytes(16));
  const allowClear = options.allowUnencryptedPasswordText === true;
  return {
    type: 'UserName',
    attach(ctx: AttachContext): Attachment {
      if (
        passwordType === 'PasswordText' &&
        ctx.protectionLevel !== 'EncryptAndSign' &&
        !allowClear
      ) {
        throw new TypeError(
          'a PasswordText UsernameToken is sent only in an encrypted message (EncryptAndSign); ' +
            'use PasswordDigest or set allowUnencryptedPasswordText',
        );
      }
      const token = createUsernameToken(ctx.document, {
        id: ctx.newId('UsernameToken'),
        username,
        password,
        passwordType,
        nonce: makeNonce(),
        created: ctx.now,
        nonceAndCreated,
      });
      ctx.security.appendChild(token);
      const signingKey = signWith
        ? attachSigningCertificate(
            ctx,
            signWith.certificate,
            signWith.privateKey,
            signWith.keyReference ?? 'bst',
          )
        : undefined;
      return { signingKey, signedTokens: [token], encryptedTokens: [token] };
    },
  };
}

/** A PasswordDigest as it arrived, for a validator to check against the password. */
export interface PasswordDigestEvidence {
  /** The decoded digest value. */
  readonly digest: Buffer;
  readonly nonce: Buffer;
  /** Created exactly as written in the token (the digest covers these characters). */
  readonly created: string;
}

/** What a validator knows of an authenticated user. */
export interface UserValidation {
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly roles?: readonly string[];
}

/**
 * Checks a user name and password: a directory, a database, or {@link createUserStore}.
 * Resolve undefined for any failure (unknown user, wrong password, bad digest): the
 * authenticator turns it into `AuthenticationFailed`. Throw only when the check could not be
 * made (the directory is down): that error propagates unchanged, so a queue consumer can
 * release the message for redelivery rather than reject it. Compare secrets in constant time
 * ({@link verifyPasswordDigest}, `crypto.timingSafeEqual`).
 */
export interface UserValidator {
  validate(
    username: string,
    password: string | PasswordDigestEvidence,
  ): Promise<UserValidation | undefined>;
}

export interface UsernameAuthenticatorOptions {
  readonly validator: UserValidator;
  /**
   * DANGEROUS: accept a PasswordText token that did not arrive encrypted (the password was
   * readable on the way). Default false: such a token is a `PolicyViolation`.
   */
  readonly allowPasswordText?: boolean;
  /**
   * DANGEROUS: accept a UsernameToken in a message without a Body signature, as SOAP stacks
   * send it over TLS. Takes effect only with a receiver policy of protectionLevel 'None' (any
   * other level requires the signature first). Default false.
   */
  readonly allowUnprotectedToken?: boolean;
  /**
   * Require the UsernameToken to be covered by the Body signature (a signed supporting token),
   * when there is one. Default true.
   */
  readonly requireSignedToken?: boolean;
  /**
   * Oldest a token's Created may be, in seconds; also how long its nonce is remembered by a
   * replay cache. Default 300. Raise it to the receiver's `maxMessageAgeSeconds` when
   * messages may wait in a queue longer than that.
   */
  readonly maxNonceAgeSeconds?: number;
  /** Clock skew tolerated on the token's Created, in seconds. Default 300. */
  readonly maxClockSkewSeconds?: number;
  /**
   * Strict Basic Security Profile (R4201): refuse a Password without a Type attribute
   * (`MalformedMessage`). Default false: such a password is PasswordText, as the UsernameToken
   * Profile says and WCF sends it, under every PasswordText rule (encrypted unless
   * `allowPasswordText`, checked against the hashed store).
   */
  readonly requirePasswordType?: boolean;
  /**
   * When the message is signed with a client certificate, validate it with this store (at the
   * evidence's validation time). Without it, such a certificate proves only the message's
   * integrity; the identity rests on the password alone.
   */
  readonly trust?: TrustStore;
}

/**
 * The receiver half of the UserName credential. Recognizes a message with a UsernameToken.
 *
 * In order: one UsernameToken; a Body signature unless `allowUnprotectedToken`; the token
 * covered by it (`requireSignedToken`); a PasswordText token encrypted unless
 * `allowPasswordText`; a PasswordDigest with Nonce and Created; Created not in the future and
 * not older than `maxNonceAgeSeconds` (both with skew); then the validator. The token's nonce
 * becomes a replay key (`nonce:<base64>`): replays are caught only when the opener has a
 * replay cache.
 *
 * The identity's name is the user name, its credential type 'UserName', its claims and roles
 * what the validator returned.
 * @throws WsseqError `AuthenticationFailed` (any failure of the password check),
 *   `PolicyViolation`, `MessageExpired`, `MalformedMessage`, `UnsupportedSecurityToken`; the
 *   trust store's CertificateError codes with `trust`.
 * @throws TypeError (at construction) for a bad number or a missing validator.
 */
export function usernameAuthenticator(options: UsernameAuthenticatorOptions): ReceiverCredential {
  checkUsernameAuthenticatorOptions(options);
  const validator = options.validator as UserValidator | undefined;
  if (typeof validator?.validate !== 'function') {
    throw new TypeError('usernameAuthenticator needs a validator');
  }
  const maxAge = options.maxNonceAgeSeconds ?? 300;
  const skew = options.maxClockSkewSeconds ?? 300;
  for (const [name, v] of [
    ['maxNonceAgeSeconds', maxAge],
    ['maxClockSkewSeconds', skew],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a non-negative number`);
  }
  const config: AuthenticatorConfig = {
    validator,
    allowPasswordText: options.allowPasswordText === true,
    allowUnprotectedToken: options.allowUnprotectedToken === true,
    requireSignedToken: options.requireSignedToken ?? true,
    requirePasswordType: options.requirePasswordType === true,
    maxAgeMs: maxAge * 1000,
    skewMs: skew * 1000,
    trust: options.trust,
  };
  return {
    type: 'UserName',
    authenticate: (evidence) => authenticateUsername(evidence, config),
  };
}

interface AuthenticatorConfig {
  readonly validator: UserValidator;
  readonly allowPasswordText: boolean;
  readonly allowUnprotectedToken: boolean;
  readonly requireSignedToken: boolean;
  readonly requirePasswordType: boolean;
  readonly maxAgeMs: number;
  readonly skewMs: number;
  readonly trust: TrustStore | undefined;
}

async function authenticateUsername(
  evidence: MessageEvidence,
  config: AuthenticatorConfig,
): Promise<Authentication | undefined> {
  const elements = evidence.tokens.filter(isUsernameToken);
  const [element, ...more] = elements;
  if (!element) return undefined;
  if (more.length > 0) throw reject('PolicyViolation', 'more than one UsernameToken');
  const token = readUsernameToken(element, { requirePasswordType: config.requirePasswordType });
  checkProtection(token, evidence, config);
  const { password } = token;
  if (!password) throw reject('AuthenticationFailed', 'the UsernameToken has no Password');
  const created = checkFreshness(token, evidence.now, config);

  let offered: string | PasswordDigestEvidence;
  if (password.type === 'PasswordText') offered = password.password;
  else {
    if (!token.nonce || token.createdText === undefined) {
      throw reject('PolicyViolation', 'a PasswordDigest needs a Nonce and a Created');
    }
    offered = { digest: password.digest, nonce: token.nonce, created: token.createdText };
  }
  // A validator resolves undefined for a wrong password; what it throws (an outage)
  // propagates unchanged.
  const result = await config.validator.validate(token.username, offered);
  if (!result) {
    throw reject('AuthenticationFailed', `user "${token.username}" failed authentication`);
  }

  const certificate = evidence.bodySignature?.certificate;
  const signer =
    certificate && config.trust
      ? await config.trust.validate(
          certificate,
          evidence.certificates,
          evidence.validationTime ?? evidence.now,
          'client',
        )
      : undefined;
  const replayKeys = token.nonce ? [`nonce:${token.nonce.toString('base64')}`] : [];
  return {
    identity: {
      name: token.username,
      credentialType: 'UserName',
      claims: Object.freeze({ ...result.claims }),
      roles: Object.freeze([...(result.roles ?? [])]),
    },
    ...(signer ? { signer } : {}),
    replayKeys,
    ...(created && token.nonce
      ? { replayExpiresAt: new Date(created.getTime() + config.maxAgeMs + config.skewMs) }
      : {}),
  };
}

function checkProtection(
  token: UsernameToken,
  evidence: MessageEvidence,
  config: AuthenticatorConfig,
): void {
  const signature = evidence.bodySignature;
  if (!signature) {
    if (!config.allowUnprotectedToken) {
      throw reject(
        'PolicyViolation',
        'the UsernameToken travels without a message signature (allowUnprotectedToken is off)',
      );
    }
  } else if (config.requireSignedToken && !isSigned(token.element, signature.covered, evidence)) {
    throw reject('PolicyViolation', 'the UsernameToken is not covered by the Body signature');
  }
  if (
    token.password?.type === 'PasswordText' &&
    !evidence.encrypted.includes(token.element) &&
    !config.allowPasswordText
  ) {
    throw reject('PolicyViolation', 'a clear-text password arrived unencrypted');
  }
}

/**
 * True when the signature covers the token: directly, or (EncryptBeforeSign) through the
 * EncryptedData (Type Element) it was decrypted from. For the latter the evidence does not
 * link the two: a covered Element EncryptedData that was since decrypted, with the token among
 * the decrypted elements, is taken as that link.
 */
function isSigned(token: Element, covered: readonly Element[], evidence: MessageEvidence): boolean {
  if (covered.includes(token)) return true;
  if (!evidence.encrypted.includes(token)) return false;
  return covered.some(
    (el) =>
      el.namespaceURI === NS.xenc &&
      el.localName === 'EncryptedData' &&
      attr(el, null, 'Type') === ENC_TYPE.element &&
      el.parentNode === null,
  );
}

/** @returns the token's Created, checked; undefined when it has none. */
function checkFreshness(
  token: UsernameToken,
  now: Date,
  config: AuthenticatorConfig,
): Date | undefined {
  const created = token.created;
  if (!created) return undefined;
  const t = created.getTime();
  if (t - config.skewMs > now.getTime()) {
    throw reject(
      'MessageExpired',
      `the UsernameToken was created in the future (${created.toISOString()})`,
    );
  }
  if (now.getTime() - t > config.maxAgeMs + config.skewMs) {
    throw reject('MessageExpired', 'the UsernameToken is older than maxNonceAgeSeconds');
  }
  return created;
}
