/** Fill an embedded SQLite queue quickly (one transaction), for backlog tests. Not a test file. */
import Database from 'better-sqlite3';

export const SQLITE_QUEUE_TABLE = 'wsseq_queue_messages';

/**
 * Enqueue `count` copies of `body` into `queue` in the file (the queue must have been opened
 * once, so that its tables exist); every tenth has a time to live an hour away.
 */
export function fillSqliteQueue(
  file: string,
  queue: string,
  count: number,
  body: Buffer = Buffer.alloc(200, 0x61),
): void {
  const db = new Database(file);
  try {
    const insert = db.prepare(
      `INSERT INTO ${SQLITE_QUEUE_TABLE} (id, queue, body, properties, enqueued_at, expires_at, visible_at)
       VALUES (?, ?, ?, '{}', ?, ?, ?)`,
    );
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        insert.run(`m${String(i)}`, queue, body, now, i % 10 === 0 ? now + 3_600_000 : null, now);
      }
    })();
  } finally {
    db.close();
  }
}
