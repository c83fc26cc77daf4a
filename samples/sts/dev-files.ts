/**
 * The files the STS sample runs on, in one directory: made on first use from a fresh
 * development PKI (never for production: keys are written unencrypted).
 *
 *   ca.pem                 the development root (trust anchor for TLS and the service)
 *   chain.pem              the issuing CA (intermediate)
 *   sts-tls.pem/.key       the STS's HTTPS certificate (DNS localhost, IP-less)
 *   sts.pem/.key           the STS's token signing certificate
 *   client.pem/.key        a client certificate (CN wsseq-client) for mutual TLS
 *   service.pem/.key       the SOAP service's certificate (messages are encrypted for it)
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EKU, createDevelopmentPki, issueCertificate } from 'wsseq/dev';
import type { DevelopmentCredential } from 'wsseq/dev';

const NAMES = ['sts-tls', 'sts', 'client', 'service'] as const;
export type DevFileName = (typeof NAMES)[number];

export interface DevFiles {
  readonly dir: string;
  readonly ca: string;
  readonly chain: string;
  /** PEM certificate and key by name. */
  readonly pem: Readonly<
    Record<DevFileName, { readonly certificate: string; readonly key: string }>
  >;
}

/** Load the sample's files from `dir`, creating them first when `dir` has none. */
export async function ensureDevFiles(dir: string): Promise<DevFiles> {
  if (!existsSync(join(dir, 'ca.pem'))) await createDevFiles(dir);
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const pem = {} as Record<DevFileName, { certificate: string; key: string }>;
  for (const name of NAMES) {
    pem[name] = { certificate: await read(`${name}.pem`), key: await read(`${name}.key`) };
  }
  return { dir, ca: await read('ca.pem'), chain: await read('chain.pem'), pem };
}

async function createDevFiles(dir: string): Promise<void> {
  const pki = await createDevelopmentPki({ serviceDnsName: 'localhost' });
  const now = Date.now();
  const window = {
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
  };
  const issuer = pki.intermediate;
  const [tls, sts] = await Promise.all([
    issueCertificate({
      subject: 'CN=localhost, O=wsseq development',
      issuer,
      eku: [EKU.serverAuth],
      dnsNames: ['localhost'],
      ...window,
    }),
    issueCertificate({
      subject: 'CN=wsseq development STS, O=wsseq development',
      issuer,
      keyUsage: ['digitalSignature'],
      ...window,
    }),
  ]);
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {
    'ca.pem': pki.root.certificatePem,
    'chain.pem': pki.intermediate.certificatePem,
  };
  const put = (name: DevFileName, cred: DevelopmentCredential) => {
    // Leaf then issuing CA, so TLS peers can build the chain to the root.
    files[`${name}.pem`] = cred.certificatePem + pki.intermediate.certificatePem;
    files[`${name}.key`] = cred.privateKeyPem;
  };
  put('sts-tls', tls);
  put('sts', sts);
  put('client', pki.client);
  put('service', pki.service);
  for (const [file, content] of Object.entries(files)) {
    await writeFile(join(dir, file), content, { mode: file.endsWith('.key') ? 0o600 : 0o644 });
  }
}
