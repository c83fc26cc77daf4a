import jsonwebtoken from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { certificateThumbprintS256, decodeJwt } from '../../../src/credentials/jwt.js';
import {
  issuedTokenAuthenticator,
  issuedTokenCredential,
} from '../../../src/credentials/issued-jwt.js';
import { createJwtToken } from '../../../src/credentials/jwt-token.js';
import { attachSigningCertificate, certificateCredential } from '../../../src/credentials/x509.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { TEST_NOW } from '../../helpers.js';
import {
  AUDIENCE,
  ISSUER,
  getStsFixture,
  secureHoK,
  secureWith,
  stsOpener,
  tokenFor,
} from './fixture.js';

describe('IssuedToken round trips', () => {
  it('holder-of-key (cnf x5t#S256): the client certificate signs, the identity is the token subject', async () => {
    const f = await getStsFixture();
    const wire = secureHoK(f, tokenFor(f));
    expect(wire).toContain('ValueType="urn:ietf:params:oauth:token-type:jwt"');
    const result = await stsOpener(f).open(wire);
    const { context } = result;
    expect(context.credentialType).toBe('IssuedToken');
    expect(context.identity.name).toBe('alice');
    expect(context.identity.roles).toEqual(['buyer']);
    expect(context.identity.claims).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'alice',
      email: 'alice@example.com',
    });
    expect(context.signingCertificate?.equals(f.pki.client.certificate)).toBe(true);
    expect(context.signed).toEqual([
      'Body',
      'Timestamp',
      'BinarySecurityToken',
      'BinarySecurityToken',
    ]);
    expect(context.encrypted).toEqual(['Body']);
    expect(result.body).toContain('widget');
  });

  it('holder-of-key (cnf jwk)', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { confirmation: { publicKey: f.pki.client.certificate.publicKey } });
    const result = await stsOpener(f).open(secureHoK(f, token));
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.identity.claims.cnf).toHaveProperty('jwk');
  });

  it('ES256 token from an EC STS, PS256 token', async () => {
    const f = await getStsFixture();
    const es = tokenFor(f, {
      signingKey: f.stsEc.privateKey,
      signingCertificate: f.stsEc.certificate,
    });
    expect(JSON.parse(Buffer.from(es.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
    });
    expect((await stsOpener(f).open(secureHoK(f, es))).context.identity.name).toBe('alice');
    const ps = tokenFor(f, { algorithm: 'PS256' });
    expect((await stsOpener(f).open(secureHoK(f, ps))).context.identity.name).toBe('alice');
    await expect(
      stsOpener(f, { algorithms: ['RS256'] }).open(secureHoK(f, ps)),
    ).rejects.toMatchObject({ code: 'UnsupportedAlgorithm' });
  });

  it('a token that names its key by kid (hex or base64url SHA-256), or not at all', async () => {
    const f = await getStsFixture();
    const payload = decodeJwt(tokenFor(f))?.payload ?? {};
    const sign = (header: Record<string, string>) =>
      jsonwebtoken.sign(payload, f.sts.privateKey, {
        algorithm: 'RS256',
        header: { alg: 'RS256', ...header },
      });
    const kids = [f.sts.certificate.thumbprintSha256, certificateThumbprintS256(f.sts.certificate)];
    for (const kid of kids) {
      const result = await stsOpener(f).open(secureHoK(f, sign({ kid })));
      expect(result.context.identity.name).toBe('alice');
    }
    const unnamed = secureHoK(f, sign({}));
    const one = [{ issuer: ISSUER, certificates: [f.sts.certificate] }];
    expect((await stsOpener(f, { trustedIssuers: one }).open(unnamed)).context.identity.name).toBe(
      'alice',
    );
    // With two certificates for the issuer, an unnamed key is ambiguous.
    await expect(stsOpener(f).open(unnamed)).rejects.toMatchObject({
      code: 'AuthenticationFailed',
    });
    await expect(stsOpener(f).open(secureHoK(f, sign({ kid: 'other' })))).rejects.toMatchObject({
      code: 'AuthenticationFailed',
    });
  });

  it('several audiences: one must be ours', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { audience: ['urn:other', AUDIENCE] });
    expect((await stsOpener(f).open(secureHoK(f, token))).context.identity.name).toBe('alice');
  });

  it('a bearer token is refused by default and accepted with allowBearer (HMAC-signed message)', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { confirmation: 'bearer' });
    const wire = secureWith(f, issuedTokenCredential({ token }));
    await expect(stsOpener(f).open(wire)).rejects.toMatchObject({ code: 'PolicyViolation' });
    const result = await stsOpener(f, { allowBearer: true }).open(wire);
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.signingCertificate).toBeUndefined();
    expect(result.context.signed).toContain('BinarySecurityToken');
  });

  it('a bearer token with a client signature is accepted with allowBearer', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f, { confirmation: 'bearer' });
    const wire = secureHoK(f, token);
    const result = await stsOpener(f, { allowBearer: true }).open(wire);
    expect(result.context.identity.name).toBe('alice');
  });

  it('the proof certificate can also be validated by a trust store', async () => {
    const f = await getStsFixture();
    const trust = new TrustStore({
      trustedRoots: [f.pki.root.certificate],
      intermediates: [f.pki.intermediate.certificate],
    });
    const ok = await stsOpener(f, { proofCertificateTrust: trust }).open(secureHoK(f, tokenFor(f)));
    expect(ok.context.chain.map((c) => c.subject)).toContain(f.pki.client.certificate.subject);
    const untrusted = tokenFor(f, {
      confirmation: { certificate: f.pki.untrustedClient.certificate },
    });
    await expect(
      stsOpener(f, { proofCertificateTrust: trust }).open(
        secureHoK(f, untrusted, f.pki.untrustedClient),
      ),
    ).rejects.toMatchObject({ code: 'CertificateUntrusted' });
  });

  it('a message without an issued token goes on to the Certificate credential', async () => {
    const f = await getStsFixture();
    const opener = createOpener({
      serviceKeys: [f.pki.service],
      credentials: [
        issuedTokenAuthenticator({
          trustedIssuers: [{ issuer: ISSUER, certificates: [f.sts.certificate] }],
          audience: AUDIENCE,
        }),
      ],
      trust: new TrustStore({
        trustedRoots: [f.pki.root.certificate],
        intermediates: [f.pki.intermediate.certificate],
      }),
      now: () => TEST_NOW,
    });
    const wire = secureWith(
      f,
      certificateCredential({
        certificate: f.pki.client.certificate,
        privateKey: f.pki.client.privateKey,
      }),
    );
    expect((await opener.open(wire)).context.credentialType).toBe('Certificate');
    expect((await opener.open(secureHoK(f, tokenFor(f)))).context.credentialType).toBe(
      'IssuedToken',
    );
  });

  it('every protection order', async () => {
    const f = await getStsFixture();
    for (const protectionOrder of [
      'SignBeforeEncrypt',
      'SignBeforeEncryptAndEncryptSignature',
      'EncryptBeforeSign',
    ] as const) {
      const wire = secureWith(
        f,
        issuedTokenCredential({
          token: tokenFor(f),
          certificate: f.pki.client.certificate,
          privateKey: f.pki.client.privateKey,
        }),
        { protectionOrder },
      );
      expect((await stsOpener(f).open(wire)).context.identity.name).toBe('alice');
    }
  });

  it('a token that arrives encrypted (EncryptedSupportingTokens) reaches the credential', async () => {
    const f = await getStsFixture();
    const token = tokenFor(f);
    const wire = secureWith(f, {
      type: 'IssuedToken',
      attach(ctx) {
        const bst = createJwtToken(ctx.document, token, ctx.newId('JWT'));
        ctx.security.appendChild(bst);
        const { certificate, privateKey } = f.pki.client;
        return {
          signingKey: attachSigningCertificate(ctx, certificate, privateKey, 'bst'),
          signedTokens: [bst],
          encryptedTokens: [bst],
        };
      },
    });
    expect(wire).not.toContain('oauth:token-type:jwt');
    const result = await stsOpener(f).open(wire);
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.encrypted).toContain('BinarySecurityToken');
  });
});
