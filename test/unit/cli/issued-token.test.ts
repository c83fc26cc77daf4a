/**
 * `wsseq sts issue` → `wsseq secure --token-file` → `wsseq open --sts-cert`: the IssuedToken
 * credential through the CLI. The test PKI's service2 key plays the token service.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CHAIN_TRUST,
  CLIENT_PEM,
  NOW,
  SERVICE_PEM,
  TEST_NOW,
  jsonLine,
  useCliFixture,
} from './harness.js';

const cli = useCliFixture();
const WSDL = fileURLToPath(new URL('../../../wsdl/order-service.wsdl', import.meta.url));

const ISSUER = 'https://sts.example/';
const AUDIENCE = 'urn:example:orders';
const STS_KEY = ['--sts-key', 'service2.key', '--sts-cert', 'service2.pem'];
const TRUSTED_STS = ['--sts-cert', 'service2.pem', '--sts-issuer', ISSUER];

/** `wsseq sts issue` for alice, bound to the client certificate, plus `extra`; the token. */
async function issue(out: string, extra: readonly string[] = []): Promise<string> {
  const r = await cli.run([
    'sts',
    'issue',
    ...STS_KEY,
    '--issuer',
    ISSUER,
    '--audience',
    AUDIENCE,
    '--subject',
    'alice',
    '--now',
    NOW,
    '--out',
    out,
    ...(extra.includes('--bearer') || extra.includes('--bind-key')
      ? []
      : ['--bind-cert', 'client.pem']),
    ...extra,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return readFileSync(cli.path(out), 'utf8');
}

/** Secure envelope.xml with `token` and `creds` (default: the client's PEM files). */
async function secureWith(out: string, token: string, creds: readonly string[] = CLIENT_PEM) {
  return cli.secure(out, ['--token-file', token], creds);
}

const openSts = (message: string, extra: readonly string[] = []) =>
  cli.run(['open', '--in', message, ...SERVICE_PEM, ...TRUSTED_STS, '--now', NOW, ...extra]);

/** The JWT's header (0) or payload (1). */
function decode(token: string, part: 0 | 1): Record<string, unknown> {
  const text = Buffer.from(token.split('.')[part] ?? '', 'base64url').toString('utf8');
  return JSON.parse(text) as Record<string, unknown>;
}
const payload = (token: string) => decode(token, 1);

describe('wsseq sts issue', () => {
  it('prints a JWT with the claims, roles, lifetime and key binding asked for', async () => {
    // prettier-ignore
    const r = await cli.run([
      'sts', 'issue', ...STS_KEY, '--issuer', ISSUER, '--audience', AUDIENCE,
      '--audience', 'urn:other', '--subject', 'alice', '--bind-cert', 'client.pem',
      '--claim', 'email=alice@example.com', '--roles', 'buyer,approver',
      '--lifetime', '600', '--alg', 'PS256', '--kid', 'sts-1', '--now', NOW,
    ]);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decode(token, 0)).toMatchObject({ alg: 'PS256', kid: 'sts-1' });
    const iat = TEST_NOW.getTime() / 1000;
    expect(payload(token)).toMatchObject({
      iss: ISSUER,
      aud: [AUDIENCE, 'urn:other'],
      sub: 'alice',
      iat,
      exp: iat + 600,
      email: 'alice@example.com',
      roles: ['buyer', 'approver'],
      cnf: { 'x5t#S256': expect.any(String) as unknown },
    });
  });

  it('--bind-key binds a public key (cnf jwk); --bearer binds nothing', async () => {
    expect(payload(await issue('jwk.jwt', ['--bind-key', 'client.key'])).cnf).toMatchObject({
      jwk: { kty: 'RSA' },
    });
    expect(payload(await issue('bearer.jwt', ['--bearer']))).not.toHaveProperty('cnf');
  });
});

describe('wsseq secure --token-file → open --sts-cert', () => {
  it('a holder-of-key token bound to the client certificate: accepted, name = subject', async () => {
    await issue('alice.jwt', ['--roles', 'buyer', '--claim', 'email=alice@example.com']);
    await secureWith('hok.xml', 'alice.jwt');
    const r = await openSts('hok.xml', ['--audience', AUDIENCE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = jsonLine(r);
    expect(out).toMatchObject({
      ok: true,
      credential: 'IssuedToken',
      identity: {
        name: 'alice',
        claims: { iss: ISSUER, sub: 'alice', email: 'alice@example.com' },
        roles: ['buyer'],
      },
      encrypted: ['Body'],
    });
    expect(out.signed).toEqual(expect.arrayContaining(['Body', 'Timestamp']));
    expect(out.body).toContain('widget');
  });

  it('a token bound to a public key (cnf jwk), with the client PFX', async () => {
    await issue('alice-jwk.jwt', ['--bind-key', 'client.pem']);
    const pfx = ['--pfx', 'client.p12', '--passphrase-env', 'WSSEQ_TEST_PASS'];
    await secureWith('jwk.xml', 'alice-jwk.jwt', pfx);
    const r = await openSts('jwk.xml', ['--audience', AUDIENCE]);
    expect(jsonLine(r)).toMatchObject({ ok: true, identity: { name: 'alice' } });
  });

  it('a wrong audience, an untrusted STS, another issuer name: AuthenticationFailed', async () => {
    await issue('alice2.jwt');
    await secureWith('aud.xml', 'alice2.jwt');
    const open = (sts: string, issuer: string, audience: string) =>
      cli.run(['open', '--in', 'aud.xml', ...SERVICE_PEM, '--sts-cert', sts, '--sts-issuer', issuer,
        '--audience', audience, '--now', NOW]); // prettier-ignore
    const rejections = [
      await open('service2.pem', ISSUER, 'urn:example:billing'),
      await open('client2.pem', ISSUER, AUDIENCE),
      await open('service2.pem', 'https://other.example/', AUDIENCE),
    ];
    for (const r of rejections) {
      expect(r.code).toBe(1);
      expect(jsonLine(r)).toMatchObject({ ok: false, code: 'AuthenticationFailed' });
    }
  });

  it('an expired token: AuthenticationFailed', async () => {
    await issue('short.jwt', ['--lifetime', '60']);
    await secureWith('short.xml', 'short.jwt');
    const later = new Date(TEST_NOW.getTime() + 600_000).toISOString();
    const r = await openSts('short.xml', ['--audience', AUDIENCE, '--now', later]);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'AuthenticationFailed' });
    expect(r.code).toBe(1);
  });

  it('a token that expired while the message waited: --valid-at signed-time accepts it', async () => {
    await issue('brief.jwt', ['--lifetime', '60']);
    await secureWith('waited.xml', 'brief.jwt', [...CLIENT_PEM, '--ttl', '0']);
    const later = [
      '--audience',
      AUDIENCE,
      '--now',
      new Date(TEST_NOW.getTime() + 1_200_000).toISOString(),
    ];
    // The message (no Expires) may wait an hour; the token's own expiry decides.
    const atReceipt = await openSts('waited.xml', [...later, '--max-message-age', '3600']);
    expect(jsonLine(atReceipt)).toMatchObject({ ok: false, code: 'AuthenticationFailed' });
    const signedTime = ['--valid-at', 'signed-time', '--max-message-age'];
    expect(jsonLine(await openSts('waited.xml', [...later, ...signedTime, '3600']))).toMatchObject({
      ok: true,
    });
    // Older than --max-message-age (plus the clock skew): too old, whatever the token.
    const tooOld = await openSts('waited.xml', [...later, ...signedTime, '600']);
    expect(jsonLine(tooOld)).toMatchObject({ ok: false, code: 'MessageExpired' });
  });

  it('a token bound to the client, sent with another key: usage error at the sender', async () => {
    await issue('alice3.jwt');
    // prettier-ignore
    const r = await cli.run([
      'secure', '--in', 'envelope.xml', '--token-file', 'alice3.jwt', '--cert', 'client2.pem',
      '--key', 'client2.key', '--service-cert', 'service.pem', '--now', NOW,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('another key');
  });

  it('a bearer token: refused unless --allow-bearer', async () => {
    await issue('bearer2.jwt', ['--bearer']);
    await secureWith('bearer.xml', 'bearer2.jwt', []);
    const refused = await openSts('bearer.xml', ['--audience', AUDIENCE]);
    expect(jsonLine(refused)).toMatchObject({ ok: false, code: 'PolicyViolation' });
    const r = await openSts('bearer.xml', ['--audience', AUDIENCE, '--allow-bearer']);
    expect(jsonLine(r)).toMatchObject({ ok: true, credential: 'IssuedToken' });
  });

  it('--trust as well: certificate messages and tokens are both accepted', async () => {
    await cli.secure('cert.xml');
    const both = ['--audience', AUDIENCE, ...CHAIN_TRUST];
    expect(jsonLine(await openSts('cert.xml', both))).toMatchObject({ credential: 'Certificate' });
    expect(jsonLine(await openSts('hok.xml', both))).toMatchObject({ credential: 'IssuedToken' });
    // Without --trust, a certificate-only message is not accepted.
    expect((await openSts('cert.xml', ['--audience', AUDIENCE])).code).toBe(1);
  });

  it('--wsdl OrderQueue_IssuedToken on both sides', async () => {
    const contract = ['--wsdl', WSDL, '--binding', 'OrderQueue_IssuedToken'];
    await cli.secure('wsdl.xml', ['--token-file', 'alice.jwt', ...contract]);
    const r = await openSts('wsdl.xml', ['--audience', AUDIENCE, ...contract]);
    expect(r.stderr).toBe('');
    expect(jsonLine(r)).toMatchObject({ ok: true, credential: 'IssuedToken' });
    const noSts = await cli.run(['open', '--in', 'wsdl.xml', ...SERVICE_PEM, ...contract]);
    expect(noSts.code).toBe(2);
    expect(noSts.stderr).toContain('--sts-cert');
  });
});

describe('IssuedToken usage errors exit 2', () => {
  const ISSUE = ['sts', 'issue', ...STS_KEY, '--issuer', ISSUER, '--audience', AUDIENCE];
  const BOUND = [...ISSUE, '--subject', 'alice', '--bind-cert', 'client.pem'];
  // prettier-ignore
  const cases: [string, string[]][] = [
    ['sts without issue', ['sts']],
    ['an unknown sts command', ['sts', 'revoke']],
    ['a missing --subject', [...ISSUE, '--bind-cert', 'client.pem']],
    ['a missing --issuer', ['sts', 'issue', ...STS_KEY, '--audience', 'a', '--subject', 's', '--bearer']],
    ['a missing --audience', ['sts', 'issue', ...STS_KEY, '--issuer', 'i', '--subject', 's', '--bearer']],
    ['no key binding', [...ISSUE, '--subject', 'alice']],
    ['two key bindings', [...BOUND, '--bearer']],
    ['no STS key', ['sts', 'issue', '--issuer', 'i', '--audience', 'a', '--subject', 's', '--bearer']],
    ['--sts-key without --sts-cert', ['sts', 'issue', '--sts-key', 'service2.key', '--issuer', 'i', '--audience', 'a', '--subject', 's', '--bearer']],
    ['--sts-pfx with --sts-key', [...BOUND, '--sts-pfx', 'service.p12']],
    ['an STS key that does not match its certificate', ['sts', 'issue', '--sts-key', 'client.key', '--sts-cert', 'service2.pem', '--issuer', 'i', '--audience', 'a', '--subject', 's', '--bearer']],
    ['a wrong --sts-pfx passphrase', ['sts', 'issue', '--sts-pfx', 'service.p12', '--passphrase-env', 'WSSEQ_TEST_PASS', '--issuer', 'i', '--audience', 'a', '--subject', 's', '--bearer']],
    ['a bad --lifetime', [...BOUND, '--lifetime', '1h']],
    ['a zero --lifetime', [...BOUND, '--lifetime', '0']],
    ['a bad --alg', [...BOUND, '--alg', 'HS256']],
    ['ES256 with an RSA key', [...BOUND, '--alg', 'ES256']],
    ['a --claim without =', [...BOUND, '--claim', 'email']],
    ['a registered --claim', [...BOUND, '--claim', 'exp=9999999999']],
    ['--claim roles= with --roles', [...BOUND, '--claim', 'roles=x', '--roles', 'y']],
    ['an unreadable --bind-cert', [...ISSUE, '--subject', 's', '--bind-cert', 'nope.pem']],
    ['a --bind-key that is not a key', [...ISSUE, '--subject', 's', '--bind-key', 'envelope.xml']],
    ['a bad --now', [...BOUND, '--now', 'yesterday']],
    ['an unknown flag', [...BOUND, '--secret', 'x']],
    ['a holder-of-key token without its key', ['secure', '--in', 'envelope.xml', '--token-file', 'alice.jwt', '--service-cert', 'service.pem']],
    ['a --token-file that is not a JWT', ['secure', '--in', 'envelope.xml', '--token-file', 'envelope.xml', ...CLIENT_PEM, '--service-cert', 'service.pem']],
    ['--sts-cert without --sts-issuer', ['open', '--in', 'hok.xml', '--sts-cert', 'service2.pem', '--audience', AUDIENCE]],
    ['--sts-cert without --audience', ['open', '--in', 'hok.xml', ...TRUSTED_STS]],
    ['--audience without --sts-cert', ['open', '--in', 'hok.xml', ...CHAIN_TRUST, '--audience', AUDIENCE]],
    ['--valid-at signed-time without --max-message-age', ['open', '--in', 'hok.xml', ...CHAIN_TRUST, '--valid-at', 'signed-time']],
    ['a bad --valid-at', ['open', '--in', 'hok.xml', ...CHAIN_TRUST, '--valid-at', 'later']],
  ];
  for (const [what, argv] of cases) {
    it(what, async () => {
      const r = await cli.run(argv, { WSSEQ_TEST_PASS: 'wrong' });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^wsseq: /);
    });
  }

  it('sts --help', async () => {
    const r = await cli.run(['sts', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: wsseq sts issue');
  });
});
