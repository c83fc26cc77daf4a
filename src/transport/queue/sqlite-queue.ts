/**
 * The embedded durable queue: one SQLite file (better-sqlite3, WAL), shared by any number of
 * queues and processes on one machine. The only module that imports better-sqlite3 for queues.
 *
 * A receive leases the visible, unexpired message that became visible first (ties: the first
 * sent), so a message retried with a delay joins the end of the line as it would in RabbitMQ
 * (`visible_at = lease_until = now + leaseMs`, a fresh `lease_owner` token). Each receive
 * reads one index entry in index order: its cost does not grow with the queue's depth. While the receiving process lives it renews the lease;
 * if the process dies the lease runs out and the message becomes visible again, with a higher
 * delivery count (at-least-once).
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  assertOpen,
  checkDelay,
  checkSendOptions,
  deadLetterProperties,
  poisonProperties,
  pollFor,
  promised,
  settlementGuard,
} from './shared.js';
import type { Delivery, QueueAdapter, ReceiveOptions, SendOptions } from './types.js';

/** Options of {@link openSqliteQueue}. */
export interface SqliteQueueOptions {
  /** The database file (created if missing). Several queues and processes may share it. */
  readonly file: string;
  /** The queue's name. Its sub-queues are `<name>;poison` and `<name>;deadletter`. */
  readonly name: string;
  /**
   * How long a received message stays invisible without a sign of life from its receiver,
   * in milliseconds. Default 30 000. The lease is renewed every `leaseMs / 3` while the
   * delivery is unsettled, so a slow handler keeps its message; a process that dies (or an
   * event loop blocked for longer than `leaseMs`) loses it, and it is delivered again.
   */
  readonly leaseMs?: number;
  /** How often a waiting `receive` polls the file, in milliseconds. Default 50. */
  readonly pollIntervalMs?: number;
  /** How long to wait for another connection's write lock, in milliseconds. Default 5 000. */
  readonly busyTimeoutMs?: number;
  /** The clock (visibility, leases, TTL). Default: the system clock. */
  readonly now?: () => Date;
}

const TABLE = 'wsseq_queue_messages';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  queue TEXT NOT NULL,
  body BLOB NOT NULL,
  properties TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  expires_at INTEGER,
  visible_at INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER
);
CREATE INDEX IF NOT EXISTS ${TABLE}_fifo ON ${TABLE} (queue, seq);
CREATE INDEX IF NOT EXISTS ${TABLE}_visible ON ${TABLE} (queue, visible_at);
CREATE INDEX IF NOT EXISTS ${TABLE}_next ON ${TABLE} (queue, visible_at, seq);
CREATE INDEX IF NOT EXISTS ${TABLE}_expiry ON ${TABLE} (queue, expires_at)
  WHERE expires_at IS NOT NULL;
`;

/** Expired messages moved to the dead-letter queue per receive, at most (the rest: next time). */
const EXPIRED_PER_RECEIVE = 100;

interface Row {
  seq: number;
  id: string;
  body: Buffer;
  properties: string;
  enqueued_at: number;
  expires_at: number | null;
  delivery_count: number;
}

function statements(db: Database.Database) {
  const columns = 'seq, id, body, properties, enqueued_at, expires_at, delivery_count';
  return {
    insert: db.prepare<[string, string, Buffer, string, number, number | null, number]>(
      `INSERT INTO ${TABLE} (id, queue, body, properties, enqueued_at, expires_at, visible_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    anyVisible: db
      .prepare<[string, number], number>(
        `SELECT 1 FROM ${TABLE} WHERE queue = ? AND visible_at <= ? LIMIT 1`,
      )
      .pluck(),
    // Both reads walk an index in its own order (no sort, no scan of the backlog): the cost of
    // a receive does not grow with the queue's depth.
    expired: db.prepare<[string, number, number], Row>(
      `SELECT ${columns} FROM ${TABLE} INDEXED BY ${TABLE}_expiry
       WHERE queue = ? AND expires_at IS NOT NULL AND expires_at <= ? AND visible_at <= ?
       ORDER BY expires_at LIMIT ${String(EXPIRED_PER_RECEIVE)}`,
    ),
    next: db.prepare<[string, number], Row>(
      `SELECT ${columns} FROM ${TABLE} INDEXED BY ${TABLE}_next
       WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT 1`,
    ),
    lease: db.prepare<[number, number, string, number]>(
      `UPDATE ${TABLE} SET visible_at = ?, lease_until = ?, lease_owner = ?,
       delivery_count = delivery_count + 1 WHERE seq = ?`,
    ),
    renew: db.prepare<[number, number, number, string]>(
      `UPDATE ${TABLE} SET visible_at = ?, lease_until = ? WHERE seq = ? AND lease_owner = ?`,
    ),
    release: db.prepare<[number, number, string]>(
      `UPDATE ${TABLE} SET visible_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE seq = ? AND lease_owner = ?`,
    ),
    /** Give a message back unsettled (close): it keeps its place, as RabbitMQ requeues it. */
    giveBack: db.prepare<[number, string]>(
      `UPDATE ${TABLE} SET visible_at = enqueued_at, lease_owner = NULL, lease_until = NULL
       WHERE seq = ? AND lease_owner = ?`,
    ),
    remove: db.prepare<[number, string]>(`DELETE FROM ${TABLE} WHERE seq = ? AND lease_owner = ?`),
    removeAny: db.prepare<[number]>(`DELETE FROM ${TABLE} WHERE seq = ?`),
    count: db.prepare<[string], number>(`SELECT count(*) FROM ${TABLE} WHERE queue = ?`).pluck(),
  };
}

type Statements = ReturnType<typeof statements>;

interface Lease {
  readonly seq: number;
  readonly owner: string;
  readonly timer: NodeJS.Timeout;
}

interface Store {
  readonly db: Database.Database;
  readonly sql: Statements;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly now: () => number;
  /** Unsettled deliveries of this connection: renewed while alive, released on close. */
  readonly leases: Set<Lease>;
  closed: boolean;
}

/**
 * Open (creating if needed) the queue `name` in the SQLite file `file`: the default, durable
 * transport. Messages survive restarts; a message received by a process that dies is
 * delivered again once its lease runs out (at-least-once, so handlers must tolerate a
 * repeat; the replay cache tells a redelivery from a replay).
 *
 * Limits: one machine (SQLite over a network file system is not supported); a waiting
 * `receive` polls the file every `pollIntervalMs` (default 50 ms), so a message sent by
 * another process is seen after up to that long; throughput is bounded by SQLite's single
 * writer (each send, receive and settlement is one short write transaction). Poison and
 * dead-letter sub-queues share this connection: closing this adapter closes them, closing
 * a sub-queue does nothing. `close()` returns unsettled messages to the queue at once.
 *
 * @throws TypeError for bad options; better-sqlite3 errors (`SQLITE_BUSY` after
 *   `busyTimeoutMs`, I/O errors) from any operation.
 * @example
 * ```ts
 * const queue = openSqliteQueue({ file: 'wsseq.db', name: 'orders' });
 * const delivery = await queue.receive({ waitMs: 5000 });
 * if (delivery) await delivery.ack();
 * await queue.close();
 * ```
 */
export function openSqliteQueue(options: SqliteQueueOptions): QueueAdapter {
  const { file, name } = options;
  if (typeof file !== 'string' || file === '') {
    throw new TypeError('openSqliteQueue: file must be a non-empty string');
  }
  if (typeof name !== 'string' || name === '') {
    throw new TypeError('openSqliteQueue: name must be a non-empty string');
  }
  const leaseMs = options.leaseMs ?? 30_000;
  if (!(Number.isFinite(leaseMs) && leaseMs >= 30)) {
    throw new TypeError('openSqliteQueue: leaseMs must be a number >= 30');
  }
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${String(Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
  } catch (err) {
    db.close();
    throw err;
  }
  const clock = options.now;
  const store: Store = {
    db,
    sql: statements(db),
    leaseMs,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    now: clock === undefined ? Date.now : () => clock().getTime(),
    leases: new Set(),
    closed: false,
  };
  return sqliteAdapter(store, name, true);
}

function sqliteAdapter(store: Store, name: string, root: boolean): QueueAdapter {
  const { db, sql } = store;
  const poisonName = `${name};poison`;
  const deadLetterName = `${name};deadletter`;
  let poison: QueueAdapter | undefined;
  let deadLetter: QueueAdapter | undefined;

  /** Move `row` (already selected in the running transaction) to `queue` with `properties`. */
  const move = (row: Row, queue: string, properties: Record<string, string>, now: number): void => {
    sql.removeAny.run(row.seq);
    sql.insert.run(row.id, queue, row.body, JSON.stringify(properties), row.enqueued_at, null, now);
  };

  const take = db.transaction((now: number, owner: string): Row | undefined => {
    for (const row of sql.expired.all(name, now, now)) {
      move(row, deadLetterName, deadLetterProperties(parseProperties(row), name), now);
    }
    const row = sql.next.get(name, now);
    if (row === undefined) return undefined;
    sql.lease.run(now + store.leaseMs, now + store.leaseMs, owner, row.seq);
    return { ...row, delivery_count: row.delivery_count + 1 };
  });

  const poisonTx = db.transaction((row: Row, owner: string, props: Record<string, string>) => {
    if (sql.remove.run(row.seq, owner).changes === 0) return 0;
    const json = JSON.stringify(props);
    sql.insert.run(row.id, poisonName, row.body, json, row.enqueued_at, null, store.now());
    return 1;
  });

  const deliver = (row: Row, owner: string): Delivery => {
    const renew = (): void => {
      if (store.closed) return;
      const until = store.now() + store.leaseMs;
      if (sql.renew.run(until, until, row.seq, owner).changes === 0) end();
    };
    const lease: Lease = {
      seq: row.seq,
      owner,
      timer: setInterval(renew, Math.max(10, Math.floor(store.leaseMs / 3))).unref(),
    };
    store.leases.add(lease);
    const end = (): void => {
      clearInterval(lease.timer);
      store.leases.delete(lease);
    };
    const guard = settlementGuard();
    const settle = (action: () => number): Promise<void> =>
      guard(() => {
        assertOpen(store.closed, name);
        if (action() === 0) {
          end();
          throw new Error(
            `queue ${name}: the lease on message ${row.id} ran out; it is (or will be) delivered again`,
          );
        }
        end();
        return Promise.resolve();
      });
    const properties = parseProperties(row);
    return {
      id: row.id,
      body: row.body,
      properties,
      enqueuedAt: new Date(row.enqueued_at),
      expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
      deliveryCount: row.delivery_count,
      ack: () => settle(() => sql.remove.run(row.seq, owner).changes),
      retry: (delayMs: number) =>
        settle(() => {
          checkDelay(delayMs);
          return sql.release.run(store.now() + Math.ceil(delayMs), row.seq, owner).changes;
        }),
      poison: (code: string, reason: string) =>
        settle(() =>
          poisonTx.immediate(row, owner, poisonProperties(properties, name, code, reason)),
        ),
    };
  };

  return {
    name,
    leaseMs: store.leaseMs,
    send: (body: Buffer, sendOptions: SendOptions = {}): Promise<string> =>
      promised(() => {
        assertOpen(store.closed, name);
        checkSendOptions(sendOptions);
        const id = sendOptions.id ?? randomUUID();
        const now = store.now();
        const expires = sendOptions.ttlMs === undefined ? null : now + Math.ceil(sendOptions.ttlMs);
        const properties = JSON.stringify({ ...sendOptions.properties });
        sql.insert.run(id, name, Buffer.from(body), properties, now, expires, now);
        return id;
      }),
    receive(receiveOptions: ReceiveOptions = {}): Promise<Delivery | undefined> {
      return pollFor(
        () => {
          assertOpen(store.closed, name);
          const now = store.now();
          // A cheap read first, so idle pollers do not take the write lock.
          if (sql.anyVisible.get(name, now) === undefined) return undefined;
          const owner = randomUUID();
          const row = take.immediate(now, owner);
          return row === undefined ? undefined : deliver(row, owner);
        },
        receiveOptions,
        store.pollIntervalMs,
      );
    },
    poisonQueue: () => (poison ??= sqliteAdapter(store, poisonName, false)),
    deadLetterQueue: () => (deadLetter ??= sqliteAdapter(store, deadLetterName, false)),
    count: () =>
      promised(() => {
        assertOpen(store.closed, name);
        return sql.count.get(name) ?? 0;
      }),
    close(): Promise<void> {
      if (!root || store.closed) return Promise.resolve();
      for (const lease of store.leases) {
        clearInterval(lease.timer);
        sql.giveBack.run(lease.seq, lease.owner);
      }
      store.leases.clear();
      store.closed = true;
      db.close();
      return Promise.resolve();
    },
  };
}

function parseProperties(row: Row): Record<string, string> {
  const parsed: unknown = JSON.parse(row.properties);
  const properties: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') properties[key] = value;
    }
  }
  return properties;
}
