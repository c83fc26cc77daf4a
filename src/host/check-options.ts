/**
 * Construction-time checks of the host's options (`createService`, `createClient`): caller
 * misuse is a TypeError that names the option and what it accepts, thrown before any message
 * is received, never a raw TypeError on the first message.
 */
import type { ReplayCache } from '../replay/replay-cache.js';
import type { QueueAdapter } from '../transport/queue/types.js';
import { RECEIVE_ERROR_HANDLING } from './dispose.js';
import type { ReceiveErrorHandling } from './dispose.js';
import { describe } from '../policy/check-options.js';

/** Duration and count options of a service, with their defaults and least values. */
export interface ServiceNumbers {
  readonly concurrency: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly receiveWaitMs: number;
  readonly stopTimeoutMs: number;
}

/** Defaults: see `ServiceOptions`. */
export const SERVICE_DEFAULTS: ServiceNumbers = {
  concurrency: 4,
  maxRetries: 3,
  retryDelayMs: 1000,
  receiveWaitMs: 500,
  stopTimeoutMs: 30_000,
};

const MINIMUM: ServiceNumbers = {
  concurrency: 1,
  maxRetries: 0,
  retryDelayMs: 0,
  receiveWaitMs: 0,
  stopTimeoutMs: 0,
};

function fail(where: string, option: string, expected: string, value: unknown): never {
  throw new TypeError(`${where}: ${option} must be ${expected} (got ${describe(value)})`);
}

/** `value` is an object (not null, not an array). */
export function assertObject(where: string, option: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, option, 'an object', value);
  }
}

/** `value` is a function, or undefined when `optional`. */
export function assertFunction(
  where: string,
  option: string,
  value: unknown,
  optional: boolean,
): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'function') fail(where, option, 'a function', value);
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((m) => typeof record[m] === 'function');
}

/** `value` is an object with the method `method` (an opener's `open`, a securer's `secure`). */
export function assertMethod(where: string, option: string, value: unknown, method: string): void {
  if (!hasMethods(value, [method])) fail(where, option, `an object with ${method}()`, value);
}

/** A pino-compatible logger (`info`, `warn`, `error`), when given. */
export function assertLogger(where: string, value: unknown): void {
  if (value !== undefined && !hasMethods(value, ['info', 'warn', 'error'])) {
    fail(where, 'logger', 'a logger (with info(), warn(), error())', value);
  }
}

/** A queue adapter (or, for a client, anything with a name and `send`). */
export function assertQueue(
  where: string,
  option: string,
  value: unknown,
  methods: readonly string[],
): void {
  if (!hasMethods(value, methods)) {
    fail(where, option, `a queue adapter (with ${methods.join(', ')})`, value);
  }
  const name = (value as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '') fail(where, `${option}.name`, 'a name', name);
}

/** A replay cache: something with `reserve`. */
export function assertReplayCache(where: string, option: string, value: unknown): void {
  if (value === undefined) return;
  if (!hasMethods(value, ['reserve'])) {
    fail(
      where,
      option,
      'a replay cache (createMemoryReplayCache, openSqliteReplayCache, ...)',
      value,
    );
  }
}

/** The error mode, checked against the four WCF names. */
export function resolveErrorMode(value: unknown): ReceiveErrorHandling {
  if (value === undefined) return 'Move';
  if (typeof value !== 'string' || !(RECEIVE_ERROR_HANDLING as readonly string[]).includes(value)) {
    fail('createService', 'errorMode', `one of ${RECEIVE_ERROR_HANDLING.join(', ')}`, value);
  }
  return value as ReceiveErrorHandling;
}

/** The numeric options, each an integer at least its minimum (durations: never negative). */
export function resolveServiceNumbers(options: Partial<Record<keyof ServiceNumbers, unknown>>) {
  const resolved: Record<string, number> = {};
  for (const key of Object.keys(SERVICE_DEFAULTS) as (keyof ServiceNumbers)[]) {
    const value = options[key] ?? SERVICE_DEFAULTS[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MINIMUM[key]) {
      fail('createService', key, `an integer >= ${String(MINIMUM[key])}`, value);
    }
    resolved[key] = value;
  }
  return resolved as unknown as ServiceNumbers;
}

/** A tolerance in seconds: a finite number >= 0, when given. */
export function assertSeconds(where: string, option: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(where, option, 'a finite number >= 0', value);
  }
}

/**
 * The replay cache's reservation lease must be shorter than the queue's redelivery lease:
 * otherwise a message redelivered after its consumer died still finds its own reservation
 * and waits for it to lapse. Checked when both are known (the embedded SQLite queue and the
 * wsseq replay caches say theirs).
 */
export function assertLeases(queue: QueueAdapter, cache: ReplayCache | undefined): void {
  const replayLease = cache?.leaseMs;
  const queueLease = queue.leaseMs;
  if (replayLease === undefined || queueLease === undefined) return;
  if (replayLease >= queueLease) {
    throw new TypeError(
      `createService: the replay cache's leaseMs (${String(replayLease)}) must be shorter than ` +
        `the queue's leaseMs (${String(queueLease)}), so that a redelivery after a crash is ` +
        'accepted at once',
    );
  }
}
