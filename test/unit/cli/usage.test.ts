/** Usage errors exit 2 with a message on stderr and nothing on stdout; --help exits 0. */
import { describe, expect, it } from 'vitest';
import { CLIENT_PEM, TEST_P12_PASSWORD, useCliFixture } from './harness.js';

const cli = useCliFixture();

const TRUST = ['--trust', 'root.pem'];
const SECURE = ['secure', '--in', 'envelope.xml'];
const PFX = ['--pfx', 'client.p12', '--sign-only'];

const cases: [string, string[], Record<string, string>?][] = [
  ['no command', []],
  ['an unknown command', ['frobnicate']],
  ['an unknown flag', ['open', '--in', 'envelope.xml', ...TRUST, '--bogus']],
  ['a positional argument', ['open', 'envelope.xml']],
  ['a flag without its value', ['open', '--in']],
  ['a missing --in', ['open', ...TRUST]],
  ['a missing --trust under chain validation', ['open', '--in', 'envelope.xml']],
  ['--validation peer without --peer', ['open', '--in', 'envelope.xml', '--validation', 'peer']],
  ['a bad --validation', ['open', '--in', 'envelope.xml', ...TRUST, '--validation', 'trust-me']],
  ['a bad --now', ['open', '--in', 'envelope.xml', ...TRUST, '--now', 'tomorrow']],
  ['a bad --max-clock-skew', ['open', '--in', 'envelope.xml', ...TRUST, '--max-clock-skew', '-5']],
  ['an unknown open --suite', ['open', '--in', 'envelope.xml', ...TRUST, '--suite', 'Basic512']],
  [
    'a weak open --suite without --allow-insecure',
    ['open', '--in', 'envelope.xml', ...TRUST, '--suite', 'Basic256'],
  ],
  ['an unreadable file', ['open', '--in', 'nope.xml', ...TRUST]],
  ['an unreadable --trust', ['open', '--in', 'envelope.xml', '--trust', 'nope.pem']],
  [
    'a --trust file without a certificate',
    ['open', '--in', 'envelope.xml', '--trust', 'client.key'],
  ],
  [
    'an unpaired --service-key',
    ['open', '--in', 'envelope.xml', ...TRUST, '--service-key', 'service.key'],
  ],
  [
    '--require-encryption without a service key',
    ['open', '--in', 'envelope.xml', ...TRUST, '--require-encryption'],
  ],
  ['a --crl that is not a CRL', ['open', '--in', 'envelope.xml', ...TRUST, '--crl', 'root.pem']],
  ['a missing client credential', [...SECURE, '--service-cert', 'service.pem']],
  ['--pfx together with --cert', [...SECURE, ...PFX, '--cert', 'client.pem']],
  ['--cert without --key', [...SECURE, '--cert', 'client.pem', '--sign-only']],
  ['a missing --service-cert', [...SECURE, ...CLIENT_PEM]],
  ['a bad --key-ref', [...SECURE, ...CLIENT_PEM, '--sign-only', '--key-ref', 'x']],
  ['a bad --order', [...SECURE, ...CLIENT_PEM, '--sign-only', '--order', 'Whatever']],
  ['a bad --ttl', [...SECURE, ...CLIENT_PEM, '--sign-only', '--ttl', '5m']],
  [
    'a weak suite without --allow-insecure',
    [...SECURE, ...CLIENT_PEM, '--sign-only', '--suite', 'Basic256Rsa15'],
  ],
  ['a wrong PFX passphrase', [...SECURE, ...PFX, '--passphrase-env', 'P'], { P: 'wrong' }],
  [
    'a wrong service PFX passphrase',
    [
      'open',
      '--in',
      'envelope.xml',
      ...TRUST,
      '--service-pfx',
      'service.p12',
      '--passphrase-env',
      'P',
    ],
    { P: 'wrong' },
  ],
  ['an unset --passphrase-env variable', [...SECURE, ...PFX, '--passphrase-env', 'UNSET']],
  [
    'a key that does not match the certificate',
    [...SECURE, '--cert', 'client.pem', '--key', 'client2.key', '--sign-only'],
  ],
  [
    'an input that is not a SOAP envelope',
    ['secure', '--in', 'root.pem', ...CLIENT_PEM, '--sign-only'],
  ],
  [
    'an --out that cannot be written',
    [...SECURE, ...CLIENT_PEM, '--sign-only', '--out', 'no/such/dir/out.xml'],
  ],
];

describe('usage errors exit 2', () => {
  for (const [what, argv, env] of cases) {
    it(what, async () => {
      const r = await cli.run(argv, env ?? {});
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^(wsseq: |Usage: )/);
      expect(r.stderr).not.toContain(TEST_P12_PASSWORD);
      expect(r.stderr).not.toContain('wrong\n');
    });
  }

  it('a passphrase is never accepted as a flag', async () => {
    const r = await cli.run([...SECURE, ...PFX, '--passphrase', TEST_P12_PASSWORD]);
    expect(r.code).toBe(2);
  });
});

describe('--help and --version', () => {
  for (const argv of [
    ['--help'],
    ['-h'],
    ['help'],
    ['secure', '--help'],
    ['open', '-h'],
    ['help', 'open'],
    ['sts', '--help'],
    ['users', '-h'],
    ['help', 'sts'],
  ]) {
    it(argv.join(' '), async () => {
      const r = await cli.run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: wsseq/);
      expect(r.stderr).toBe('');
    });
  }

  it('the command list names sts and users', async () => {
    const r = await cli.run(['--help']);
    expect(r.stdout).toMatch(/^ {2}sts +sts issue/m);
    expect(r.stdout).toMatch(/^ {2}users +users hash/m);
  });

  it('--help wins over missing flags', async () => {
    const r = await cli.run(['open', '--help']);
    expect(r.stdout).toContain('--require-encryption');
    expect(r.stdout).toContain('EncryptAndSign');
  });

  it('--version prints the package version', async () => {
    const r = await cli.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
