import { afterEach, describe, expect, it } from 'vitest';
import { usernameAuthenticator, usernameCredential } from '../../../src/credentials/username.js';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqErrorCode } from '../../../src/errors.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import type { ReplayCache } from '../../../src/replay/replay-cache.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { CACHE_KINDS, sleep } from './caches.js';
import type { CacheStore } from './caches.js';

/** Long enough that a slow open on a loaded machine still falls inside the lease. */
const LEASE_MS = 1500;

/** A clock that starts at TEST_NOW and runs in real time (leases lapse while tests sleep). */
function runningClock(): () => Date {
  const start = Date.now();
  return () => new Date(TEST_NOW.getTime() + (Date.now() - start));
}

async function expectCode(promise: Promise<unknown>, code: WsseqErrorCode): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWsseqError(err) ? err.code : err).toBe(code);
}

function opener(pki: TestPki, replayCache: ReplayCache, now: () => Date = () => TEST_NOW) {
  return testOpener(pki, {}, { replayCache, now });
}

for (const kind of CACHE_KINDS) {
  describe(`open with the ${kind.name} replay cache`, () => {
    let store: CacheStore | undefined;
    const fresh = async (): Promise<CacheStore> => (store = await kind.create());
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it(
      kind.name === 'memory'
        ? 'rejects a replayed message (Replay)'
        : kind.name === 'sqlite'
          ? 'rejects a replayed message after a receiver restart (Replay)'
          : 'rejects a message replayed to a second receiver (Replay)',
      async () => {
        const pki = await getTestPki();
        const s = await fresh();
        const wire = secureAs(pki, orderEnvelope());
        const first = await opener(pki, s.open({ now: () => TEST_NOW })).open(wire);
        expect(first.replayKeys[0]).toMatch(/^sig:/);
        await first.commit();
        // memory: the same instance; SQLite: a new instance on the file; Redis: another client.
        const second = opener(pki, s.open({ now: () => TEST_NOW }));
        await expectCode(second.open(wire), 'Replay');
        // Another message from the same client is not a replay.
        const other = await second.open(secureAs(pki, orderEnvelope('1.1', 'gadget')));
        await other.commit();
      },
    );

    it('accepts the redelivery of a message whose handler failed (released)', async () => {
      const pki = await getTestPki();
      const o = opener(pki, (await fresh()).open({ now: () => TEST_NOW }));
      const wire = secureAs(pki, orderEnvelope());
      await expect(
        o.openAndHandle(wire, () => {
          throw new Error('database down');
        }),
      ).rejects.toThrow('database down');
      const handled = await o.openAndHandle(wire, (r) => r.context.identity.name);
      expect(handled).toContain('alice');
      await expectCode(o.open(wire), 'Replay');
    });

    it('refuses a duplicate while the first copy is handled, and accepts the redelivery after a crash (lease lapsed)', async () => {
      const pki = await getTestPki();
      const s = await fresh();
      const clock = runningClock();
      const wire = secureAs(pki, orderEnvelope());
      // The consumer that crashes: reserves, never commits nor releases.
      await opener(pki, s.open({ leaseMs: LEASE_MS, now: clock }), clock).open(wire);
      const restarted = opener(pki, s.open({ leaseMs: LEASE_MS, now: clock }), clock);
      await expectCode(restarted.open(wire), 'Replay');
      await sleep(LEASE_MS + 400);
      const redelivered = await restarted.open(wire);
      await redelivered.commit();
      await expectCode(restarted.open(wire), 'Replay');
    });
  });
}

describe('open and replay keys', () => {
  it('without a replay cache nothing is remembered; commit and release do nothing', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope());
    const o = testOpener(pki);
    const a = await o.open(wire);
    await a.commit();
    await a.release();
    expect((await o.open(wire)).body).toContain('widget');
  });

  it('UserName without a message signature: the nonce is the replay key', async () => {
    const wire = createSecurer({
      credential: usernameCredential({
        username: 'alice',
        password: 'pw',
        passwordType: 'PasswordDigest',
      }),
      policy: { protectionLevel: 'None' },
      now: () => TEST_NOW,
    }).secure(orderEnvelope());
    const o = createOpener({
      credentials: [
        usernameAuthenticator({
          validator: {
            validate: (name) => Promise.resolve(name === 'alice' ? {} : undefined),
          },
          allowUnprotectedToken: true,
        }),
      ],
      policy: { protectionLevel: 'None' },
      replayCache: createMemoryReplayCache({ now: () => TEST_NOW }),
      now: () => TEST_NOW,
    });
    const first = await o.open(wire);
    expect(first.replayKeys).toEqual([expect.stringMatching(/^nonce:/)]);
    await first.commit();
    await expectCode(o.open(wire), 'Replay');
  });

  it('a message without Expires is bounded by the default age, or by maxMessageAgeSeconds', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { timestampTtlSeconds: 0 });
    const cache = createMemoryReplayCache({ now: () => TEST_NOW });
    await (await opener(pki, cache).open(wire)).commit();
    await expectCode(opener(pki, cache).open(wire), 'Replay');
    const bounded = testOpener(pki, { maxMessageAgeSeconds: 3600 }, { replayCache: cache });
    await expectCode(bounded.open(wire), 'Replay');
  });
});
