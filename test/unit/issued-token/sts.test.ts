import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportPfx } from '../../../src/credentials/key-material.js';
import { decodeJwt } from '../../../src/credentials/jwt.js';
import { issueToken, readStsKey } from '../../../src/credentials/sts.js';
import type { IssueTokenOptions } from '../../../src/credentials/sts.js';
import { TEST_NOW } from '../../helpers.js';
import { AUDIENCE, ISSUER, getStsFixture } from './fixture.js';
import type { StsFixture } from './fixture.js';

function base(f: StsFixture): IssueTokenOptions {
  return {
    signingKey: f.sts.privateKey,
    signingCertificate: f.sts.certificate,
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: 'alice',
    lifetimeSeconds: 600,
    confirmation: { certificate: f.pki.client.certificate },
    now: TEST_NOW,
  };
}

describe('issueToken', () => {
  it('header x5t#S256 of the STS certificate, registered claims, cnf of the client certificate', async () => {
    const f = await getStsFixture();
    const decoded = decodeJwt(issueToken({ ...base(f), claims: { roles: ['a'] }, keyId: 'k1' }));
    const x5t = (der: Buffer) => createHash('sha256').update(der).digest('base64url');
    expect(decoded?.header).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'k1',
      'x5t#S256': x5t(f.sts.certificate.der),
    });
    const iat = Math.floor(TEST_NOW.getTime() / 1000);
    expect(decoded?.payload).toMatchObject({
      iss: ISSUER,
      sub: 'alice',
      aud: AUDIENCE,
      iat,
      nbf: iat,
      exp: iat + 600,
      roles: ['a'],
      cnf: { 'x5t#S256': x5t(f.pki.client.certificate.der) },
    });
    expect(typeof decoded?.payload.jti).toBe('string');
  });

  it('bearer only when asked, jwk confirmation, ES256 for an EC key', async () => {
    const f = await getStsFixture();
    expect(decodeJwt(issueToken({ ...base(f), confirmation: 'bearer' }))?.payload.cnf).toBe(
      undefined,
    );
    const jwk = decodeJwt(
      issueToken({ ...base(f), confirmation: { publicKey: f.pki.client.privateKey } }),
    )?.payload.cnf as { jwk: Record<string, unknown> };
    expect(jwk.jwk).toMatchObject({ kty: 'RSA' });
    expect(jwk.jwk).not.toHaveProperty('d');
    const ec = issueToken({
      ...base(f),
      signingKey: f.stsEc.privateKey,
      signingCertificate: f.stsEc.certificate,
    });
    expect(decodeJwt(ec)?.header.alg).toBe('ES256');
  });

  it('misuse is a TypeError', async () => {
    const f = await getStsFixture();
    const bad: Partial<IssueTokenOptions>[] = [
      { signingCertificate: f.rogue.certificate },
      { signingKey: f.sts.certificate.publicKey },
      { issuer: '' },
      { subject: '' },
      { audience: [] },
      { lifetimeSeconds: 0 },
      { lifetimeSeconds: 1.5 },
      { claims: { sub: 'root' } },
      { claims: { cnf: {} } },
      { algorithm: 'ES256' },
      { algorithm: 'HS256' as 'RS256' },
      {
        signingKey: f.stsEc.privateKey,
        signingCertificate: f.stsEc.certificate,
        algorithm: 'RS256',
      },
    ];
    for (const override of bad) {
      expect(
        () => issueToken({ ...base(f), ...override }),
        JSON.stringify(Object.keys(override)),
      ).toThrow(TypeError);
    }
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      readStsKey({
        certificate: f.sts.certificatePem,
        privateKey: weak.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      }),
    ).toThrow(TypeError);
  });
});

describe('readStsKey', () => {
  it('reads a PEM pair and a PKCS#12 file', async () => {
    const f = await getStsFixture();
    const pem = readStsKey({ certificate: f.sts.certificatePem, privateKey: f.sts.privateKeyPem });
    expect(pem.signingCertificate.equals(f.sts.certificate)).toBe(true);
    const pfx = exportPfx(
      { certificate: f.sts.certificate, chain: [], privateKey: f.sts.privateKey },
      'pw',
    );
    const fromPfx = readStsKey({ pfx, passphrase: 'pw' });
    expect(fromPfx.signingCertificate.equals(f.sts.certificate)).toBe(true);
    const ec = readStsKey({
      certificate: f.stsEc.certificatePem,
      privateKey: f.stsEc.privateKeyPem,
    });
    expect(ec.signingKey.asymmetricKeyType).toBe('ec');
  });

  it('refuses a key that is not the certificate’s', async () => {
    const f = await getStsFixture();
    expect(() =>
      readStsKey({ certificate: f.sts.certificatePem, privateKey: f.rogue.privateKeyPem }),
    ).toThrow(TypeError);
  });
});
