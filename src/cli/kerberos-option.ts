/**
 * The Windows (Kerberos) credential on the command line:
 * `wsseq secure --kerberos SPN [--keytab FILE --principal NAME]` and
 * `wsseq open --keytab FILE [--service-principal NAME]`.
 */
import { kerberosAuthenticator } from '../credentials/kerberos.js';
import { createKerberosSecurer } from '../credentials/kerberos-secure.js';
import type { ReceiverCredential } from '../credentials/types.js';
import { diagnoseKerberos } from '../doctor/kerberos.js';
import { isWsseqError } from '../errors.js';
import { acquireServiceTicket } from '../kerberos/initiator.js';
import type { AlgorithmSuiteName } from '../policy/algorithms.js';
import type { Securer } from '../secure/secure-envelope.js';
import { UsageError, loadOrFail, onlyWith, readFlagFile } from './args.js';
import type { CliIo } from './io.js';

/** `secure`'s Kerberos flags. */
export const KERBEROS_SECURE_FLAGS = {
  kerberos: { type: 'string' },
  keytab: { type: 'string' },
  principal: { type: 'string' },
  layout: { type: 'string' },
} as const;

export const KERBEROS_SECURE_USAGE = `Windows credential (Kerberos):
  --kerberos SPN          sign and encrypt with a Kerberos ticket for the service principal
                          SPN (HTTP/host@REALM), from the credential cache (KRB5CCNAME,
                          after kinit); the KDC from krb5.conf (KRB5_CONFIG)
  --keytab FILE           with --principal: get the ticket with this client keytab instead
  --principal NAME        the client principal whose key --keytab holds
  --layout wcf|wss4j      derived keys as WCF (default) or the Kerberos key as WSS4J
`;

/** The values `secure` passes on. */
export interface KerberosSecureFlags {
  readonly kerberos?: string | undefined;
  readonly keytab?: string | undefined;
  readonly principal?: string | undefined;
  readonly layout?: string | undefined;
}

/**
 * A securer for `--kerberos` (the ticket is obtained now).
 * @throws UsageError for bad flags, or when no ticket can be had (no TGT, KDC refusal).
 */
export async function kerberosSecurer(
  flags: KerberosSecureFlags,
  io: CliIo,
  setting: {
    readonly suite: AlgorithmSuiteName | undefined;
    readonly allowInsecure: boolean;
    readonly signOnly: boolean;
    readonly ttl: number | undefined;
    readonly now: Date | undefined;
  },
): Promise<Securer> {
  const spn = flags.kerberos ?? '';
  if ((flags.keytab === undefined) !== (flags.principal === undefined)) {
    throw new UsageError('--keytab and --principal go together (with --kerberos)');
  }
  const layout = flags.layout ?? 'wcf';
  if (layout !== 'wcf' && layout !== 'wss4j') throw new UsageError('--layout is wcf or wss4j');
  let ticket;
  try {
    ticket = await acquireServiceTicket({
      servicePrincipal: spn,
      env: io.env,
      ...(flags.keytab === undefined ? {} : { keytab: flags.keytab }),
      ...(flags.principal === undefined ? {} : { principal: flags.principal }),
    });
  } catch (err) {
    const reason = isWsseqError(err) || err instanceof Error ? err.message : String(err);
    throw new UsageError(`--kerberos ${spn}: no service ticket: ${reason}`);
  }
  const { now } = setting;
  return loadOrFail('policy (see --suite and --allow-insecure)', () =>
    createKerberosSecurer({
      ticket,
      layout,
      ...(setting.suite === undefined ? {} : { algorithmSuite: setting.suite }),
      allowInsecureAlgorithms: setting.allowInsecure,
      protectionLevel: setting.signOnly ? 'Sign' : 'EncryptAndSign',
      ...(setting.ttl === undefined ? {} : { timestampTtlSeconds: setting.ttl }),
      ...(now ? { now: () => now } : {}),
    }),
  );
}

/** `open`'s Kerberos flags. */
export const KERBEROS_OPEN_FLAGS = {
  keytab: { type: 'string' },
  'service-principal': { type: 'string', multiple: true },
} as const;

export const KERBEROS_OPEN_USAGE = `Windows credential (Kerberos):
  --keytab FILE           accept Kerberos tokens (AP-REQ) for the principals of this keytab
  --service-principal NAME  only tickets for this principal (repeatable; default: any the
                          keytab holds)
`;

/** The Kerberos authenticator `--keytab` asks for, if any. */
export async function kerberosReceiver(
  flags: {
    readonly keytab?: string | undefined;
    readonly 'service-principal'?: string[] | undefined;
  },
  io: CliIo,
  maxClockSkewSeconds: number | undefined,
): Promise<ReceiverCredential | undefined> {
  onlyWith(flags, ['service-principal'], 'keytab');
  if (flags.keytab === undefined) return undefined;
  const bytes = Buffer.from(await readFlagFile(io, 'keytab', flags.keytab));
  const names = flags['service-principal'];
  return loadOrFail(`--keytab ${flags.keytab}`, () =>
    kerberosAuthenticator({
      keytab: bytes,
      ...(names === undefined ? {} : { servicePrincipal: names }),
      ...(maxClockSkewSeconds === undefined ? {} : { maxClockSkewSeconds }),
    }),
  );
}

/** `doctor`'s Kerberos flags. */
export const KERBEROS_DOCTOR_FLAGS = {
  keytab: { type: 'string' },
  'service-principal': { type: 'string' },
  ccache: { type: 'string' },
} as const;

export const KERBEROS_DOCTOR_USAGE = `Kerberos (instead of a certificate):
  --keytab FILE         a service keytab: readable, a key for --service-principal, AES keys
  --service-principal NAME  the principal the keytab must serve (HTTP/host@REALM)
  --ccache FILE         a sender's credential cache: a TGT, not expired, this clock not
                        behind the KDC's
`;

/**
 * `wsseq doctor --keytab/--ccache`: print the findings.
 * @returns undefined when no Kerberos flag was given, else the exit status.
 */
export function runKerberosDoctor(
  flags: {
    readonly keytab?: string | undefined;
    readonly 'service-principal'?: string | undefined;
    readonly ccache?: string | undefined;
    readonly json?: boolean | undefined;
  },
  io: CliIo,
  now: Date,
): number | undefined {
  onlyWith(flags, ['service-principal'], 'keytab');
  if (flags.keytab === undefined && flags.ccache === undefined) return undefined;
  const findings = diagnoseKerberos({
    now,
    ...(flags.keytab === undefined ? {} : { keytab: flags.keytab }),
    ...(flags['service-principal'] === undefined
      ? {}
      : { servicePrincipal: flags['service-principal'] }),
    ...(flags.ccache === undefined ? {} : { credentialCache: flags.ccache }),
  });
  const usable = findings.every((f) => f.ok);
  io.stdout(
    flags.json === true
      ? `${JSON.stringify({ usable, findings })}\n`
      : findings.map((f) => `${f.ok ? 'ok  ' : 'FAIL'} ${f.check}: ${f.message}\n`).join(''),
  );
  return usable ? 0 : 1;
}
