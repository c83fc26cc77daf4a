/**
 * The receiver credentials of `wsseq open` besides the certificate: a user store from
 * `--users users.json` (UserName) and trusted token services from `--sts-cert` (IssuedToken).
 */
import { issuedTokenAuthenticator } from '../credentials/issued-jwt.js';
import { usernameAuthenticator } from '../credentials/username.js';
import { createUserStore } from '../credentials/user-store.js';
import type { UserRecord } from '../credentials/user-store.js';
import type { ReceiverCredential } from '../credentials/types.js';
import type { TrustStore } from '../index.js';
import { UsageError, loadOrFail, onlyWith, readFlagFile, required } from './args.js';
import type { CliIo } from './io.js';
import { readCertificates } from './open-setup.js';

/** The flags, to spread into `open`'s flag definitions. */
export const RECEIVER_CREDENTIAL_FLAGS = {
  users: { type: 'string' },
  'allow-password-text': { type: 'boolean' },
  'allow-unprotected-token': { type: 'boolean' },
  'require-password-type': { type: 'boolean' },
  'sts-cert': { type: 'string', multiple: true },
  'sts-issuer': { type: 'string' },
  audience: { type: 'string', multiple: true },
  'allow-bearer': { type: 'boolean' },
} as const;

/** The usage lines, for `open --help`. */
export const RECEIVER_CREDENTIAL_USAGE = `UserName credential (UsernameToken):
  --users FILE            accept UsernameTokens of the users in FILE, a JSON array of
                          {"username": "alice", "passwordHash": "scrypt$...",
                           "claims": {...}, "roles": ["buyer"]}
                          ("wsseq users hash" makes a passwordHash). A PasswordDigest can
                          only be checked against the password itself: a user who sends
                          digests needs "password": "<clear text>" instead of passwordHash
                          (keep such a file as secret as the passwords)
  --allow-password-text   DANGEROUS: accept a PasswordText token that arrived unencrypted
  --require-password-type strict BSP R4201: refuse a Password without a Type attribute
                          (by default it is PasswordText, as the profile says and WCF sends)
  --allow-unprotected-token  DANGEROUS: accept a UsernameToken in a message without a
                          signature (as sent over TLS, "secure --protection none"); lowers
                          the protection level to None

IssuedToken credential (JWT from a token service):
  --sts-cert FILE         a trusted token service's signing certificate(s), PEM or DER
                          (repeatable, for a key rollover)
  --sts-issuer URI        the token service's name, the token's iss (required with
                          --sts-cert)
  --audience URI          this service's name: the token's aud must hold one (repeatable;
                          required with --sts-cert)
  --allow-bearer          DANGEROUS: accept tokens not bound to a key (whoever holds one can
                          send as its subject); holder-of-key tokens are required by default
`;

/** The values of {@link RECEIVER_CREDENTIAL_FLAGS}. */
export interface ReceiverCredentialFlags {
  readonly users?: string | undefined;
  readonly 'allow-password-text'?: boolean | undefined;
  readonly 'allow-unprotected-token'?: boolean | undefined;
  readonly 'require-password-type'?: boolean | undefined;
  readonly 'sts-cert'?: string[] | undefined;
  readonly 'sts-issuer'?: string | undefined;
  readonly audience?: string[] | undefined;
  readonly 'allow-bearer'?: boolean | undefined;
}

/** Settings the credentials share with the rest of the receiver. */
export interface ReceiverCredentialSetting {
  /** Validates a client certificate that also signed a UserName message. */
  readonly trust: TrustStore | undefined;
  readonly maxClockSkewSeconds: number | undefined;
  /** How old a UsernameToken may be (its nonce is remembered that long). */
  readonly maxMessageAgeSeconds: number | undefined;
}

/** True when the flags configure a UserName or IssuedToken receiver. */
export function hasReceiverCredentials(flags: ReceiverCredentialFlags): boolean {
  return flags.users !== undefined || flags['sts-cert'] !== undefined;
}

/**
 * The UserName and IssuedToken authenticators the flags ask for (possibly none).
 * @throws UsageError for flags without the one they refine, an unreadable or malformed
 *   users file or certificate.
 */
export async function receiverCredentials(
  flags: ReceiverCredentialFlags,
  io: CliIo,
  setting: ReceiverCredentialSetting,
): Promise<ReceiverCredential[]> {
  onlyWith(
    flags,
    ['allow-password-text', 'allow-unprotected-token', 'require-password-type'],
    'users',
  );
  onlyWith(flags, ['sts-issuer', 'audience', 'allow-bearer'], 'sts-cert');
  const skew =
    setting.maxClockSkewSeconds === undefined
      ? {}
      : { maxClockSkewSeconds: setting.maxClockSkewSeconds };
  const credentials: ReceiverCredential[] = [];
  if (flags.users !== undefined) {
    const path = flags.users;
    const users = parseUsers(await readFlagFile(io, 'users', path), path);
    const secrets = new Map<string, string>();
    for (const u of users) if (u.password !== undefined) secrets.set(u.username, u.password);
    const validator = loadOrFail(`--users ${path}`, () =>
      createUserStore(users, { secretProvider: (name) => secrets.get(name) }),
    );
    credentials.push(
      usernameAuthenticator({
        validator,
        allowPasswordText: flags['allow-password-text'] === true,
        allowUnprotectedToken: flags['allow-unprotected-token'] === true,
        requirePasswordType: flags['require-password-type'] === true,
        ...(setting.trust ? { trust: setting.trust } : {}),
        ...(setting.maxMessageAgeSeconds === undefined
          ? {}
          : { maxNonceAgeSeconds: setting.maxMessageAgeSeconds }),
        ...skew,
      }),
    );
  }
  const stsCerts = flags['sts-cert'];
  if (stsCerts !== undefined) {
    const issuer = required(flags['sts-issuer'], 'sts-issuer');
    const audience = flags.audience ?? [];
    if (audience.length === 0) throw new UsageError('missing --audience (with --sts-cert)');
    const certificates = await readCertificates(io, 'sts-cert', stsCerts);
    credentials.push(
      loadOrFail('--sts-cert', () =>
        issuedTokenAuthenticator({
          trustedIssuers: [{ issuer, certificates }],
          audience,
          allowBearer: flags['allow-bearer'] === true,
          ...skew,
        }),
      ),
    );
  }
  return credentials;
}

const USER_KEYS = new Set(['username', 'passwordHash', 'password', 'claims', 'roles']);

/**
 * Read users.json: an array of user records.
 * @throws UsageError naming the file and the first bad entry.
 */
export function parseUsers(data: Uint8Array, path: string): UserRecord[] {
  const fail = (why: string): never => {
    throw new UsageError(`--users ${path}: ${why}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return fail('not JSON');
  }
  if (!Array.isArray(parsed)) return fail('expected a JSON array of users');
  return parsed.map((entry: unknown, i): UserRecord => {
    const at = `user #${i + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return fail(`${at} is not an object`);
    }
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).find((k) => !USER_KEYS.has(k));
    if (unknown !== undefined) return fail(`${at} has an unknown field "${unknown}"`);
    const { username, passwordHash, password, claims, roles } = record;
    if (typeof username !== 'string') return fail(`${at} needs a "username" string`);
    for (const [name, value] of [
      ['passwordHash', passwordHash],
      ['password', password],
    ] as const) {
      if (value !== undefined && typeof value !== 'string') {
        fail(`user "${username}": "${name}" must be a string`);
      }
    }
    if (passwordHash === undefined && password === undefined) {
      fail(`user "${username}" needs a "passwordHash" or a "password"`);
    }
    if (
      claims !== undefined &&
      (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    ) {
      fail(`user "${username}": "claims" must be an object`);
    }
    if (
      roles !== undefined &&
      (!Array.isArray(roles) || roles.some((r: unknown) => typeof r !== 'string'))
    ) {
      fail(`user "${username}": "roles" must be an array of strings`);
    }
    return {
      username,
      ...(passwordHash === undefined ? {} : { passwordHash: passwordHash as string }),
      ...(password === undefined ? {} : { password: password as string }),
      ...(claims === undefined ? {} : { claims: claims as Record<string, unknown> }),
      ...(roles === undefined ? {} : { roles: roles as string[] }),
    };
  });
}
