/**
 * `wsseq pki init`: a development PKI on disk — root and issuing CA, a service certificate,
 * client certificates and empty CRLs, as PEM and PFX, with a README that says what it is for.
 *
 * **For development only.** Every private key is written unprotected (PKCS#8 PEM, mode 0600)
 * or under a passphrase that the README states. Never deploy these certificates.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { exportPfx } from '../credentials/key-material.js';
import { EKU, generateRsaKeyPair, issueCertificate, issueCrl } from '../trust/dev-pki.js';
import type { DevelopmentCredential } from '../trust/dev-pki.js';
import { checkInitPkiOptions } from '../policy/tooling-options.js';

/** A client certificate to issue. */
export interface DevelopmentClient {
  /** Common name, also the file stem (`client-<name>`): letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** SAN rfc822Name. */
  readonly email?: string;
  /** SAN Microsoft UPN (identity mapping to an account). */
  readonly upn?: string;
}

/** Input of {@link initDevelopmentPki}. */
export interface InitDevelopmentPkiOptions {
  /** Overwrite an existing PKI in the directory. Default false: leave it untouched. */
  readonly force?: boolean;
  /** Validity starts one day before this instant. Default now. */
  readonly now?: Date;
  /** Validity of the service and client certificates in days (CAs: ten times). Default 365. */
  readonly validityDays?: number;
  /** DNS names of the service certificate (the first is its CN). Default `localhost`. */
  readonly serviceDnsNames?: readonly string[];
  /** Client certificates. Default alice and bob (`@example.com` e-mail, `@wsseq.local` UPN). */
  readonly clients?: readonly DevelopmentClient[];
  /** Passphrase of the `.pfx` files. Default `wsseq-dev`. */
  readonly pfxPassphrase?: string;
  /** Organisation in every subject. Default `wsseq development`. */
  readonly organization?: string;
  /**
   * Create the directory's missing parent directories too (as `mkdir -p`). Default false: the
   * directory itself is created, but its parent must exist, so that a mistyped path does not
   * silently create a tree of directories.
   */
  readonly createParents?: boolean;
}

/** What {@link initDevelopmentPki} did. */
export interface InitDevelopmentPkiResult {
  /** The directory (absolute). */
  readonly dir: string;
  /** False when a PKI was already there and `force` was not set: nothing was written. */
  readonly created: boolean;
  /** The files of the PKI, by name (absolute paths). */
  readonly files: Readonly<Record<string, string>>;
  readonly pfxPassphrase: string;
}

const DAY_MS = 86_400_000;
const MARKER = 'README.txt';
const NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;
const DNS_RE = /^(\*\.)?[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*$/;

const DEFAULT_CLIENTS: readonly DevelopmentClient[] = [
  { name: 'alice', email: 'alice@example.com', upn: 'alice@wsseq.local' },
  { name: 'bob', email: 'bob@example.com', upn: 'bob@wsseq.local' },
];

/**
 * Write a development PKI into `dir` (created if needed):
 * `root-ca.pem/.key`, `intermediate-ca.pem/.key`, `ca-chain.pem` (intermediate, root),
 * `service.pem/.key/.pfx` (serverAuth, keyEncipherment, DNS names), `client-<name>.pem/.key/.pfx`
 * (clientAuth, digitalSignature, e-mail and UPN), `crl-root.pem`, `crl-intermediate.pem`
 * (empty, 30 days) and `README.txt`. The `.pfx` files hold the key, the certificate and the
 * chain (PBES2/AES-256). Idempotent: when `dir` already holds a PKI (its README.txt) nothing is
 * written unless `force`.
 *
 * @example
 * const { files } = await initDevelopmentPki('./dev-pki', { serviceDnsNames: ['orders.local'] });
 * @throws TypeError for a bad option (a client name or DNS name that is not plain, no DNS
 *   name, duplicate clients, an empty passphrase, a bad validity) or when `dir` holds some of
 *   the files but no README.txt (a directory wsseq did not write), without `force`.
 */
export async function initDevelopmentPki(
  dir: string,
  options: InitDevelopmentPkiOptions = {},
): Promise<InitDevelopmentPkiResult> {
  checkInitPkiOptions(options);
  const root = resolve(dir);
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const dnsNames = options.serviceDnsNames ?? ['localhost'];
  const passphrase = options.pfxPassphrase ?? 'wsseq-dev';
  const days = options.validityDays ?? 365;
  checkOptions(clients, dnsNames, passphrase, days);
  const names = fileNames(clients);
  const files = Object.fromEntries(names.map((n) => [n, join(root, n)]));
  const result = { dir: root, files, pfxPassphrase: passphrase };
  await checkDirectory(root, options.createParents === true);

  if (options.force !== true) {
    const present = await existing(Object.values(files));
    if (present.includes(join(root, MARKER))) return { ...result, created: false };
    if (present.length > 0) {
      throw new TypeError(
        `${root} already holds ${present.map((p) => p.slice(root.length + 1)).join(', ')} but no ${MARKER}: use force to overwrite`,
      );
    }
  }

  const content = await issueAll(clients, dnsNames, passphrase, days, options);
  await mkdir(root, { recursive: true });
  for (const [name, data] of Object.entries(content)) {
    const secret = name.endsWith('.key') || name.endsWith('.pfx');
    await writeFile(join(root, name), data, { mode: secret ? 0o600 : 0o644 });
  }
  return { ...result, created: true };
}

function checkOptions(
  clients: readonly DevelopmentClient[],
  dnsNames: readonly string[],
  passphrase: string,
  days: number,
): void {
  if (!Number.isFinite(days) || days <= 0) throw new TypeError('validityDays must be positive');
  if (passphrase === '') throw new TypeError('pfxPassphrase must not be empty');
  if (dnsNames.length === 0) throw new TypeError('the service needs at least one DNS name');
  for (const d of dnsNames) if (!DNS_RE.test(d)) throw new TypeError(`not a DNS name: "${d}"`);
  const seen = new Set<string>();
  for (const c of clients) {
    if (!NAME_RE.test(c.name)) {
      throw new TypeError(`client name "${c.name}" must be letters, digits, ".", "_" or "-"`);
    }
    if (seen.has(c.name)) throw new TypeError(`client "${c.name}" is listed twice`);
    seen.add(c.name);
  }
}

function fileNames(clients: readonly DevelopmentClient[]): string[] {
  const out = [
    MARKER,
    'root-ca.pem',
    'root-ca.key',
    'intermediate-ca.pem',
    'intermediate-ca.key',
    'ca-chain.pem',
    'crl-root.pem',
    'crl-intermediate.pem',
  ];
  for (const stem of ['service', ...clients.map((c) => `client-${c.name}`)]) {
    out.push(`${stem}.pem`, `${stem}.key`, `${stem}.pfx`);
  }
  return out;
}

/**
 * `dir` must be a directory or not exist; without `createParents`, its parent must exist.
 * @throws TypeError otherwise (even with `force`: a file is never replaced by a directory).
 */
async function checkDirectory(dir: string, createParents: boolean): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (found) {
    if (!found.isDirectory()) throw new TypeError(`${dir} exists and is not a directory`);
    return;
  }
  if (createParents) return;
  const parent = dirname(dir);
  const parentFound = await stat(parent).catch(() => undefined);
  if (!parentFound?.isDirectory()) {
    throw new TypeError(
      `the parent directory ${parent} does not exist: create it first (or use createParents, --parents)`,
    );
  }
}

async function existing(paths: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        () => p,
        () => undefined,
      ),
    ),
  );
  return found.filter((p): p is string => p !== undefined);
}

async function issueAll(
  clients: readonly DevelopmentClient[],
  dnsNames: readonly string[],
  passphrase: string,
  days: number,
  options: InitDevelopmentPkiOptions,
): Promise<Record<string, string | Buffer>> {
  const now = options.now ?? new Date();
  const org = options.organization ?? 'wsseq development';
  const notBefore = new Date(now.getTime() - DAY_MS);
  const leafEnd = new Date(now.getTime() + days * DAY_MS);
  const caEnd = new Date(now.getTime() + 10 * days * DAY_MS);
  const keys = await Promise.all(
    [...Array(3 + clients.length).keys()].map(() => generateRsaKeyPair()),
  );
  const key = (i: number) => {
    const k = keys[i];
    if (!k) throw new Error('missing key pair');
    return k;
  };
  const rootCa = await issueCertificate({
    subject: `CN=wsseq Development Root CA (DEVELOPMENT ONLY), O=${org}`,
    keyPair: key(0),
    notBefore,
    notAfter: caEnd,
    isCa: true,
    pathLen: 1,
  });
  const intermediate = await issueCertificate({
    subject: `CN=wsseq Development Issuing CA (DEVELOPMENT ONLY), O=${org}`,
    issuer: rootCa,
    keyPair: key(1),
    notBefore,
    notAfter: caEnd,
    isCa: true,
    pathLen: 0,
  });
  const leaf = { issuer: intermediate, notBefore, notAfter: leafEnd };
  const service = await issueCertificate({
    ...leaf,
    subject: `CN=${dnsNames[0] ?? 'localhost'}, O=${org}`,
    keyPair: key(2),
    eku: [EKU.serverAuth],
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    dnsNames,
  });
  const issued = await Promise.all(
    clients.map((c, i) =>
      issueCertificate({
        ...leaf,
        subject: `CN=${c.name}, O=${org}`,
        keyPair: key(3 + i),
        eku: [EKU.clientAuth],
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        ...(c.email === undefined ? {} : { emails: [c.email] }),
        ...(c.upn === undefined ? {} : { upns: [c.upn] }),
      }),
    ),
  );
  const nextUpdate = new Date(now.getTime() + 30 * DAY_MS);
  const [crlRoot, crlIntermediate] = await Promise.all([
    issueCrl({ issuer: rootCa, thisUpdate: notBefore, nextUpdate }),
    issueCrl({ issuer: intermediate, thisUpdate: notBefore, nextUpdate }),
  ]);
  const chain = [intermediate.certificate, rootCa.certificate];
  const out: Record<string, string | Buffer> = {
    'root-ca.pem': rootCa.certificatePem,
    'root-ca.key': rootCa.privateKeyPem,
    'intermediate-ca.pem': intermediate.certificatePem,
    'intermediate-ca.key': intermediate.privateKeyPem,
    'ca-chain.pem': intermediate.certificatePem + rootCa.certificatePem,
    'crl-root.pem': crlRoot.pem,
    'crl-intermediate.pem': crlIntermediate.pem,
  };
  const add = (stem: string, cred: DevelopmentCredential): void => {
    out[`${stem}.pem`] = cred.certificatePem;
    out[`${stem}.key`] = cred.privateKeyPem;
    out[`${stem}.pfx`] = exportPfx(
      { certificate: cred.certificate, chain, privateKey: cred.privateKey },
      passphrase,
    );
  };
  add('service', service);
  clients.forEach((c, i) => {
    const cred = issued[i];
    if (cred) add(`client-${c.name}`, cred);
  });
  out[MARKER] = readme(clients, dnsNames, passphrase, leafEnd);
  return out;
}

function readme(
  clients: readonly DevelopmentClient[],
  dnsNames: readonly string[],
  passphrase: string,
  leafEnd: Date,
): string {
  const clientLines = clients
    .map((c) => {
      const san = [c.email && `e-mail ${c.email}`, c.upn && `UPN ${c.upn}`].filter(Boolean);
      return `  client-${c.name}.pem/.key/.pfx   client certificate (clientAuth)${san.length > 0 ? `, ${san.join(', ')}` : ''}`;
    })
    .join('\n');
  return `FOR DEVELOPMENT ONLY - DO NOT USE IN PRODUCTION

This directory holds a development PKI written by "wsseq pki init". The private keys are
stored unprotected (the .key files) or under the passphrase below (the .pfx files), and
the certificate authority has no policy, audit or key protection. Anyone who reads this
directory can issue certificates these CAs vouch for. Never trust root-ca.pem outside
development and testing.

Files:
  root-ca.pem / .key              root CA (trust anchor: give root-ca.pem to --trust)
  intermediate-ca.pem / .key      issuing CA (give it to --intermediate)
  ca-chain.pem                    intermediate then root
  service.pem/.key/.pfx           service certificate (serverAuth), DNS ${dnsNames.join(', ')}
${clientLines}
  crl-root.pem                    CRL of the root (empty)
  crl-intermediate.pem            CRL of the issuing CA (empty)

PFX passphrase: ${passphrase}
Service and client certificates expire on ${leafEnd.toISOString()}; the CRLs are current
for 30 days. Run "wsseq pki init --force" to start over, and "wsseq doctor" to check a
certificate, for example:

  wsseq doctor --pfx client-${clients[0]?.name ?? 'alice'}.pfx --passphrase-env WSSEQ_PFX_PASS \\
    --trust root-ca.pem --intermediate intermediate-ca.pem --purpose client
`;
}
