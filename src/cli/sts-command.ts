/**
 * `wsseq sts issue`: issue a JWT for a service offline, with the token service's key, as the
 * sample STS would over HTTPS.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { issueToken, readStsKey } from '../credentials/sts.js';
import type { StsKey, TokenConfirmation } from '../credentials/sts.js';
import type { JwtAlgorithm } from '../credentials/jwt.js';
import { loadCertificates } from '../index.js';
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
  writeOutput,
} from './args.js';
import type { Command, FlagValues } from './args.js';
import type { CliIo } from './io.js';

const ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'PS256', 'ES256'];
const DEFAULT_LIFETIME = 3600;

const USAGE = `Usage: wsseq sts issue (--sts-key FILE --sts-cert FILE | --sts-pfx FILE)
                       [--passphrase-env VAR] --issuer URI --audience URI...
                       --subject NAME (--bind-cert FILE | --bind-key FILE | --bearer)
                       [options]

Issue a JWT for a service (the audience) as a token service would, offline, with the token
service's signing key, and print it (or write it to --out). The client sends it with
"wsseq secure --token-file FILE --cert/--key"; the service accepts it with
"wsseq open --sts-cert FILE --sts-issuer URI --audience URI".

Token service key:
  --sts-key FILE --sts-cert FILE  PEM private key (RSA 2048 bits or more, or EC P-256) and
                        its certificate (the receivers trust it with --sts-cert)
  --sts-pfx FILE        PKCS#12 file with the key and certificate
  --passphrase-env VAR  read the key or PFX passphrase from environment variable VAR

Token:
  --issuer URI          iss: the token service's name, as the services know it
  --audience URI        aud: the service the token is for (repeatable)
  --subject NAME        sub: the client; the service's identity name
  --bind-cert FILE      holder-of-key: bind the token to this client certificate
                        (cnf x5t#S256); the client must sign with its key
  --bind-key FILE       holder-of-key: bind the token to this public key (cnf jwk); a PEM
                        public or private key (only the public part is used)
  --bearer              DANGEROUS: no key binding; whoever holds the token can use it (the
                        receiver refuses it unless "open --allow-bearer")
  --lifetime SECONDS    exp - iat (default ${DEFAULT_LIFETIME})
  --claim NAME=VALUE    a further claim, as a string (repeatable); the registered claims
                        (iss, sub, aud, exp, nbf, iat, jti, cnf) cannot be set
  --roles A,B           a "roles" claim, an array of strings
  --alg ALG             ${ALGORITHMS.join(' | ')} (default RS256 for an RSA key, ES256 for EC)
  --kid ID              a kid header besides x5t#S256
  --now ISO-8601        issue as of this instant instead of the clock
  --out FILE            write the token to FILE (default: standard output)

  -h, --help            show this help

Exit status: 0 issued, 2 usage error, 3 unexpected failure.

Example:
  wsseq sts issue --sts-key sts.key --sts-cert sts.pem --issuer https://sts.example/ \\
    --audience urn:example:orders --subject alice --bind-cert client.pem --out alice.jwt
`;

const FLAGS = {
  'sts-key': { type: 'string' },
  'sts-cert': { type: 'string' },
  'sts-pfx': { type: 'string' },
  'passphrase-env': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string', multiple: true },
  subject: { type: 'string' },
  'bind-cert': { type: 'string' },
  'bind-key': { type: 'string' },
  bearer: { type: 'boolean' },
  lifetime: { type: 'string' },
  claim: { type: 'string', multiple: true },
  roles: { type: 'string' },
  alg: { type: 'string' },
  kid: { type: 'string' },
  now: { type: 'string' },
  out: { type: 'string' },
} as const;

type StsFlags = FlagValues<typeof FLAGS>;

/** `wsseq sts`. */
export const stsCommand: Command = {
  name: 'sts',
  summary: 'sts issue: issue a JWT for a service with the token service key (offline)',
  usage: USAGE,
  run: runSts,
};

async function runSts(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'issue') {
    throw new UsageError(sub === undefined ? 'missing "issue"' : `unknown sts command "${sub}"`);
  }
  const flags = parseFlags(rest, FLAGS);
  const issuer = required(flags.issuer, 'issuer');
  const subject = required(flags.subject, 'subject');
  const audience = flags.audience ?? [];
  if (audience.length === 0) throw new UsageError('missing --audience');
  const lifetimeSeconds =
    flags.lifetime === undefined ? DEFAULT_LIFETIME : seconds(flags.lifetime, 'lifetime');
  if (lifetimeSeconds === 0) throw new UsageError('--lifetime must be more than 0 seconds');
  const algorithm = flags.alg === undefined ? undefined : oneOf(flags.alg, ALGORITHMS, 'alg');
  const claims = parseClaims(flags);
  const now = flags.now === undefined ? undefined : instant(flags.now, 'now');
  const sts = await stsKey(flags, io);
  const confirmation = await tokenConfirmation(flags, io);
  const token = loadOrFail('token', () =>
    issueToken({
      ...sts,
      issuer,
      audience,
      subject,
      lifetimeSeconds,
      claims,
      confirmation,
      ...(algorithm ? { algorithm } : {}),
      ...(flags.kid === undefined ? {} : { keyId: flags.kid }),
      ...(now ? { now } : {}),
    }),
  );
  await writeOutput(io, flags.out, token);
  return EXIT.ok;
}

function parseClaims(flags: StsFlags): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const spec of flags.claim ?? []) {
    const at = spec.indexOf('=');
    const name = at > 0 ? spec.slice(0, at) : '';
    if (name === '') throw new UsageError(`--claim must read NAME=VALUE (got "${spec}")`);
    if (Object.hasOwn(claims, name)) throw new UsageError(`--claim ${name} is given twice`);
    claims[name] = spec.slice(at + 1);
  }
  if (flags.roles !== undefined) {
    if (Object.hasOwn(claims, 'roles'))
      throw new UsageError('give either --roles or --claim roles=');
    const roles = flags.roles.split(',').map((r) => r.trim());
    if (roles.some((r) => r === '')) {
      throw new UsageError(`--roles must list names separated by commas (got "${flags.roles}")`);
    }
    claims.roles = roles;
  }
  return claims;
}

/** `--sts-pfx`, or `--sts-key` with `--sts-cert`. */
async function stsKey(flags: StsFlags, io: CliIo): Promise<StsKey> {
  const passphrase = passphraseFrom(io, flags['passphrase-env']);
  const pass = passphrase === undefined ? {} : { passphrase };
  if (flags['sts-pfx'] !== undefined) {
    if (flags['sts-key'] !== undefined || flags['sts-cert'] !== undefined) {
      throw new UsageError('give either --sts-pfx or --sts-key with --sts-cert, not both');
    }
    const path = flags['sts-pfx'];
    const pfx = await readFlagFile(io, 'sts-pfx', path);
    return loadOrFail(`--sts-pfx ${path}`, () => readStsKey({ pfx, ...pass }));
  }
  if (flags['sts-key'] === undefined && flags['sts-cert'] === undefined) {
    throw new UsageError('missing the token service key: --sts-key with --sts-cert, or --sts-pfx');
  }
  const keyPath = required(flags['sts-key'], 'sts-key');
  const certPath = required(flags['sts-cert'], 'sts-cert');
  const [privateKey, certificate] = await Promise.all([
    readFlagFile(io, 'sts-key', keyPath),
    readFlagFile(io, 'sts-cert', certPath),
  ]);
  return loadOrFail(`--sts-key ${keyPath} --sts-cert ${certPath}`, () =>
    readStsKey({ certificate, privateKey, ...pass }),
  );
}

/** `--bind-cert`, `--bind-key` or `--bearer`: exactly one. */
async function tokenConfirmation(flags: StsFlags, io: CliIo): Promise<TokenConfirmation> {
  const given = [flags['bind-cert'], flags['bind-key'], flags.bearer].filter(
    (v) => v !== undefined && v !== false,
  );
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? 'missing the key binding: --bind-cert FILE, --bind-key FILE, or --bearer'
        : 'give only one of --bind-cert, --bind-key and --bearer',
    );
  }
  if (flags.bearer === true) return 'bearer';
  if (flags['bind-cert'] !== undefined) {
    const path = flags['bind-cert'];
    const data = await readFlagFile(io, 'bind-cert', path);
    const [certificate] = loadOrFail(`--bind-cert ${path}`, () => loadCertificates(data));
    if (!certificate) throw new UsageError(`--bind-cert ${path}: no certificate`);
    return { certificate };
  }
  const path = flags['bind-key'] ?? '';
  const data = await readFlagFile(io, 'bind-key', path);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(Buffer.from(data));
  } catch (cause) {
    throw new UsageError(`--bind-key ${path}: not a PEM public or private key`, { cause });
  }
  return { publicKey };
}
