import { describe, expect, it } from 'vitest';
import { usernameCredential } from '../../../src/credentials/username.js';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs } from '../../helpers.js';
import { PASSWORDS, expectCode, secureWithUsername, usernameOpener } from './helpers.js';

const minutes = (n: number): Date => new Date(TEST_NOW.getTime() + n * 60_000);

describe('UserName: authentication failures are one code', () => {
  for (const passwordType of ['PasswordText', 'PasswordDigest'] as const) {
    it(`${passwordType}: wrong password and unknown user look the same`, async () => {
      const pki = await getTestPki();
      const opener = await usernameOpener(pki);
      const wrong = secureWithUsername(pki, orderEnvelope(), {
        passwordType,
        password: 'not the password',
      });
      const unknown = secureWithUsername(pki, orderEnvelope(), {
        passwordType,
        username: 'mallory',
      });
      const a = await expectCode(opener.open(wrong), 'AuthenticationFailed');
      const b = await expectCode(opener.open(unknown), 'AuthenticationFailed');
      expect(a.publicMessage).toBe(b.publicMessage);
      expect(a.fault).toBe('wsse:FailedAuthentication');
      expect(a.message.replace('alice', 'X')).toBe(b.message.replace('mallory', 'X'));
    });
  }

  it('a user the digest secret provider does not know', async () => {
    const pki = await getTestPki();
    const wire = secureWithUsername(pki, orderEnvelope(), { username: 'carol', password: 'x' });
    await expectCode((await usernameOpener(pki)).open(wire), 'AuthenticationFailed');
  });
});

describe('UserName: nonces and freshness', () => {
  it('a digest with a replayed nonce (in a new message) is a Replay', async () => {
    const pki = await getTestPki();
    const nonce = (): Buffer => Buffer.alloc(16, 7);
    const first = secureWithUsername(pki, orderEnvelope(), { nonce });
    const second = secureWithUsername(pki, orderEnvelope('1.1', 'gadget'), { nonce });
    const opener = await usernameOpener(
      pki,
      {},
      {},
      { replayCache: createMemoryReplayCache({ now: () => TEST_NOW }) },
    );
    const result = await opener.open(first);
    await result.commit();
    const err = await expectCode(opener.open(second), 'Replay');
    expect(err.message).toContain('nonce:');
  });

  it('a nonce still being handled (reserved, not committed) is a Replay too', async () => {
    const pki = await getTestPki();
    const nonce = (): Buffer => Buffer.alloc(16, 9);
    const opener = await usernameOpener(
      pki,
      {},
      {},
      { replayCache: createMemoryReplayCache({ now: () => TEST_NOW }) },
    );
    await opener.open(secureWithUsername(pki, orderEnvelope(), { nonce }));
    await expectCode(opener.open(secureWithUsername(pki, orderEnvelope(), { nonce })), 'Replay');
  });

  it('a token older than maxNonceAgeSeconds, or from the future, is MessageExpired', async () => {
    const pki = await getTestPki();
    const old = secureWithUsername(
      pki,
      orderEnvelope(),
      {},
      { timestampTtlSeconds: 0 },
      minutes(-20),
    );
    // The message's own Timestamp (no Expires) may be an hour old: the token's age decides.
    const hour = { maxMessageAgeSeconds: 3600 };
    const opener = await usernameOpener(
      pki,
      { maxNonceAgeSeconds: 600, maxClockSkewSeconds: 60 },
      hour,
    );
    await expectCode(opener.open(old), 'MessageExpired');
    const lenient = await usernameOpener(pki, { maxNonceAgeSeconds: 3600 }, hour);
    expect((await lenient.open(old)).context.identity.name).toBe('alice');
    const future = secureWithUsername(pki, orderEnvelope(), {}, {}, minutes(10));
    await expectCode(opener.open(future), 'MessageExpired');
  });
});

describe('UserName: protection of the token', () => {
  it('PasswordText that arrived unencrypted is refused by default, accepted when allowed', async () => {
    const pki = await getTestPki();
    const wire = secureWithUsername(
      pki,
      orderEnvelope(),
      {
        passwordType: 'PasswordText',
        allowUnencryptedPasswordText: true,
        signWith: { certificate: pki.client.certificate, privateKey: pki.client.privateKey },
      },
      { protectionLevel: 'Sign' },
    );
    expect(wire).toContain(PASSWORDS.alice);
    await expectCode(
      (await usernameOpener(pki, {}, { protectionLevel: 'Sign' })).open(wire),
      'PolicyViolation',
    );
    const allowing = await usernameOpener(
      pki,
      { allowPasswordText: true },
      { protectionLevel: 'Sign' },
    );
    expect((await allowing.open(wire)).context.identity.name).toBe('alice');
  });

  it('the sender refuses PasswordText in a message that will not be encrypted', async () => {
    const pki = await getTestPki();
    for (const protectionLevel of ['None', 'Sign'] as const) {
      expect(() =>
        secureWithUsername(
          pki,
          orderEnvelope(),
          {
            passwordType: 'PasswordText',
            signWith: { certificate: pki.client.certificate, privateKey: pki.client.privateKey },
          },
          { protectionLevel },
        ),
      ).toThrow(TypeError);
    }
  });

  it('an unprotected token (protection level None) is refused by default, accepted when allowed', async () => {
    const pki = await getTestPki();
    const wire = createSecurer({
      credential: usernameCredential({
        username: 'alice',
        password: PASSWORDS.alice ?? '',
        passwordType: 'PasswordDigest',
      }),
      policy: { protectionLevel: 'None' },
      now: () => TEST_NOW,
    }).secure(orderEnvelope());
    expect(wire).toContain('widget');
    const none = { protectionLevel: 'None' } as const;
    await expectCode((await usernameOpener(pki, {}, none)).open(wire), 'PolicyViolation');
    const allowing = await usernameOpener(pki, { allowUnprotectedToken: true }, none);
    const result = await allowing.open(wire);
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.signed).toEqual([]);
    // allowUnprotectedToken does not lower a receiver that requires message protection.
    const strict = await usernameOpener(pki, { allowUnprotectedToken: true });
    await expectCode(strict.open(wire), 'PolicyViolation');
  });

  it('a UsernameToken added to a message whose signature does not cover it is refused', async () => {
    const pki = await getTestPki();
    const signed = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const unsigned = createSecurer({
      credential: usernameCredential({
        username: 'alice',
        password: PASSWORDS.alice ?? '',
        passwordType: 'PasswordDigest',
      }),
      policy: { protectionLevel: 'None' },
      now: () => TEST_NOW,
    }).secure(orderEnvelope());
    const token = /<wsse:UsernameToken[\s\S]*<\/wsse:UsernameToken>/.exec(unsigned)?.[0] ?? '';
    expect(token).not.toBe('');
    const spliced = signed.replace('</wsse:Security>', `${token}</wsse:Security>`);
    const opener = await usernameOpener(pki, {}, { protectionLevel: 'Sign' });
    await expectCode(opener.open(spliced), 'PolicyViolation');
    const lax = await usernameOpener(
      pki,
      { requireSignedToken: false },
      { protectionLevel: 'Sign' },
    );
    expect((await lax.open(spliced)).context.identity.name).toBe('alice');
  });

  it('two UsernameTokens are refused', async () => {
    const pki = await getTestPki();
    const make = (): string =>
      createSecurer({
        credential: usernameCredential({
          username: 'alice',
          password: PASSWORDS.alice ?? '',
          passwordType: 'PasswordDigest',
        }),
        policy: { protectionLevel: 'None' },
        now: () => TEST_NOW,
      }).secure(orderEnvelope());
    const token = /<wsse:UsernameToken[\s\S]*<\/wsse:UsernameToken>/.exec(make())?.[0] ?? '';
    const twice = make().replace(
      '</wsse:Security>',
      `${token.replace(/wsu:Id="[^"]*"/, '')}</wsse:Security>`,
    );
    const opener = await usernameOpener(
      pki,
      { allowUnprotectedToken: true },
      { protectionLevel: 'None' },
    );
    await expectCode(opener.open(twice), 'PolicyViolation');
  });
});

describe('UserName: misuse is a TypeError', () => {
  it('at construction', async () => {
    const pki = await getTestPki();
    expect(() =>
      usernameCredential({ username: '', password: 'x', passwordType: 'PasswordDigest' }),
    ).toThrow(TypeError);
    expect(() =>
      usernameCredential({
        username: 'a',
        password: 'x',
        passwordType: 'Plain' as 'PasswordText',
      }),
    ).toThrow(TypeError);
    expect(() =>
      usernameCredential({
        username: 'a',
        password: 'x',
        passwordType: 'PasswordDigest',
        signWith: {
          certificate: pki.client.certificate,
          privateKey: pki.client.certificate.publicKey,
        },
      }),
    ).toThrow(TypeError);
    await expect(usernameOpener(pki, { maxNonceAgeSeconds: -1 })).rejects.toThrow(TypeError);
  });
});
