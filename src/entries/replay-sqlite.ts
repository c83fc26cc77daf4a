/**
 * `wsseq/replay/sqlite`: a durable replay cache for the consumers on one machine. Needs the
 * optional peer dependency better-sqlite3 (12 on Node 20; 13 needs Node 22). Re-exports only.
 */
export { openSqliteReplayCache } from '../replay/sqlite.js';
export type { SqliteReplayCache, SqliteReplayCacheOptions } from '../replay/sqlite.js';
