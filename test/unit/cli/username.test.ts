/** `wsseq secure --username` → `wsseq open --users`: the UserName credential through the CLI. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_TRUST, CLIENT_PEM, NOW, SERVICE_PEM, jsonLine, useCliFixture } from './harness.js';

const cli = useCliFixture();
const WSDL = fileURLToPath(new URL('../../../wsdl/order-service.wsdl', import.meta.url));

/** alice: a scrypt hash (PasswordText only); bob: the password itself (digests too). */
const ENV = { ALICE_PW: 'alice-secret', BOB_PW: 'bob-secret', WRONG_PW: 'guess' };
const USERS = ['--users', 'users.json'];

/** Secure envelope.xml as `user` with the password in `env`, plus `extra`. */
async function secureAs(out: string, user: string, env: string, extra: readonly string[] = []) {
  const r = await cli.run(
    [
      'secure',
      '--in',
      'envelope.xml',
      '--out',
      out,
      '--username',
      user,
      '--password-env',
      env,
      '--service-cert',
      'service.pem',
      '--now',
      NOW,
      ...extra,
    ],
    ENV,
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

const openUsers = (message: string, extra: readonly string[] = []) =>
  cli.run(['open', '--in', message, ...SERVICE_PEM, ...USERS, '--now', NOW, ...extra]);

beforeAll(async () => {
  const hashed = await cli.run(
    ['users', 'hash', '--password-env', 'ALICE_PW', '--username', 'alice'],
    ENV,
  );
  expect(hashed.code).toBe(0);
  const alice = JSON.parse(hashed.stdout) as Record<string, unknown>;
  expect(alice.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
  const users = [
    { ...alice, claims: { email: 'alice@example.com' }, roles: ['buyer'] },
    { username: 'bob', password: ENV.BOB_PW, roles: ['clerk'] },
  ];
  writeFileSync(cli.path('users.json'), JSON.stringify(users));
});

describe('wsseq secure --username → open --users', () => {
  it('PasswordText (encrypted with the Body, signed with the content key)', async () => {
    await secureAs('text.xml', 'alice', 'ALICE_PW');
    const wire = readFileSync(cli.path('text.xml'), 'utf8');
    expect(wire).not.toContain('alice-secret');
    expect(wire).not.toContain('widget');
    const r = await openUsers('text.xml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = jsonLine(r);
    expect(out).toMatchObject({
      ok: true,
      credential: 'UserName',
      identity: { name: 'alice', claims: { email: 'alice@example.com' }, roles: ['buyer'] },
      encrypted: expect.arrayContaining(['Body', 'UsernameToken']) as unknown,
      signed: expect.arrayContaining(['Body', 'Timestamp']) as unknown,
    });
    expect(out.body).toContain('<m:Item>widget</m:Item>');
  });

  it('PasswordDigest, checked against the clear password of the users file', async () => {
    await secureAs('digest.xml', 'bob', 'BOB_PW', ['--digest']);
    expect(readFileSync(cli.path('digest.xml'), 'utf8')).not.toContain('bob-secret');
    const r = await openUsers('digest.xml');
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({
      ok: true,
      credential: 'UserName',
      identity: { name: 'bob', roles: ['clerk'] },
    });
  });

  it('PasswordText signed with the client certificate as well, validated with --trust', async () => {
    await secureAs('signed.xml', 'alice', 'ALICE_PW', [...CLIENT_PEM]);
    const r = await openUsers('signed.xml', CHAIN_TRUST);
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({ ok: true, credential: 'UserName' });
  });

  it('--digest --sign-only with a client certificate: the Body travels signed, in clear', async () => {
    await secureAs('digest-sign.xml', 'bob', 'BOB_PW', ['--digest', '--sign-only', ...CLIENT_PEM]);
    const r = await openUsers('digest-sign.xml');
    expect(jsonLine(r)).toMatchObject({ ok: true, credential: 'UserName', encrypted: [] });
  });

  it('a wrong password, an unknown user, a digest for a hash-only user: AuthenticationFailed', async () => {
    await secureAs('wrong.xml', 'alice', 'WRONG_PW');
    await secureAs('unknown.xml', 'mallory', 'ALICE_PW');
    await secureAs('digest-alice.xml', 'alice', 'ALICE_PW', ['--digest']);
    for (const message of ['wrong.xml', 'unknown.xml', 'digest-alice.xml']) {
      const r = await openUsers(message);
      expect(r.code).toBe(1);
      expect(jsonLine(r)).toMatchObject({ ok: false, code: 'AuthenticationFailed' });
    }
  });

  it('a UserName message without --users: not accepted by certificate trust alone', async () => {
    await secureAs('no-users.xml', 'alice', 'ALICE_PW');
    const r = await cli.open('no-users.xml');
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'UnsupportedSecurityToken' });
  });

  it('--protection none: a bare UsernameToken, refused unless --allow-unprotected-token', async () => {
    await secureAs('bare.xml', 'bob', 'BOB_PW', ['--digest', '--protection', 'none']);
    const refused = await openUsers('bare.xml');
    expect(refused.code).toBe(1);
    expect(jsonLine(refused)).toMatchObject({ ok: false, code: 'PolicyViolation' });
    const r = await openUsers('bare.xml', ['--allow-unprotected-token']);
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({ ok: true, identity: { name: 'bob' }, signed: [] });
  });

  it('a bare PasswordText needs both sides to allow it', async () => {
    const clear = ['--protection', 'none', '--allow-unencrypted-password-text'];
    await secureAs('bare-text.xml', 'alice', 'ALICE_PW', clear);
    const allow = ['--allow-unprotected-token'];
    expect(jsonLine(await openUsers('bare-text.xml', allow))).toMatchObject({
      ok: false,
      code: 'PolicyViolation',
    });
    const r = await openUsers('bare-text.xml', [...allow, '--allow-password-text']);
    expect(jsonLine(r)).toMatchObject({ ok: true, identity: { name: 'alice' } });
  });

  it('--wsdl OrderQueue_UserName: the contract drives both sides', async () => {
    const contract = ['--wsdl', WSDL, '--binding', 'OrderQueue_UserName'];
    await secureAs('wsdl.xml', 'alice', 'ALICE_PW', contract);
    const r = await openUsers('wsdl.xml', contract);
    expect(r.stderr).toBe('');
    expect(jsonLine(r)).toMatchObject({
      ok: true,
      credential: 'UserName',
      encrypted: expect.arrayContaining(['Body', 'UsernameToken', 'Signature']) as unknown,
    });
    const noUsers = await cli.run(['open', '--in', 'wsdl.xml', ...SERVICE_PEM, ...contract]);
    expect(noUsers.code).toBe(2);
    expect(noUsers.stderr).toContain('--users');
  });

  it('--wsdl UserName binding with a certificate credential: a warning naming the flags', async () => {
    const contract = ['--wsdl', WSDL, '--binding', 'OrderQueue_UserName'];
    const warned = await cli.run([
      'secure',
      '--in',
      'envelope.xml',
      ...CLIENT_PEM,
      '--service-cert',
      'service.pem',
      ...contract,
    ]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('--username NAME --password-env VAR');
  });
});

describe('UserName usage errors exit 2', () => {
  const SECURE = ['secure', '--in', 'envelope.xml', '--service-cert', 'service.pem'];
  const cases: [string, string[]][] = [
    ['--username without --password-env', [...SECURE, '--username', 'alice']],
    ['an unset --password-env', [...SECURE, '--username', 'alice', '--password-env', 'UNSET']],
    ['--digest without --username', [...SECURE, ...CLIENT_PEM, '--digest']],
    [
      '--username with --token-file',
      [...SECURE, '--username', 'a', '--password-env', 'ALICE_PW', '--token-file', 't.jwt'],
    ],
    [
      'PasswordText with --sign-only',
      [
        ...SECURE,
        ...CLIENT_PEM,
        '--username',
        'alice',
        '--password-env',
        'ALICE_PW',
        '--sign-only',
      ],
    ],
    [
      '--sign-only without a certificate to sign with',
      [...SECURE, '--username', 'bob', '--password-env', 'BOB_PW', '--digest', '--sign-only'],
    ],
    ['--protection none with a certificate', [...SECURE, ...CLIENT_PEM, '--protection', 'none']],
    ['a bad --protection', [...SECURE, ...CLIENT_PEM, '--protection', 'most']],
    [
      '--sign-only with --protection none',
      [...SECURE, ...CLIENT_PEM, '--sign-only', '--protection', 'none'],
    ],
    ['a missing --users file', ['open', '--in', 'envelope.xml', '--users', 'nope.json']],
    [
      '--allow-password-text without --users',
      ['open', '--in', 'envelope.xml', '--trust', 'root.pem', '--allow-password-text'],
    ],
    ['a users file that is not JSON', ['open', '--in', 'envelope.xml', '--users', 'root.pem']],
    [
      '--allow-unprotected-token with --require-encryption',
      [
        'open',
        '--in',
        'e.xml',
        ...SERVICE_PEM,
        ...USERS,
        '--allow-unprotected-token',
        '--require-encryption',
      ],
    ],
    ['users hash without --password-env', ['users', 'hash']],
    ['users without hash', ['users', '--password-env', 'ALICE_PW']],
  ];
  for (const [what, argv] of cases) {
    it(what, async () => {
      const r = await cli.run(argv, ENV);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^wsseq: /);
      expect(r.stderr).not.toContain('secret');
    });
  }

  it('a malformed users entry is named', async () => {
    writeFileSync(
      cli.path('bad-users.json'),
      JSON.stringify([{ username: 'x', passwordhash: 'y' }]),
    );
    const r = await cli.run(['open', '--in', 'envelope.xml', '--users', 'bad-users.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown field "passwordhash"');
  });
});
