/**
 * A durable replay cache in one SQLite file (better-sqlite3, WAL): survives restarts, and
 * several processes on one host may share the file. The only module that imports
 * better-sqlite3.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type {
  ReplayCache,
  ReplayCacheOptions,
  ReplayReservation,
  ReserveOptions,
} from './replay-cache.js';
import {
  checkReserveArguments,
  replayed,
  resolveLease,
  settleOnce,
  storeFailure,
  toError,
} from './replay-cache.js';

export interface SqliteReplayCacheOptions extends ReplayCacheOptions {
  /** The database file (created when missing). */
  readonly path: string;
  /** Delete expired rows every this many reservations. Default 1000. */
  readonly purgeEvery?: number;
}

/** A {@link ReplayCache} on a SQLite file; close it when done. */
export interface SqliteReplayCache extends ReplayCache {
  /** Delete expired rows now; returns how many. */
  purgeExpired(): number;
  /** Close the database. */
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS wsseq_replay (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  consumed INTEGER NOT NULL,
  until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS wsseq_replay_until ON wsseq_replay (until);
`;

interface Row {
  readonly until: number;
  readonly consumed: number;
  readonly message_id: string | null;
}

/** Add the queue message id column to a file made by an earlier version (null there). */
function migrate(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(wsseq_replay)').all();
  if (columns.some((c) => c.name === 'message_id')) return;
  try {
    db.exec('ALTER TABLE wsseq_replay ADD COLUMN message_id TEXT');
  } catch (err) {
    // Another process added it meanwhile.
    if (!/duplicate column/i.test(toError(err).message)) throw err;
  }
}

/**
 * Open (or create) a durable replay cache. Writes are synchronous on disk (`synchronous=FULL`)
 * so a committed key survives a power loss; the calls are synchronous under their promises
 * (better-sqlite3), each a short transaction.
 * @throws TypeError for bad options; the database's error when the file cannot be opened.
 * @example
 * const replayCache = openSqliteReplayCache({ path: '/var/lib/orders/replay.db' });
 */
export function openSqliteReplayCache(options: SqliteReplayCacheOptions): SqliteReplayCache {
  const leaseMs = resolveLease(options);
  const purgeEvery = options.purgeEvery ?? 1000;
  if (!Number.isInteger(purgeEvery) || purgeEvery <= 0) {
    throw new TypeError('purgeEvery must be a positive integer');
  }
  if (typeof options.path !== 'string' || options.path === '') {
    throw new TypeError('path must name the database file');
  }
  const now = options.now ?? (() => new Date());
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  migrate(db);

  const select = db.prepare<[string], Row>(
    'SELECT until, consumed, message_id FROM wsseq_replay WHERE key = ?',
  );
  const deleteIfExpired = db.prepare<[string, number]>(
    'DELETE FROM wsseq_replay WHERE key = ? AND until <= ?',
  );
  const insert = db.prepare<[string, string, number, string | null]>(
    'INSERT INTO wsseq_replay (key, owner, consumed, until, message_id) VALUES (?, ?, 0, ?, ?)',
  );
  const consume = db.prepare<[string, string, number, string | null]>(
    `INSERT INTO wsseq_replay (key, owner, consumed, until, message_id) VALUES (?, ?, 1, ?, ?)
     ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, consumed = 1,
       until = excluded.until, message_id = excluded.message_id`,
  );
  const deleteOwned = db.prepare<[string, string]>(
    'DELETE FROM wsseq_replay WHERE key = ? AND owner = ?',
  );
  const deleteReserved = db.prepare<[string, string]>(
    'DELETE FROM wsseq_replay WHERE key = ? AND owner = ? AND consumed = 0',
  );
  const purge = db.prepare<[number]>('DELETE FROM wsseq_replay WHERE until <= ?');

  const reserveTx = db.transaction(
    (keys: readonly string[], owner: string, t: number, messageId: string | null) => {
      for (const k of keys) {
        deleteIfExpired.run(k, t);
        const row = select.get(k);
        if (row) return { key: k, row };
      }
      for (const k of keys) insert.run(k, owner, t + leaseMs, messageId);
      return undefined;
    },
  );
  const commitTx = db.transaction(
    (keys: readonly string[], owner: string, expiry: number, t: number, id: string | null) => {
      for (const k of keys) {
        if (expiry > t) consume.run(k, owner, expiry, id);
        else deleteOwned.run(k, owner);
      }
    },
  );
  const releaseTx = db.transaction((keys: readonly string[], owner: string) => {
    for (const k of keys) deleteReserved.run(k, owner);
  });

  let sincePurge = 0;
  const purgeExpired = (): number => purge.run(now().getTime()).changes;

  return Object.freeze({
    leaseMs,
    reserve(
      keys: readonly string[],
      expiresAt: Date,
      options?: ReserveOptions,
    ): Promise<ReplayReservation> {
      let messageId: string | null;
      try {
        messageId = checkReserveArguments(keys, expiresAt, options) ?? null;
      } catch (err) {
        return Promise.reject(toError(err));
      }
      try {
        const unique = [...new Set(keys)];
        const owner = randomUUID();
        const t = now().getTime();
        if (++sincePurge >= purgeEvery) {
          sincePurge = 0;
          purge.run(t);
        }
        // IMMEDIATE: take the write lock before reading, so two processes cannot both pass.
        const taken = reserveTx.immediate(unique, owner, t, messageId);
        if (taken !== undefined) {
          return Promise.reject(
            replayed(taken.key, {
              holder: taken.row.message_id ?? undefined,
              requested: messageId ?? undefined,
              consumed: taken.row.consumed === 1,
              leaseLeftMs: taken.row.until - t,
            }),
          );
        }
        const expiry = expiresAt.getTime();
        return Promise.resolve(
          settleOnce(
            () =>
              run(() => {
                commitTx.immediate(unique, owner, expiry, now().getTime(), messageId);
              }),
            () =>
              run(() => {
                releaseTx.immediate(unique, owner);
              }),
          ),
        );
      } catch (err) {
        return Promise.reject(storeFailure('reserve', err));
      }
    },
    purgeExpired,
    close: () => {
      db.close();
    },
  });
}

function run(op: () => void): Promise<void> {
  try {
    op();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(toError(err));
  }
}
