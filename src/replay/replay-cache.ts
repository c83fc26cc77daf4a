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
 *
 * A redelivery is told from a copy by the queue message id given to `reserve`: a key taken by
 * the same queue message is reported as such ({@link ReplayError.sameMessage}: already
 * `handled`, or still `in-flight` for {@link ReplayError.leaseLeftMs}), so that a host can
 * acknowledge a redelivery of a message it handled (its consumer died before the
 * acknowledgement) instead of poisoning it; a copy under another queue message id is a plain
 * `Replay`.
 */
import { WsseqError } from '../errors.js';

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

/** What `reserve` may know of the message besides its keys. */
export interface ReserveOptions {
  /**
   * The id of the queue message being opened (its redeliveries carry the same id). Recorded
   * with the keys, so that a later conflict says whether the key was taken by this same queue
   * message. 1 to 512 characters.
   */
  readonly messageId?: string;
}

/** Same interface for the in-memory, SQLite and Redis caches. */
export interface ReplayCache {
  /**
   * Reserve all `keys` at once, or none.
   * @throws {@link ReplayError} (`Replay`) when any key is consumed or reserved by someone
   *   else; {@link ReplayCacheError} when the store failed (Redis down, disk error).
   */
  reserve(
    keys: readonly string[],
    expiresAt: Date,
    options?: ReserveOptions,
  ): Promise<ReplayReservation>;
  /**
   * How long a reservation holds without commit or release, in milliseconds, when the cache
   * knows it (a host checks it against its queue's redelivery lease).
   */
  readonly leaseMs?: number;
  /**
   * Resolves once the cache may be used; rejects (TypeError) when its configuration must not
   * be used (a Redis server that forgets its keys on restart). A host calls it before
   * receiving; `reserve` waits for it too.
   */
  ready?(): Promise<void>;
}

/** How a key in conflict relates to the queue message that asked for it. */
export type SameMessage = 'handled' | 'in-flight';

/**
 * A `Replay` rejection from a replay cache, saying whether the key was taken by the same queue
 * message (a redelivery) or by another one (a copy: a replay proper).
 */
export class ReplayError extends WsseqError {
  declare readonly code: 'Replay';
  /**
   * `handled`: this queue message was already handled (committed): its redelivery is a
   * duplicate, to acknowledge without handling. `in-flight`: an earlier delivery of this
   * queue message holds the reservation (it may have died): try again after
   * {@link ReplayError.leaseLeftMs}. Undefined: another message took the key.
   */
  readonly sameMessage: SameMessage | undefined;
  /** For `in-flight`: milliseconds until the reservation lapses. */
  readonly leaseLeftMs: number | undefined;

  constructor(key: string, sameMessage?: SameMessage, leaseLeftMs?: number) {
    super('Replay', `replay key ${key} was already received`);
    this.name = 'ReplayError';
    this.sameMessage = sameMessage;
    this.leaseLeftMs = sameMessage === 'in-flight' ? Math.max(0, leaseLeftMs ?? 0) : undefined;
  }
}

/**
 * The replay cache's store failed (not the message): Redis unreachable, a disk error. The
 * message should be tried again later; `cause` is the store's error.
 */
export class ReplayCacheError extends Error {
  /** The step that failed. */
  readonly operation: 'reserve' | 'commit' | 'release';
  constructor(operation: 'reserve' | 'commit' | 'release', cause: unknown) {
    super(`replay cache ${operation} failed: ${toError(cause).message}`, { cause });
    this.name = 'ReplayCacheError';
    this.operation = operation;
  }
}

/** Options every cache shares. */
export interface ReplayCacheOptions {
  /**
   * How long a reservation holds without a commit or release, in milliseconds: after a crash,
   * the redelivery is accepted once it lapses. Longer than the longest handler, shorter than
   * the queue's redelivery lease (a host refuses it otherwise). Default 20000.
   */
  readonly leaseMs?: number;
  /** The clock. Default `() => new Date()`. (The Redis cache's expiries run on Redis's clock.) */
  readonly now?: () => Date;
}

/** Longest key (and queue message id) accepted (callers hash what they put in). */
export const MAX_KEY_LENGTH = 512;

/**
 * @internal Check the arguments of `reserve`.
 * @returns the queue message id, if one was given.
 */
export function checkReserveArguments(
  keys: readonly string[],
  expiresAt: Date,
  options: ReserveOptions = {},
): string | undefined {
  if (keys.length === 0) throw new TypeError('reserve needs at least one key');
  for (const k of keys) {
    if (typeof k !== 'string' || k === '' || k.length > MAX_KEY_LENGTH) {
      throw new TypeError(`a replay key must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
    }
  }
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
    throw new TypeError('expiresAt must be a valid Date');
  }
  const { messageId } = options;
  if (
    messageId !== undefined &&
    (typeof messageId !== 'string' || messageId === '' || messageId.length > MAX_KEY_LENGTH)
  ) {
    throw new TypeError(`messageId must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
  }
  return messageId;
}

/**
 * The default reservation lease: shorter than the embedded SQLite queue's default redelivery
 * lease (30 s), so that a message redelivered after its consumer died finds its reservation
 * lapsed.
 */
export const DEFAULT_REPLAY_LEASE_MS = 20_000;

/** @internal Resolve the lease. */
export function resolveLease(options: ReplayCacheOptions): number {
  const lease = options.leaseMs ?? DEFAULT_REPLAY_LEASE_MS;
  if (!Number.isInteger(lease) || lease <= 0)
    throw new TypeError('leaseMs must be a positive integer');
  return lease;
}

/**
 * @internal The rejection for a key already seen: by the queue message `requested` (when the
 * holder's id `holder` equals it), or by another.
 */
export function replayed(
  key: string,
  conflict?: {
    readonly holder: string | undefined;
    readonly requested: string | undefined;
    readonly consumed: boolean;
    readonly leaseLeftMs: number;
  },
): ReplayError {
  if (
    conflict?.requested === undefined ||
    conflict.holder === undefined ||
    conflict.holder !== conflict.requested
  ) {
    return new ReplayError(key);
  }
  return conflict.consumed
    ? new ReplayError(key, 'handled')
    : new ReplayError(key, 'in-flight', conflict.leaseLeftMs);
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
      throw storeFailure(to === 'committed' ? 'commit' : 'release', err);
    });
    return pending;
  };
  return Object.freeze({
    commit: () => settle('committed', commit),
    release: () => settle('released', release),
  });
}

/** @internal A store's error as a {@link ReplayCacheError} (rejections and misuse pass through). */
export function storeFailure(operation: ReplayCacheError['operation'], err: unknown): Error {
  if (err instanceof WsseqError || err instanceof TypeError || err instanceof ReplayCacheError) {
    return err;
  }
  return new ReplayCacheError(operation, err);
}

/** @internal */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
