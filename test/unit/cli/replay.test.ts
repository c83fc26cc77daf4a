/**
 * `wsseq open --replay-cache FILE`: a message accepted by one invocation is a Replay for the
 * next one with the same file; a message rejected after its keys were reserved is not.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_TRUST, NOW, SERVICE_PEM, jsonLine, useCliFixture } from './harness.js';

const cli = useCliFixture();
const WSDL = fileURLToPath(new URL('../../../wsdl/order-service.wsdl', import.meta.url));
const ENV = { BOB_PW: 'bob-secret' };

/** `--replay-cache` with an absolute path (SQLite opens it directly, not through the CLI's io). */
const cache = (name: string): string[] => ['--replay-cache', cli.path(name)];

beforeAll(() => {
  writeFileSync(
    cli.path('users.json'),
    JSON.stringify([{ username: 'bob', password: 'bob-secret' }]),
  );
});

describe('wsseq open --replay-cache', () => {
  it('a certificate message: accepted once, then Replay; another message still opens', async () => {
    await cli.secure('first.xml');
    await cli.secure('second.xml');
    const first = await cli.open('first.xml', cache('cert.db'));
    expect(first.code).toBe(0);
    expect(jsonLine(first)).toMatchObject({ ok: true });
    const again = await cli.open('first.xml', cache('cert.db'));
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('');
    expect(jsonLine(again)).toMatchObject({ ok: false, code: 'Replay' });
    expect((await cli.open('second.xml', cache('cert.db'))).code).toBe(0);
    // Another cache file knows nothing of it; without a cache nothing is remembered.
    expect((await cli.open('first.xml', cache('other.db'))).code).toBe(0);
    expect((await cli.open('first.xml')).code).toBe(0);
  });

  it('a UserName message (its signature and its nonce): Replay the second time', async () => {
    const secure = ['secure', '--in', 'envelope.xml', '--username', 'bob', '--password-env'];
    const made = await cli.run(
      [
        ...secure,
        'BOB_PW',
        '--digest',
        '--service-cert',
        'service.pem',
        '--now',
        NOW,
        '--out',
        'bob.xml',
      ],
      ENV,
    );
    expect(made.code).toBe(0);
    const open = () =>
      cli.run(['open', '--in', 'bob.xml', ...SERVICE_PEM, '--users', 'users.json', '--now', NOW,
        ...cache('users.db')]); // prettier-ignore
    const first = await open();
    expect(jsonLine(first)).toMatchObject({ ok: true, credential: 'UserName' });
    const again = await open();
    expect(again.code).toBe(1);
    expect(jsonLine(again)).toMatchObject({ ok: false, code: 'Replay' });
  });

  it('a message the contract rejects after opening is released, not consumed', async () => {
    await cli.secure('contract.xml', ['--suite', 'Basic256Sha256']);
    // The IssuedToken contract refuses a certificate message after the opener accepted it.
    const contract = ['--wsdl', WSDL, '--binding', 'OrderQueue_IssuedToken'];
    const sts = ['--sts-cert', 'service2.pem', '--sts-issuer', 'urn:sts', '--audience', 'urn:svc'];
    const rejected = await cli.open('contract.xml', [...contract, ...sts, ...cache('contract.db')]);
    expect(rejected.code).toBe(1);
    expect(jsonLine(rejected)).toMatchObject({ ok: false, code: 'PolicyViolation' });
    const accepted = await cli.open('contract.xml', cache('contract.db'));
    expect(jsonLine(accepted)).toMatchObject({ ok: true });
    expect(jsonLine(await cli.open('contract.xml', cache('contract.db')))).toMatchObject({
      ok: false,
      code: 'Replay',
    });
  });

  it('a message without Expires: its replay record is bounded by the default age', async () => {
    await cli.secure('no-expires.xml', ['--ttl', '0']);
    const first = await cli.open('no-expires.xml', cache('age.db'));
    expect(jsonLine(first)).toMatchObject({ ok: true });
    expect(jsonLine(await cli.open('no-expires.xml', cache('age.db')))).toMatchObject({
      code: 'Replay',
    });
    const bounded = [...cache('age2.db'), '--max-message-age', '3600'];
    expect(jsonLine(await cli.open('no-expires.xml', bounded))).toMatchObject({ ok: true });
    expect(jsonLine(await cli.open('no-expires.xml', bounded))).toMatchObject({ code: 'Replay' });
  });

  it('an unusable --replay-cache file: usage error', async () => {
    const r = await cli.run([
      'open',
      '--in',
      'first.xml',
      ...SERVICE_PEM,
      ...CHAIN_TRUST,
      ...cache('no/such/dir/replay.db'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--replay-cache');
    const notDb = await cli.open('first.xml', ['--replay-cache', cli.path('root.pem')]);
    expect(notDb.code).toBe(2);
  });
});
