/**
 * `wsseq open`: check a secured message as the service would, and print one JSON line
 * saying whether it was accepted, who sent it and what was protected.
 */
import { createOpener, isWsseqError } from '../index.js';
import type { AnyWsseqError, OpenResult, ReceiverPolicy } from '../index.js';
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
import type { Command } from './args.js';
import type { CliIo } from './io.js';
import { buildTrustStore, loadServiceKeys, readCertificates } from './open-setup.js';
import { SUITE_NAMES } from './secure-command.js';
import { checkContract } from '../policy/contract-check.js';
import { WSDL_FLAGS, WSDL_USAGE, readContract } from './wsdl-option.js';

const USAGE = `Usage: wsseq open --in FILE (--service-key FILE --service-cert FILE | --service-pfx FILE)
                  [--passphrase-env VAR] --trust FILE [options]

Open a secured message as the service would: decrypt, verify the signature, validate the
signer's certificate, check the Timestamp and the policy. Prints one JSON line:
  accepted  {"ok":true,"identity":{...},"credential":"Certificate","signed":[...],
             "encrypted":[...],"body":"<Body .../>","soapVersion":"1.1","timestamp":{...},
             "chain":[subjects, leaf first],"envelope":"<the clear envelope>"}
            where identity is what the signer's certificate says: subject, issuer,
            thumbprint (SHA-256), thumbprintSha1, serialNumber, commonName, emails, upns,
            dnsNames
  rejected  {"ok":false,"code":"CertificateUntrusted","fault":"wsse:InvalidSecurityToken",
             "message":"<detail for logs>"}

Message:
  --in FILE               the secured message ("-": standard input)
  --keep-header           keep the Security header in "envelope"

Service keys (repeat for a key rollover; not needed for a message that is only signed):
  --service-key FILE --service-cert FILE  PEM private key and its certificate, paired in order
  --service-pfx FILE      PKCS#12 file with the service key and certificate
  --passphrase-env VAR    read the key or PFX passphrase from environment variable VAR
                          (passphrases are never accepted on the command line)

Trust (the signer's certificate):
  --validation MODE       chain (default) | peer | peer-or-chain | none (DANGEROUS: accepts
                          any certificate; for inspecting messages only)
  --trust FILE            trusted root(s), PEM bundle or DER (repeatable; needed for chain)
  --intermediate FILE     intermediate CA certificates the service holds (repeatable)
  --peer FILE             pinned client certificates for peer trust (repeatable)
  --known-cert FILE       client certificates known out of band, to resolve thumbprint, ski
                          or issuer-serial references (repeatable; --peer certificates count)
  --crl FILE              CRL, PEM or DER (repeatable); any --crl turns on Offline revocation
                          checking, which rejects a certificate whose issuer has no current CRL

Policy:
  --require-encryption    require the Body encrypted (protection level EncryptAndSign)
  --suite NAME            accepted algorithm suite (repeatable; default: every SHA-256 and
                          RSA-OAEP suite); one of:
                          ${wrapList(SUITE_NAMES, 26)}
  --allow-insecure        DANGEROUS: also accept SHA-1, RSA PKCS#1 v1.5 and 3DES
  --now ISO-8601          the instant to check at (Timestamp and certificate validity)
  --max-clock-skew SECONDS  tolerated skew on Timestamp and certificate dates (default 300)

${WSDL_USAGE}
  -h, --help              show this help

Protection level: the library's own default is EncryptAndSign (a service should demand
encryption). This command defaults to Sign-or-better, because an operator inspecting a
message wants to see what it is: "encrypted" in the output says whether the Body was
encrypted. Give --require-encryption to check it as a service with the default policy would.

Exit status: 0 accepted, 1 rejected (JSON on stdout), 2 usage error (message on stderr).
`;

const FLAGS = {
  in: { type: 'string' },
  'service-key': { type: 'string', multiple: true },
  'service-cert': { type: 'string', multiple: true },
  'service-pfx': { type: 'string', multiple: true },
  'passphrase-env': { type: 'string' },
  trust: { type: 'string', multiple: true },
  intermediate: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  validation: { type: 'string' },
  peer: { type: 'string', multiple: true },
  'known-cert': { type: 'string', multiple: true },
  'require-encryption': { type: 'boolean' },
  'keep-header': { type: 'boolean' },
  now: { type: 'string' },
  'max-clock-skew': { type: 'string' },
  suite: { type: 'string', multiple: true },
  'allow-insecure': { type: 'boolean' },
  ...WSDL_FLAGS,
} as const;

/** `wsseq open`. */
export const openCommand: Command = {
  name: 'open',
  summary: 'verify and decrypt a secured message; print the result as JSON',
  usage: USAGE,
  run: runOpen,
};

async function runOpen(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, FLAGS);
  const inPath = required(flags.in, 'in');
  const now = flags.now === undefined ? undefined : instant(flags.now, 'now');
  const skew =
    flags['max-clock-skew'] === undefined
      ? undefined
      : seconds(flags['max-clock-skew'], 'max-clock-skew');
  const requireEncryption = flags['require-encryption'] === true;
  const contract = await readContract(flags, io, flags['allow-insecure'] === true);
  const serviceKeys = await loadServiceKeys(
    {
      serviceKeys: flags['service-key'] ?? [],
      serviceCerts: flags['service-cert'] ?? [],
      servicePfxs: flags['service-pfx'] ?? [],
      passphrase: passphraseFrom(io, flags['passphrase-env']),
    },
    io,
  );
  if (requireEncryption && serviceKeys.length === 0) {
    throw new UsageError(
      '--require-encryption needs --service-key/--service-cert or --service-pfx',
    );
  }
  const trust = await buildTrustStore(
    {
      validation: flags.validation,
      trust: flags.trust,
      intermediate: flags.intermediate,
      peer: flags.peer,
      crl: flags.crl,
      maxClockSkewSeconds: skew,
    },
    io,
  );
  if (trust.store.validationMode === 'None') {
    io.stderr('wsseq: warning: --validation none accepts any signer certificate\n');
  }
  const known = await readCertificates(io, 'known-cert', flags['known-cert']);
  const suites = (flags.suite ?? []).map((s) => oneOf(s, SUITE_NAMES, 'suite'));
  const policy: ReceiverPolicy = {
    ...contract?.receiver,
    protectionLevel: requireEncryption
      ? 'EncryptAndSign'
      : (contract?.receiver.protectionLevel ?? 'Sign'),
    ...(suites.length > 0 ? { algorithmSuites: suites } : {}),
    ...(skew === undefined ? {} : { maxClockSkewSeconds: skew }),
    ...(flags['allow-insecure'] === true ? { allowInsecureAlgorithms: true } : {}),
  };
  const opener = loadOrFail('policy (see --suite and --allow-insecure)', () =>
    createOpener({
      serviceKeys,
      trust: trust.store,
      policy,
      knownCertificates: [...known, ...trust.peers],
      keepSecurityHeader: flags['keep-header'] === true,
      ...(now ? { now: () => now } : {}),
    }),
  );
  const message = await readFlagFile(io, 'in', inPath, true);
  let result: OpenResult;
  try {
    result = await opener.open(message);
    if (contract) checkContract(contract, result.context);
  } catch (err) {
    if (!isWsseqError(err)) throw err;
    io.stdout(`${JSON.stringify(describeRejection(err))}\n`);
    return EXIT.rejected;
  }
  io.stdout(`${JSON.stringify(describeAcceptance(result))}\n`);
  return EXIT.ok;
}

/** The JSON line for an accepted message. */
function describeAcceptance(result: OpenResult): Record<string, unknown> {
  const { context } = result;
  const { identity } = context;
  return {
    ok: true,
    // What the certificate says (CertificateIdentity); other credentials: name and claims.
    identity: identity.certificate ?? { name: identity.name, claims: identity.claims },
    credential: context.credentialType,
    signed: context.signed,
    encrypted: context.encrypted,
    body: result.body,
    soapVersion: context.soapVersion,
    timestamp: context.timestamp
      ? {
          created: context.timestamp.created.toISOString(),
          ...(context.timestamp.expires
            ? { expires: context.timestamp.expires.toISOString() }
            : {}),
        }
      : null,
    chain: context.chain.map((c) => c.subject),
    envelope: result.envelope,
  };
}

/** The JSON line for a rejected message: the code, its fault and the detail for logs. */
function describeRejection(err: AnyWsseqError): Record<string, unknown> {
  return { ok: false, code: err.code, fault: err.fault, message: err.message };
}
