/**
 * A replay cache shared by several consumers of one queue, in Redis (ioredis): `SET key value
 * NX PX lease` reserves, `SET ... PX` to the message's expiry commits, and release deletes a
 * key only while it still holds this reservation's token. Each step is one Lua script, so a
 * message's keys are reserved all at once or not at all.
 */
import { randomUUID } from 'node:crypto';
import type { ReplayCache, ReplayCacheOptions, ReplayReservation } from './replay-cache.js';
import { checkReserveArguments, replayed, resolveLease, settleOnce } from './replay-cache.js';

/**
 * The one command the cache sends: `EVAL script numkeys key... arg...`. An ioredis `Redis` or
 * `Cluster` client fits it. (Typed here rather than imported from ioredis, so that wsseq's
 * types compile without ioredis's own declaration dependencies.)
 */
export interface RedisEvalClient {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

export interface RedisReplayCacheOptions extends ReplayCacheOptions {
  /** A connected ioredis client; the caller owns (and quits) it. */
  readonly client: RedisEvalClient;
  /**
   * Prefix of every key. Default 'wsseq:replay:'. On Redis Cluster the keys of one message must
   * share a slot: use a hash tag, e.g. '{wsseq:replay}:'.
   */
  readonly keyPrefix?: string;
}

/** Returns 0, or the 1-based index of the first key already taken (nothing is then set). */
const RESERVE = `
for i, k in ipairs(KEYS) do
  if not redis.call('SET', k, ARGV[1], 'NX', 'PX', ARGV[2]) then
    for j = 1, i - 1 do redis.call('DEL', KEYS[j]) end
    return i
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

/**
 * A shared {@link ReplayCache} in Redis. Expiries run on the Redis server's clock; the lease
 * and the time left to `expiresAt` are computed with `now` when each call is made.
 * @throws TypeError for bad options. Calls reject with the client's error when Redis is down.
 * @example
 * const replayCache = createRedisReplayCache({ client: new Redis('redis://queue-cache:6379') });
 */
export function createRedisReplayCache(options: RedisReplayCacheOptions): ReplayCache {
  const leaseMs = resolveLease(options);
  const { client } = options;
  if (typeof client.eval !== 'function') throw new TypeError('client must be an ioredis client');
  const prefix = options.keyPrefix ?? 'wsseq:replay:';
  const now = options.now ?? (() => new Date());

  return Object.freeze({
    async reserve(keys: readonly string[], expiresAt: Date): Promise<ReplayReservation> {
      checkReserveArguments(keys, expiresAt);
      const unique = [...new Set(keys)];
      const redisKeys = unique.map((k) => prefix + k);
      const owner = randomUUID();
      const reserved = `r:${owner}`;
      const taken = await client.eval(RESERVE, redisKeys.length, ...redisKeys, reserved, leaseMs);
      if (typeof taken === 'number' && taken > 0) throw replayed(unique[taken - 1] ?? '');
      if (taken !== 0)
        throw new Error(`unexpected reply from the reserve script: ${String(taken)}`);
      return settleOnce(
        async () => {
          const left = Math.ceil(expiresAt.getTime() - now().getTime());
          await client.eval(COMMIT, redisKeys.length, ...redisKeys, `c:${owner}`, left, reserved);
        },
        async () => {
          await client.eval(RELEASE, redisKeys.length, ...redisKeys, reserved);
        },
      );
    },
  });
}
