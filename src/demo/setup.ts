/**
 * The demo's cast: a development PKI on disk (made once), an STS, a stranger's certificate,
 * the users the service knows, and the service's trust — everything a real deployment holds
 * out of band.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPem } from '../credentials/key-material.js';
import type { KeyMaterial } from '../credentials/key-material.js';
import { hashPassword } from '../credentials/user-store.js';
import type { UserRecord } from '../credentials/user-store.js';
import { initDevelopmentPki } from '../pki/init.js';
import { EKU, issueCertificate } from '../trust/dev-pki.js';
import type { DevelopmentCredential } from '../trust/dev-pki.js';
import { TrustStore } from '../trust/validate.js';

export interface DemoCast {
  readonly pkiDir: string;
  readonly created: boolean;
  readonly root: KeyMaterial;
  readonly intermediate: KeyMaterial;
  readonly service: KeyMaterial;
  readonly alice: KeyMaterial;
  readonly bob: KeyMaterial;
  /** A certificate from a CA the service has never heard of. */
  readonly mallory: DevelopmentCredential;
  /** The token service the service trusts for issued tokens. */
  readonly sts: DevelopmentCredential;
  readonly trust: TrustStore;
  readonly users: readonly UserRecord[];
  /** Passwords the service can read back, for PasswordDigest (the digest needs them). */
  readonly digestSecrets: ReadonlyMap<string, string>;
  /** carol's password (the demo's own; never do this with a real one). */
  readonly carolPassword: string;
}

const DAY_MS = 86_400_000;

async function load(dir: string, stem: string): Promise<KeyMaterial> {
  return loadPem({
    certificate: await readFile(join(dir, `${stem}.pem`)),
    privateKey: await readFile(join(dir, `${stem}.key`)),
  });
}

/** Create (first run) or load the development PKI under `dir`, and the rest of the cast. */
export async function prepareCast(dir: string): Promise<DemoCast> {
  const pkiDir = join(dir, 'pki');
  const { created } = await initDevelopmentPki(pkiDir, {
    createParents: true,
    serviceDnsNames: ['orders.localhost'],
    clients: [
      { name: 'alice', email: 'alice@example.com', upn: 'alice@wsseq.local' },
      { name: 'bob', email: 'bob@partner.example', upn: 'bob@partner.local' },
    ],
  });
  const [root, intermediate, service, alice, bob] = await Promise.all([
    load(pkiDir, 'root-ca'),
    load(pkiDir, 'intermediate-ca'),
    load(pkiDir, 'service'),
    load(pkiDir, 'client-alice'),
    load(pkiDir, 'client-bob'),
  ]);
  const now = Date.now();
  const [mallory, sts] = await Promise.all([
    issueCertificate({
      subject: 'CN=mallory, O=Somewhere Else',
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 30 * DAY_MS),
      eku: [EKU.clientAuth],
      emails: ['mallory@example.net'],
    }),
    issueCertificate({
      subject: 'CN=wsseq demo token service, O=wsseq development',
      issuer: intermediate,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 30 * DAY_MS),
      keyUsage: ['digitalSignature'],
    }),
  ]);
  const carolPassword = 'correct horse battery staple';
  return {
    pkiDir,
    created,
    root,
    intermediate,
    service,
    alice,
    bob,
    mallory,
    sts,
    trust: new TrustStore({
      trustedRoots: [root.certificate],
      intermediates: [intermediate.certificate],
    }),
    // PasswordText is checked against salted scrypt hashes; PasswordDigest needs the password
    // itself (the profile's design), so a service that accepts digests must be able to read it.
    users: [
      { username: 'carol', passwordHash: await hashPassword(carolPassword), roles: ['buyer'] },
      { username: 'erin', passwordHash: await hashPassword('erin-secret'), roles: ['buyer'] },
    ],
    digestSecrets: new Map([['carol', carolPassword]]),
    carolPassword,
  };
}
