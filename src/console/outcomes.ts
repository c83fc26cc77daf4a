/**
 * Outcomes per minute for the console's chart. Accepted messages leave no trace in a queue
 * (they are acknowledged and gone), so a service that wants them counted records its events
 * with {@link openOutcomeRecorder} (one line in its `onEvent`). Without a recorder the console
 * counts rejections from what the poison and dead-letter queues hold.
 *
 * The recorder writes a small SQLite table (`wsseq_console_outcomes`): time, queue, outcome,
 * message id, delivery count and code. Never the message, its reason text or who sent it.
 */
import Database from 'better-sqlite3';
import type { ServiceEvent } from '../host/events.js';

const TABLE = 'wsseq_console_outcomes';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  at INTEGER NOT NULL,
  queue TEXT NOT NULL,
  outcome TEXT NOT NULL,
  message_id TEXT NOT NULL,
  delivery_count INTEGER NOT NULL,
  code TEXT
);
CREATE INDEX IF NOT EXISTS ${TABLE}_at ON ${TABLE} (at);
CREATE INDEX IF NOT EXISTS ${TABLE}_message ON ${TABLE} (message_id);
`;

/** Event types counted as accepted and as rejected. */
const REJECTED = new Set(['rejected', 'poisoned', 'dead-lettered']);

/** Options of {@link openOutcomeRecorder}. */
export interface OutcomeRecorderOptions {
  /** The SQLite file (for the embedded queue: the queue file itself). Created if missing. */
  readonly file: string;
  /** Rows older than this are deleted as new ones come. Default 7 days. */
  readonly keepMs?: number;
  readonly now?: () => Date;
}

/** Records a service's outcomes for the console. */
export interface OutcomeRecorder {
  /** An `onEvent` listener for the service on `queue`. Never throws. */
  listener(queue: string): (event: ServiceEvent) => void;
  close(): void;
}

/**
 * Open a recorder. Give each service its listener:
 * `createService({ ..., onEvent: recorder.listener(queue.name) })`.
 * @example
 * const recorder = openOutcomeRecorder({ file: 'queues.db' });
 * const service = createService({ queue, mode, open, handler, onEvent: recorder.listener(queue.name) });
 */
export function openOutcomeRecorder(options: OutcomeRecorderOptions): OutcomeRecorder {
  const db = new Database(options.file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const keepMs = options.keepMs ?? 7 * 86_400_000;
  const clock = options.now ?? (() => new Date());
  const insert = db.prepare<[number, string, string, string, number, string | null]>(
    `INSERT INTO ${TABLE} (at, queue, outcome, message_id, delivery_count, code) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const prune = db.prepare<[number]>(`DELETE FROM ${TABLE} WHERE at < ?`);
  let written = 0;
  return {
    listener: (queue: string) => (event: ServiceEvent) => {
      if (event.type !== 'accepted' && !REJECTED.has(event.type)) return;
      if (!('deliveryCount' in event) || !db.open) return;
      try {
        const at = clock().getTime();
        const code = 'code' in event ? event.code : null;
        insert.run(at, queue, event.type, event.messageId, event.deliveryCount, code);
        if (++written % 1000 === 0) prune.run(at - keepMs);
      } catch {
        // counting must never change what happens to messages
      }
    },
    close: () => {
      db.close();
    },
  };
}

/** One minute of the chart. */
export interface MinuteCount {
  /** The minute's start (ms since the epoch). */
  readonly minute: number;
  /** Undefined when nothing records accepted messages. */
  readonly accepted: number | undefined;
  readonly rejected: number;
}

/** Counts for the last `minutes` minutes, oldest first. */
export interface OutcomeRates {
  /** Where the counts come from: the recorder's table, or the poison/dead-letter queues. */
  readonly source: 'recorder' | 'queues';
  readonly minutes: readonly MinuteCount[];
}

/** Attempts recorded for a rejected message (its delivery count when it was moved). */
export interface RecordedAttempts {
  attemptsOf(messageId: string): number | undefined;
}

/** The reader side: per-minute counts and recorded attempts, from one SQLite file. */
export interface OutcomeReader extends RecordedAttempts {
  rates(minutes: number): OutcomeRates;
  close(): void;
}

const MINUTE = 60_000;

/**
 * Read outcomes from `file`: the recorder's table when it exists there, else rejections
 * counted from the SQLite queue's poison and dead-letter rows (by the time they were moved).
 * `file` undefined: no counts at all (RabbitMQ without a recorder).
 */
export function openOutcomeReader(
  file: string | undefined,
  now: () => Date = () => new Date(),
): OutcomeReader {
  if (file === undefined) {
    return {
      rates: (minutes) => ({ source: 'queues', minutes: buckets(minutes, now(), []) }),
      attemptsOf: () => undefined,
      close: () => undefined,
    };
  }
  const db = new Database(file, { fileMustExist: true, readonly: true });
  db.pragma('busy_timeout = 5000');
  const has = (name: string): boolean =>
    db
      .prepare<[string], number>(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .pluck()
      .get(name) !== undefined;
  const recorded = (): boolean => has(TABLE);
  return {
    rates(minutes: number): OutcomeRates {
      const end = now().getTime();
      const since = Math.floor(end / MINUTE) * MINUTE - (minutes - 1) * MINUTE;
      if (recorded()) {
        const rows = db
          .prepare<[number], { minute: number; outcome: string; n: number }>(
            `SELECT (at / ${MINUTE}) * ${MINUTE} AS minute, outcome, count(*) AS n
             FROM ${TABLE} WHERE at >= ? GROUP BY minute, outcome`,
          )
          .all(since);
        return { source: 'recorder', minutes: buckets(minutes, now(), rows, true) };
      }
      if (!has('wsseq_queue_messages')) {
        return { source: 'queues', minutes: buckets(minutes, now(), []) };
      }
      const rows = db
        .prepare<[number], { minute: number; outcome: string; n: number }>(
          `SELECT (visible_at / ${MINUTE}) * ${MINUTE} AS minute, 'rejected' AS outcome, count(*) AS n
           FROM wsseq_queue_messages
           WHERE (queue LIKE '%;poison' OR queue LIKE '%;deadletter') AND visible_at >= ?
           GROUP BY minute`,
        )
        .all(since);
      return { source: 'queues', minutes: buckets(minutes, now(), rows) };
    },
    attemptsOf(messageId: string): number | undefined {
      if (!recorded()) return undefined;
      const n = db
        .prepare<[string], number>(
          `SELECT delivery_count FROM ${TABLE} WHERE message_id = ? AND outcome != 'accepted'
           ORDER BY at DESC LIMIT 1`,
        )
        .pluck()
        .get(messageId);
      return n ?? undefined;
    },
    close: () => {
      db.close();
    },
  };
}

function buckets(
  minutes: number,
  at: Date,
  rows: readonly { minute: number; outcome: string; n: number }[],
  countsAccepted = false,
): MinuteCount[] {
  const last = Math.floor(at.getTime() / MINUTE) * MINUTE;
  const out: MinuteCount[] = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const minute = last - i * MINUTE;
    let accepted = 0;
    let rejected = 0;
    for (const r of rows) {
      if (r.minute !== minute) continue;
      if (r.outcome === 'accepted') accepted += r.n;
      else if (REJECTED.has(r.outcome)) rejected += r.n;
    }
    out.push({ minute, accepted: countsAccepted ? accepted : undefined, rejected });
  }
  return out;
}
