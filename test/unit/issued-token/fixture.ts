/** STS keys, token issuance and a sender/receiver pair for the IssuedToken tests. */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import {
  issuedTokenAuthenticator,
  issuedTokenCredential,
} from '../../../src/credentials/issued-jwt.js';
import type { IssuedTokenAuthenticatorOptions } from '../../../src/credentials/issued-jwt.js';
import { issueToken } from '../../../src/credentials/sts.js';
import type { IssueTokenOptions } from '../../../src/credentials/sts.js';
import type { SenderCredential } from '../../../src/credentials/types.js';
import { createJwtToken } from '../../../src/credentials/jwt-token.js';
import { attachSigningCertificate } from '../../../src/credentials/x509.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import type { OpenOptions, Opener } from '../../../src/open/open-envelope.js';
import type { SenderPolicy } from '../../../src/policy/policy.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { issueCertificate } from '../../../src/trust/dev-pki.js';
import type { DevelopmentCredential } from '../../../src/trust/dev-pki.js';
import { VALID_FROM, VALID_TO } from '../../fixtures/pki.js';
import { TEST_NOW, getTestPki, orderEnvelope } from '../../helpers.js';
import type { TestCredential, TestPki } from '../../helpers.js';

export const ISSUER = 'https://sts.example/';
export const AUDIENCE = 'urn:example:orders';

export interface StsFixture {
  readonly pki: TestPki;
  /** The trusted STS (RSA). */
  readonly sts: DevelopmentCredential;
  /** A second trusted STS certificate, EC P-256 (ES256). */
  readonly stsEc: DevelopmentCredential;
  /** An STS nobody trusts. */
  readonly rogue: DevelopmentCredential;
}

let memo: Promise<StsFixture> | undefined;

/** The STS certificates, issued once per test file under the test intermediate. */
export function getStsFixture(): Promise<StsFixture> {
  memo ??= (async () => {
    const pki = await getTestPki();
    const window = { notBefore: VALID_FROM, notAfter: VALID_TO };
    const [sts, stsEc, rogue] = await Promise.all([
      issueCertificate({
        subject: 'CN=wsseq test STS, O=wsseq tests, C=US',
        issuer: pki.intermediate,
        keyUsage: ['digitalSignature'],
        ...window,
      }),
      issueCertificate({
        subject: 'CN=wsseq test STS (EC), O=wsseq tests, C=US',
        issuer: pki.intermediate,
        keyPair: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
        keyUsage: ['digitalSignature'],
        ...window,
      }),
      issueCertificate({
        subject: 'CN=rogue STS, O=elsewhere',
        keyUsage: ['digitalSignature'],
        ...window,
      }),
    ]);
    return { pki, sts, stsEc, rogue };
  })();
  return memo;
}

/** A token from the trusted STS, issued a minute before TEST_NOW for an hour. */
export function tokenFor(f: StsFixture, overrides: Partial<IssueTokenOptions> = {}): string {
  return issueToken({
    signingKey: f.sts.privateKey,
    signingCertificate: f.sts.certificate,
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: 'alice',
    lifetimeSeconds: 3600,
    claims: { roles: ['buyer'], email: 'alice@example.com' },
    confirmation: { certificate: f.pki.client.certificate },
    now: new Date(TEST_NOW.getTime() - 60_000),
    ...overrides,
  });
}

/** Secure the order envelope with `credential` for the test service. */
export function secureWith(
  f: StsFixture,
  credential: SenderCredential,
  policy: SenderPolicy = {},
): string {
  return createSecurer({
    credential,
    serviceCertificate: f.pki.service.certificate,
    policy,
    now: () => TEST_NOW,
  }).secure(orderEnvelope());
}

/** Secure with the token, holder-of-key as the test client (alice). */
export function secureHoK(f: StsFixture, token: string, client = f.pki.client): string {
  return secureWith(
    f,
    issuedTokenCredential({
      token,
      certificate: client.certificate,
      privateKey: client.privateKey,
    }),
  );
}

/** An opener for the test service accepting tokens from the trusted STSs. */
export function stsOpener(
  f: StsFixture,
  options: Partial<IssuedTokenAuthenticatorOptions> = {},
  extra: Partial<OpenOptions> = {},
): Opener {
  return createOpener({
    serviceKeys: [f.pki.service],
    credentials: [
      issuedTokenAuthenticator({
        trustedIssuers: [
          { issuer: ISSUER, certificates: [f.sts.certificate, f.stsEc.certificate] },
        ],
        audience: AUDIENCE,
        ...options,
      }),
    ],
    now: () => TEST_NOW,
    ...extra,
  });
}

/** A compact JWS with any header, payload and signature function (for hostile tokens). */
export function rawJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string = () => '',
): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${sign(input)}`;
}

/** HMAC-SHA256 with `secret`, base64url (HS256). */
export function hs256(secret: string): (input: string) => string {
  return (input) => createHmac('sha256', secret).update(input).digest('base64url');
}

/** A sender that puts any token in the header and signs with `client`, optionally not the token. */
export function rawSender(
  token: string,
  client: TestCredential,
  signToken = true,
): SenderCredential {
  return {
    type: 'IssuedToken',
    attach(ctx) {
      const bst = createJwtToken(ctx.document, token, ctx.newId('JWT'));
      ctx.security.appendChild(bst);
      return {
        signingKey: attachSigningCertificate(ctx, client.certificate, client.privateKey, 'bst'),
        signedTokens: signToken ? [bst] : [],
      };
    },
  };
}
