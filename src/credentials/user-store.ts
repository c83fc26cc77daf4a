/**
 * A built-in {@link UserValidator}: user names with salted scrypt password hashes (for
 * PasswordText) and, for PasswordDigest, a secret provider that returns the password itself.
 *
 * Why two sources: a PasswordText token carries the password, so the store needs only a salted
 * hash to check it. A PasswordDigest token carries `SHA-1(nonce + created + password)`, which
 * can be checked only by someone holding the password itself: a service that accepts digests
 * must keep the passwords recoverable (in a secret manager, not in this store).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { computePasswordDigest } from '../wss/username-token.js';
import type { PasswordDigestEvidence, UserValidation, UserValidator } from './username.js';
import { checkUserStoreOptions } from '../policy/credential-options.js';

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. Default 32768 (2^15). */
  readonly N?: number;
  /** Block size. Default 8. */
  readonly r?: number;
  /** Parallelism. Default 1. */
  readonly p?: number;
}

const DEFAULT_SCRYPT = { N: 32768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Bounds on parameters read from stored hashes, so a bad record cannot exhaust memory. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

interface ParsedHash {
  readonly params: Required<ScryptParams>;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function checkParams(params: ScryptParams): Required<ScryptParams> {
  const N = params.N ?? DEFAULT_SCRYPT.N;
  const r = params.r ?? DEFAULT_SCRYPT.r;
  const p = params.p ?? DEFAULT_SCRYPT.p;
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) {
    throw new TypeError(`scrypt N must be a power of two between 2 and ${MAX_N}`);
  }
  if (!Number.isInteger(r) || r < 1 || r > MAX_R) throw new TypeError('scrypt r is out of range');
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) throw new TypeError('scrypt p is out of range');
  return { N, r, p };
}

function deriveKey(
  password: string,
  salt: Buffer,
  params: Required<ScryptParams>,
): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/**
 * Hash a password for storage: `scrypt$N$r$p$<salt base64>$<hash base64>` with a fresh 16-byte
 * salt. The password is NFC-normalized first.
 * @throws TypeError for out-of-range parameters.
 * @example
 * const passwordHash = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string, params: ScryptParams = {}): Promise<string> {
  const checked = checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const hash = await deriveKey(password, salt, checked);
  return [
    'scrypt',
    checked.N,
    checked.r,
    checked.p,
    salt.toString('base64'),
    hash.toString('base64'),
  ].join('$');
}

function parseHash(encoded: string): ParsedHash {
  const parts = encoded.split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  if (
    parts.length !== 6 ||
    scheme !== 'scrypt' ||
    n === undefined ||
    r === undefined ||
    p === undefined ||
    salt === undefined ||
    hash === undefined
  ) {
    throw new TypeError('a password hash must read scrypt$N$r$p$salt$hash');
  }
  const params = checkParams({ N: Number(n), r: Number(r), p: Number(p) });
  const saltBytes = Buffer.from(salt, 'base64');
  const hashBytes = Buffer.from(hash, 'base64');
  if (saltBytes.length < 8 || hashBytes.length < 16) {
    throw new TypeError('a password hash has a short salt or hash');
  }
  return { params, salt: saltBytes, hash: hashBytes };
}

/**
 * Check a password against a hash from {@link hashPassword}, in constant time.
 * @throws TypeError when `encoded` is not such a hash.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  return verifyParsed(password, parseHash(encoded));
}

async function verifyParsed(password: string, parsed: ParsedHash): Promise<boolean> {
  const derived = await deriveKey(password, parsed.salt, parsed.params);
  return derived.length === parsed.hash.length && timingSafeEqual(derived, parsed.hash);
}

/**
 * Check a PasswordDigest against the password, in constant time. For custom validators.
 */
export function verifyPasswordDigest(evidence: PasswordDigestEvidence, password: string): boolean {
  const expected = computePasswordDigest(evidence.nonce, evidence.created, password);
  const given = evidence.digest;
  // Compare equal lengths only; a wrong length still costs one comparison.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}

/** One user of a {@link createUserStore}. */
export interface UserRecord {
  readonly username: string;
  /** A hash from {@link hashPassword}. */
  readonly passwordHash?: string;
  /**
   * The password in clear, hashed when the store is created (the clear text is not kept).
   * Convenient for configuration loaded from a secret store; prefer `passwordHash`.
   */
  readonly password?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly roles?: readonly string[];
}

/** Returns the password of a user, for PasswordDigest; undefined for an unknown user. */
export type SecretProvider = (username: string) => string | undefined | Promise<string | undefined>;

export interface UserStoreOptions {
  /**
   * Where PasswordDigest tokens get the password from. Without it, digests are refused (as an
   * authentication failure). A user the provider knows but the store does not list is
   * accepted with no claims and no roles.
   */
  readonly secretProvider?: SecretProvider;
  /** scrypt parameters for `password` records hashed at creation. Default N=2^15, r=8, p=1. */
  readonly scrypt?: ScryptParams;
}

interface StoredUser {
  readonly hash: Promise<ParsedHash> | undefined;
  readonly result: UserValidation;
}

/**
 * A user store for {@link usernameAuthenticator}. PasswordText is checked against salted scrypt
 * hashes (each check costs one scrypt: about 50 ms at the default N=2^15); PasswordDigest
 * against the password from `secretProvider`. Unknown users cost the same work as known ones.
 * @throws TypeError for a duplicate or empty user name, a record with both or neither of
 *   `password` and `passwordHash` (unless a secret provider serves it), or a malformed hash.
 * @example
 * const users = createUserStore([{ username: 'alice', passwordHash: await hashPassword(pw), roles: ['buyer'] }]);
 */
export function createUserStore(
  users: readonly UserRecord[],
  options: UserStoreOptions = {},
): UserValidator {
  checkUserStoreOptions(options);
  const scryptParams = checkParams(options.scrypt ?? {});
  const byName = new Map<string, StoredUser>();
  for (const user of users) {
    if (typeof user.username !== 'string' || user.username === '') {
      throw new TypeError('a user needs a non-empty username');
    }
    if (byName.has(user.username)) throw new TypeError(`duplicate user "${user.username}"`);
    if (user.password !== undefined && user.passwordHash !== undefined) {
      throw new TypeError(`user "${user.username}" has both password and passwordHash`);
    }
    if (user.password === undefined && user.passwordHash === undefined && !options.secretProvider) {
      throw new TypeError(`user "${user.username}" has neither password nor passwordHash`);
    }
    let hash: Promise<ParsedHash> | undefined;
    if (user.passwordHash !== undefined) hash = Promise.resolve(parseHash(user.passwordHash));
    else if (user.password !== undefined) {
      hash = hashPassword(user.password, scryptParams).then(parseHash);
      // Checked when used; keep an unhandled rejection from surfacing before then.
      hash.catch(() => undefined);
    }
    byName.set(user.username, {
      hash,
      result: Object.freeze({
        claims: Object.freeze({ ...user.claims }),
        roles: Object.freeze([...(user.roles ?? [])]),
      }),
    });
  }
  // Unknown users (and users without a hash) are checked against this, so they take as long.
  const dummy = hashPassword(randomBytes(16).toString('base64'), scryptParams).then(parseHash);
  const dummySecret = randomBytes(16).toString('base64');
  const secretProvider = options.secretProvider;

  return Object.freeze({
    async validate(
      username: string,
      password: string | PasswordDigestEvidence,
    ): Promise<UserValidation | undefined> {
      const user = byName.get(username);
      if (typeof password === 'string') {
        const hash = user?.hash;
        const ok = await verifyParsed(password, await (hash ?? dummy));
        return ok && user && hash ? user.result : undefined;
      }
      const secret = secretProvider ? await secretProvider(username) : undefined;
      const ok = verifyPasswordDigest(password, secret ?? dummySecret);
      if (!ok || secret === undefined) return undefined;
      return user?.result ?? { claims: {}, roles: [] };
    },
  });
}
