import { afterEach, describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import { CACHE_KINDS, sleep } from './caches.js';
import type { CacheStore } from './caches.js';

const inAMinute = (): Date => new Date(Date.now() + 60_000);

async function expectReplay(promise: Promise<unknown>): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWsseqError(err) && err.code).toBe('Replay');
}

for (const kind of CACHE_KINDS) {
  describe(`${kind.name} replay cache`, () => {
    let store: CacheStore | undefined;
    const fresh = async (): Promise<CacheStore> => (store = await kind.create());
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('a committed key is a Replay until it expires', async () => {
      const cache = (await fresh()).open();
      const r = await cache.reserve(['sig:a'], inAMinute());
      await r.commit();
      await expectReplay(cache.reserve(['sig:a'], inAMinute()));
    });

    it('a reserved key (in flight) is a Replay for a concurrent duplicate', async () => {
      const cache = (await fresh()).open();
      await cache.reserve(['sig:b'], inAMinute());
      await expectReplay(cache.reserve(['sig:b'], inAMinute()));
    });

    it('a released key is free again (redelivery after a failed handler)', async () => {
      const cache = (await fresh()).open();
      const r = await cache.reserve(['sig:c', 'nonce:c'], inAMinute());
      await r.release();
      const again = await cache.reserve(['sig:c', 'nonce:c'], inAMinute());
      await again.commit();
      await expectReplay(cache.reserve(['nonce:c'], inAMinute()));
    });

    it('release after commit does nothing; commit and release are idempotent', async () => {
      const cache = (await fresh()).open();
      const r = await cache.reserve(['sig:d'], inAMinute());
      await r.commit();
      await r.commit();
      await r.release();
      await expectReplay(cache.reserve(['sig:d'], inAMinute()));
    });

    it('a crashed holder: the reservation lapses after the lease', async () => {
      const s = await fresh();
      const crashed = s.open({ leaseMs: 150 });
      await crashed.reserve(['sig:e'], inAMinute()); // never committed nor released
      const survivor = s.open({ leaseMs: 150 });
      await expectReplay(survivor.reserve(['sig:e'], inAMinute()));
      await sleep(300);
      const r = await survivor.reserve(['sig:e'], inAMinute());
      await r.commit();
      await expectReplay(survivor.reserve(['sig:e'], inAMinute()));
    });

    it("a lapsed holder's late release does not free the new holder's reservation", async () => {
      const s = await fresh();
      const cache = s.open({ leaseMs: 150 });
      const late = await cache.reserve(['sig:f'], inAMinute());
      await sleep(300);
      await cache.reserve(['sig:f'], inAMinute());
      await late.release();
      await expectReplay(cache.reserve(['sig:f'], inAMinute()));
    });

    it('reserves all keys or none', async () => {
      const cache = (await fresh()).open();
      await cache.reserve(['k:1', 'k:2'], inAMinute());
      await expectReplay(cache.reserve(['k:3', 'k:2'], inAMinute()));
      const r = await cache.reserve(['k:3'], inAMinute());
      await r.release();
    });

    it('a consumed key expires with the message', async () => {
      const cache = (await fresh()).open();
      const r = await cache.reserve(['sig:g'], new Date(Date.now() + 200));
      await r.commit();
      await expectReplay(cache.reserve(['sig:g'], inAMinute()));
      await sleep(350);
      await (await cache.reserve(['sig:g'], inAMinute())).release();
    });

    if (kind.name !== 'memory') {
      it(
        kind.name === 'sqlite'
          ? 'a consumed key survives a restart (new instance on the same file)'
          : 'a consumed key is seen by a second consumer (another client)',
        async () => {
          const s = await fresh();
          const first = s.open();
          await (await first.reserve(['sig:h'], inAMinute())).commit();
          const second = s.open();
          await expectReplay(second.reserve(['sig:h'], inAMinute()));
          await second.reserve(['sig:i'], inAMinute());
          await expectReplay(first.reserve(['sig:i'], inAMinute()));
        },
      );
    }

    it('misuse is a TypeError', async () => {
      const cache = (await fresh()).open();
      await expect(cache.reserve([], inAMinute())).rejects.toThrow(TypeError);
      await expect(cache.reserve(['x'.repeat(600)], inAMinute())).rejects.toThrow(TypeError);
      await expect(cache.reserve(['k'], new Date(Number.NaN))).rejects.toThrow(TypeError);
    });
  });
}

describe('memory replay cache bounds', () => {
  it('refuses bad options (TypeError)', () => {
    expect(() => createMemoryReplayCache({ leaseMs: 0 })).toThrow(TypeError);
    expect(() => createMemoryReplayCache({ maxEntries: -1 })).toThrow(TypeError);
  });

  it('evicts expired entries first, then the least recently used', async () => {
    let t = 0;
    const cache = createMemoryReplayCache({ maxEntries: 2, now: () => new Date(t) });
    await (await cache.reserve(['old'], new Date(100))).commit();
    await (await cache.reserve(['a'], new Date(10_000))).commit();
    t = 200; // 'old' has expired
    await (await cache.reserve(['b'], new Date(10_000))).commit();
    await expectReplay(cache.reserve(['a'], new Date(10_000)));
    // 'a' was just used: 'b' is the least recently used and goes for 'c'.
    await (await cache.reserve(['c'], new Date(10_000))).commit();
    await expectReplay(cache.reserve(['a'], new Date(10_000)));
    await (await cache.reserve(['b'], new Date(10_000))).release();
  });
});
