/**
 * `wsseq secure`: sign (and by default encrypt) a SOAP envelope as a client.
 */
import {
  ALGORITHM_SUITES,
  DEFAULT_SUITE,
  certificateCredential,
  createSecurer,
  loadCertificates,
  loadPem,
  loadPfx,
} from '../index.js';
import type {
  AlgorithmSuiteName,
  Certificate,
  KeyMaterial,
  KeyReferenceStyle,
  KeyTransportName,
  ProtectionOrder,
  SenderPolicy,
} from '../index.js';
import {
  EXIT,
  UsageError,
  instant,
  loadOrFail,
  oneOf,
  parseFlags,
  passphraseFrom,
  readFlagFile,
  required,
  seconds,
  wrapList,
} from './args.js';
import type { Command, FlagValues } from './args.js';
import type { CliIo } from './io.js';
import { WSDL_FLAGS, WSDL_USAGE, readContract } from './wsdl-option.js';

/** Every algorithm suite name, in the library's order. */
export const SUITE_NAMES = Object.keys(ALGORITHM_SUITES) as AlgorithmSuiteName[];

const ORDERS: readonly ProtectionOrder[] = [
  'SignBeforeEncrypt',
  'SignBeforeEncryptAndEncryptSignature',
  'EncryptBeforeSign',
];
const KEY_REFS: readonly KeyReferenceStyle[] = ['bst', 'thumbprint', 'ski', 'issuer-serial'];
const SERVICE_KEY_REFS: readonly Exclude<KeyReferenceStyle, 'bst'>[] = [
  'thumbprint',
  'ski',
  'issuer-serial',
];
const KEY_TRANSPORTS: readonly KeyTransportName[] = ['rsa-oaep-mgf1p', 'rsa-oaep'];

const USAGE = `Usage: wsseq secure --in FILE [--out FILE] (--cert FILE --key FILE | --pfx FILE)
                    [--passphrase-env VAR] --service-cert FILE [options]

Secure a SOAP 1.1 or 1.2 envelope as a client: add a WS-Security header with a Timestamp,
sign the Body and Timestamp with the client key and, unless --sign-only, encrypt the Body
for the service. Writes the secured envelope to --out, or to standard output.

Input and output:
  --in FILE             the envelope to secure ("-": standard input)
  --out FILE            where to write the secured envelope (default: standard output)

Client credential (one of):
  --cert FILE --key FILE  PEM certificate (may hold the chain) and PEM private key
  --pfx FILE              PKCS#12 file with the key and certificate
  --passphrase-env VAR    read the key or PFX passphrase from environment variable VAR
                          (passphrases are never accepted on the command line)

Service:
  --service-cert FILE   the service's PEM or DER certificate (required unless --sign-only)
  --sign-only           sign without encrypting (protection level Sign)

Policy:
  --suite NAME          algorithm suite (default ${DEFAULT_SUITE}); one of:
                        ${wrapList(SUITE_NAMES, 24)}
  --allow-insecure      DANGEROUS: allow the SHA-1 and RSA PKCS#1 v1.5 suites
  --order NAME          ${ORDERS.join(' | ')}
                        (default SignBeforeEncrypt)
  --key-ref STYLE       how the signature refers to the client certificate:
                        bst (default: the certificate travels) | thumbprint | ski | issuer-serial
                        (the receiver must then know the certificate out of band)
  --service-key-ref STYLE  how the EncryptedKey refers to the service certificate:
                        thumbprint (default) | ski | issuer-serial
  --key-transport NAME  rsa-oaep-mgf1p (default) | rsa-oaep (xmlenc11, SHA-256)
  --ttl SECONDS         Timestamp lifetime (default 300; 0: no Expires)
  --now ISO-8601        the instant to stamp instead of the clock

${WSDL_USAGE}
  -h, --help            show this help

Exit status: 0 secured, 2 usage error (bad flag, unreadable file, wrong passphrase, input
that is not a SOAP envelope).

Example:
  WSSEQ_PASS=... wsseq secure --in order.xml --pfx client.p12 --passphrase-env WSSEQ_PASS \\
    --service-cert service.pem --out order.secured.xml
`;

const FLAGS = {
  in: { type: 'string' },
  out: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  'passphrase-env': { type: 'string' },
  'service-cert': { type: 'string' },
  'sign-only': { type: 'boolean' },
  suite: { type: 'string' },
  'allow-insecure': { type: 'boolean' },
  order: { type: 'string' },
  'key-ref': { type: 'string' },
  'service-key-ref': { type: 'string' },
  'key-transport': { type: 'string' },
  ttl: { type: 'string' },
  now: { type: 'string' },
  ...WSDL_FLAGS,
} as const;

type SecureFlags = FlagValues<typeof FLAGS>;

/** `wsseq secure`. */
export const secureCommand: Command = {
  name: 'secure',
  summary: 'sign and encrypt a SOAP envelope as a client',
  usage: USAGE,
  run: runSecure,
};

async function runSecure(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, FLAGS);
  const inPath = required(flags.in, 'in');
  const contract = await readContract(flags, io, flags['allow-insecure'] === true);
  const explicit = senderPolicy(flags);
  const policy: SenderPolicy = contract
    ? {
        ...contract.sender,
        ...explicit,
        protectionLevel:
          flags['sign-only'] === true
            ? 'Sign'
            : (contract.sender.protectionLevel ?? 'EncryptAndSign'),
      }
    : explicit;
  const signOnly = policy.protectionLevel !== 'EncryptAndSign';
  if (!signOnly && flags['service-cert'] === undefined) {
    throw new UsageError('missing --service-cert (or give --sign-only)');
  }
  const material = await clientMaterial(flags, io);
  const serviceCert = await readServiceCertificate(flags['service-cert'], io);
  const now = flags.now === undefined ? undefined : instant(flags.now, 'now');
  const securer = loadOrFail('policy (see --suite and --allow-insecure)', () =>
    createSecurer({
      credential: certificateCredential({
        certificate: material.certificate,
        privateKey: material.privateKey,
        ...(policy.signerKeyReference ? { keyReference: policy.signerKeyReference } : {}),
      }),
      ...(serviceCert ? { serviceCertificate: serviceCert } : {}),
      policy,
      ...(now ? { now: () => now } : {}),
    }),
  );
  const input = await readFlagFile(io, 'in', inPath, true);
  const wire = loadOrFail(`--in ${inPath}`, () => securer.secure(input));
  if (flags.out === undefined) {
    io.stdout(`${wire}\n`);
  } else {
    const out = flags.out;
    try {
      await io.writeFile(out, wire);
    } catch (cause) {
      const code = (cause as { code?: unknown } | null)?.code;
      const reason = typeof code === 'string' ? code : 'unwritable';
      throw new UsageError(`cannot write --out ${out} (${reason})`, { cause });
    }
  }
  return EXIT.ok;
}

function senderPolicy(flags: SecureFlags): SenderPolicy {
  const opt = <K extends keyof SenderPolicy>(key: K, value: SenderPolicy[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  const pick = <T extends string>(
    value: string | undefined,
    allowed: readonly T[],
    flag: string,
  ) => (value === undefined ? undefined : oneOf(value, allowed, flag));
  return {
    protectionLevel: flags['sign-only'] === true ? 'Sign' : 'EncryptAndSign',
    ...opt('algorithmSuite', pick(flags.suite, SUITE_NAMES, 'suite')),
    ...opt('protectionOrder', pick(flags.order, ORDERS, 'order')),
    ...opt('signerKeyReference', pick(flags['key-ref'], KEY_REFS, 'key-ref')),
    ...opt(
      'serviceKeyReference',
      pick(flags['service-key-ref'], SERVICE_KEY_REFS, 'service-key-ref'),
    ),
    ...opt('keyTransport', pick(flags['key-transport'], KEY_TRANSPORTS, 'key-transport')),
    ...opt('timestampTtlSeconds', flags.ttl === undefined ? undefined : seconds(flags.ttl, 'ttl')),
    ...opt('allowInsecureAlgorithms', flags['allow-insecure'] === true ? true : undefined),
  };
}

async function clientMaterial(flags: SecureFlags, io: CliIo): Promise<KeyMaterial> {
  const passphrase = passphraseFrom(io, flags['passphrase-env']);
  if (flags.pfx !== undefined) {
    if (flags.cert !== undefined || flags.key !== undefined) {
      throw new UsageError('give either --pfx or --cert with --key, not both');
    }
    const pfxPath = flags.pfx;
    const pfx = await readFlagFile(io, 'pfx', pfxPath);
    return loadOrFail(`--pfx ${pfxPath}`, () => loadPfx(pfx, passphrase));
  }
  if (flags.cert === undefined && flags.key === undefined) {
    throw new UsageError('missing the client credential: --cert with --key, or --pfx');
  }
  const certPath = required(flags.cert, 'cert');
  const keyPath = required(flags.key, 'key');
  const [certificate, privateKey] = await Promise.all([
    readFlagFile(io, 'cert', certPath),
    readFlagFile(io, 'key', keyPath),
  ]);
  return loadOrFail(`--cert ${certPath} --key ${keyPath}`, () =>
    loadPem({ certificate, privateKey, ...(passphrase === undefined ? {} : { passphrase }) }),
  );
}

async function readServiceCertificate(
  path: string | undefined,
  io: CliIo,
): Promise<Certificate | undefined> {
  if (path === undefined) return undefined;
  const data = await readFlagFile(io, 'service-cert', path);
  const [leaf] = loadOrFail(`--service-cert ${path}`, () => loadCertificates(data));
  return leaf;
}
