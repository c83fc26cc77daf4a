/**
 * `wsseq/queue/sqlite`: the embedded durable queue. Needs the optional peer dependency
 * better-sqlite3 (12 on Node 20; 13 needs Node 22). Re-exports only.
 */
export { openSqliteQueue } from '../transport/queue/sqlite-queue.js';
export type { SqliteQueueOptions } from '../transport/queue/sqlite-queue.js';
