/**
 * Operator operations on the embedded SQLite queue, against its table (the adapter's schema:
 * `wsseq_queue_messages`), not through the adapter: a console must see leased messages,
 * poison and dead-letter queues of every queue, and act on one message by id.
 *
 * A message a receiver holds (an unexpired lease) is never changed: actions on it fail with
 * `MessageInFlight`, and purge leaves it.
 */
import Database from 'better-sqlite3';
import { recordedOutcome, withoutOutcome } from './record.js';
import { ConsoleError, checkQueueName } from './types.js';
import type {
  ListOptions,
  MessageSummary,
  PeekedMessage,
  QueueAdmin,
  QueueKind,
  QueueSummary,
} from './types.js';

const TABLE = 'wsseq_queue_messages';
const POISON = ';poison';
const DEAD_LETTER = ';deadletter';

interface Row {
  seq: number;
  id: string;
  queue: string;
  body: Buffer;
  properties: string;
  enqueued_at: number;
  expires_at: number | null;
  visible_at: number;
  delivery_count: number;
  lease_owner: string | null;
  lease_until: number | null;
}

/** Options of {@link openSqliteAdmin}. */
export interface SqliteAdminOptions {
  /** The queue database file the services use. It must exist. */
  readonly file: string;
  /** The clock (leases). Default: the system clock. */
  readonly now?: () => Date;
}

/** The kind of a queue by the adapter's naming: `<name>;poison`, `<name>;deadletter`. */
export function sqliteQueueKind(queue: string): { family: string; kind: QueueKind } {
  if (queue.endsWith(POISON)) return { family: queue.slice(0, -POISON.length), kind: 'poison' };
  if (queue.endsWith(DEAD_LETTER)) {
    return { family: queue.slice(0, -DEAD_LETTER.length), kind: 'deadletter' };
  }
  return { family: queue, kind: 'main' };
}

/**
 * Open the console's view of a SQLite queue file. Queues are discovered from the rows: a
 * queue that never held a message is not listed.
 * @throws TypeError when `file` is not a wsseq queue database.
 */
export function openSqliteAdmin(options: SqliteAdminOptions): QueueAdmin {
  const db = new Database(options.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const exists = db
    .prepare<[string], number>(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .pluck()
    .get(TABLE);
  if (exists === undefined) {
    db.close();
    throw new TypeError(`${options.file} is not a wsseq queue database (no ${TABLE} table)`);
  }
  const clock = options.now ?? (() => new Date());
  const now = (): number => clock().getTime();
  const sql = {
    queues: db.prepare<[number], { queue: string; depth: number; leased: number }>(
      `SELECT queue, count(*) AS depth,
         sum(CASE WHEN lease_owner IS NOT NULL AND lease_until > ? THEN 1 ELSE 0 END) AS leased
       FROM ${TABLE} GROUP BY queue`,
    ),
    list: db.prepare<[string, number], Row>(
      `SELECT * FROM ${TABLE} WHERE queue = ? ORDER BY seq LIMIT ?`,
    ),
    one: db.prepare<[string, string], Row>(
      `SELECT * FROM ${TABLE} WHERE queue = ? AND id = ? ORDER BY seq LIMIT 1`,
    ),
    remove: db.prepare<[number]>(`DELETE FROM ${TABLE} WHERE seq = ?`),
    insert: db.prepare<[string, string, Buffer, string, number, number | null, number]>(
      `INSERT INTO ${TABLE} (id, queue, body, properties, enqueued_at, expires_at, visible_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    purge: db.prepare<[string, number]>(
      `DELETE FROM ${TABLE} WHERE queue = ? AND (lease_owner IS NULL OR lease_until <= ?)`,
    ),
  };

  const isLeased = (row: Row, at: number): boolean =>
    row.lease_owner !== null && row.lease_until !== null && row.lease_until > at;

  const summarize = (row: Row, at: number): MessageSummary => {
    const properties = parseProperties(row.properties);
    const { kind } = sqliteQueueKind(row.queue);
    return {
      queue: row.queue,
      kind,
      id: row.id,
      enqueuedAt: new Date(row.enqueued_at),
      // The adapter sets visible_at to the time of the move when it inserts into a sub-queue.
      movedAt: kind === 'main' || isLeased(row, at) ? undefined : new Date(row.visible_at),
      ...recordedOutcome(kind, properties),
      deliveryCount: row.delivery_count,
      inFlight: isLeased(row, at),
      size: row.body.length,
      properties,
    };
  };

  /** The row `id` of `queue`, not leased; in a transaction. */
  const settled = (queue: string, id: string, at: number): Row => {
    const row = sql.one.get(queue, id);
    if (row === undefined) {
      throw new ConsoleError('MessageNotFound', `no message ${id} in queue ${queue}`);
    }
    if (isLeased(row, at)) {
      throw new ConsoleError('MessageInFlight', `message ${id} is held by a receiver`);
    }
    return row;
  };

  /** Re-insert `row` at the end of `target`, visible now. */
  const relocate = db.transaction(
    (queue: string, id: string, target: string | undefined, reset: boolean): string => {
      const at = now();
      const row = settled(queue, id, at);
      const properties = parseProperties(row.properties);
      const destination = target ?? retryTarget(row.queue, properties);
      sql.remove.run(row.seq);
      const kept = reset ? withoutOutcome(properties) : properties;
      sql.insert.run(
        row.id,
        destination,
        row.body,
        JSON.stringify(kept),
        row.enqueued_at,
        reset ? null : row.expires_at,
        at,
      );
      return destination;
    },
  );

  const removeOne = db.transaction((queue: string, id: string): void => {
    sql.remove.run(settled(queue, id, now()).seq);
  });

  return {
    backend: 'sqlite',
    listQueues: () =>
      Promise.resolve().then(() => {
        const counts = new Map<string, { depth: number; leased: number }>();
        for (const r of sql.queues.all(now())) counts.set(r.queue, r);
        const families = new Set([...counts.keys()].map((q) => sqliteQueueKind(q).family));
        return [...families].sort().map((name): QueueSummary => {
          const main = counts.get(name);
          return {
            name,
            poisonQueue: `${name}${POISON}`,
            deadLetterQueue: `${name}${DEAD_LETTER}`,
            depth: main?.depth ?? 0,
            inFlight: main?.leased ?? 0,
            poison: counts.get(`${name}${POISON}`)?.depth ?? 0,
            deadLetter: counts.get(`${name}${DEAD_LETTER}`)?.depth ?? 0,
          };
        });
      }),
    listMessages: (queue: string, listOptions: ListOptions = {}) =>
      Promise.resolve().then(() => {
        const at = now();
        return sql.list
          .all(queue, listOptions.limit ?? 200)
          .map((row): PeekedMessage => ({ ...summarize(row, at), body: row.body }));
      }),
    peek: (queue: string, id: string) =>
      Promise.resolve().then((): PeekedMessage | undefined => {
        const row = sql.one.get(queue, id);
        return row === undefined ? undefined : { ...summarize(row, now()), body: row.body };
      }),
    retry: (queue: string, id: string) =>
      Promise.resolve().then(() => relocate.immediate(queue, id, undefined, true)),
    move: (queue: string, id: string, target: string) =>
      Promise.resolve().then(() => {
        relocate.immediate(queue, id, checkQueueName(target), false);
      }),
    delete: (queue: string, id: string) =>
      Promise.resolve().then(() => {
        removeOne.immediate(queue, id);
      }),
    purge: (queue: string) => Promise.resolve().then(() => sql.purge.run(queue, now()).changes),
    close: () =>
      Promise.resolve().then(() => {
        db.close();
      }),
  };
}

/** Where a retry sends a message: its recorded source queue, else its family's main queue. */
function retryTarget(queue: string, properties: Readonly<Record<string, string>>): string {
  const { family, kind } = sqliteQueueKind(queue);
  if (kind === 'main') {
    throw new ConsoleError(
      'NoSourceQueue',
      `${queue} is a main queue: retry is for poison and dead-letter messages`,
    );
  }
  return recordedOutcome(kind, properties).sourceQueue ?? family;
}

function parseProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return properties;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') properties[key] = value;
    }
  }
  return properties;
}
