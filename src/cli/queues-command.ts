/**
 * `wsseq queues list|peek|retry|move|delete|purge`: the operator console's work on the
 * command line, over the embedded SQLite queue or RabbitMQ. Actions need `--yes` (the
 * confirmation) and are written to the audit log.
 */
import { EXIT, UsageError, oneOf, parseFlags, required } from './args.js';
import type { Command } from './args.js';
import type { CliIo } from './io.js';
import { openAuditLog } from '../console/audit.js';
import type { AuditAction } from '../console/audit.js';
import {
  STORE_FLAGS,
  STORE_USAGE,
  cliOperator,
  openAdminFromFlags,
  verdictFromFlags,
} from '../console/cli-setup.js';
import { performAction } from '../console/server.js';
import { claimedSender, summarizeMessage } from '../console/summary.js';
import { rerunVerdict } from '../console/verdict.js';
import { ConsoleError } from '../console/types.js';
import type { MessageSummary, QueueAdmin } from '../console/types.js';

const VERBS = ['list', 'peek', 'retry', 'move', 'delete', 'purge'] as const;
type Verb = (typeof VERBS)[number];

const USAGE = `Usage: wsseq queues list  (--sqlite FILE | --rabbitmq URL --queue NAME...) [--json]
       wsseq queues peek  STORE --from QUEUE [--id ID [--show-body]] [--json]
       wsseq queues retry STORE --from QUEUE --id ID --yes
       wsseq queues move  STORE --from QUEUE --id ID --to QUEUE --yes
       wsseq queues delete STORE --from QUEUE --id ID --yes
       wsseq queues purge STORE --from QUEUE --yes

See and act on queues as the operator console does: every queue with its depth, in-flight,
poison and dead-letter counts (list); the messages of one queue with their recorded code,
reason and claimed sender, or one message's security summary read without decrypting
(peek); send a poison or dead-letter message back to its queue (retry), move, delete or
purge. Actions are confirmed with --yes and appended to the audit log.

${STORE_USAGE}
Options:
  --from QUEUE            the queue to read or act on (e.g. orders;poison, orders.poison)
  --id ID                 the message id
  --to QUEUE              move: the destination queue
  --yes                   confirm an action (retry, move, delete, purge)
  --show-body             peek --id with a service key: print the opened Body (stdout only;
                          never logged)
  --json                  JSON output
  -h, --help              show this help

Exit status: 0 done, 1 the action could not be done (no such message, held by a receiver),
2 usage error.
`;

const FLAGS = {
  ...STORE_FLAGS,
  from: { type: 'string' },
  id: { type: 'string' },
  to: { type: 'string' },
  yes: { type: 'boolean' },
  'show-body': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function listed(m: MessageSummary, sender: string | undefined): Record<string, unknown> {
  return {
    queue: m.queue,
    id: m.id,
    kind: m.kind,
    enqueuedAt: m.enqueuedAt.toISOString(),
    movedAt: m.movedAt?.toISOString(),
    code: m.code,
    reason: m.reason,
    sourceQueue: m.sourceQueue,
    deliveryCount: m.deliveryCount,
    inFlight: m.inFlight,
    size: m.size,
    sender,
  };
}

/** One line per row, columns padded; control characters of message fields are shown as `?`. */
function table(rows: readonly (readonly string[])[]): string {
  const clean = rows.map((r) => r.map((c) => c.replace(/\p{Cc}/gu, '?')));
  const widths = clean[0]?.map((_, i) => Math.max(...clean.map((r) => (r[i] ?? '').length))) ?? [];
  return clean
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function run(verb: Verb, args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args, FLAGS);
  const json = flags.json === true;
  const admin: QueueAdmin = await openAdminFromFlags(flags);
  const print = (value: unknown, text: () => string): void => {
    io.stdout(`${json ? JSON.stringify(value) : text()}\n`);
  };
  try {
    if (verb === 'list') {
      const queues = await admin.listQueues();
      print(queues, () =>
        table([
          ['QUEUE', 'DEPTH', 'IN-FLIGHT', 'POISON', 'DEAD-LETTER'],
          ...queues.map((q) => [
            q.name,
            String(q.depth),
            q.inFlight === undefined ? '-' : String(q.inFlight),
            String(q.poison),
            String(q.deadLetter),
          ]),
        ]),
      );
      return EXIT.ok;
    }
    const from = required(flags.from, 'from');
    if (verb === 'peek') return await peek(admin, from, flags, io, print);
    if (flags.yes !== true) {
      throw new UsageError(`${verb} changes the queue: confirm with --yes`);
    }
    const id = verb === 'purge' ? '' : required(flags.id, 'id');
    const target = verb === 'move' ? required(flags.to, 'to') : '';
    const audit = openAuditLog(flags.audit ?? 'wsseq-audit.jsonl');
    const action: AuditAction = verb;
    const entry = {
      who: cliOperator(),
      via: 'cli' as const,
      action,
      queue: from,
      ...(verb === 'purge' ? {} : { messageId: id }),
    };
    try {
      const done = await performAction(admin, action, from, id, target);
      audit.append({ ...entry, ...done, outcome: 'done' });
      print({ ok: true, ...entry, ...done }, () =>
        verb === 'purge'
          ? `purged ${String(done.count ?? 0)} message(s) from ${from}`
          : `${verb}: ${id} ${done.target === undefined ? '' : `→ ${done.target}`}`.trimEnd(),
      );
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof ConsoleError)) throw err;
      audit.append({ ...entry, outcome: 'failed', code: err.code });
      print(
        { ok: false, code: err.code, message: err.message },
        () => `${err.code}: ${err.message}`,
      );
      return EXIT.rejected;
    }
  } finally {
    await admin.close();
  }
}

async function peek(
  admin: QueueAdmin,
  from: string,
  flags: ReturnType<typeof parseFlags<typeof FLAGS>>,
  io: CliIo,
  print: (value: unknown, text: () => string) => void,
): Promise<number> {
  if (flags.id === undefined) {
    const rows: { m: MessageSummary; sender: string | undefined }[] = [];
    for (const m of await admin.listMessages(from)) {
      rows.push({ m, sender: claimedSender(summarizeMessage(m.body, m.properties)) });
    }
    print(
      rows.map((r) => listed(r.m, r.sender)),
      () =>
        table([
          ['ID', 'TIME', 'CODE', 'REASON', 'SENDER'],
          ...rows.map(({ m, sender }) => [
            m.id,
            (m.movedAt ?? m.enqueuedAt).toISOString(),
            m.code ?? '',
            m.reason ?? '',
            sender ?? '',
          ]),
        ]),
    );
    return EXIT.ok;
  }
  const m = await admin.peek(from, flags.id);
  if (!m) {
    print(
      { ok: false, code: 'MessageNotFound' },
      () => `MessageNotFound: no message ${flags.id ?? ''} in ${from}`,
    );
    return EXIT.rejected;
  }
  const summary = summarizeMessage(m.body, m.properties);
  const options = await verdictFromFlags(flags, io);
  const verdict =
    options && summary.soap ? await rerunVerdict(m.body, m.code, m.enqueuedAt, options) : undefined;
  const showBody = flags['show-body'] === true;
  const strip = (r: NonNullable<typeof verdict>['now']) =>
    r.ok && !showBody ? { ...r, body: undefined } : r;
  const out = {
    ...listed(m, claimedSender(summary)),
    summary,
    ...(verdict
      ? { verdict: { ...verdict, now: strip(verdict.now), atEnqueue: strip(verdict.atEnqueue) } }
      : {}),
  };
  print(out, () => JSON.stringify(out, null, 2));
  return EXIT.ok;
}

export const queuesCommand: Command = {
  name: 'queues',
  summary: 'list queues, peek at, retry, move, delete and purge messages (operators)',
  usage: USAGE,
  run(args: readonly string[], io: CliIo): Promise<number> {
    const [verbName, ...rest] = args;
    if (verbName === undefined) throw new UsageError(`missing action: one of ${VERBS.join(', ')}`);
    return run(oneOf(verbName, VERBS, 'action'), rest, io);
  },
};
