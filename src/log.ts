/**
 * Structured logging hooks: a pino-compatible `logger` option on the opener, the securer and
 * the host. One line per accepted message, per rejection and per secured message; each line
 * is an object of plain facts (codes, names, sizes, durations) and a short message. A line
 * never carries keys, passwords, tokens, decrypted content or the Body: only what is built
 * here from the security context or the error's code, fault and detail.
 */
import { isWsseqError } from './errors.js';
import type { ServiceEvent } from './host/events.js';
import type { SecurityContext } from './open/open-envelope.js';

/** A pino-compatible logger (pino, bunyan-like or a console wrapper): `(fields, message)`. */
export interface Logger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
  debug?(obj: Record<string, unknown>, msg?: string): void;
}

/** The longest error detail a line carries. */
const MAX_DETAIL = 300;

function size(message: string | Uint8Array): number {
  return typeof message === 'string' ? Buffer.byteLength(message) : message.byteLength;
}

/** Log an accepted message: who, how it was protected, how big, how long it took. */
export function logAccepted(
  logger: Logger,
  context: SecurityContext,
  message: string | Uint8Array,
  startedAt: number,
): void {
  logger.info(
    {
      event: 'wsseq.accepted',
      credentialType: context.credentialType,
      identity: context.identity.name,
      signed: [...context.signed],
      encrypted: [...context.encrypted],
      soapVersion: context.soapVersion,
      bytes: size(message),
      durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    },
    'message accepted',
  );
}

/** Log a rejection: its code, its fault and the error's detail (never the message itself). */
export function logRejected(
  logger: Logger,
  err: unknown,
  message: string | Uint8Array,
  startedAt: number,
): void {
  const facts = {
    event: 'wsseq.rejected',
    bytes: size(message),
    durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
  };
  if (isWsseqError(err)) {
    logger.warn(
      { ...facts, code: err.code, fault: err.fault, detail: err.message.slice(0, MAX_DETAIL) },
      'message rejected',
    );
  } else {
    logger.error({ ...facts, code: 'InternalError', error: errorName(err) }, 'open failed');
  }
}

/** Log a secured message: its size and how long securing took. */
export function logSecured(logger: Logger, wire: string, startedAt: number): void {
  logger.info(
    {
      event: 'wsseq.secured',
      bytes: Buffer.byteLength(wire),
      durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    },
    'message secured',
  );
}

/** Log a host event (started, stopped, dead-lettered, ...) with its facts. */
export function logEvent(
  logger: Logger,
  level: 'info' | 'warn' | 'error',
  event: string,
  facts: Record<string, unknown> = {},
): void {
  logger[level]({ event: `wsseq.${event}`, ...facts }, event);
}

/** The class name of a non-wsseq error (its message could carry anything). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

/** Wrap an opening: log the outcome, pass it on unchanged. */
export async function logOpen<T extends { readonly context: SecurityContext }>(
  logger: Logger | undefined,
  message: string | Uint8Array,
  opening: () => Promise<T>,
): Promise<T> {
  if (!logger) return opening();
  const startedAt = performance.now();
  try {
    const result = await opening();
    logAccepted(logger, result.context, message, startedAt);
    return result;
  } catch (err) {
    logRejected(logger, err, message, startedAt);
    throw err;
  }
}

/** Wrap a securing: log the secured message, pass it on unchanged. */
export function logSecure(logger: Logger | undefined, securing: () => string): string {
  if (!logger) return securing();
  const startedAt = performance.now();
  const wire = securing();
  logSecured(logger, wire, startedAt);
  return wire;
}

/** A host event's level: rejections and retries warn, failures are errors. */
const EVENT_LEVEL: Readonly<Record<ServiceEvent['type'], 'info' | 'warn' | 'error'>> = {
  accepted: 'info',
  duplicate: 'info',
  returned: 'info',
  'queue-connection': 'warn',
  rejected: 'warn',
  retried: 'warn',
  'dead-lettered': 'warn',
  'replay-cache-error': 'error',
  'queue-error': 'error',
  'internal-error': 'error',
  poisoned: 'error',
  faulted: 'error',
};

/**
 * Log a host event. A `reason` is kept only where wsseq wrote it (rejected, dead-lettered);
 * a handler's failure is logged by its class name, never its message, which the application
 * wrote and could carry anything.
 */
export function logServiceEvent(logger: Logger | undefined, event: ServiceEvent): void {
  if (!logger) return;
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type') continue;
    if (key === 'error') {
      facts.error = errorName(value);
      if (isWsseqError(value)) facts.code = value.code;
    } else if (key === 'reason') {
      if (event.type === 'rejected' || event.type === 'dead-lettered') facts.reason = value;
    } else {
      facts[key] = value;
    }
  }
  logEvent(logger, EVENT_LEVEL[event.type], event.type, facts);
}
