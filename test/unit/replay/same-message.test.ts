/**
 * Every replay cache tells a redelivery of the same queue message from a copy (issue 9 item 1):
 * a key taken by the same queue message id is reported as `handled` (committed) or
 * `in-flight` (reserved, with the lease left); a key taken by another id, or without ids, is a
 * plain Replay. Each case beside the honest first reservation passing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayError } from '../../../src/replay/replay-cache.js';
import type { ReplayCache } from '../../../src/replay/replay-cache.js';
import { CACHE_KINDS } from './caches.js';
import type { CacheStore } from './caches.js';

const inAMinute = (): Date => new Date(Date.now() + 60_000);

async function conflict(
  cache: ReplayCache,
  keys: readonly string[],
  messageId?: string,
): Promise<ReplayError> {
  const err: unknown = await cache
    .reserve(keys, inAMinute(), messageId === undefined ? {} : { messageId })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(err instanceof ReplayError)) throw new Error(`expected a ReplayError, got ${String(err)}`);
  expect(err.code).toBe('Replay');
  return err;
}

for (const kind of CACHE_KINDS) {
  describe(`${kind.name} replay cache: redelivery or copy`, () => {
    let store: CacheStore | undefined;
    const fresh = async (): Promise<CacheStore> => (store = await kind.create());
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('a committed key asked for by the same queue message is handled; by another, a Replay', async () => {
      const cache = (await fresh()).open();
      const r = await cache.reserve(['sig:h1', 'nonce:h1'], inAMinute(), { messageId: 'q-1' });
      await r.commit();
      expect((await conflict(cache, ['sig:h1', 'nonce:h1'], 'q-1')).sameMessage).toBe('handled');
      expect((await conflict(cache, ['nonce:h1'], 'q-1')).sameMessage).toBe('handled');
      expect((await conflict(cache, ['sig:h1'], 'q-2')).sameMessage).toBeUndefined();
      expect((await conflict(cache, ['sig:h1'])).sameMessage).toBeUndefined();
    });

    it('a reserved key asked for by the same queue message is in flight, with the lease left', async () => {
      const cache = (await fresh()).open({ leaseMs: 5000 });
      await cache.reserve(['sig:f1'], inAMinute(), { messageId: 'q-3' });
      const same = await conflict(cache, ['sig:f1'], 'q-3');
      expect(same.sameMessage).toBe('in-flight');
      expect(same.leaseLeftMs).toBeGreaterThan(0);
      expect(same.leaseLeftMs).toBeLessThanOrEqual(5000);
      const other = await conflict(cache, ['sig:f1'], 'q-4');
      expect(other.sameMessage).toBeUndefined();
      expect(other.leaseLeftMs).toBeUndefined();
    });

    it('a key reserved without a queue message id is a Replay for everyone', async () => {
      const cache = (await fresh()).open();
      const r = await cache.reserve(['sig:n1'], inAMinute());
      await r.commit();
      expect((await conflict(cache, ['sig:n1'], 'q-5')).sameMessage).toBeUndefined();
    });

    it('another instance on the same store (a restarted consumer) sees the same message id', async () => {
      const s = await fresh();
      const r = await s.open().reserve(['sig:r1'], inAMinute(), { messageId: 'q-6' });
      await r.commit();
      expect((await conflict(s.open(), ['sig:r1'], 'q-6')).sameMessage).toBe('handled');
    });

    it('refuses a bad queue message id as misuse', async () => {
      const cache = (await fresh()).open();
      for (const messageId of ['', 'x'.repeat(513)]) {
        await expect(cache.reserve(['sig:m1'], inAMinute(), { messageId })).rejects.toThrow(
          TypeError,
        );
      }
    });
  });
}
