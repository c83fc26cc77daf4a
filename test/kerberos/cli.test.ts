/** `wsseq secure --kerberos SPN` → `wsseq open --keytab FILE` against the test realm. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLine, useCliFixture } from '../unit/cli/harness.js';
import { CLIENT, SERVICE, krb5Unavailable, startTestRealm } from './realm.js';
import type { TestRealm } from './realm.js';

const skip = krb5Unavailable();
if (skip) console.warn(`skipping Kerberos CLI tests: ${skip}`);

describe.skipIf(skip !== undefined)('wsseq CLI with Kerberos', () => {
  const cli = useCliFixture();
  let realm: TestRealm;
  let env: Record<string, string>;
  beforeAll(async () => {
    realm = await startTestRealm();
    env = {
      KRB5_CONFIG: realm.env.KRB5_CONFIG ?? '',
      KRB5CCNAME: realm.env.KRB5CCNAME ?? '',
    };
  });
  afterAll(async () => {
    await realm.stop();
  });

  it('secure --kerberos from the ccache, open --keytab: the principal is the identity', async () => {
    const s = await cli.run(
      ['secure', '--in', 'envelope.xml', '--out', 'krb.xml', '--kerberos', SERVICE],
      env,
    );
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const r = await cli.run([
      'open',
      '--in',
      'krb.xml',
      '--keytab',
      realm.serviceKeytab,
      '--service-principal',
      SERVICE,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({
      ok: true,
      credential: 'Windows',
      encrypted: expect.arrayContaining(['Body']) as unknown,
    });
    expect(JSON.stringify(jsonLine(r))).toContain(CLIENT);
  });

  it('--keytab with --principal (AS exchange), --layout wss4j', async () => {
    const s = await cli.run(
      [
        'secure',
        '--in',
        'envelope.xml',
        '--out',
        'krb-kt.xml',
        '--kerberos',
        SERVICE,
        '--keytab',
        realm.clientKeytab,
        '--principal',
        CLIENT,
        '--layout',
        'wss4j',
        '--suite',
        'Basic256Sha256',
      ],
      env,
    );
    expect(s.code).toBe(0);
    expect(
      jsonLine(await cli.run(['open', '--in', 'krb-kt.xml', '--keytab', realm.serviceKeytab])),
    ).toMatchObject({
      ok: true,
    });
  });

  it('the wrong keytab: AuthenticationFailed; an unknown SPN: a usage error', async () => {
    await cli.run(
      ['secure', '--in', 'envelope.xml', '--out', 'krb2.xml', '--kerberos', SERVICE],
      env,
    );
    const r = await cli.run(['open', '--in', 'krb2.xml', '--keytab', realm.otherKeytab]);
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'AuthenticationFailed' });
    const bad = await cli.run(
      [
        'secure',
        '--in',
        'envelope.xml',
        '--out',
        'x.xml',
        '--kerberos',
        'HTTP/nobody.example@QUEUE.TEST',
      ],
      env,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('nobody.example');
  });
});
