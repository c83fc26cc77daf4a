/**
 * A replay cache shared by several consumers of one queue, in Redis (ioredis): `SET key value
 * NX PX lease` reserves, `SET ... PX` to the message's expiry commits, and release deletes a
 * key only while it still holds this reservation's token. Each step is one Lua script, so a
 * message's keys are reserved all at once or not at all.
 *
 * A replay cache that forgets is no replay cache: Redis without an append-only file loses its
 * keys on a restart, and every message handled before it is then accepted again. So the cache
 * checks the server's persistence before its first use and refuses a server without AOF
 * (see `docs/reliability.md` for how to run Redis for it).
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
  storeFailure,
} from './replay-cache.js';

/**
 * The commands the cache sends: `EVAL`, and `CONFIG GET` / `INFO persistence` for the
 * persistence check. An ioredis `Redis` client fits it. (Typed here rather than imported from
 * ioredis, so that wsseq's types compile without ioredis's own declaration dependencies.)
 */
export interface RedisEvalClient {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  config(subcommand: 'GET', parameter: string): Promise<unknown>;
  info(section: string): Promise<string>;
}

/** What to do with a Redis server that would forget the keys on a restart. */
export type VolatileRedisHandling = 'refuse' | 'unsafeWarn';

const VOLATILE_HANDLING: readonly VolatileRedisHandling[] = ['refuse', 'unsafeWarn'];

/** The `process.emitWarning` code under `volatileServer: 'unsafeWarn'`. */
export const VOLATILE_REDIS_WARNING = 'WSSEQ_VOLATILE_REPLAY_CACHE';

export interface RedisReplayCacheOptions extends ReplayCacheOptions {
  /** A connected ioredis client; the caller owns (and quits) it. */
  readonly client: RedisEvalClient;
  /**
   * Prefix of every key. Default 'wsseq:replay:'. On Redis Cluster the keys of one message must
   * share a slot: use a hash tag, e.g. '{wsseq:replay}:'.
   */
  readonly keyPrefix?: string;
  /**
   * A server without an append-only file (`appendonly no`; RDB snapshots alone lose the keys
   * written since the last one) forgets reserved and consumed keys on a restart:
   * - `'refuse'` (default): `ready()` and every `reserve` reject with a TypeError.
   * - `'unsafeWarn'`: DANGEROUS. Use the server anyway and emit a process warning
   *   ({@link VOLATILE_REDIS_WARNING}): after a Redis restart, every message still within its
   *   lifetime can be replayed once. For tests and throwaway set-ups only.
   */
  readonly volatileServer?: VolatileRedisHandling;
}

/**
 * Returns 0, or {index of the first key already taken (1-based), its value, its PTTL};
 * nothing is then set.
 */
const RESERVE = `
for i, k in ipairs(KEYS) do
  if not redis.call('SET', k, ARGV[1], 'NX', 'PX', ARGV[2]) then
    for j = 1, i - 1 do redis.call('DEL', KEYS[j]) end
    return {i, redis.call('GET', k), redis.call('PTTL', k)}
  end
end
return 0`;

/** ARGV: consumed value, milliseconds left (<= 0: already expired), reserved value. */
const COMMIT = `
local ttl = tonumber(ARGV[2])
for _, k in ipairs(KEYS) do
  if ttl > 0 then
    redis.call('SET', k, ARGV[1], 'PX', ttl)
  elseif redis.call('GET', k) == ARGV[3] then
    redis.call('DEL', k)
  end
end
return 1`;

/** Deletes the keys still reserved with ARGV[1]. */
const RELEASE = `
local n = 0
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then
    redis.call('DEL', k)
    n = n + 1
  end
end
return n`;

/** A stored value: `r:` (reserved) or `c:` (consumed), the owner token, then `:` and the id. */
const OWNER_END = 2 + 36;

function storedValue(state: 'r' | 'c', owner: string, messageId: string | undefined): string {
  return messageId === undefined ? `${state}:${owner}` : `${state}:${owner}:${messageId}`;
}

function readStoredValue(value: unknown): { consumed: boolean; messageId: string | undefined } {
  const text = typeof value === 'string' ? value : '';
  return {
    consumed: text.startsWith('c:'),
    messageId: text.length > OWNER_END + 1 ? text.slice(OWNER_END + 1) : undefined,
  };
}

/**
 * Whether the server keeps its keys across a restart: `appendonly yes` (CONFIG GET), or, where
 * CONFIG is not allowed, `aof_enabled:1` in INFO persistence.
 */
export async function redisKeepsKeys(client: RedisEvalClient): Promise<boolean> {
  try {
    const reply = await client.config('GET', 'appendonly');
    if (Array.isArray(reply) && reply.length >= 2) return String(reply[1]) === 'yes';
  } catch {
    // CONFIG renamed or not permitted (managed Redis): ask INFO instead.
  }
  const info = await client.info('persistence');
  return /^aof_enabled:1\s*$/m.test(info);
}

/**
 * A shared {@link ReplayCache} in Redis. Expiries run on the Redis server's clock; the lease
 * and the time left to `expiresAt` are computed with `now` when each call is made.
 * @throws TypeError for bad options. `ready()` and `reserve` reject with a TypeError when the
 *   server has no append-only file (unless `volatileServer: 'unsafeWarn'`), and with a
 *   `ReplayCacheError` when Redis is unreachable.
 * @example
 * const replayCache = createRedisReplayCache({ client: new Redis('redis://queue-cache:6379') });
 * await replayCache.ready?.(); // refuses a server that would forget its keys
 */
export function createRedisReplayCache(options: RedisReplayCacheOptions): ReplayCache {
  const leaseMs = resolveLease(options);
  const { client } = options;
  if (typeof client.eval !== 'function') throw new TypeError('client must be an ioredis client');
  const volatile: unknown = options.volatileServer ?? 'refuse';
  if (
    typeof volatile !== 'string' ||
    !(VOLATILE_HANDLING as readonly string[]).includes(volatile)
  ) {
    throw new TypeError(
      `volatileServer must be one of ${VOLATILE_HANDLING.join(', ')} (got ${typeof volatile === 'string' ? `'${volatile}'` : typeof volatile})`,
    );
  }
  const prefix = options.keyPrefix ?? 'wsseq:replay:';
  const now = options.now ?? (() => new Date());

  let checked: Promise<void> | undefined;
  const check = async (): Promise<void> => {
    let keeps: boolean;
    try {
      keeps = await redisKeepsKeys(client);
    } catch (err) {
      checked = undefined; // unreachable now: ask again next time
      throw storeFailure('reserve', err);
    }
    if (keeps) return;
    if (volatile === 'refuse') {
      throw new TypeError(
        'the Redis server has no append-only file (appendonly no): it forgets replay keys on a ' +
          "restart. Run it with --appendonly yes, or pass volatileServer: 'unsafeWarn'",
      );
    }
    process.emitWarning(
      'the Redis replay cache runs on a server without an append-only file: a Redis restart ' +
        'lets messages be replayed',
      { code: VOLATILE_REDIS_WARNING },
    );
  };
  const ready = (): Promise<void> => (checked ??= check());

  return Object.freeze({
    leaseMs,
    ready,
    async reserve(
      keys: readonly string[],
      expiresAt: Date,
      reserveOptions?: ReserveOptions,
    ): Promise<ReplayReservation> {
      const messageId = checkReserveArguments(keys, expiresAt, reserveOptions);
      await ready();
      const unique = [...new Set(keys)];
      const redisKeys = unique.map((k) => prefix + k);
      const owner = randomUUID();
      const reserved = storedValue('r', owner, messageId);
      let taken: unknown;
      try {
        taken = await client.eval(RESERVE, redisKeys.length, ...redisKeys, reserved, leaseMs);
      } catch (err) {
        throw storeFailure('reserve', err);
      }
      if (Array.isArray(taken)) {
        const [index, value, pttl] = taken as unknown[];
        const holder = readStoredValue(value);
        throw replayed(unique[Number(index) - 1] ?? '', {
          holder: holder.messageId,
          requested: messageId,
          consumed: holder.consumed,
          leaseLeftMs: typeof pttl === 'number' ? pttl : leaseMs,
        });
      }
      if (taken !== 0) {
        throw storeFailure('reserve', new Error(`unexpected reply: ${String(taken)}`));
      }
      return settleOnce(
        async () => {
          const left = Math.ceil(expiresAt.getTime() - now().getTime());
          const consumed = storedValue('c', owner, messageId);
          await client.eval(COMMIT, redisKeys.length, ...redisKeys, consumed, left, reserved);
        },
        async () => {
          await client.eval(RELEASE, redisKeys.length, ...redisKeys, reserved);
        },
      );
    },
  });
}
