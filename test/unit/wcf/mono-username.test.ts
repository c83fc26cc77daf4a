/**
 * Mono's UserNameForCertificate message (test/vectors/wcf/mono-username11.xml) carries its
 * Password without a Type: it opens with the real UserName credential (hashed store), and
 * the strict BSP option refuses it.
 */
import { describe, expect, it } from 'vitest';
import { createUserStore, hashPassword } from '../../../src/credentials/user-store.js';
import { usernameAuthenticator } from '../../../src/credentials/username.js';
import type { UsernameAuthenticatorOptions } from '../../../src/credentials/username.js';
import { isWsseqError } from '../../../src/errors.js';
import { MONO_POLICY, USERS, vector, wcfOpener } from './wcf-fixtures.js';

const SCRYPT = { N: 1024, r: 8, p: 1 } as const;

async function monoReceiver(password: string, options: Partial<UsernameAuthenticatorOptions> = {}) {
  const store = createUserStore(
    [{ username: 'alice', passwordHash: await hashPassword(password, SCRYPT), roles: ['buyer'] }],
    { scrypt: SCRYPT },
  );
  const { wire, info } = vector('mono-username11.xml');
  const opener = wcfOpener(new Date(info.receiverTime), MONO_POLICY, [
    usernameAuthenticator({ validator: store, ...options }),
  ]);
  return { opener, wire };
}

/** The code of the rejection, looking behind the uniform DecryptionFailed of a CBC message. */
async function codes(p: Promise<unknown>): Promise<(string | undefined)[]> {
  try {
    await p;
  } catch (err) {
    if (!isWsseqError(err)) throw err;
    const cause: unknown = err.cause;
    return [err.code, isWsseqError(cause) ? cause.code : undefined];
  }
  return [];
}

describe('Mono UserNameForCertificate with the real UserName credential', () => {
  it('opens with the right password from a hashed store', async () => {
    const { opener, wire } = await monoReceiver(USERS.alice ?? '');
    const result = await opener.open(wire);
    expect(result.context.credentialType).toBe('UserName');
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.identity.roles).toEqual(['buyer']);
    expect(result.context.encrypted).toContain('UsernameToken');
  });

  it('a store with another password: AuthenticationFailed', async () => {
    const { opener, wire } = await monoReceiver('not alice');
    expect(await codes(opener.open(wire))).toContain('AuthenticationFailed');
  });

  it('strict BSP R4201 (requirePasswordType): refused as MalformedMessage', async () => {
    const { opener, wire } = await monoReceiver(USERS.alice ?? '', { requirePasswordType: true });
    expect(await codes(opener.open(wire))).toContain('MalformedMessage');
  });
});
