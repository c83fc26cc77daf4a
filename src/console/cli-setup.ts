/**
 * What `wsseq console` and `wsseq queues` share: the store flags (`--sqlite FILE` or
 * `--rabbitmq URL --queue NAME...`), the audit log, and the service key and trust flags of
 * `wsseq open` for the verdict re-run.
 */
import { userInfo } from 'node:os';
import { UsageError, passphraseFrom } from '../cli/args.js';
import type { CliIo } from '../cli/io.js';
import { buildTrustStore, loadServiceKeys } from '../cli/open-setup.js';
import { openRabbitAdmin } from './admin-rabbitmq.js';
import { openSqliteAdmin } from './admin-sqlite.js';
import type { QueueAdmin } from './types.js';
import type { VerdictOptions } from './verdict.js';

/** Flags for the store, the audit log and the verdict. */
export const STORE_FLAGS = {
  sqlite: { type: 'string' },
  rabbitmq: { type: 'string' },
  queue: { type: 'string', multiple: true },
  audit: { type: 'string' },
  'service-key': { type: 'string', multiple: true },
  'service-cert': { type: 'string', multiple: true },
  'service-pfx': { type: 'string', multiple: true },
  'passphrase-env': { type: 'string' },
  validation: { type: 'string' },
  trust: { type: 'string', multiple: true },
  intermediate: { type: 'string', multiple: true },
  peer: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
} as const;

export const STORE_USAGE = `Queues (one of):
  --sqlite FILE           the embedded queue's database file (queues are found in it)
  --rabbitmq URL          a RabbitMQ broker (amqp://user:pass@host:port); with
  --queue NAME            a main queue to show (repeatable; its NAME.poison and
                          NAME.deadletter queues are found by name: AMQP cannot list queues)
Audit:
  --audit FILE            the append-only audit log (JSON lines; default wsseq-audit.jsonl)
Verdict re-run (optional; as "wsseq open" takes them):
  --service-key FILE --service-cert FILE | --service-pfx FILE  [--passphrase-env VAR]
  --trust FILE  --intermediate FILE  --peer FILE  --crl FILE  --validation MODE
`;

export interface StoreFlagValues {
  readonly sqlite?: string | undefined;
  readonly rabbitmq?: string | undefined;
  readonly queue?: string[] | undefined;
  readonly audit?: string | undefined;
  readonly 'service-key'?: string[] | undefined;
  readonly 'service-cert'?: string[] | undefined;
  readonly 'service-pfx'?: string[] | undefined;
  readonly 'passphrase-env'?: string | undefined;
  readonly validation?: string | undefined;
  readonly trust?: string[] | undefined;
  readonly intermediate?: string[] | undefined;
  readonly peer?: string[] | undefined;
  readonly crl?: string[] | undefined;
}

/**
 * Open the store the flags name.
 * @throws UsageError for none or both, RabbitMQ without --queue, a file that is not a queue.
 */
export async function openAdminFromFlags(flags: StoreFlagValues): Promise<QueueAdmin> {
  if ((flags.sqlite === undefined) === (flags.rabbitmq === undefined)) {
    throw new UsageError('give one of --sqlite FILE or --rabbitmq URL');
  }
  if (flags.sqlite !== undefined) {
    const file = flags.sqlite;
    try {
      return openSqliteAdmin({ file });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new UsageError(`--sqlite ${file}: ${reason}`, { cause: err });
    }
  }
  const queues = flags.queue ?? [];
  if (queues.length === 0) throw new UsageError('--rabbitmq needs --queue NAME (repeatable)');
  return openRabbitAdmin({ ...(flags.rabbitmq ? { url: flags.rabbitmq } : {}), queues });
}

/** The verdict options when a service key is given; undefined otherwise. */
export async function verdictFromFlags(
  flags: StoreFlagValues,
  io: CliIo,
): Promise<VerdictOptions | undefined> {
  const keys = await loadServiceKeys(
    {
      serviceKeys: flags['service-key'] ?? [],
      serviceCerts: flags['service-cert'] ?? [],
      servicePfxs: flags['service-pfx'] ?? [],
      passphrase: passphraseFrom(io, flags['passphrase-env']),
    },
    io,
  );
  if (keys.length === 0) return undefined;
  const { store, peers } = await buildTrustStore(
    {
      validation: flags.validation,
      trust: flags.trust,
      intermediate: flags.intermediate,
      peer: flags.peer,
      crl: flags.crl,
      maxClockSkewSeconds: undefined,
    },
    io,
  );
  return { serviceKeys: keys, trust: store, knownCertificates: peers };
}

/** Who runs the command line, for the audit log. */
export function cliOperator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
