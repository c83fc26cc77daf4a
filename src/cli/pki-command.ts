/**
 * `wsseq pki init [dir]`: write a development PKI (CA, service and client certificates, PEM
 * and PFX). For development only.
 */
import { parseArgs } from 'node:util';
import { initDevelopmentPki } from '../pki/init.js';
import type { DevelopmentClient } from '../pki/init.js';
import { EXIT, UsageError, instant, passphraseFrom } from './args.js';
import type { Command } from './args.js';
import type { CliIo } from './io.js';

const USAGE = `Usage: wsseq pki init [DIR] [--force] [--parents] [--dns NAME]...
                     [--client NAME[,EMAIL[,UPN]]]... [--days N] [--passphrase-env VAR]
                     [--now ISO-8601]

Write a development PKI into DIR (default ./pki): a root and an issuing CA, a service
certificate (Server Authentication, DNS names), client certificates (Client Authentication,
e-mail and UPN), empty CRLs, each certificate as PEM (.pem, .key) and PKCS#12 (.pfx), and a
README.txt. FOR DEVELOPMENT ONLY: the keys are stored unprotected or under a passphrase the
README states.

Idempotent: when DIR already holds a PKI nothing is written (exit 0) unless --force. DIR
is created, but not its parent directories unless --parents. A DIR that is a file, or that
holds some of the files but no README.txt, is refused (exit 2).

  --force               replace an existing PKI (or overwrite its files in DIR)
  --parents             create DIR's missing parent directories too
  --dns NAME            a DNS name of the service certificate (repeatable; default localhost)
  --client SPEC         a client certificate: NAME, or NAME,EMAIL or NAME,EMAIL,UPN
                        (repeatable; default alice and bob)
  --days N              validity of the service and client certificates (default 365)
  --passphrase-env VAR  the .pfx passphrase from environment variable VAR (default wsseq-dev)
  --now ISO-8601        issue as of this instant

  -h, --help            show this help

Exit status: 0 written (or already there), 2 usage error.
`;

const FLAGS = {
  force: { type: 'boolean' },
  parents: { type: 'boolean' },
  dns: { type: 'string', multiple: true },
  client: { type: 'string', multiple: true },
  days: { type: 'string' },
  'passphrase-env': { type: 'string' },
  now: { type: 'string' },
} as const;

/** `wsseq pki`. */
export const pkiCommand: Command = {
  name: 'pki',
  summary: 'pki init: write a development CA, service and client certificates (PEM, PFX)',
  usage: USAGE,
  run: runPki,
};

function parseClient(spec: string): DevelopmentClient {
  const [name = '', email, upn] = spec.split(',').map((s) => s.trim());
  return {
    name,
    ...(email ? { email } : {}),
    ...(upn ? { upn } : {}),
  };
}

/**
 * `--days -5` as `--days=-5`: parseArgs refuses a value starting with a dash as ambiguous; so
 * joined, a negative duration reaches the check that says what is wrong with it.
 */
function joinNumericValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (arg === '--days' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

async function runPki(args: readonly string[], io: CliIo): Promise<number> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNumericValues(args),
      options: FLAGS,
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const [sub, dir = 'pki', ...extra] = parsed.positionals;
  if (sub !== 'init')
    throw new UsageError(sub === undefined ? 'missing "init"' : `unknown pki command "${sub}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra.join(' ')}"`);
  const v = parsed.values as {
    force?: boolean;
    parents?: boolean;
    dns?: string[];
    client?: string[];
    days?: string;
    'passphrase-env'?: string;
    now?: string;
  };
  const days = v.days === undefined ? undefined : Number(v.days);
  if (days !== undefined && (!Number.isInteger(days) || days <= 0)) {
    throw new UsageError(`--days must be a positive whole number (got "${v.days ?? ''}")`);
  }
  const passphrase = passphraseFrom(io, v['passphrase-env']);
  const result = await initDevelopmentPki(dir, {
    force: v.force === true,
    createParents: v.parents === true,
    ...(v.dns ? { serviceDnsNames: v.dns } : {}),
    ...(v.client ? { clients: v.client.map(parseClient) } : {}),
    ...(days === undefined ? {} : { validityDays: days }),
    ...(passphrase === undefined ? {} : { pfxPassphrase: passphrase }),
    ...(v.now === undefined ? {} : { now: instant(v.now, 'now') }),
  });
  if (!result.created) {
    io.stdout(
      `${result.dir} already holds a development PKI: nothing written (--force replaces it)\n`,
    );
    return EXIT.ok;
  }
  io.stdout(
    `Wrote a development PKI (FOR DEVELOPMENT ONLY) to ${result.dir}:\n` +
      Object.keys(result.files)
        .map((f) => `  ${f}\n`)
        .join('') +
      `PFX passphrase: ${passphrase === undefined ? result.pfxPassphrase : `from $${v['passphrase-env'] ?? ''}`}\n`,
  );
  return EXIT.ok;
}
