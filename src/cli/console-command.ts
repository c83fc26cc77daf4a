/**
 * `wsseq console`: serve the operator console (see docs/console.md) until interrupted.
 * Prints the URL and the viewer and operator tokens at start; nothing about messages after.
 */
import { createHash } from 'node:crypto';
import { EXIT, UsageError, parseFlags, readFlagFile } from './args.js';
import type { Command } from './args.js';
import type { CliIo } from './io.js';
import { buildTrustStore, readCertificates } from './open-setup.js';
import { openAuditLog } from '../console/audit.js';
import {
  STORE_FLAGS,
  STORE_USAGE,
  openAdminFromFlags,
  verdictFromFlags,
} from '../console/cli-setup.js';
import { openOutcomeReader } from '../console/outcomes.js';
import { startConsole } from '../console/server.js';
import type { ConsoleOptions } from '../console/server.js';

const USAGE = `Usage: wsseq console (--sqlite FILE | --rabbitmq URL --queue NAME...) [--listen HOST:PORT]
                     [--audit FILE] [--outcomes FILE] [service key and trust flags]
                     [--tls-cert FILE --tls-key FILE --client-trust FILE --operator-cert FILE...]

Serve the operator console: queues and their counts, accepted and rejected per minute, the
poison and dead-letter messages with their reasons, each message's security summary (and,
for operators, with a service key given, the verdict re-run with today's trust and the
opened Body), and the actions retry, move, delete and purge (confirmed, audited).

Every request is authenticated: sign in with one of the two tokens printed at start (viewer
or operator), or, with --tls-cert, present a client certificate that --client-trust
validates (operators are the --operator-cert certificates; other valid ones are viewers).

${STORE_USAGE}
Console:
  --listen HOST:PORT      where to listen (default 127.0.0.1:8470; port 0: any free port)
  --outcomes FILE         the outcome recorder's SQLite file, for the chart (default: the
                          --sqlite file itself)
  --tls-cert FILE --tls-key FILE   serve HTTPS with this certificate and key (PEM)
  --client-trust FILE     roots that validate operator certificates (mutual TLS; repeatable)
  --client-intermediate FILE  intermediate CAs for them (repeatable)
  --operator-cert FILE    a client certificate with the operator role (repeatable)
  -h, --help              show this help
`;

const FLAGS = {
  ...STORE_FLAGS,
  listen: { type: 'string' },
  outcomes: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'client-trust': { type: 'string', multiple: true },
  'client-intermediate': { type: 'string', multiple: true },
  'operator-cert': { type: 'string', multiple: true },
} as const;

/** `HOST:PORT` (IPv6 in brackets). */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!match || host === undefined || port > 65_535) {
    throw new UsageError(`--listen must be HOST:PORT, e.g. 127.0.0.1:8470 (got "${value}")`);
  }
  return { host, port };
}

async function tlsOptions(
  flags: ReturnType<typeof parseFlags<typeof FLAGS>>,
  io: CliIo,
): Promise<ConsoleOptions['tls']> {
  const certPath = flags['tls-cert'];
  if (certPath === undefined) {
    if (flags['tls-key'] !== undefined || flags['client-trust'] !== undefined) {
      throw new UsageError('--tls-key and --client-trust need --tls-cert');
    }
    return undefined;
  }
  const keyPath = flags['tls-key'];
  if (keyPath === undefined) throw new UsageError('--tls-cert needs --tls-key');
  if (flags['client-trust'] === undefined) {
    throw new UsageError('--tls-cert needs --client-trust (operator certificates are validated)');
  }
  const [cert, key] = await Promise.all([
    readFlagFile(io, 'tls-cert', certPath),
    readFlagFile(io, 'tls-key', keyPath),
  ]);
  const { store } = await buildTrustStore(
    {
      validation: 'chain',
      trust: flags['client-trust'],
      intermediate: flags['client-intermediate'],
      peer: undefined,
      crl: undefined,
      maxClockSkewSeconds: undefined,
    },
    io,
  );
  const operators = await readCertificates(io, 'operator-cert', flags['operator-cert']);
  return {
    cert: Buffer.from(cert).toString('utf8'),
    key: Buffer.from(key).toString('utf8'),
    clientTrust: store,
    operatorThumbprints: operators.map((c) => c.thumbprintSha256),
  };
}

export const consoleCommand: Command = {
  name: 'console',
  summary: 'serve the operator console (queues, rejected messages, verdicts, actions)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const flags = parseFlags(args, FLAGS);
    const { host, port } = parseListen(flags.listen ?? '127.0.0.1:8470');
    const verdict = await verdictFromFlags(flags, io);
    const tls = await tlsOptions(flags, io);
    const admin = await openAdminFromFlags(flags);
    const outcomes = openOutcomeReader(flags.outcomes ?? flags.sqlite);
    const audit = openAuditLog(flags.audit ?? 'wsseq-audit.jsonl');
    const running = await startConsole({
      admin,
      audit,
      outcomes,
      host,
      port,
      ...(verdict ? { verdict } : {}),
      ...(tls ? { tls } : {}),
    });
    const fingerprint = (t: string): string =>
      createHash('sha256').update(t).digest('hex').slice(0, 8);
    io.stdout(
      `wsseq console on ${running.url} (${admin.backend}; audit log ${audit.file})\n` +
        `  viewer token:   ${running.tokens.viewer}\n` +
        `  operator token: ${running.tokens.operator}\n` +
        `  (sign in at ${running.url}/login; token fingerprints ${fingerprint(running.tokens.viewer)} / ${fingerprint(running.tokens.operator)})\n` +
        (verdict ? '' : '  no service key: the verdict re-run is off\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.close();
    await admin.close();
    outcomes.close();
    return EXIT.ok;
  },
};
