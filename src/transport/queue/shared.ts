/**
 * Helpers the queue adapters share: option checks, the polling loop behind `waitMs`, and the
 * one-settlement guard of a delivery. Internal: not exported from the package.
 */
import type { ReceiveOptions, SendOptions } from './types.js';
import { QUEUE_PROPERTY } from './types.js';

/** The `wsseq-dead-letter-reason` an adapter records when a message's time to live passed. */
export const DEAD_LETTER_EXPIRED = 'expired';

/** Check `send` options; caller misuse is a TypeError. */
export function checkSendOptions(options: SendOptions): void {
  if (options.id !== undefined && (typeof options.id !== 'string' || options.id === '')) {
    throw new TypeError('send: id must be a non-empty string');
  }
  if (options.ttlMs !== undefined && !(Number.isFinite(options.ttlMs) && options.ttlMs >= 0)) {
    throw new TypeError('send: ttlMs must be a finite number >= 0');
  }
  for (const [key, value] of Object.entries(options.properties ?? {})) {
    if (typeof value !== 'string') {
      throw new TypeError(`send: property ${key} must be a string`);
    }
  }
}

/** Check a `retry` delay; caller misuse is a TypeError. */
export function checkDelay(delayMs: number): void {
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new TypeError('retry: delayMs must be a finite number >= 0');
  }
}

/** `properties` plus the reject code, reason and source queue of a move to a poison queue. */
export function poisonProperties(
  properties: Readonly<Record<string, string>>,
  sourceQueue: string,
  code: string,
  reason: string,
): Record<string, string> {
  return {
    ...properties,
    [QUEUE_PROPERTY.rejectCode]: code,
    [QUEUE_PROPERTY.rejectReason]: reason,
    [QUEUE_PROPERTY.sourceQueue]: sourceQueue,
  };
}

/** `properties` plus the dead-letter reason and source queue of an expired message. */
export function deadLetterProperties(
  properties: Readonly<Record<string, string>>,
  sourceQueue: string,
  reason: string = DEAD_LETTER_EXPIRED,
): Record<string, string> {
  return {
    ...properties,
    [QUEUE_PROPERTY.deadLetterReason]: reason,
    [QUEUE_PROPERTY.sourceQueue]: sourceQueue,
  };
}

/**
 * Call `attempt` until it returns a value, `waitMs` passes or `signal` aborts, sleeping
 * `intervalMs` between attempts. Resolves `undefined` when nothing came (an abort is not an
 * error: no message was taken).
 */
export async function pollFor<T>(
  attempt: () => Promise<T | undefined> | T | undefined,
  options: ReceiveOptions,
  intervalMs: number,
): Promise<T | undefined> {
  const waitMs = options.waitMs ?? 0;
  if (!(Number.isFinite(waitMs) && waitMs >= 0)) {
    throw new TypeError('receive: waitMs must be a finite number >= 0');
  }
  const deadline = Date.now() + waitMs;
  const { signal } = options;
  for (;;) {
    if (signal?.aborted === true) return undefined;
    const got = await attempt();
    if (got !== undefined) return got;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(intervalMs, left), signal);
  }
}

/** Resolve after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Exactly one settlement per delivery: `run(settle)` refuses a second settlement (TypeError)
 * while one is in progress or done; a settlement that fails may be attempted again.
 */
export function settlementGuard(): <T>(settle: () => Promise<T>) => Promise<T> {
  let state: 'open' | 'settling' | 'settled' = 'open';
  return async <T>(settle: () => Promise<T>): Promise<T> => {
    if (state !== 'open') throw new TypeError('delivery: already settled');
    state = 'settling';
    try {
      const result = await settle();
      state = 'settled';
      return result;
    } catch (err) {
      state = 'open';
      throw err;
    }
  };
}

/** A closed adapter refuses work. */
export function assertOpen(closed: boolean, name: string): void {
  if (closed) throw new Error(`queue ${name}: closed`);
}

/** Run `fn` now; its result or its throw as a promise (no synchronous throw escapes). */
export function promised<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(fn());
  });
}
