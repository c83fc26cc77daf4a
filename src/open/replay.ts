/**
 * Receiver stage: replay detection. The message's replay keys (its Body signature value, a
 * UsernameToken nonce) are reserved in the opener's replay cache until the message could no
 * longer be accepted anyway; the caller commits the reservation once the message is handled,
 * or releases it so that the queue's redelivery is accepted.
 */
import type { Authentication } from '../credentials/types.js';
import { reject } from '../errors.js';
import type { ResolvedReceiverPolicy } from '../policy/policy.js';
import type { ReplayCache, ReplayReservation } from '../replay/replay-cache.js';
import { timestampAcceptableUntil } from '../wss/timestamp.js';
import type { Timestamp } from '../wss/timestamp.js';

/** A reservation for a message that needs none (no replay cache). */
export const NO_RESERVATION: ReplayReservation = Object.freeze({
  commit: () => Promise.resolve(),
  release: () => Promise.resolve(),
});

/**
 * Until when the keys must be remembered: the end of the message's acceptable life (the
 * signed Timestamp's Expires, or Created + maxMessageAgeSeconds, whichever comes first, plus
 * the skew; without Expires nor maxMessageAgeSeconds, Created + the default age and skew),
 * or the credential's own bound (a UsernameToken's Created + nonce age) when later.
 * An unsigned Timestamp bounds nothing (a replayer could rewrite it).
 * @returns undefined when nothing bounds the message's life.
 */
export function replayExpiry(
  timestamp: Timestamp | undefined,
  timestampSigned: boolean,
  auth: Authentication,
  policy: ResolvedReceiverPolicy,
): Date | undefined {
  let end =
    timestamp && timestampSigned
      ? timestampAcceptableUntil(
          timestamp,
          policy.maxMessageAgeSeconds,
          policy.maxClockSkewSeconds,
        ).getTime()
      : undefined;
  const own = auth.replayExpiresAt?.getTime();
  if (own !== undefined) end = end === undefined ? own : Math.max(end, own);
  return end === undefined ? undefined : new Date(end);
}

/**
 * Reserve the message's keys.
 * @throws WsseqError `Replay` when a key was already received (or is being handled by another
 *   consumer); `PolicyViolation` when the message has no replay key or nothing bounds its
 *   life (no signed Timestamp).
 */
export async function reserveReplayKeys(
  cache: ReplayCache,
  keys: readonly string[],
  expiresAt: Date | undefined,
  messageId?: string,
): Promise<ReplayReservation> {
  if (keys.length === 0) {
    throw reject('PolicyViolation', 'the message carries nothing to detect its replay by');
  }
  if (!expiresAt) {
    throw reject('PolicyViolation', 'replay detection needs a signed Timestamp');
  }
  return cache.reserve(keys, expiresAt, messageId === undefined ? {} : { messageId });
}
