/**
 * The embedded SQLite queue with a backlog: a receive reads one index entry in index order
 * (no temporary B-tree, no scan of the queue), so draining 100,000 queued messages runs at
 * the rate of draining 1,000 (issue 9 item 6).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { uniqueQueueName } from './contract.js';
import { SQLITE_QUEUE_TABLE, fillSqliteQueue as fill } from './sqlite-fill.js';

const TABLE = SQLITE_QUEUE_TABLE;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsseq-sqlite-backlog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function plan(db: Database.Database, sql: string, ...params: unknown[]): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

/** Receive and acknowledge `count` messages; returns messages per second. */
async function drain(queue: QueueAdapter, count: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const delivery = await queue.receive();
    if (delivery === undefined) throw new Error(`${queue.name} ran dry`);
    await delivery.ack();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return count / seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('the SQLite queue with a backlog', () => {
  it('reads the next message and the expired ones through an index: no temp B-tree, no scan', async () => {
    const file = join(dir, 'plan.db');
    const name = uniqueQueueName('plan');
    const queue = openSqliteQueue({ file, name });
    await queue.close();
    fill(file, name, 2000);
    const db = new Database(file);
    try {
      db.exec('ANALYZE');
      const columns = 'seq, id, body, properties, enqueued_at, expires_at, delivery_count';
      const now = Date.now();
      const next = plan(
        db,
        `SELECT ${columns} FROM ${TABLE} INDEXED BY ${TABLE}_next
         WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT 1`,
        name,
        now,
      );
      const expired = plan(
        db,
        `SELECT ${columns} FROM ${TABLE} INDEXED BY ${TABLE}_expiry
         WHERE queue = ? AND expires_at IS NOT NULL AND expires_at <= ? AND visible_at <= ?
         ORDER BY expires_at LIMIT 100`,
        name,
        now,
        now,
      );
      for (const p of [next, expired]) {
        expect(p).not.toMatch(/TEMP B-TREE/);
        expect(p).toMatch(/SEARCH .* USING INDEX/);
        expect(p).not.toMatch(/^SCAN/m);
      }
      // The old query (ORDER BY seq over the (queue, visible_at) range) needed a sort: the
      // check above can fail.
      const old = plan(
        db,
        `SELECT ${columns} FROM ${TABLE} INDEXED BY ${TABLE}_visible
         WHERE queue = ? AND visible_at <= ? ORDER BY seq LIMIT 1`,
        name,
        now,
      );
      expect(old).toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });

  it('drains 100,000 queued messages at the rate it drains 1,000', async () => {
    const shallow = { file: join(dir, 'shallow.db'), name: uniqueQueueName('shallow') };
    const deep = { file: join(dir, 'deep.db'), name: uniqueQueueName('deep') };
    for (const [q, depth] of [
      [shallow, 1_000],
      [deep, 100_000],
    ] as const) {
      await openSqliteQueue(q).close();
      fill(q.file, q.name, depth);
    }
    const a = openSqliteQueue(shallow);
    const b = openSqliteQueue(deep);
    try {
      await drain(a, 20); // warm both connections up
      await drain(b, 20);
      // Alternate short batches so that disk and CPU noise hit both sides alike.
      const rates = { shallow: [] as number[], deep: [] as number[] };
      for (let round = 0; round < 8; round++) {
        rates.shallow.push(await drain(a, 40));
        rates.deep.push(await drain(b, 40));
      }
      const ratio = median(rates.deep) / median(rates.shallow);
      // The requirement is within 20 %; the margin here is wider for a shared CI machine.
      // (Before the index it was about 0.07: each receive sorted and scanned the backlog.)
      expect(ratio).toBeGreaterThan(0.6);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
