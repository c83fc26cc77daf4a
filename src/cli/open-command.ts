/**
 * `wsseq open`: check a secured message as the service would (Certificate, UserName or
 * IssuedToken credential, optionally against a durable replay cache), and print one JSON line
 * saying whether it was accepted, who sent it and what was protected.
 */
import { createOpener, isWsseqError } from '../index.js';
import type { Certificate, OpenResult, ReceiverPolicy, ServiceKey } from '../index.js';
import type { CredentialType, ReceiverCredential } from '../credentials/types.js';
import type { ReplayCache } from '../replay/replay-cache.js';
import { openSqliteReplayCache } from '../replay/sqlite.js';
import type { SqliteReplayCache } from '../replay/sqlite.js';
import type { CredentialValidation } from '../policy/policy.js';
import type { PolicyFromWsdlResult } from '../policy/wsdl.js';
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
import {
  RECEIVER_CREDENTIAL_FLAGS,
  RECEIVER_CREDENTIAL_USAGE,
  hasReceiverCredentials,
  receiverCredentials,
} from './open-credentials.js';
import { RELAXATION_FLAGS, RELAXATION_USAGE, relaxedPolicy } from './open-profile.js';
import { describeRejection } from './open-result.js';
import { buildTrustStore, loadServiceKeys, readCertificates } from './open-setup.js';
import type { TrustSetup } from './open-setup.js';
import { SUITE_NAMES } from './secure-command.js';
import { checkContract } from '../policy/contract-check.js';
import { KERBEROS_OPEN_FLAGS, KERBEROS_OPEN_USAGE, kerberosReceiver } from './kerberos-option.js';
import { WSDL_FLAGS, WSDL_USAGE, readContract } from './wsdl-option.js';

const USAGE = `Usage: wsseq open --in FILE (--service-key FILE --service-cert FILE | --service-pfx FILE)
                  [--passphrase-env VAR] CREDENTIALS [--replay-cache FILE] [options]
  CREDENTIALS (one or more): --trust FILE ...          (Certificate)
                             --users FILE              (UserName)
                             --sts-cert FILE --sts-issuer URI --audience URI  (IssuedToken)

Open a secured message as the service would: decrypt, verify the signature, authenticate
the credential (validate the signer's certificate, check the user's password, or verify the
issued token and its key binding), check the Timestamp and the policy. Prints one JSON line:
  accepted  {"ok":true,"identity":{...},"credential":"Certificate","signed":[...],
             "encrypted":[...],"body":"<Body .../>","soapVersion":"1.1","timestamp":{...},
             "chain":[subjects, leaf first],"envelope":"<the clear envelope>"}
            where credential is Certificate, UserName or IssuedToken, and identity holds
            name (certificate subject, user name or token subject), claims (token claims,
            the users file's claims, or the certificate's fields) and roles; for a
            Certificate also what the certificate says: subject, issuer, thumbprint
            (SHA-256), thumbprintSha1, serialNumber, commonName, emails, upns, dnsNames
  rejected  {"ok":false,"code":"CertificateUntrusted","fault":"wsse:InvalidSecurityToken",
             "message":"<detail for logs>"}
            (a wrong user name or password is always "AuthenticationFailed"; a message
            already accepted with the same --replay-cache is "Replay")

Message:
  --in FILE               the secured message ("-": standard input)
  --keep-header           keep the Security header in "envelope"
  --no-body               leave "body" out of the JSON (a large message's Body)
  --no-envelope           leave "envelope" out of the JSON

Service keys (repeat for a key rollover; not needed for a message that is only signed):
  --service-key FILE --service-cert FILE  PEM private key and its certificate, paired in order
  --service-pfx FILE      PKCS#12 file with the service key and certificate
  --passphrase-env VAR    read the key or PFX passphrase from environment variable VAR
                          (passphrases are never accepted on the command line)

Trust (the Certificate credential; with --users or --sts-cert and none of these flags,
certificate-only messages are not accepted):
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
  --max-clock-skew SECONDS  tolerated skew on Timestamp, certificate and token dates
                          (default 300)
  --max-message-age SECONDS  oldest a message may be (now - its Created): how long it may
                          wait in queues; bounds the replay window and a UsernameToken's
                          age (default: no bound beyond the Timestamp's Expires; 300 s for
                          a UsernameToken)
  --valid-at WHEN         receipt (default): the signer's certificate and an issued token
                          must be valid now; signed-time: valid at the signed Created, so
                          a credential that expired while the message waited is accepted
                          (needs --max-message-age)

${RELAXATION_USAGE}
${RECEIVER_CREDENTIAL_USAGE}
${KERBEROS_OPEN_USAGE}
Replay protection:
  --replay-cache FILE     a durable replay cache (SQLite, created when missing): a message
                          (its signature value, its UsernameToken nonce) accepted once is
                          rejected as Replay by any later "wsseq open" with the same FILE,
                          until its Timestamp is too old to be accepted anyway (its signed
                          Expires or --max-message-age; a message bounded by neither is
                          rejected as PolicyViolation). The keys are reserved when the
                          message is opened and committed once the verdict is printed; a
                          rejected message leaves nothing behind. A relative FILE is taken
                          from the current directory

${WSDL_USAGE}
  -h, --help              show this help

Protection level: the library's own default is EncryptAndSign (a service should demand
encryption). This command defaults to Sign-or-better, because an operator inspecting a
message wants to see what it is: "encrypted" in the output says whether the Body was
encrypted. Give --require-encryption to check it as a service with the default policy would.

Exit status: 0 accepted, 1 rejected (JSON on stdout), 2 usage error (message on stderr),
3 unexpected failure (a bug: the error is on stderr).
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
  'no-body': { type: 'boolean' },
  'no-envelope': { type: 'boolean' },
  now: { type: 'string' },
  'max-clock-skew': { type: 'string' },
  'max-message-age': { type: 'string' },
  'valid-at': { type: 'string' },
  suite: { type: 'string', multiple: true },
  'allow-insecure': { type: 'boolean' },
  ...RECEIVER_CREDENTIAL_FLAGS,
  ...RELAXATION_FLAGS,
  ...KERBEROS_OPEN_FLAGS,
  'replay-cache': { type: 'string' },
  ...WSDL_FLAGS,
} as const;

type OpenFlags = FlagValues<typeof FLAGS>;

const VALID_AT = {
  receipt: 'AtReceipt',
  'signed-time': 'AtSignedTime',
} as const satisfies Record<string, CredentialValidation>;

/** The flags that configure the Certificate credential. */
const TRUST_FLAGS = ['trust', 'intermediate', 'crl', 'validation', 'peer'] as const;

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
  const maxAge =
    flags['max-message-age'] === undefined
      ? undefined
      : seconds(flags['max-message-age'], 'max-message-age');
  const validAt =
    flags['valid-at'] === undefined
      ? undefined
      : VALID_AT[oneOf(flags['valid-at'], ['receipt', 'signed-time'] as const, 'valid-at')];
  if (validAt === 'AtSignedTime' && maxAge === undefined) {
    throw new UsageError('--valid-at signed-time needs --max-message-age');
  }
  const requireEncryption = flags['require-encryption'] === true;
  const unprotected = flags['allow-unprotected-token'] === true;
  if (requireEncryption && unprotected) {
    throw new UsageError('--allow-unprotected-token contradicts --require-encryption');
  }
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
  const otherCredential =
    hasReceiverCredentials(flags) ||
    contract?.credentialType === 'UserName' ||
    contract?.credentialType === 'IssuedToken' ||
    flags.keytab !== undefined ||
    contract?.credentialType === 'Windows';
  const trust = await certificateTrust(flags, io, skew, otherCredential);
  const credentials = await receiverCredentials(flags, io, {
    trust: trust?.store,
    maxClockSkewSeconds: skew,
    maxMessageAgeSeconds: maxAge,
  });
  const kerberos = await kerberosReceiver(flags, io, skew);
  if (kerberos) credentials.push(kerberos);
  if (contract) requireContractCredential(contract, flags, trust);
  const known = await readCertificates(io, 'known-cert', flags['known-cert']);
  const suites = (flags.suite ?? []).map((s) => oneOf(s, SUITE_NAMES, 'suite'));
  const relaxed = relaxedPolicy(flags, suites);
  const policy: ReceiverPolicy = {
    ...contract?.receiver,
    ...relaxed.policy,
    protectionLevel: requireEncryption
      ? 'EncryptAndSign'
      : unprotected
        ? 'None'
        : (contract?.receiver.protectionLevel ?? 'Sign'),
    ...(skew === undefined ? {} : { maxClockSkewSeconds: skew }),
    ...(maxAge === undefined ? {} : { maxMessageAgeSeconds: maxAge }),
    ...(validAt === undefined ? {} : { credentialValidation: validAt }),
  };
  const message = await readFlagFile(io, 'in', inPath, true);
  const replayCache = openReplayCache(flags['replay-cache'], now);
  try {
    return await openAndPrint(message, io, contract, {
      serviceKeys,
      trust,
      credentials,
      policy,
      known,
      keepHeader: flags['keep-header'] === true,
      replayCache,
      now,
      output: {
        body: flags['no-body'] !== true,
        envelope: flags['no-envelope'] !== true,
        relaxed: relaxed.relaxed,
      },
    });
  } finally {
    replayCache?.close();
  }
}

/** The receiver, as the flags configured it. */
interface Receiver {
  readonly serviceKeys: readonly ServiceKey[];
  readonly trust: TrustSetup | undefined;
  readonly credentials: readonly ReceiverCredential[];
  readonly policy: ReceiverPolicy;
  readonly known: readonly Certificate[];
  readonly keepHeader: boolean;
  readonly replayCache: ReplayCache | undefined;
  readonly now: Date | undefined;
  readonly output: OutputChoice;
}

/** What the JSON line holds besides the verdict. */
interface OutputChoice {
  readonly body: boolean;
  readonly envelope: boolean;
  /** The relaxations in effect (reported when any). */
  readonly relaxed: readonly string[];
}

/**
 * Open the message; on acceptance print the verdict and then commit its replay keys (the
 * printing is this command's handling); on rejection (the contract's too) release them.
 */
async function openAndPrint(
  message: Uint8Array,
  io: CliIo,
  contract: PolicyFromWsdlResult | undefined,
  r: Receiver,
): Promise<number> {
  const { now } = r;
  const opener = loadOrFail('policy (see --suite and --allow-insecure)', () =>
    createOpener({
      serviceKeys: r.serviceKeys,
      ...(r.trust ? { trust: r.trust.store } : {}),
      credentials: r.credentials,
      policy: r.policy,
      knownCertificates: [...r.known, ...(r.trust?.peers ?? [])],
      keepSecurityHeader: r.keepHeader,
      ...(r.replayCache ? { replayCache: r.replayCache } : {}),
      ...(now ? { now: () => now } : {}),
    }),
  );
  try {
    await opener.openAndHandle(message, (result) => {
      if (contract) checkContract(contract, result.context);
      io.stdout(`${JSON.stringify(describeAcceptance(result, r.output))}\n`);
    });
  } catch (err) {
    if (!isWsseqError(err)) throw err;
    const rejection = describeRejection(err, { serviceKeys: r.serviceKeys.length });
    const relaxed = r.output.relaxed.length > 0 ? { relaxed: r.output.relaxed } : {};
    io.stdout(`${JSON.stringify({ ...rejection, ...relaxed })}\n`);
    return EXIT.rejected;
  }
  return EXIT.ok;
}

/**
 * The trust store for the Certificate credential: always, unless another credential is
 * configured (or the contract asks for one) and no trust flag is given.
 */
async function certificateTrust(
  flags: OpenFlags,
  io: CliIo,
  skew: number | undefined,
  otherCredential: boolean,
): Promise<TrustSetup | undefined> {
  if (otherCredential && !TRUST_FLAGS.some((f) => flags[f] !== undefined)) {
    return undefined;
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
  return trust;
}

/** A contract's credential must be one this receiver is configured to accept. */
function requireContractCredential(
  contract: PolicyFromWsdlResult,
  flags: OpenFlags,
  trust: TrustSetup | undefined,
): void {
  const accepted: Record<CredentialType, boolean> = {
    Certificate: trust !== undefined,
    UserName: flags.users !== undefined,
    IssuedToken: flags['sts-cert'] !== undefined,
    Windows: flags.keytab !== undefined,
  };
  const asked = contract.credentialType;
  if (asked === 'None' || accepted[asked]) return;
  const give: Record<CredentialType, string> = {
    Certificate: '--trust (or --peer)',
    UserName: '--users FILE',
    IssuedToken: '--sts-cert FILE --sts-issuer URI --audience URI',
    Windows: '--keytab FILE',
  };
  throw new UsageError(
    `--wsdl binding ${contract.binding} asks for a ${asked} credential: give ${give[asked]}`,
  );
}

/**
 * The durable replay cache `--replay-cache` names, on the opener's clock (so that a pinned
 * `--now` dates the records as it dates the messages).
 * @throws UsageError when the file cannot be opened as a database.
 */
function openReplayCache(
  path: string | undefined,
  now: Date | undefined,
): SqliteReplayCache | undefined {
  if (path === undefined) return undefined;
  try {
    return openSqliteReplayCache({ path, ...(now ? { now: () => now } : {}) });
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const reason =
      typeof code === 'string' ? code : cause instanceof Error ? cause.message : 'unusable';
    throw new UsageError(`cannot open --replay-cache ${path} (${reason})`, { cause });
  }
}

/** The JSON line for an accepted message. */
function describeAcceptance(result: OpenResult, output: OutputChoice): Record<string, unknown> {
  const { context } = result;
  const { identity } = context;
  return {
    ok: true,
    // Every credential: name, claims, roles; a certificate's also what it says.
    identity: {
      ...identity.certificate,
      name: identity.name,
      claims: identity.claims,
      roles: identity.roles,
    },
    credential: context.credentialType,
    signed: context.signed,
    encrypted: context.encrypted,
    ...(output.body ? { body: result.body } : {}),
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
    ...(output.relaxed.length > 0 ? { relaxed: output.relaxed } : {}),
    ...(output.envelope ? { envelope: result.envelope } : {}),
  };
}
