import jsonwebtoken from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { issuedTokenCredential } from '../../../src/credentials/issued-jwt.js';
import { certificateThumbprintS256 } from '../../../src/credentials/jwt.js';
import { issueToken } from '../../../src/credentials/sts.js';
import { createJwtToken } from '../../../src/credentials/jwt-token.js';
import type { SenderCredential } from '../../../src/credentials/types.js';
import { attachSigningCertificate } from '../../../src/credentials/x509.js';
import { TEST_NOW } from '../../helpers.js';
import {
  AUDIENCE,
  ISSUER,
  getStsFixture,
  hs256,
  rawJwt,
  rawSender,
  secureHoK,
  secureWith,
  stsOpener,
  tokenFor,
} from './fixture.js';
import type { StsFixture } from './fixture.js';

const now = Math.floor(TEST_NOW.getTime() / 1000);

function claims(f: StsFixture): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: 'mallory',
    aud: AUDIENCE,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    cnf: { 'x5t#S256': certificateThumbprintS256(f.pki.client.certificate) },
  };
}

async function rejection(f: StsFixture, wire: string, options = {}): Promise<unknown> {
  return stsOpener(f, options)
    .open(wire)
    .then(
      () => undefined,
      (err: unknown) => err,
    );
}

describe('IssuedToken rejections', () => {
  it('an expired token (AuthenticationFailed, jsonwebtoken error as cause)', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, {
      now: new Date(TEST_NOW.getTime() - 2 * 3600_000),
      lifetimeSeconds: 3600,
    });
    const err = await rejection(f, secureHoK(f, token));
    expect(err).toMatchObject({ code: 'AuthenticationFailed' });
    expect((err as Error).cause).toBeInstanceOf(jsonwebtoken.TokenExpiredError);
  });

  it('expiry within maxClockSkewSeconds is tolerated, beyond it is not', async () => {
    const f = await getStsFixture();
    // Expired 100 s before TEST_NOW.
    const token = tokenFor(f, {
      now: new Date(TEST_NOW.getTime() - 3700_000),
      lifetimeSeconds: 3600,
    });
    const wire = secureHoK(f, token);
    expect((await stsOpener(f).open(wire)).context.identity.name).toBe('alice');
    expect(await rejection(f, wire, { maxClockSkewSeconds: 30 })).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('a token not yet valid', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { now: new Date(TEST_NOW.getTime() + 3600_000) });
    const err = await rejection(f, secureHoK(f, token));
    expect(err).toMatchObject({ code: 'AuthenticationFailed' });
    expect((err as Error).cause).toBeInstanceOf(jsonwebtoken.NotBeforeError);
  });

  it('a token without exp', async () => {
    const f = await getStsFixture();
    const noExp = claims(f);
    delete noExp.exp;
    const token = jsonwebtoken.sign(noExp, f.sts.privateKey, {
      algorithm: 'RS256',
      header: { alg: 'RS256', 'x5t#S256': certificateThumbprintS256(f.sts.certificate) },
    });
    expect(await rejection(f, secureHoK(f, token))).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('a token for another audience', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { audience: 'urn:example:billing' });
    expect(await rejection(f, secureHoK(f, token))).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('an untrusted STS: its own key and certificate', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, {
      signingKey: f.rogue.privateKey,
      signingCertificate: f.rogue.certificate,
    });
    expect(await rejection(f, secureHoK(f, token))).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('an untrusted STS naming the trusted certificate (x5t#S256) it has no key for', async () => {
    const f = await getStsFixture();
    const header = {
      alg: 'RS256',
      typ: 'JWT',
      'x5t#S256': certificateThumbprintS256(f.sts.certificate),
    };
    const token = jsonwebtoken.sign(claims(f), f.rogue.privateKey, { algorithm: 'RS256', header });
    const err = await rejection(f, secureHoK(f, token));
    expect(err).toMatchObject({ code: 'AuthenticationFailed' });
    expect((err as Error).cause).toBeInstanceOf(jsonwebtoken.JsonWebTokenError);
  });

  it('an issuer name nobody trusts', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { issuer: 'https://evil.example/' });
    expect(await rejection(f, secureHoK(f, token))).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('alg confusion: alg none is refused before any verification', async () => {
    const f = await getStsFixture();
    const token = rawJwt({ alg: 'none', typ: 'JWT' }, claims(f));
    expect(await rejection(f, secureWith(f, rawSender(token, f.pki.client)))).toMatchObject({
      code: 'UnsupportedAlgorithm',
    });
  });

  it('alg confusion: HS256 with the STS certificate public key PEM as HMAC secret', async () => {
    const f = await getStsFixture();
    const publicPem = f.sts.certificate.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
    for (const secret of [publicPem, f.sts.certificatePem]) {
      const header = {
        alg: 'HS256',
        typ: 'JWT',
        'x5t#S256': certificateThumbprintS256(f.sts.certificate),
      };
      const token = rawJwt(header, claims(f), hs256(secret));
      const wire = secureWith(f, rawSender(token, f.pki.client));
      expect(await rejection(f, wire)).toMatchObject({ code: 'UnsupportedAlgorithm' });
    }
  });

  it('HMAC or none cannot even be configured', async () => {
    const f = await getStsFixture();
    expect(() => stsOpener(f, { algorithms: ['HS256' as 'RS256'] })).toThrow(TypeError);
    expect(() => stsOpener(f, { algorithms: ['none' as 'RS256'] })).toThrow(TypeError);
    expect(() => stsOpener(f, { algorithms: [] })).toThrow(TypeError);
  });

  it('a bearer token where holder-of-key is required (PolicyViolation)', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { confirmation: 'bearer' });
    expect(await rejection(f, secureHoK(f, token))).toMatchObject({ code: 'PolicyViolation' });
    expect(await rejection(f, secureWith(f, issuedTokenCredential({ token })))).toMatchObject({
      code: 'PolicyViolation',
    });
  });

  it("a token bound to another key: bob's token, alice signs", async () => {
    const f = await getStsFixture();
    const bobs = tokenFor(f, {
      subject: 'bob',
      confirmation: { certificate: f.pki.client2.certificate },
    });
    // The sender refuses it outright...
    expect(() =>
      issuedTokenCredential({
        token: bobs,
        certificate: f.pki.client.certificate,
        privateKey: f.pki.client.privateKey,
      }),
    ).toThrow(TypeError);
    // ...and a stolen token pasted into alice's message is refused by the receiver.
    const wire = secureWith(f, rawSender(bobs, f.pki.client));
    expect(await rejection(f, wire)).toMatchObject({ code: 'AuthenticationFailed' });
    const jwkBound = tokenFor(f, {
      confirmation: { publicKey: f.pki.client2.certificate.publicKey },
    });
    expect(await rejection(f, secureWith(f, rawSender(jwkBound, f.pki.client)))).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('a holder-of-key token in a message signed only with the symmetric key', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f);
    const hmacOnly: SenderCredential = {
      type: 'IssuedToken',
      attach(ctx) {
        const bst = createJwtToken(ctx.document, token, ctx.newId('JWT'));
        ctx.security.appendChild(bst);
        return { signingKey: undefined, signedTokens: [bst] };
      },
    };
    expect(await rejection(f, secureWith(f, hmacOnly))).toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('a token not covered by the Body signature (PolicyViolation)', async () => {
    const f = await getStsFixture();
    const wire = secureWith(f, rawSender(tokenFor(f), f.pki.client, false));
    expect(await rejection(f, wire)).toMatchObject({ code: 'PolicyViolation' });
    // Accepted only where the receiver explicitly does not require it.
    const result = await stsOpener(f, { requireSignedToken: false }).open(wire);
    expect(result.context.identity.name).toBe('alice');
  });

  it('two issued tokens in one message (PolicyViolation)', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f);
    const twice: SenderCredential = {
      type: 'IssuedToken',
      attach(ctx) {
        const a = createJwtToken(ctx.document, token, ctx.newId('JWT'));
        const b = createJwtToken(ctx.document, tokenFor(f, { subject: 'root' }), ctx.newId('JWT'));
        ctx.security.appendChild(a);
        ctx.security.appendChild(b);
        const { certificate, privateKey } = f.pki.client;
        return {
          signingKey: attachSigningCertificate(ctx, certificate, privateKey, 'bst'),
          signedTokens: [a, b],
        };
      },
    };
    expect(await rejection(f, secureWith(f, twice))).toMatchObject({ code: 'PolicyViolation' });
  });

  it('garbage and oversized tokens', async () => {
    const f = await getStsFixture();
    const garbage = secureWith(f, rawSender('not-a-jwt', f.pki.client));
    expect(await rejection(f, garbage)).toMatchObject({ code: 'UnsupportedSecurityToken' });
    const big = tokenFor(f, { claims: { pad: 'x'.repeat(20_000) } });
    expect(await rejection(f, secureHoK(f, big))).toMatchObject({ code: 'LimitExceeded' });
  });

  it('a crit header is refused', async () => {
    const f = await getStsFixture();
    const header = {
      alg: 'RS256',
      crit: ['exp'],
      'x5t#S256': certificateThumbprintS256(f.sts.certificate),
    };
    const token = jsonwebtoken.sign(claims(f), f.sts.privateKey, { algorithm: 'RS256', header });
    const wire = secureWith(f, rawSender(token, f.pki.client));
    expect(await rejection(f, wire)).toMatchObject({ code: 'UnsupportedSecurityToken' });
  });

  it('a tampered payload (subject changed after signing)', async () => {
    const f = await getStsFixture();
    const [h, , s] = tokenFor(f).split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims(f), sub: 'admin' })).toString(
      'base64url',
    );
    const wire = secureWith(f, rawSender(`${h!}.${payload}.${s!}`, f.pki.client));
    expect(await rejection(f, wire)).toMatchObject({ code: 'AuthenticationFailed' });
  });

  it('issuance refuses to make a bearer token by accident', async () => {
    const f = await getStsFixture();
    expect(() =>
      issueToken({
        signingKey: f.sts.privateKey,
        signingCertificate: f.sts.certificate,
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: 'alice',
        lifetimeSeconds: 60,
        confirmation: undefined as unknown as 'bearer',
      }),
    ).toThrow(TypeError);
  });
});
