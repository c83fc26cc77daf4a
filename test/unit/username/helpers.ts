/** Shared setup for the UserName tests: a user store, a sender and a receiver. Not a test file. */
import { expect } from 'vitest';
import { createUserStore, hashPassword } from '../../../src/credentials/user-store.js';
import { usernameAuthenticator, usernameCredential } from '../../../src/credentials/username.js';
import type {
  UsernameAuthenticatorOptions,
  UsernameCredentialOptions,
  UserValidator,
} from '../../../src/credentials/username.js';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqError, WsseqErrorCode } from '../../../src/errors.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import type { OpenOptions, Opener } from '../../../src/open/open-envelope.js';
import type { ReceiverPolicy, SenderPolicy } from '../../../src/policy/policy.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { TEST_NOW } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';

/** Cheap scrypt for tests (the default costs ~50 ms a check). */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

export const PASSWORDS: Readonly<Record<string, string>> = {
  alice: 'correct horse battery staple',
  bob: 'hunter2-but-longer',
};

let store: Promise<UserValidator> | undefined;

/** alice (hash, roles, claims) and bob (clear at creation); digests from a secret provider. */
export function testUserStore(): Promise<UserValidator> {
  store ??= (async () =>
    createUserStore(
      [
        {
          username: 'alice',
          passwordHash: await hashPassword(PASSWORDS.alice ?? '', FAST_SCRYPT),
          roles: ['buyer'],
          claims: { department: 'purchasing' },
        },
        { username: 'bob', password: PASSWORDS.bob ?? '' },
      ],
      { secretProvider: (name) => PASSWORDS[name], scrypt: FAST_SCRYPT },
    ))();
  return store;
}

/** Secure `envelope` with a UsernameToken at `now`. */
export function secureWithUsername(
  pki: TestPki,
  envelope: string,
  credential: Partial<UsernameCredentialOptions> = {},
  policy: SenderPolicy = {},
  now: Date = TEST_NOW,
): string {
  return createSecurer({
    credential: usernameCredential({
      username: 'alice',
      password: PASSWORDS.alice ?? '',
      passwordType: 'PasswordDigest',
      ...credential,
    }),
    serviceCertificate: pki.service.certificate,
    policy,
    now: () => now,
  }).secure(envelope);
}

/** A receiver that accepts the UserName credential (and nothing else). */
export async function usernameOpener(
  pki: TestPki,
  options: Partial<UsernameAuthenticatorOptions> = {},
  policy: ReceiverPolicy = {},
  extra: Partial<OpenOptions> = {},
): Promise<Opener> {
  return createOpener({
    serviceKeys: [pki.service],
    credentials: [usernameAuthenticator({ validator: await testUserStore(), ...options })],
    policy,
    now: () => TEST_NOW,
    ...extra,
  });
}

/** Await a rejection and return it, checking its code. */
export async function expectCode(
  promise: Promise<unknown>,
  code: WsseqErrorCode,
): Promise<WsseqError> {
  const err: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!isWsseqError(err)) throw err instanceof Error ? err : new Error(String(err));
  expect(err.code).toBe(code);
  return err;
}
