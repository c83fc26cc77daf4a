/** `wsseq secure` and `wsseq open` in-process: round trips and rejections. */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAIN_TRUST, NOW, SERVICE_PEM, TEST_NOW, jsonLine, useCliFixture } from './harness.js';

const cli = useCliFixture();
const read = (name: string): string => readFileSync(cli.path(name), 'utf8');

describe('wsseq secure → open', () => {
  it('round trip with PEM files', async () => {
    await cli.secure('pem.xml');
    expect(read('pem.xml')).not.toContain('widget');
    const r = await cli.open('pem.xml');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = jsonLine(r);
    expect(out).toMatchObject({
      ok: true,
      credential: 'Certificate',
      signed: ['Body', 'Timestamp', 'BinarySecurityToken'],
      encrypted: ['Body'],
      soapVersion: '1.1',
    });
    expect(out.body).toContain('<m:Item>widget</m:Item>');
    expect(out.identity).toMatchObject({ commonName: 'alice', emails: ['alice@example.com'] });
    expect(out.envelope).not.toContain('Security');
  });

  it('round trip with PFX files and the passphrase from the environment', async () => {
    await cli.secure('pfx.xml', ['--passphrase-env', 'WSSEQ_TEST_PASS'], ['--pfx', 'client.p12']);
    const pfx = ['--service-pfx', 'service.p12', '--passphrase-env', 'WSSEQ_TEST_PASS'];
    const r = await cli.run(['open', '--in', 'pfx.xml', ...pfx, ...CHAIN_TRUST, '--now', NOW], {
      WSSEQ_TEST_PASS: 'test',
    });
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({ ok: true, encrypted: ['Body'] });
  });

  it('--sign-only: the Body travels in clear and is accepted (CLI default: Sign or better)', async () => {
    await cli.secure('sign-only.xml', ['--sign-only']);
    expect(read('sign-only.xml')).toContain('widget');
    const r = await cli.run(['open', '--in', 'sign-only.xml', ...CHAIN_TRUST, '--now', NOW]);
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({
      ok: true,
      signed: ['Body', 'Timestamp', 'BinarySecurityToken'],
      encrypted: [],
    });
  });

  for (const style of ['bst', 'thumbprint', 'ski', 'issuer-serial']) {
    it(`--key-ref ${style}`, async () => {
      await cli.secure(`ref-${style}.xml`, ['--key-ref', style]);
      expect(read(`ref-${style}.xml`).includes('BinarySecurityToken')).toBe(style === 'bst');
      const r = await cli.open(`ref-${style}.xml`, ['--known-cert', 'client.pem']);
      expect(r.code).toBe(0);
      expect(jsonLine(r)).toMatchObject({ ok: true, identity: { commonName: 'alice' } });
    });
  }

  it('--key-ref thumbprint without --known-cert: SecurityTokenUnavailable', async () => {
    await cli.secure('ref-unknown.xml', ['--key-ref', 'thumbprint']);
    const r = await cli.open('ref-unknown.xml');
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'SecurityTokenUnavailable' });
  });

  for (const style of ['thumbprint', 'ski', 'issuer-serial']) {
    it(`--service-key-ref ${style}`, async () => {
      await cli.secure(`sref-${style}.xml`, ['--service-key-ref', style]);
      expect((await cli.open(`sref-${style}.xml`)).code).toBe(0);
    });
  }

  it('--order, --suite, --key-transport and --ttl reach the policy', async () => {
    await cli.secure('policy.xml', [
      '--order',
      'SignBeforeEncryptAndEncryptSignature',
      '--suite',
      'Basic128Sha256',
      '--key-transport',
      'rsa-oaep',
      '--ttl',
      '60',
    ]);
    const wire = read('policy.xml');
    expect(wire).toContain('http://www.w3.org/2009/xmlenc11#rsa-oaep');
    expect(wire).toContain('aes128-cbc');
    const out = jsonLine(await cli.open('policy.xml', ['--suite', 'Basic128Sha256']));
    expect(out).toMatchObject({ ok: true, encrypted: ['Body', 'Signature'] });
    expect(out.timestamp).toEqual({
      created: NOW,
      expires: new Date(TEST_NOW.getTime() + 60_000).toISOString(),
    });
  });

  it('open --suite rejects a message made with another suite: UnsupportedAlgorithm', async () => {
    await cli.secure('suite.xml', ['--suite', 'Basic128Sha256']);
    const r = await cli.open('suite.xml', ['--suite', 'Basic256GCMSha256']);
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'UnsupportedAlgorithm' });
  });

  it('--keep-header keeps the Security header in "envelope"', async () => {
    await cli.secure('keep.xml');
    const out = jsonLine(await cli.open('keep.xml', ['--keep-header']));
    expect(out.envelope).toContain('wsse:Security');
  });

  it('secure writes to stdout without --out; open reads it from stdin with --in -', async () => {
    const secured = await cli.run([
      'secure',
      '--in',
      'envelope.xml',
      '--sign-only',
      '--cert',
      'client.pem',
      '--key',
      'client.key',
      '--now',
      NOW,
    ]);
    expect(secured.code).toBe(0);
    expect(secured.stdout).toMatch(/^<soap:Envelope[^]*<\/soap:Envelope>\n$/);
    const r = await cli.run(
      ['open', '--in', '-', ...CHAIN_TRUST, '--now', NOW],
      {},
      secured.stdout,
    );
    expect(jsonLine(r)).toMatchObject({ ok: true });
  });

  it('--validation peer --peer client.pem is accepted without any --trust', async () => {
    await cli.secure('peer.xml');
    const peer = ['--validation', 'peer', '--peer', 'client.pem'];
    const r = await cli.run(['open', '--in', 'peer.xml', ...SERVICE_PEM, ...peer, '--now', NOW]);
    expect(r.code).toBe(0);
    expect(jsonLine(r)).toMatchObject({ ok: true, chain: [expect.stringContaining('CN=alice')] });
    const other = ['--validation', 'peer', '--peer', 'client2.pem'];
    const rejected = await cli.run([
      'open',
      '--in',
      'peer.xml',
      ...SERVICE_PEM,
      ...other,
      '--now',
      NOW,
    ]);
    expect(jsonLine(rejected)).toMatchObject({ ok: false, code: 'CertificateUntrusted' });
  });

  it('--validation none accepts an untrusted signer, with a warning on stderr', async () => {
    await cli.secure(
      'none.xml',
      [],
      ['--cert', 'untrustedClient.pem', '--key', 'untrustedClient.key'],
    );
    const r = await cli.run([
      'open',
      '--in',
      'none.xml',
      ...SERVICE_PEM,
      '--validation',
      'none',
      '--now',
      NOW,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning');
  });
});

describe('wsseq open rejections (exit 1, one JSON line on stdout)', () => {
  it('a tampered Body: SignatureInvalid', async () => {
    const path = await cli.secure('tampered.xml', ['--sign-only']);
    writeFileSync(path, read('tampered.xml').replace('widget', 'gadget'));
    const r = await cli.open('tampered.xml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(jsonLine(r)).toMatchObject({
      ok: false,
      code: 'SignatureInvalid',
      fault: 'wsse:FailedCheck',
    });
  });

  it('a trust bundle that does not cover the signer: CertificateUntrusted', async () => {
    await cli.secure('untrusted.xml');
    const trust = ['--trust', 'untrustedRoot.pem'];
    const r = await cli.run([
      'open',
      '--in',
      'untrusted.xml',
      ...SERVICE_PEM,
      ...trust,
      '--now',
      NOW,
    ]);
    expect(r.code).toBe(1);
    const out = jsonLine(r);
    expect(out).toMatchObject({
      ok: false,
      code: 'CertificateUntrusted',
      fault: 'wsse:InvalidSecurityToken',
    });
    expect(out.message).toEqual(expect.any(String));
  });

  it('--crl with the revoked client: CertificateRevoked; an unlisted client passes', async () => {
    await cli.secure(
      'revoked.xml',
      [],
      ['--cert', 'revokedClient.pem', '--key', 'revokedClient.key'],
    );
    await cli.secure('unlisted.xml');
    const crls = ['--crl', 'crlIntermediate.pem', '--crl', 'crlRoot.crl'];
    const r = await cli.open('revoked.xml', crls);
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({
      ok: false,
      code: 'CertificateRevoked',
      fault: 'wsse:InvalidSecurityToken',
    });
    expect((await cli.open('unlisted.xml', crls)).code).toBe(0);
  });

  it('--now after the Timestamp expired: MessageExpired', async () => {
    await cli.secure('expired.xml', ['--ttl', '300']);
    const later = new Date(TEST_NOW.getTime() + 3_600_000).toISOString();
    const r = await cli.open('expired.xml', ['--now', later]);
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({
      ok: false,
      code: 'MessageExpired',
      fault: 'wsse:MessageExpired',
    });
  });

  it('--require-encryption with a sign-only message: PolicyViolation', async () => {
    await cli.secure('sign-only-2.xml', ['--sign-only']);
    const r = await cli.open('sign-only-2.xml', ['--require-encryption']);
    expect(r.code).toBe(1);
    expect(jsonLine(r)).toMatchObject({ ok: false, code: 'PolicyViolation' });
    expect((await cli.open('pem.xml', ['--require-encryption'])).code).toBe(0);
  });
});
