/** `wsseq doctor` and `wsseq pki init` from the command line. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NOW, PASS_ENV, useCliFixture } from '../cli/harness.js';

const cli = useCliFixture();
const CHAIN = ['--trust', 'root.pem', '--intermediate', 'intermediate.pem', '--now', NOW];

describe('wsseq doctor', () => {
  it('a good client certificate: exit 0 and a report', async () => {
    const r = await cli.run([
      'doctor',
      '--cert',
      'client.pem',
      '--key',
      'client.key',
      ...CHAIN,
      '--crl',
      'crlRoot.pem',
      '--crl',
      'crlIntermediate.crl',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Verdict: usable as a client certificate/);
    expect(r.code).toBe(0);
  });

  it('a server certificate as a client certificate: exit 1, the reason and the code', async () => {
    const r = await cli.run(['doctor', '--cert', 'noClientAuthClient.pem', ...CHAIN]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[FAIL\] extended-key-usage \(CertificateNotValidForPurpose\)/);
  });

  it('a PFX (with its chain) for the service, host checked, JSON output', async () => {
    const r = await cli.run(
      [
        'doctor',
        '--pfx',
        'service.p12',
        '--passphrase-env',
        'WSSEQ_TEST_PASS',
        '--trust',
        'root.pem',
        '--purpose',
        'service',
        '--host',
        'service.example',
        '--now',
        NOW,
        '--json',
      ],
      PASS_ENV,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { usable: boolean; findings: { check: string }[] };
    expect(out.usable).toBe(true);
    expect(out.findings.map((f) => f.check)).toContain('host-name');
    const wrong = await cli.run([
      'doctor',
      '--cert',
      'service.pem',
      '--purpose',
      'service',
      '--host',
      'other.example',
      ...CHAIN,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/host-name/);
  });

  it('revoked, expired, untrusted: exit 1 with the receiver codes', async () => {
    const crls = ['--crl', 'crlRoot.pem', '--crl', 'crlIntermediate.pem'];
    const revoked = await cli.run(['doctor', '--cert', 'revokedClient.pem', ...CHAIN, ...crls]);
    expect(revoked.stdout).toMatch(/\(CertificateRevoked\)/);
    const expired = await cli.run(['doctor', '--cert', 'expiredClient.pem', ...CHAIN]);
    expect(expired.stdout).toMatch(/\(CertificateExpired\)/);
    const untrusted = await cli.run(['doctor', '--cert', 'untrustedClient.pem', ...CHAIN]);
    expect(untrusted.stdout).toMatch(/not in your trust store/);
    for (const r of [revoked, expired, untrusted]) expect(r.code).toBe(1);
  });

  it('usage errors: exit 2', async () => {
    expect((await cli.run(['doctor'])).code).toBe(2);
    expect((await cli.run(['doctor', '--cert', 'client.pem', '--purpose', 'x'])).code).toBe(2);
    expect(
      (await cli.run(['doctor', '--cert', 'client.pem', '--key', 'client2.key', ...CHAIN])).code,
    ).toBe(1);
  });
});

describe('wsseq pki init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-pki-cli-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the PKI once; doctor accepts its client certificate', async () => {
    const target = join(dir, 'dev');
    const first = await cli.run([
      'pki',
      'init',
      target,
      '--dns',
      'orders.local',
      '--client',
      'carol,carol@example.com,carol@corp.local',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/FOR DEVELOPMENT ONLY/);
    expect(first.stdout).toMatch(/client-carol.pfx/);
    const second = await cli.run(['pki', 'init', target]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing written/);
    const doctor = await cli.run(
      [
        'doctor',
        '--pfx',
        join(target, 'client-carol.pfx'),
        '--passphrase-env',
        'PFX',
        '--trust',
        join(target, 'root-ca.pem'),
        '--crl',
        join(target, 'crl-root.pem'),
        '--crl',
        join(target, 'crl-intermediate.pem'),
      ],
      { PFX: 'wsseq-dev' },
    );
    expect(doctor.stdout).toMatch(/Verdict: usable/);
    expect(doctor.code).toBe(0);
  });

  it('usage errors: exit 2', async () => {
    expect((await cli.run(['pki'])).code).toBe(2);
    expect((await cli.run(['pki', 'create'])).code).toBe(2);
    expect((await cli.run(['pki', 'init', join(dir, 'x'), '--days', '0'])).code).toBe(2);
  });
});
