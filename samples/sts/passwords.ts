/**
 * Password records for the sample STS: salted scrypt hashes, compared in constant time.
 * A `users.json` file maps user names to records made by {@link hashPassword}.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** One stored password: scrypt(password, salt), base64. */
export interface PasswordRecord {
  readonly salt: string;
  readonly hash: string;
}

const KEY_LENGTH = 32;
/** A hash for unknown users, so they cost as much as known ones (no user enumeration by timing). */
const DUMMY: PasswordRecord = hashPassword('unknown user');

/** Make a record for `password` (N=16384, r=8, p=1: scrypt's interactive-login parameters). */
export function hashPassword(password: string): PasswordRecord {
  const salt = randomBytes(16);
  return {
    salt: salt.toString('base64'),
    hash: scryptSync(password, salt, KEY_LENGTH).toString('base64'),
  };
}

/** True when `password` is the password of `user` in `users`. */
export function verifyPassword(
  users: ReadonlyMap<string, PasswordRecord>,
  user: string,
  password: string,
): boolean {
  const record = users.get(user);
  const { salt, hash } = record ?? DUMMY;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), KEY_LENGTH);
  return timingSafeEqual(actual, expected) && record !== undefined;
}

/** Read a `users.json` text: `{ "alice": { "salt": "...", "hash": "..." } }`. */
export function parseUsers(json: string): Map<string, PasswordRecord> {
  const data: unknown = JSON.parse(json);
  if (typeof data !== 'object' || data === null) throw new TypeError('users.json: not an object');
  const users = new Map<string, PasswordRecord>();
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    const v = value as Partial<PasswordRecord> | null;
    if (typeof v?.salt !== 'string' || typeof v.hash !== 'string') {
      throw new TypeError(`users.json: bad record for ${name}`);
    }
    users.set(name, { salt: v.salt, hash: v.hash });
  }
  return users;
}
