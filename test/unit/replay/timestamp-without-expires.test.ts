/**
 * WSS 1.0 section 10: Expires is optional. A Timestamp without it is held to the receiver's
 * freshness window on Created (maxMessageAgeSeconds, else the documented default of five
 * minutes plus the skew), and that window bounds the replay record.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqErrorCode } from '../../../src/errors.js';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import type { ReplayCache } from '../../../src/replay/replay-cache.js';
import { DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS } from '../../../src/wss/timestamp.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

const SKEW = 300;
const at = (seconds: number): Date => new Date(TEST_NOW.getTime() + seconds * 1000);

async function codeOf(promise: Promise<unknown>): Promise<WsseqErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
}

/** A memory cache that records the expiry each reservation asked for. */
function recordingCache(now: () => Date): { cache: ReplayCache; expiries: Date[] } {
  const inner = createMemoryReplayCache({ now });
  const expiries: Date[] = [];
  return {
    expiries,
    cache: {
      reserve: (keys, expiresAt) => {
        expiries.push(expiresAt);
        return inner.reserve(keys, expiresAt);
      },
    },
  };
}

async function noExpiresMessage(): Promise<string> {
  const pki = await getTestPki();
  return secureAs(pki, orderEnvelope(), { timestampTtlSeconds: 0 });
}

describe('a signed Timestamp without Expires', () => {
  it('the default window is five minutes plus the clock skew', () => {
    expect(DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS).toBe(300);
  });

  it('is accepted inside the default window and MessageExpired after it', async () => {
    const pki = await getTestPki();
    const wire = await noExpiresMessage();
    const limit = DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS + SKEW;
    const inside = testOpener(pki, {}, { now: () => at(limit - 1) });
    expect((await inside.open(wire)).context.timestamp?.expires).toBeUndefined();
    const outside = testOpener(pki, {}, { now: () => at(limit + 1) });
    expect(await codeOf(outside.open(wire))).toBe('MessageExpired');
  });

  it('maxMessageAgeSeconds replaces the default window, longer or shorter', async () => {
    const pki = await getTestPki();
    const wire = await noExpiresMessage();
    const hour = testOpener(pki, { maxMessageAgeSeconds: 3600 }, { now: () => at(3000) });
    expect((await hour.open(wire)).context.signed).toContain('Timestamp');
    const minute = testOpener(pki, { maxMessageAgeSeconds: 60 }, { now: () => at(SKEW + 61) });
    expect(await codeOf(minute.open(wire))).toBe('MessageExpired');
  });

  it('with a replay cache: accepted once, bounded by the default window, then Replay', async () => {
    const pki = await getTestPki();
    const wire = await noExpiresMessage();
    const { cache, expiries } = recordingCache(() => TEST_NOW);
    const opener = testOpener(pki, {}, { replayCache: cache });
    await (await opener.open(wire)).commit();
    expect(expiries).toEqual([at(DEFAULT_MAX_AGE_WITHOUT_EXPIRES_SECONDS + SKEW)]);
    expect(await codeOf(opener.open(wire))).toBe('Replay');
  });

  it('with a replay cache and maxMessageAgeSeconds: the record lasts that long', async () => {
    const pki = await getTestPki();
    const wire = await noExpiresMessage();
    const { cache, expiries } = recordingCache(() => TEST_NOW);
    const opener = testOpener(pki, { maxMessageAgeSeconds: 3600 }, { replayCache: cache });
    await (await opener.open(wire)).commit();
    expect(expiries).toEqual([at(3600 + SKEW)]);
  });

  it('requireExpires still refuses it (PolicyViolation)', async () => {
    const pki = await getTestPki();
    const opener = testOpener(pki, { requireExpires: true });
    expect(await codeOf(opener.open(await noExpiresMessage()))).toBe('PolicyViolation');
  });

  it('a Timestamp with Expires keeps Expires as its bound', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { timestampTtlSeconds: 3600 });
    const { cache, expiries } = recordingCache(() => TEST_NOW);
    const opener = testOpener(pki, {}, { replayCache: cache, now: () => at(3000) });
    await (await opener.open(wire)).commit();
    expect(expiries).toEqual([at(3600 + SKEW)]);
  });
});
