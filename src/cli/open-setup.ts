/**
 * Building the receiver's configuration for `wsseq open` from its flags: the service keys
 * (PEM pairs or PFX files), the trust store and the certificates known out of band.
 */
import { TrustStore, loadCertificates, loadPem, loadPfx } from '../index.js';
import type { Certificate, CertificateValidationMode, ServiceKey, TrustOptions } from '../index.js';
import {
  UsageError,
  loadKeyOrFail,
  loadOrFail,
  oneOf,
  readFlagFile,
  readFlagFiles,
} from './args.js';
import type { CliIo } from './io.js';
import { parseCrls } from '../trust/crl.js';

/** `--validation` values and the TrustStore modes they select. */
export const VALIDATION_MODES = {
  chain: 'ChainTrust',
  peer: 'PeerTrust',
  'peer-or-chain': 'PeerOrChainTrust',
  none: 'None',
} as const satisfies Record<string, CertificateValidationMode>;

/** The flags {@link loadServiceKeys} reads. */
export interface ServiceKeyFlags {
  readonly serviceKeys: readonly string[];
  readonly serviceCerts: readonly string[];
  readonly servicePfxs: readonly string[];
  readonly passphrase: string | undefined;
}

/**
 * Load the service's decryption keys: `--service-key`/`--service-cert` pairs, in order, and
 * each `--service-pfx`. Several are allowed during a key rollover.
 * @throws UsageError for unpaired flags, unreadable files, a wrong passphrase, or a key that
 *   does not match its certificate.
 */
export async function loadServiceKeys(flags: ServiceKeyFlags, io: CliIo): Promise<ServiceKey[]> {
  const { serviceKeys, serviceCerts, servicePfxs, passphrase } = flags;
  if (serviceKeys.length !== serviceCerts.length) {
    throw new UsageError(
      `each --service-key needs its --service-cert (got ${serviceKeys.length} keys, ${serviceCerts.length} certificates)`,
    );
  }
  const keys: ServiceKey[] = [];
  for (const [i, keyPath] of serviceKeys.entries()) {
    const certPath = serviceCerts[i] ?? '';
    const [privateKey, certificate] = await Promise.all([
      readFlagFile(io, 'service-key', keyPath),
      readFlagFile(io, 'service-cert', certPath),
    ]);
    const material = loadKeyOrFail(
      `--service-key ${keyPath} --service-cert ${certPath}`,
      passphrase,
      () =>
        loadPem({ certificate, privateKey, ...(passphrase === undefined ? {} : { passphrase }) }),
    );
    keys.push({ certificate: material.certificate, privateKey: material.privateKey });
  }
  for (const pfxPath of servicePfxs) {
    const pfx = await readFlagFile(io, 'service-pfx', pfxPath);
    const material = loadKeyOrFail(`--service-pfx ${pfxPath}`, passphrase, () =>
      loadPfx(pfx, passphrase),
    );
    keys.push({ certificate: material.certificate, privateKey: material.privateKey });
  }
  return keys;
}

/**
 * Read every certificate in the files a repeatable flag names (PEM bundles or DER).
 * @throws UsageError for an unreadable file or one without a certificate.
 */
export async function readCertificates(
  io: CliIo,
  flag: string,
  paths: readonly string[] | undefined,
): Promise<Certificate[]> {
  const list = paths ?? [];
  const files = await readFlagFiles(io, flag, list);
  return files.flatMap((data, i) =>
    loadOrFail(`--${flag} ${list[i] ?? ''}`, () => loadCertificates(data)),
  );
}

/** The flags {@link buildTrustStore} reads. */
export interface TrustFlags {
  readonly validation: string | undefined;
  readonly trust: readonly string[] | undefined;
  readonly intermediate: readonly string[] | undefined;
  readonly peer: readonly string[] | undefined;
  readonly crl: readonly string[] | undefined;
  readonly maxClockSkewSeconds: number | undefined;
}

/** A trust store and the pinned peers (which also resolve key references). */
export interface TrustSetup {
  readonly store: TrustStore;
  readonly peers: readonly Certificate[];
}

/**
 * Build the trust store: `--validation` (default chain), anchors from `--trust`, held
 * intermediates, pinned peers, and Offline revocation checking when any `--crl` is given.
 * @throws UsageError for a mode without what it needs or an unreadable file.
 */
export async function buildTrustStore(flags: TrustFlags, io: CliIo): Promise<TrustSetup> {
  const modeName = oneOf(
    flags.validation ?? 'chain',
    Object.keys(VALIDATION_MODES) as (keyof typeof VALIDATION_MODES)[],
    'validation',
  );
  const mode = VALIDATION_MODES[modeName];
  const [roots, intermediates, peers, crls] = await Promise.all([
    readCertificates(io, 'trust', flags.trust),
    readCertificates(io, 'intermediate', flags.intermediate),
    readCertificates(io, 'peer', flags.peer),
    readCrls(io, flags.crl),
  ]);
  if (mode === 'ChainTrust' && roots.length === 0) {
    throw new UsageError('missing --trust (--validation chain needs trusted roots)');
  }
  if (mode === 'PeerTrust' && peers.length === 0) {
    throw new UsageError('missing --peer (--validation peer needs pinned certificates)');
  }
  if (mode === 'PeerOrChainTrust' && peers.length === 0 && roots.length === 0) {
    throw new UsageError('--validation peer-or-chain needs --peer or --trust');
  }
  const options: TrustOptions = {
    validationMode: mode,
    trustedRoots: roots,
    intermediates,
    trustedPeers: peers,
    ...(crls.length > 0 ? { revocationMode: 'Offline' as const, crls } : {}),
    ...(flags.maxClockSkewSeconds === undefined
      ? {}
      : { maxClockSkewSeconds: flags.maxClockSkewSeconds }),
  };
  const store = loadOrFail('trust (see --trust, --peer and --crl)', () => new TrustStore(options));
  return { store, peers };
}

/**
 * Read and check every CRL a repeatable `--crl` names, PEM or DER (as the TrustStore takes
 * them: PEM as text, DER as bytes).
 * @throws UsageError naming the file that cannot be read or holds no CRL.
 */
export async function readCrls(
  io: CliIo,
  paths: readonly string[] | undefined,
): Promise<(string | Uint8Array)[]> {
  const list = paths ?? [];
  const files = await readFlagFiles(io, 'crl', list);
  return files.map((data, i) => {
    const crl = pemOrDer(data);
    loadOrFail(`--crl ${list[i] ?? ''}`, () => parseCrls([crl]));
    return crl;
  });
}

/** The TrustStore takes bytes as DER and a string as PEM: pass PEM files as text. */
function pemOrDer(data: Uint8Array): string | Uint8Array {
  const text = Buffer.from(data).toString('latin1');
  return /^\s*-----BEGIN /.test(text) ? text : data;
}
