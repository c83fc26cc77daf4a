/**
 * `wsseq/replay/redis`: a replay cache shared by several consumers, in Redis. Takes an
 * ioredis client (the optional peer dependency ioredis; wsseq itself never imports it).
 * Re-exports only.
 */
export { VOLATILE_REDIS_WARNING, createRedisReplayCache, redisKeepsKeys } from '../replay/redis.js';
export type {
  RedisReplayCacheOptions,
  RedisEvalClient,
  VolatileRedisHandling,
} from '../replay/redis.js';
