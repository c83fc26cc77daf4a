/**
 * A development PKI: root CA, issuing CA, a service and a client certificate, and CRLs.
 *
 * **For development and tests only.** Keys are generated in memory and returned in the clear;
 * nothing here is hardened for a production certificate authority (no key protection, no
 * audit, no policy). Use it for demos, `wsseq pki init` and test fixtures.
 */
import { EKU, generateRsaKeyPair, issueCertificate, issueCrl } from './issue.js';
import type { DevelopmentCredential, DevelopmentCrl } from './issue.js';
import { checkDevelopmentPkiOptions } from '../policy/tooling-options.js';

export { EKU, generateRsaKeyPair, issueCertificate, issueCrl } from './issue.js';
export type {
  DevelopmentCredential,
  DevelopmentCrl,
  DevelopmentIssuer,
  IssueCertificateOptions,
  IssueCrlOptions,
  KeyUsageName,
} from './issue.js';

/** Input of {@link createDevelopmentPki}. */
export interface DevelopmentPkiOptions {
  /** Validity starts one day before this instant. Default: now. */
  readonly now?: Date;
  /** Validity of the issued certificates in days. Default 365 (CAs: ten times that). */
  readonly validityDays?: number;
  /** DNS name of the service certificate. Default `localhost`. */
  readonly serviceDnsName?: string;
  /** Common name of the client certificate. Default `wsseq-client`. */
  readonly clientName?: string;
  /** rfc822Name of the client certificate, if any. */
  readonly clientEmail?: string;
  /** Organisation in every subject. Default `wsseq development`. */
  readonly organization?: string;
}

/** What {@link createDevelopmentPki} returns. */
export interface DevelopmentPki {
  readonly root: DevelopmentCredential;
  readonly intermediate: DevelopmentCredential;
  /** serverAuth certificate for the service (DNS name in the SAN). */
  readonly service: DevelopmentCredential;
  /** clientAuth certificate for a client. */
  readonly client: DevelopmentCredential;
  /** An empty CRL from the root (covers the intermediate). */
  readonly crlRoot: DevelopmentCrl;
  /** An empty CRL from the intermediate (covers service and client). */
  readonly crlIntermediate: DevelopmentCrl;
}

const DAY_MS = 86_400_000;

/**
 * Create a small development PKI: root CA → intermediate CA → service and client
 * certificates, plus empty CRLs. Development only: the private keys are returned in the
 * clear.
 * @example
 * const pki = await createDevelopmentPki({ serviceDnsName: 'orders.local' });
 * const store = new TrustStore({ trustedRoots: [pki.root.certificate] });
 * @throws TypeError when `validityDays` is not a positive number.
 */
export async function createDevelopmentPki(
  options: DevelopmentPkiOptions = {},
): Promise<DevelopmentPki> {
  checkDevelopmentPkiOptions(options);
  const now = options.now ?? new Date();
  const days = options.validityDays ?? 365;
  const org = options.organization ?? 'wsseq development';
  const notBefore = new Date(now.getTime() - DAY_MS);
  const leafEnd = new Date(now.getTime() + days * DAY_MS);
  const caEnd = new Date(now.getTime() + 10 * days * DAY_MS);
  const [rootKeys, interKeys, serviceKeys, clientKeys] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
  const root = await issueCertificate({
    subject: `CN=wsseq Development Root CA, O=${org}`,
    keyPair: rootKeys,
    notBefore,
    notAfter: caEnd,
    isCa: true,
    pathLen: 1,
  });
  const intermediate = await issueCertificate({
    subject: `CN=wsseq Development Issuing CA, O=${org}`,
    issuer: root,
    keyPair: interKeys,
    notBefore,
    notAfter: caEnd,
    isCa: true,
    pathLen: 0,
  });
  const dns = options.serviceDnsName ?? 'localhost';
  const service = await issueCertificate({
    subject: `CN=${dns}, O=${org}`,
    issuer: intermediate,
    keyPair: serviceKeys,
    notBefore,
    notAfter: leafEnd,
    eku: [EKU.serverAuth],
    dnsNames: [dns],
  });
  const clientName = options.clientName ?? 'wsseq-client';
  const client = await issueCertificate({
    subject: `CN=${clientName}, O=${org}`,
    issuer: intermediate,
    keyPair: clientKeys,
    notBefore,
    notAfter: leafEnd,
    eku: [EKU.clientAuth],
    ...(options.clientEmail === undefined ? {} : { emails: [options.clientEmail] }),
  });
  const nextUpdate = new Date(now.getTime() + 30 * DAY_MS);
  const [crlRoot, crlIntermediate] = await Promise.all([
    issueCrl({ issuer: root, thisUpdate: notBefore, nextUpdate }),
    issueCrl({ issuer: intermediate, thisUpdate: notBefore, nextUpdate }),
  ]);
  return { root, intermediate, service, client, crlRoot, crlIntermediate };
}
