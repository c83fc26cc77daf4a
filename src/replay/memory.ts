/**
 * An in-memory replay cache: bounded (least recently used entries go first), entries expire.
 * For one process; its memory is lost on restart (use the SQLite cache to survive restarts,
 * Redis to share among consumers).
 */
import { randomUUID } from 'node:crypto';
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
  toError,
} from './replay-cache.js';

export interface MemoryReplayCacheOptions extends ReplayCacheOptions {
  /**
   * Most keys held. Default 100000. When full, expired keys go first, then the least recently
   * used: a key evicted before its expiry can be replayed, so size this above the number of
   * messages received within the longest message lifetime.
   */
  readonly maxEntries?: number;
}

interface Entry {
  readonly owner: string;
  /** The queue message id given to `reserve`, if any. */
  readonly messageId: string | undefined;
  readonly consumed: boolean;
  /** Epoch milliseconds: the lease end while reserved, the expiry once consumed. */
  readonly until: number;
}

/**
 * A bounded in-memory {@link ReplayCache}.
 * @throws TypeError for a bad `maxEntries` or `leaseMs`.
 * @example
 * const opener = createOpener({ ..., replayCache: createMemoryReplayCache() });
 */
export function createMemoryReplayCache(options: MemoryReplayCacheOptions = {}): ReplayCache {
  const leaseMs = resolveLease(options);
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries <= 0) {
    throw new TypeError('maxEntries must be a positive integer');
  }
  const now = options.now ?? (() => new Date());
  // Map keeps insertion order: re-inserting a key on use makes the first key the LRU one.
  const entries = new Map<string, Entry>();

  const live = (key: string, t: number): Entry | undefined => {
    const e = entries.get(key);
    if (e && e.until <= t) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  const put = (key: string, entry: Entry): void => {
    entries.delete(key);
    entries.set(key, entry);
  };
  const makeRoom = (needed: number, t: number): void => {
    if (entries.size + needed <= maxEntries) return;
    for (const [k, e] of entries) if (e.until <= t) entries.delete(k);
    for (const k of entries.keys()) {
      if (entries.size + needed <= maxEntries) break;
      entries.delete(k);
    }
  };

  const reserveNow = (
    keys: readonly string[],
    expiresAt: Date,
    options: ReserveOptions | undefined,
  ): ReplayReservation => {
    const messageId = checkReserveArguments(keys, expiresAt, options);
    const t = now().getTime();
    for (const k of keys) {
      const e = live(k, t);
      if (e) {
        put(k, e);
        throw replayed(k, {
          holder: e.messageId,
          requested: messageId,
          consumed: e.consumed,
          leaseLeftMs: e.until - t,
        });
      }
    }
    const owner = randomUUID();
    const unique = [...new Set(keys)];
    makeRoom(unique.length, t);
    for (const k of unique) put(k, { owner, messageId, consumed: false, until: t + leaseMs });
    const expiry = expiresAt.getTime();
    return settleOnce(
      () => {
        // Consumed is the truth even if the lease lapsed meanwhile: the message was handled.
        const at = now().getTime();
        for (const k of unique) {
          if (expiry > at) put(k, { owner, messageId, consumed: true, until: expiry });
          else if (entries.get(k)?.owner === owner) entries.delete(k);
        }
        makeRoom(0, at);
        return Promise.resolve();
      },
      () => {
        for (const k of unique) {
          const e = entries.get(k);
          if (e && e.owner === owner && !e.consumed) entries.delete(k);
        }
        return Promise.resolve();
      },
    );
  };

  return Object.freeze({
    leaseMs,
    reserve(
      keys: readonly string[],
      expiresAt: Date,
      options?: ReserveOptions,
    ): Promise<ReplayReservation> {
      try {
        return Promise.resolve(reserveNow(keys, expiresAt, options));
      } catch (err) {
        return Promise.reject(toError(err));
      }
    },
  });
}
