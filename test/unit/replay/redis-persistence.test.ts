/**
 * A replay cache that forgets (issue 9 item 4): Redis without an append-only file loses its
 * keys on a restart, and the exact bytes of a handled message were then accepted again. The
 * Redis cache checks persistence before use: a volatile server is refused (or, by the named
 * relaxation, used with a warning); on a server with AOF a handled message stays a Replay
 * across a Redis restart. Private redis-servers on random ports.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  VOLATILE_REDIS_WARNING,
  createRedisReplayCache,
  redisKeepsKeys,
} from '../../../src/replay/redis.js';
import { ReplayError } from '../../../src/replay/replay-cache.js';
import { startRedis } from '../../support/redis-server.js';
import type { PrivateRedis } from '../../support/redis-server.js';

const inAMinute = (): Date => new Date(Date.now() + 60_000);
const servers: PrivateRedis[] = [];
const start = async (persistent: boolean): Promise<PrivateRedis> => {
  const server = await startRedis(persistent);
  servers.push(server);
  return server;
};
afterEach(async () => {
  for (const s of servers.splice(0)) await s.dispose();
});

describe('the Redis replay cache and persistence', () => {
  it('refuses a server without an append-only file by default', async () => {
    const redis = await start(false);
    const client = redis.client();
    expect(await redisKeepsKeys(client)).toBe(false);
    const cache = createRedisReplayCache({ client });
    await expect(cache.ready?.()).rejects.toThrow(TypeError);
    await expect(cache.reserve(['sig:v1'], inAMinute())).rejects.toThrow(TypeError);
    expect(await client.dbsize()).toBe(0); // nothing was written
  });

  it("uses it, with a warning, only under volatileServer: 'unsafeWarn' (and it forgets)", async () => {
    const redis = await start(false);
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => {
      if (w.code !== undefined) warnings.push(w.code);
    };
    process.on('warning', onWarning);
    try {
      const cache = createRedisReplayCache({
        client: redis.client(),
        volatileServer: 'unsafeWarn',
      });
      await cache.ready?.();
      const r = await cache.reserve(['sig:v2'], inAMinute());
      await r.commit();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toContain(VOLATILE_REDIS_WARNING);
      // Why it is refused by default: after a restart the handled message is accepted again.
      await redis.kill();
      await redis.restart();
      const after = createRedisReplayCache({
        client: redis.client(),
        volatileServer: 'unsafeWarn',
      });
      await expect(after.reserve(['sig:v2'], inAMinute())).resolves.toBeDefined();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('accepts a server with AOF, and a handled message stays a Replay across its restart', async () => {
    const redis = await start(true);
    const cache = createRedisReplayCache({ client: redis.client() });
    await cache.ready?.();
    const r = await cache.reserve(['sig:p1'], inAMinute(), { messageId: 'q-1' });
    await r.commit();
    await redis.kill();
    await redis.restart();
    const after = createRedisReplayCache({ client: redis.client() });
    const err: unknown = await after.reserve(['sig:p1'], inAMinute(), { messageId: 'q-2' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReplayError);
    expect((err as ReplayError).code).toBe('Replay');
  });

  it('refuses an unknown volatileServer value as misuse', async () => {
    const redis = await start(true);
    expect(() =>
      createRedisReplayCache({
        client: redis.client(),
        volatileServer: 'warn' as unknown as 'unsafeWarn',
      }),
    ).toThrow(TypeError);
  });
});
