/**
 * What the benchmark measures: one scenario per credential type, each giving a sender and a
 * receiver on the test PKI. Messages are made at TEST_NOW and opened with the clock pinned.
 */
import { issuedTokenCredential, issuedTokenAuthenticator } from '../src/credentials/issued-jwt.js';
import { issueToken } from '../src/credentials/sts.js';
import { createUserStore, hashPassword } from '../src/credentials/user-store.js';
import { usernameAuthenticator, usernameCredential } from '../src/credentials/username.js';
import { certificateCredential } from '../src/credentials/x509.js';
import { createOpener } from '../src/open/open-envelope.js';
import type { Opener } from '../src/open/open-envelope.js';
import { createSecurer } from '../src/secure/secure-envelope.js';
import type { Securer } from '../src/secure/secure-envelope.js';
import type { MessageLimits } from '../src/policy/policy.js';
import type { ParseLimits } from '../src/xml/parse.js';
import { TEST_NOW, getTestPki, testOpener } from '../test/helpers.js';
import type { TestPki } from '../test/helpers.js';

export interface Scenario {
  readonly name: string;
  readonly securer: Securer;
  readonly opener: Opener;
}

export type ScenarioFactory = (pki: TestPki, limits: Partial<MessageLimits>) => Promise<Scenario>;

/** The sender's share of the limits (so that a large message can be secured too). */
function senderLimits(limits: Partial<MessageLimits>): Partial<ParseLimits> {
  const out: { -readonly [K in keyof ParseLimits]?: number } = {};
  for (const key of ['maxBytes', 'maxDepth', 'maxElements'] as const) {
    const value = limits[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const certificate: ScenarioFactory = (pki, limits) =>
  Promise.resolve({
    name: 'Certificate',
    securer: createSecurer({
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
      policy: { limits: senderLimits(limits) },
      now: () => TEST_NOW,
    }),
    opener: testOpener(pki, { limits }),
  });

const userName: ScenarioFactory = async (pki, limits) => {
  const password = 'benchmark password';
  return {
    name: 'UserName',
    securer: createSecurer({
      credential: usernameCredential({
        username: 'bench',
        password,
        passwordType: 'PasswordDigest',
      }),
      serviceCertificate: pki.service.certificate,
      now: () => TEST_NOW,
    }),
    opener: createOpener({
      serviceKeys: [pki.service],
      credentials: [
        usernameAuthenticator({
          validator: createUserStore(
            [{ username: 'bench', passwordHash: await hashPassword(password) }],
            {
              secretProvider: () => password,
            },
          ),
        }),
      ],
      policy: { limits },
      now: () => TEST_NOW,
    }),
  };
};

const issuedToken: ScenarioFactory = (pki, limits) => {
  const token = issueToken({
    signingKey: pki.intermediate.privateKey,
    signingCertificate: pki.intermediate.certificate,
    issuer: 'urn:bench:sts',
    audience: 'urn:bench:service',
    subject: 'bench',
    lifetimeSeconds: 3600,
    confirmation: { certificate: pki.client.certificate },
    now: TEST_NOW,
  });
  return Promise.resolve({
    name: 'IssuedToken',
    securer: createSecurer({
      credential: issuedTokenCredential({
        token,
        certificate: pki.client.certificate,
        privateKey: pki.client.privateKey,
      }),
      serviceCertificate: pki.service.certificate,
      now: () => TEST_NOW,
    }),
    opener: createOpener({
      serviceKeys: [pki.service],
      credentials: [
        issuedTokenAuthenticator({
          trustedIssuers: [
            { issuer: 'urn:bench:sts', certificates: [pki.intermediate.certificate] },
          ],
          audience: 'urn:bench:service',
        }),
      ],
      policy: { limits },
      now: () => TEST_NOW,
    }),
  });
};

/** Every scenario the benchmark runs; `limits` raises the receivers' message limits. */
export async function loadScenarios(limits: Partial<MessageLimits> = {}): Promise<Scenario[]> {
  const pki = await getTestPki();
  const factories: ScenarioFactory[] = [certificate, userName, issuedToken];
  return Promise.all(factories.map((f) => f(pki, limits)));
}

/** A SOAP 1.1 order envelope whose Body is about `bytes` long. */
export function envelopeOfSize(bytes: number): string {
  const items = Math.max(1, Math.round(bytes / 64));
  const body = Array.from(
    { length: items },
    (_, i) => `<m:Line n="${i}">item-${i}-${'x'.repeat(36)}</m:Line>`,
  ).join('');
  return (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:example:orders">' +
    `<soap:Header/><soap:Body><m:PlaceOrder>${body}</m:PlaceOrder></soap:Body></soap:Envelope>`
  );
}
