/**
 * The replay cache interface: a message (its signature value, a UsernameToken nonce) is
 * accepted at most once within its lifetime.
 *
 * Queues deliver at least once: a message whose handling failed (or whose consumer crashed)
 * comes back. That redelivery is not a replay. So acceptance is two steps:
 *
 * 1. `reserve(keys, expiresAt)` marks the keys in flight for a short lease; a concurrent
 *    duplicate is refused as a `Replay`.
 * 2. `commit()` when the handler succeeded: the keys are consumed until `expiresAt`; or
 *    `release()` when it failed: the keys are free again and the redelivery is accepted.
 *
 * A consumer that crashes between the two leaves a reservation that lapses after the lease,
 * after which the redelivery is accepted.
 */
import { reject } from '../errors.js';

/** Keys reserved by one message, until committed or released. */
export interface ReplayReservation {
  /** The message was handled: keep its keys until their expiry. Idempotent. */
  commit(): Promise<void>;
  /**
   * The handling failed: free the keys (only those still held by this reservation), so the
   * redelivery is accepted. A no-op after commit. Idempotent.
   */
  release(): Promise<void>;
}

/** Same interface for the in-memory, SQLite and Redis caches. */
export interface ReplayCache {
  /**
   * Reserve all `keys` at once, or none.
   * @throws WsseqError `Replay` when any key is consumed or reserved by someone else.
   */
  reserve(keys: readonly string[], expiresAt: Date): Promise<ReplayReservation>;
}

/** Options every cache shares. */
export interface ReplayCacheOptions {
  /**
   * How long a reservation holds without a commit or release, in milliseconds: after a crash,
   * the redelivery is accepted once it lapses. Longer than the longest handler. Default 60000.
   */
  readonly leaseMs?: number;
  /** The clock. Default `() => new Date()`. (The Redis cache's expiries run on Redis's clock.) */
  readonly now?: () => Date;
}

/** Longest key accepted (callers hash what they put in). */
export const MAX_KEY_LENGTH = 512;

/** @internal Check the arguments of `reserve`. */
export function checkReserveArguments(keys: readonly string[], expiresAt: Date): void {
  if (keys.length === 0) throw new TypeError('reserve needs at least one key');
  for (const k of keys) {
    if (typeof k !== 'string' || k === '' || k.length > MAX_KEY_LENGTH) {
      throw new TypeError(`a replay key must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
    }
  }
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
    throw new TypeError('expiresAt must be a valid Date');
  }
}

/** @internal Resolve the lease. */
export function resolveLease(options: ReplayCacheOptions): number {
  const lease = options.leaseMs ?? 60_000;
  if (!Number.isInteger(lease) || lease <= 0)
    throw new TypeError('leaseMs must be a positive integer');
  return lease;
}

/** @internal The rejection for a key already seen. */
export function replayed(key: string): Error {
  return reject('Replay', `replay key ${key} was already received`);
}

/**
 * @internal Make a reservation from its two operations: the first of commit or release wins
 * (commit after release and release after commit are no-ops); a failed one may be retried.
 */
export function settleOnce(
  commit: () => Promise<void>,
  release: () => Promise<void>,
): ReplayReservation {
  let state: 'open' | 'committed' | 'released' = 'open';
  let pending: Promise<void> = Promise.resolve();
  const settle = (to: 'committed' | 'released', op: () => Promise<void>): Promise<void> => {
    if (state === to) return pending;
    if (state !== 'open') return Promise.resolve();
    state = to;
    pending = op().catch((err: unknown) => {
      state = 'open';
      throw err;
    });
    return pending;
  };
  return Object.freeze({
    commit: () => settle('committed', commit),
    release: () => settle('released', release),
  });
}

/** @internal */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
