/** The three replay caches behind one factory, for contract tests. Not a test file. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import { createRedisReplayCache } from '../../../src/replay/redis.js';
import type { ReplayCache, ReplayCacheOptions } from '../../../src/replay/replay-cache.js';
import { openSqliteReplayCache } from '../../../src/replay/sqlite.js';

/** Redis for the shared-cache tests (a real server; the tests fail without one). */
export const REDIS_URL = process.env.WSSEQ_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface CacheKind {
  readonly name: 'memory' | 'sqlite' | 'redis';
  /**
   * A fresh, empty store. `open` returns a cache on it: for SQLite and Redis a second call is
   * another instance on the same file or server (a restart, a second consumer); memory
   * returns the same instance (it has nothing else to share).
   */
  create(): Promise<CacheStore>;
}

export interface CacheStore {
  open(options?: ReplayCacheOptions): ReplayCache;
  close(): Promise<void>;
}

export const CACHE_KINDS: readonly CacheKind[] = [
  {
    name: 'memory',
    create: () => {
      let cache: ReplayCache | undefined;
      return Promise.resolve({
        open: (options = {}) => (cache ??= createMemoryReplayCache(options)),
        close: () => Promise.resolve(),
      });
    },
  },
  {
    name: 'sqlite',
    create: () => {
      const dir = mkdtempSync(join(tmpdir(), 'wsseq-replay-'));
      const opened: { close(): void }[] = [];
      return Promise.resolve({
        open: (options = {}) => {
          const cache = openSqliteReplayCache({ ...options, path: join(dir, 'replay.db') });
          opened.push(cache);
          return cache;
        },
        close: () => {
          for (const c of opened) c.close();
          rmSync(dir, { recursive: true, force: true });
          return Promise.resolve();
        },
      });
    },
  },
  {
    name: 'redis',
    create: () => {
      const keyPrefix = `wsseq-test:${randomUUID()}:`;
      const clients: Redis[] = [];
      return Promise.resolve({
        open: (options = {}) => {
          const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
          clients.push(client);
          // The shared test Redis runs without persistence: the dangerous relaxation, named.
          return createRedisReplayCache({
            ...options,
            client,
            keyPrefix,
            volatileServer: 'unsafeWarn',
          });
        },
        close: async () => {
          const [first] = clients;
          if (first) {
            const keys = await first.keys(`${keyPrefix}*`);
            if (keys.length > 0) await first.del(...keys);
          }
          await Promise.all(clients.map((c) => c.quit()));
        },
      });
    },
  },
];

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
