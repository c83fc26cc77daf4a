/**
 * The certificates the samples use: a development PKI written by `initDevelopmentPki` (what
 * `wsseq pki init` writes), loaded the way an application loads its own PEM files, plus a
 * certificate from a CA nobody trusts. Development only: never use these keys for real.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrustStore, loadPem } from 'wsseq';
import type { KeyMaterial } from 'wsseq';
import { EKU, initDevelopmentPki, issueCertificate } from 'wsseq/dev';
import type { DevelopmentCredential } from 'wsseq/dev';

export interface SampleCast {
  readonly root: KeyMaterial;
  readonly intermediate: KeyMaterial;
  /** The service's certificate (serverAuth, DNS name orders.localhost). */
  readonly service: KeyMaterial;
  readonly alice: KeyMaterial;
  readonly bob: KeyMaterial;
  /** A self-signed certificate the service has never heard of. */
  readonly mallory: DevelopmentCredential;
  /** Trusts the development root, with its intermediate CA. */
  readonly trust: TrustStore;
}

const DAY_MS = 86_400_000;

async function load(dir: string, stem: string): Promise<KeyMaterial> {
  return loadPem({
    certificate: await readFile(join(dir, `${stem}.pem`)),
    privateKey: await readFile(join(dir, `${stem}.key`)),
  });
}

/** Create (once) the development PKI in `<dir>/pki` and load it. */
export async function sampleCast(dir: string): Promise<SampleCast> {
  const pkiDir = join(dir, 'pki');
  await initDevelopmentPki(pkiDir, {
    serviceDnsNames: ['orders.localhost'],
    clients: [
      { name: 'alice', email: 'alice@example.com', upn: 'alice@wsseq.local' },
      { name: 'bob', email: 'bob@partner.example', upn: 'bob@partner.local' },
    ],
  });
  const [root, intermediate, service, alice, bob] = await Promise.all(
    ['root-ca', 'intermediate-ca', 'service', 'client-alice', 'client-bob'].map((stem) =>
      load(pkiDir, stem),
    ),
  );
  if (!root || !intermediate || !service || !alice || !bob) throw new Error('PKI incomplete');
  const now = Date.now();
  const mallory = await issueCertificate({
    subject: 'CN=mallory, O=Somewhere Else',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 30 * DAY_MS),
    eku: [EKU.clientAuth],
  });
  return {
    root,
    intermediate,
    service,
    alice,
    bob,
    mallory,
    trust: new TrustStore({
      trustedRoots: [root.certificate],
      intermediates: [intermediate.certificate],
    }),
  };
}
