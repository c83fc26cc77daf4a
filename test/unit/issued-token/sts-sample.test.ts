import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStsKey } from '../../../src/credentials/sts.js';
import { fetchToken } from '../../../samples/sts/fetch-token.js';
import type { FetchTokenOptions } from '../../../samples/sts/fetch-token.js';
import { hashPassword } from '../../../samples/sts/passwords.js';
import { startStsServer } from '../../../samples/sts/sts-server.js';
import type { RunningSts } from '../../../samples/sts/sts-server.js';
import { TEST_NOW } from '../../helpers.js';
import { AUDIENCE, ISSUER, getStsFixture, secureHoK, stsOpener } from './fixture.js';
import type { StsFixture } from './fixture.js';

let f: StsFixture;
let certOnly: RunningSts;
let withPasswords: RunningSts;

beforeAll(async () => {
  f = await getStsFixture();
  const base = {
    stsKey: readStsKey({ certificate: f.sts.certificatePem, privateKey: f.sts.privateKeyPem }),
    issuer: ISSUER,
    audiences: [AUDIENCE],
    tlsCertificate: f.pki.service.certificatePem + f.pki.intermediate.certificatePem,
    tlsKey: f.pki.service.privateKeyPem,
    clientCa: f.pki.root.certificatePem,
    host: '127.0.0.1',
    port: 0,
    now: () => new Date(TEST_NOW.getTime() - 60_000),
  };
  [certOnly, withPasswords] = await Promise.all([
    startStsServer(base),
    startStsServer({ ...base, users: new Map([['carol', hashPassword('correct horse')]]) }),
  ]);
});

afterAll(async () => {
  await Promise.all([certOnly.close(), withPasswords.close()]);
});

function tls(sts: RunningSts, extra: Partial<FetchTokenOptions> = {}): FetchTokenOptions {
  return {
    url: sts.url,
    audience: AUDIENCE,
    ca: f.pki.root.certificatePem,
    servername: 'service.example',
    ...extra,
  };
}

function clientCertificate(name: 'client' | 'untrustedClient'): Partial<FetchTokenOptions> {
  const cred = f.pki[name];
  const chain = name === 'client' ? f.pki.intermediate.certificatePem : '';
  return { certificate: cred.certificatePem + chain, key: cred.privateKeyPem };
}

describe('the sample STS (samples/sts)', () => {
  it('issues a holder-of-key token over mutual TLS that then works end to end', async () => {
    const { token, expiresAt, tokenType } = await fetchToken(
      tls(certOnly, clientCertificate('client')),
    );
    expect(tokenType).toBe('urn:ietf:params:oauth:token-type:jwt');
    expect(new Date(expiresAt).getTime()).toBe(TEST_NOW.getTime() - 60_000 + 3600_000);
    const result = await stsOpener(f).open(secureHoK(f, token));
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.identity.claims).toMatchObject({
      auth_method: 'tls_client_auth',
      email: 'alice@example.com',
    });
    // Bound to the TLS client certificate: bob's key cannot send with it.
    expect(() => secureHoK(f, token, f.pki.client2)).toThrow(TypeError);
  });

  it('refuses a client without a certificate, or with an untrusted one', async () => {
    await expect(fetchToken(tls(certOnly))).rejects.toThrow();
    await expect(fetchToken(tls(certOnly, clientCertificate('untrustedClient')))).rejects.toThrow();
  });

  it('issues only for the services it knows, with bounded lifetimes', async () => {
    const cert = clientCertificate('client');
    await expect(fetchToken(tls(certOnly, { ...cert, audience: 'urn:other' }))).rejects.toThrow(
      /400/,
    );
    await expect(
      fetchToken(tls(certOnly, { ...cert, lifetimeSeconds: 10 * 24 * 3600 })),
    ).rejects.toThrow(/400/);
  });

  it('HTTP Basic over TLS where configured: wrong password, right password', async () => {
    const bindTo = f.pki.client.certificatePem;
    await expect(
      fetchToken(tls(withPasswords, { username: 'carol', password: 'wrong', bindTo })),
    ).rejects.toThrow(/401/);
    await expect(fetchToken(tls(withPasswords, { bindTo }))).rejects.toThrow(/401/);
    const { token } = await fetchToken(
      tls(withPasswords, { username: 'carol', password: 'correct horse', bindTo }),
    );
    const result = await stsOpener(f).open(secureHoK(f, token));
    expect(result.context.identity.name).toBe('carol');
    expect(result.context.identity.claims.auth_method).toBe('password');
    // An untrusted certificate is refused even where passwords are accepted.
    await expect(
      fetchToken(tls(withPasswords, { ...clientCertificate('untrustedClient'), bindTo })),
    ).rejects.toThrow(/403/);
  });
});
