/**
 * `wsseq secure`: sign (and by default encrypt) a SOAP envelope as a client, with a
 * certificate, a UsernameToken or an issued token.
 */
import { ALGORITHM_SUITES, DEFAULT_SUITE, createSecurer, loadCertificates } from '../index.js';
import type {
  AlgorithmSuiteName,
  Certificate,
  KeyReferenceStyle,
  KeyTransportName,
  ProtectionLevel,
  ProtectionOrder,
  SenderPolicy,
} from '../index.js';
import type { CredentialType } from '../credentials/types.js';
import type { PolicyFromWsdlResult } from '../policy/wsdl.js';
import {
  EXIT,
  UsageError,
  instant,
  loadOrFail,
  oneOf,
  parseFlags,
  readFlagFile,
  required,
  seconds,
  wrapList,
  writeOutput,
} from './args.js';
import type { Command, FlagValues } from './args.js';
import {
  CLIENT_CREDENTIAL_FLAGS,
  chosenCredential,
  clientCredential,
  credentialHint,
} from './client-credential.js';
import { describeInputError } from './input-error.js';
import { LIMIT_FLAGS, LIMIT_FLAG_NAMES, inputLimits, overLimit } from './secure-limits.js';
import type { CliIo } from './io.js';
import {
  KERBEROS_SECURE_FLAGS,
  KERBEROS_SECURE_USAGE,
  kerberosSecurer,
} from './kerberos-option.js';
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

const LEVELS = {
  'encrypt-and-sign': 'EncryptAndSign',
  sign: 'Sign',
  none: 'None',
} as const satisfies Record<string, ProtectionLevel>;

const USAGE = `Usage: wsseq secure --in FILE [--out FILE] CREDENTIAL --service-cert FILE [options]
  CREDENTIAL: (--cert FILE --key FILE | --pfx FILE) [--passphrase-env VAR]
            | --username NAME --password-env VAR [--digest] [--cert/--key | --pfx]
            | --token-file FILE [--cert/--key | --pfx]

Secure a SOAP 1.1 or 1.2 envelope as a client: add a WS-Security header with a Timestamp and
the credential, sign the Body, the Timestamp and the credential's token and, unless
--sign-only, encrypt the Body for the service. Writes the secured envelope to --out, or to
standard output.

Input and output:
  --in FILE             the envelope to secure ("-": standard input)
  --out FILE            where to write the secured envelope (default: standard output)

Certificate credential (the default; also the signing key of the other two):
  --cert FILE --key FILE  PEM certificate (may hold the chain) and PEM private key
  --pfx FILE              PKCS#12 file with the key and certificate
  --passphrase-env VAR    read the key or PFX passphrase from environment variable VAR
                          (passphrases are never accepted on the command line)

UserName credential (UsernameToken profile 1.1, credential "UserName"):
  --username NAME         the user name
  --password-env VAR      read the password from environment variable VAR (required)
  --digest                send a PasswordDigest (SHA-1 of nonce, created and password)
                          instead of the password (PasswordText, the default)
  --allow-unencrypted-password-text
                          DANGEROUS: send a PasswordText token in a message that is not
                          encrypted (--sign-only, --protection none): readable on the way
  Without --cert/--key or --pfx the message is signed with the key that encrypts it (as
  WCF's UserNameForCertificate): --service-cert is then required and --sign-only refused.
  With them, the client certificate signs the message too. The UsernameToken is signed
  and, when the Body is encrypted, encrypted.

IssuedToken credential (a JWT from a token service, credential "IssuedToken"):
  --token-file FILE       the compact JWT (from "wsseq sts issue" or a token service); it
                          travels as a signed BinarySecurityToken (ValueType JWT)
  Holder-of-key (the token's cnf names a key, the default of "wsseq sts issue"): give the
  --cert/--key or --pfx it is bound to; the message is signed with that key. A bearer token
  (no cnf) without a key is signed with the key that encrypts the message.

Service:
  --service-cert FILE   the service's PEM or DER certificate (required unless the message
                        is not encrypted)
  --sign-only           sign without encrypting (same as --protection sign)
  --protection LEVEL    encrypt-and-sign (default) | sign | none; none sends the Timestamp
                        and a bare UsernameToken with no signature or encryption, as SOAP
                        stacks do over TLS (only with --username; use --digest or
                        --allow-unencrypted-password-text; the receiver must allow it with
                        "open --allow-unprotected-token")

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
  --max-bytes N         largest input accepted, in bytes (default 16777216: 16 MiB)
  --max-depth N         deepest element nesting (default 64)
  --max-elements N      most elements (default 200000)
  --max-attributes N    most attributes on one element (default 64)
  --strict              refuse (exit 2) instead of warning when the client certificate is
                        expired or not yet valid at that instant

${KERBEROS_SECURE_USAGE}
${WSDL_USAGE}                        (a UserName or IssuedToken binding needs the credential
                        flags above; a binding with sp:HashPassword selects --digest)
  -h, --help            show this help

An input that is refused is reported with its cause (and, for XML that is not well-formed,
the line and column). A client certificate outside its validity period is a warning on stderr
(the message is still written) unless --strict.

Exit status: 0 secured, 2 usage error (bad flag, unreadable file, wrong passphrase, input
that is not a SOAP envelope, with --strict an expired client certificate), 3 unexpected
failure.

Examples:
  WSSEQ_PASS=... wsseq secure --in order.xml --pfx client.p12 --passphrase-env WSSEQ_PASS \\
    --service-cert service.pem --out order.secured.xml
  ALICE_PW=... wsseq secure --in order.xml --username alice --password-env ALICE_PW \\
    --digest --service-cert service.pem --out order.secured.xml
  wsseq secure --in order.xml --token-file alice.jwt --cert client.pem --key client.key \\
    --service-cert service.pem --out order.secured.xml
`;

const FLAGS = {
  in: { type: 'string' },
  out: { type: 'string' },
  ...CLIENT_CREDENTIAL_FLAGS,
  'service-cert': { type: 'string' },
  'sign-only': { type: 'boolean' },
  protection: { type: 'string' },
  suite: { type: 'string' },
  'allow-insecure': { type: 'boolean' },
  order: { type: 'string' },
  'key-ref': { type: 'string' },
  'service-key-ref': { type: 'string' },
  'key-transport': { type: 'string' },
  ttl: { type: 'string' },
  now: { type: 'string' },
  strict: { type: 'boolean' },
  ...LIMIT_FLAGS,
  ...WSDL_FLAGS,
  ...KERBEROS_SECURE_FLAGS,
} as const;

type SecureFlags = FlagValues<typeof FLAGS>;

/** `wsseq secure`. */
export const secureCommand: Command = {
  name: 'secure',
  summary: 'sign and encrypt a SOAP envelope as a client (certificate, user name or token)',
  usage: USAGE,
  run: runSecure,
};

async function runSecure(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, FLAGS);
  const inPath = required(flags.in, 'in');
  if (flags.kerberos !== undefined) {
    const now = flags.now === undefined ? undefined : instant(flags.now, 'now');
    const kerberos = await kerberosSecurer(flags, io, {
      suite: flags.suite === undefined ? undefined : oneOf(flags.suite, SUITE_NAMES, 'suite'),
      allowInsecure: flags['allow-insecure'] === true,
      signOnly: flags['sign-only'] === true,
      ttl: flags.ttl === undefined ? undefined : seconds(flags.ttl, 'ttl'),
      now,
    });
    const input = await readFlagFile(io, 'in', inPath, true);
    await writeOutput(
      io,
      flags.out,
      loadOrFail(`--in ${inPath}`, () => kerberos.secure(input)),
    );
    return EXIT.ok;
  }
  const chosen = chosenCredential(flags);
  const contract = await readContract(flags, io, flags['allow-insecure'] === true);
  if (contract) warnOnOtherCredential(contract, chosen, io);
  const requested = protectionFlag(flags);
  if (requested === 'None' && chosen !== 'UserName') {
    throw new UsageError('--protection none sends no signature: it is only for --username');
  }
  const protectionLevel = requested ?? contract?.sender.protectionLevel ?? 'EncryptAndSign';
  const policy: SenderPolicy = { ...contract?.sender, ...senderPolicy(flags), protectionLevel };
  if (protectionLevel === 'EncryptAndSign' && flags['service-cert'] === undefined) {
    throw new UsageError('missing --service-cert (or give --sign-only)');
  }
  const { credential, certificate } = await clientCredential(
    flags,
    io,
    { protectionLevel, keyReference: policy.signerKeyReference },
    contract,
  );
  const serviceCert = await readServiceCertificate(flags['service-cert'], io);
  const now = flags.now === undefined ? undefined : instant(flags.now, 'now');
  if (certificate) checkValidity(certificate, now ?? new Date(), flags.strict === true, io);
  const securer = loadOrFail('policy (see --suite and --allow-insecure)', () =>
    createSecurer({
      credential,
      ...(serviceCert ? { serviceCertificate: serviceCert } : {}),
      policy,
      ...(now ? { now: () => now } : {}),
    }),
  );
  const input = await readFlagFile(io, 'in', inPath, true);
  const wire = secureInput(() => securer.secure(input), inPath, input);
  await writeOutput(io, flags.out, wire);
  return EXIT.ok;
}

/**
 * Secure the input; a refusal (not well-formed, over a limit, not SOAP) is a usage error that
 * says why, with the line and column of an XML error.
 * @throws UsageError naming `--in`.
 */
function secureInput(secure: () => string, path: string, input: Uint8Array): string {
  try {
    return secure();
  } catch (err) {
    if (err instanceof TypeError) {
      const raise = overLimit(err) ? ` (raise the limits with ${LIMIT_FLAG_NAMES})` : '';
      throw new UsageError(`--in ${path}: ${describeInputError(err, input)}${raise}`, {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * A client certificate outside its validity period: the service will refuse the message
 * (CertificateExpired). A warning on stderr; with `--strict`, a usage error.
 * @throws UsageError under `strict`.
 */
function checkValidity(certificate: Certificate, at: Date, strict: boolean, io: CliIo): void {
  const t = at.getTime();
  const problem =
    t > certificate.notAfter.getTime()
      ? `expired at ${certificate.notAfter.toISOString()}`
      : t < certificate.notBefore.getTime()
        ? `is not valid before ${certificate.notBefore.toISOString()}`
        : undefined;
  if (problem === undefined) return;
  const text = `the client certificate "${certificate.subject}" ${problem}: a service will reject the message (CertificateExpired)`;
  if (strict) throw new UsageError(`${text} (--strict)`);
  io.stderr(`wsseq: warning: ${text}\n`);
}

/** The protection level `--sign-only` or `--protection` asks for, if any. */
function protectionFlag(flags: SecureFlags): ProtectionLevel | undefined {
  const level =
    flags.protection === undefined
      ? undefined
      : LEVELS[
          oneOf(flags.protection, Object.keys(LEVELS) as (keyof typeof LEVELS)[], 'protection')
        ];
  if (flags['sign-only'] === true) {
    if (level !== undefined && level !== 'Sign') {
      throw new UsageError(`--sign-only contradicts --protection ${flags.protection ?? ''}`);
    }
    return 'Sign';
  }
  return level;
}

/** A credential other than the contract's will be refused by a receiver that enforces it. */
function warnOnOtherCredential(
  contract: PolicyFromWsdlResult,
  chosen: CredentialType,
  io: CliIo,
): void {
  const asked = contract.credentialType;
  if (asked === 'None' || asked === chosen) return;
  const hint = credentialHint(contract);
  io.stderr(
    `wsseq: warning: ${hint ?? `--wsdl binding ${contract.binding} asks for a ${asked} credential`}; this message carries ${chosen}\n`,
  );
}

function senderPolicy(flags: SecureFlags): Omit<SenderPolicy, 'protectionLevel'> {
  const limits = inputLimits(flags);
  const opt = <K extends keyof SenderPolicy>(key: K, value: SenderPolicy[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  const pick = <T extends string>(
    value: string | undefined,
    allowed: readonly T[],
    flag: string,
  ) => (value === undefined ? undefined : oneOf(value, allowed, flag));
  return {
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
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
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
