/**
 * `wsseq doctor`: explain whether and why a certificate will work as a client or service
 * certificate.
 */
import { diagnoseCertificate, isCertificateUsable } from '../doctor/diagnose.js';
import { formatFindings } from '../doctor/report.js';
import { loadCertificates, loadPfx, loadPrivateKey } from '../index.js';
import type { Certificate } from '../index.js';
import type { KeyObject } from 'node:crypto';
import {
  EXIT,
  UsageError,
  instant,
  loadKeyOrFail,
  loadOrFail,
  oneOf,
  parseFlags,
  passphraseFrom,
  readFlagFile,
  readFlagFiles,
} from './args.js';
import type { Command } from './args.js';
import type { CliIo } from './io.js';
import {
  KERBEROS_DOCTOR_FLAGS,
  KERBEROS_DOCTOR_USAGE,
  runKerberosDoctor,
} from './kerberos-option.js';
import { readCrls } from './open-setup.js';

const USAGE = `Usage: wsseq doctor (--cert FILE [--key FILE] | --pfx FILE) [--passphrase-env VAR]
                    [--trust FILE]... [--intermediate FILE]... [--crl FILE]...
                    [--purpose client|service] [--host NAME] [--now ISO-8601] [--json]

Explain in plain words whether a certificate will work for a purpose, and why not: the
chain to a trusted root (and which link is missing), validity dates, revocation, key usage
and extended key usage (Client Authentication for a client: a server certificate is not a
client certificate), the destination host name, key size and signature algorithm, the
private key (present and matching), self-signed and CA certificates — with the codes the
receiver uses (CertificateUntrusted, CertificateExpired, CertificateRevoked,
CertificateNotValidForPurpose).

Certificate:
  --cert FILE           PEM (may hold the chain) or DER certificate
  --key FILE            its PEM private key, to check that it matches
  --pfx FILE            PKCS#12 file with the key, the certificate and its chain
  --passphrase-env VAR  read the key or PFX passphrase from environment variable VAR

What the other side holds:
  --trust FILE          trusted root(s), PEM bundle or DER (repeatable)
  --intermediate FILE   intermediate CA certificates (repeatable)
  --crl FILE            CRL, PEM or DER (repeatable): check revocation as Offline mode does

Purpose:
  --purpose NAME        client (default: signs messages, Client Authentication) |
                        service (receives them, Server Authentication)
  --host NAME           the host name the certificate must match (a service's DNS name)
  --now ISO-8601        judge at this instant instead of now
  --json                print the findings as JSON instead of a report

${KERBEROS_DOCTOR_USAGE}
  -h, --help            show this help

Without --trust the chain is not checked: the verdict says so instead of "usable" (and the
JSON has "trustChecked": false); the exit status is still 0 when nothing else is wrong.

Exit status: 0 usable (or, without --trust, no problem found), 1 not usable (the report says
why), 2 usage error, 3 unexpected failure.

Example:
  wsseq doctor --cert client.pem --key client.key --trust root-ca.pem \\
    --intermediate intermediate-ca.pem --crl crl-intermediate.pem --purpose client
`;

const FLAGS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  'passphrase-env': { type: 'string' },
  trust: { type: 'string', multiple: true },
  intermediate: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  purpose: { type: 'string' },
  host: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  ...KERBEROS_DOCTOR_FLAGS,
} as const;

/** `wsseq doctor`. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'explain whether and why a certificate will work as a client or service certificate',
  usage: USAGE,
  run: runDoctor,
};

async function runDoctor(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, FLAGS);
  const purpose = oneOf(flags.purpose ?? 'client', ['client', 'service'] as const, 'purpose');
  const at = flags.now === undefined ? new Date() : instant(flags.now, 'now');
  const kerberos = runKerberosDoctor(flags, io, at);
  if (kerberos !== undefined) return kerberos;
  const passphrase = passphraseFrom(io, flags['passphrase-env']);
  let certificate: Certificate;
  let chain: readonly Certificate[];
  let privateKey: KeyObject | undefined;
  if (flags.pfx !== undefined) {
    if (flags.cert !== undefined || flags.key !== undefined) {
      throw new UsageError('give either --pfx or --cert (with --key), not both');
    }
    const path = flags.pfx;
    const pfx = await readFlagFile(io, 'pfx', path);
    const material = loadKeyOrFail(`--pfx ${path}`, passphrase, () => loadPfx(pfx, passphrase));
    ({ certificate, chain, privateKey } = material);
  } else if (flags.cert !== undefined) {
    const path = flags.cert;
    const data = await readFlagFile(io, 'cert', path);
    [certificate = failNoCert(path), ...chain] = loadOrFail(`--cert ${path}`, () =>
      loadCertificates(data),
    );
    if (flags.key !== undefined) {
      const keyPath = flags.key;
      const key = await readFlagFile(io, 'key', keyPath);
      privateKey = loadKeyOrFail(`--key ${keyPath}`, passphrase, () =>
        loadPrivateKey(key, passphrase),
      );
    }
  } else {
    throw new UsageError('missing --cert or --pfx');
  }
  const certificates = async (flag: string, paths: readonly string[] | undefined) =>
    (await readFlagFiles(io, flag, paths)).flatMap((data, i) =>
      loadOrFail(`--${flag} ${paths?.[i] ?? ''}`, () => loadCertificates(data)),
    );
  const trustedRoots = await certificates('trust', flags.trust);
  const intermediates = await certificates('intermediate', flags.intermediate);
  const crls = await readCrls(io, flags.crl);
  const findings = await diagnoseCertificate({
    certificate,
    chain,
    ...(privateKey ? { privateKey } : {}),
    trustedRoots,
    intermediates,
    crls,
    purpose,
    ...(flags.host === undefined ? {} : { host: flags.host }),
    at,
  }).catch((err: unknown) => {
    if (err instanceof TypeError) throw new UsageError(`--crl: ${err.message}`, { cause: err });
    throw err;
  });
  const usable = isCertificateUsable(findings);
  const trustChecked = trustedRoots.length > 0;
  io.stdout(
    flags.json === true
      ? `${JSON.stringify({ usable, trustChecked, purpose, findings })}\n`
      : formatFindings(findings, purpose, trustChecked),
  );
  return usable ? EXIT.ok : EXIT.rejected;
}

function failNoCert(path: string): never {
  throw new UsageError(`--cert ${path}: no certificate`);
}
