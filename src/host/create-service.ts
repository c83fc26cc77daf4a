/**
 * The service host: receive → verify the hop → open → map identity → authorize → handler →
 * acknowledge, with bounded concurrency, retries, poison handling and graceful shutdown.
 * At-least-once: a message is acknowledged only after it was opened and the handler succeeded.
 */
import { isWsseqError } from '../errors.js';
import type { WsseqError } from '../errors.js';
import type { OpenOptions, Opener } from '../open/open-envelope.js';
import type { ServiceKey } from '../open/keys.js';
import type { Certificate } from '../trust/certificate.js';
import { createIdentityMapper } from '../trust/mapping.js';
import type { IdentityMapper, IdentityMappingOptions } from '../trust/mapping.js';
import type { TrustStore } from '../trust/validate.js';
import {
  assertSecurityMode,
  hasMessageSecurity,
  hasTransportSecurity,
} from '../transport/modes.js';
import type { SecurityMode } from '../transport/modes.js';
import type { Delivery, QueueAdapter, QueuedMessage } from '../transport/queue/types.js';
import { ExpiredInTransit, acceptMessage, settleReplay } from './accept-message.js';
import { serviceOpener } from './contract.js';
import type { ServiceContract } from './contract.js';
import type { AcceptConfig, AuthorizeHook, ServiceContext } from './accept-message.js';
import { RECEIVE_ERROR_HANDLING, deadLetterMessage, disposeMessage } from './dispose.js';
import type { ReceiveErrorHandling } from './dispose.js';
import { HANDLER_FAILED } from './events.js';
import type { ServiceEvent } from './events.js';

/** What the handler receives. */
export interface ServiceRequest {
  /** The clear envelope (without our Security header). */
  readonly envelope: string;
  /** The Envelope's own Body, serialized (under message security: the Body the signature covered). */
  readonly body: string;
  readonly context: ServiceContext;
  /** The queued message as received (its id, properties, delivery count). */
  readonly message: QueuedMessage;
  /** Aborted when the service stops and gives up waiting for this handler. */
  readonly signal: AbortSignal;
}

export type ServiceHandler = (request: ServiceRequest) => void | Promise<void>;

export interface ServiceOptions {
  readonly queue: QueueAdapter;
  readonly mode: SecurityMode;
  /**
   * Message security (Message, Both): an opener, or the options to make one. With a replay
   * cache in it, a message's replay keys are committed after the handler succeeded (before
   * the acknowledgement) and released when the handler fails or the message is rejected
   * after opening. A redelivered message refused as a `Replay` is retried, not rejected (its
   * earlier attempt may have died holding the reservation): give the cache a lease shorter
   * than the queue's redelivery lease, and `retryDelayMs × maxRetries` longer than it.
   */
  readonly opener?: Opener;
  readonly open?: OpenOptions;
  /**
   * The service's WSDL contract ({@link policyFromWsdl}'s result): every opened message is
   * also checked against what the receiver policy cannot express (credential type,
   * supporting-token protection, EncryptSignature), and `open` without a `policy` takes the
   * contract's receiver policy. Rejections are `PolicyViolation`s.
   */
  readonly contract?: ServiceContract;
  /** Validates transport certificates, purpose client (Transport, Both). */
  readonly transportTrust?: TrustStore;
  /** Keys for transport-encrypted messages (the service's certificates and private keys). */
  readonly transportKeys?: readonly ServiceKey[];
  /** HTTPS gateways whose attestation of a TLS client certificate is accepted. */
  readonly trustedGateways?: readonly Certificate[];
  /** Tolerance on transport times (sent at, TTL). Default 300. */
  readonly maxClockSkewSeconds?: number;
  /** Identity mapping: a mapper or its options. */
  readonly mapping?: IdentityMapper | IdentityMappingOptions;
  readonly authorize?: AuthorizeHook;
  readonly handler: ServiceHandler;
  /** Messages handled at once. Default 4. */
  readonly concurrency?: number;
  /** What happens to rejected and poison messages (WCF ReceiveErrorHandling). Default Move. */
  readonly errorMode?: ReceiveErrorHandling;
  /** Handler failures retried before the message is poison. Default 3 (4 attempts). */
  readonly maxRetries?: number;
  /** Delay before a failed message is visible again. Default 1000. */
  readonly retryDelayMs?: number;
  /** errorMode Reject: where rejected messages are copied (default: the poison queue). */
  readonly rejectQueue?: Pick<QueueAdapter, 'send'>;
  /** How long one receive call waits. Default 500. */
  readonly receiveWaitMs?: number;
  /** How long `stop()` waits for handlers before returning their messages. Default 30000. */
  readonly stopTimeoutMs?: number;
  /** The clock (transport times). Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Every outcome. Exceptions thrown here are ignored. */
  readonly onEvent?: (event: ServiceEvent) => void;
}

/** Why a service stopped. */
export interface ServiceStopped {
  /** Set when errorMode Fault stopped it. */
  readonly error: Error | undefined;
}

export interface Service {
  /** Start receiving. Idempotent while running. @throws TypeError after a stop. */
  start(): void;
  /**
   * Stop receiving; wait for in-flight handlers (up to `stopTimeoutMs`), return what is
   * still in flight to the queue (retry(0)). Resolves when every worker has ended.
   */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Resolves once the service has stopped (by `stop()` or by a fault). */
  readonly stopped: Promise<ServiceStopped>;
}

interface InFlight {
  readonly delivery: Delivery;
  settled: boolean;
  readonly abort: AbortController;
}

/**
 * Check options once and return a service host (not yet started).
 * @throws TypeError for an unknown mode or error mode, Message/Both without an opener,
 *   Transport/Both without `transportTrust`, a bad concurrency, retry count or delay.
 * @example
 * const service = createService({
 *   queue, mode: 'Message', open: { serviceKeys: [service], trust },
 *   handler: ({ body, context }) => console.log(context.identity?.name, body),
 * });
 * service.start();
 */
export function createService(options: ServiceOptions): Service {
  const { queue, mode } = options;
  assertSecurityMode(mode);
  const errorMode = options.errorMode ?? 'Move';
  if (!RECEIVE_ERROR_HANDLING.includes(errorMode)) {
    throw new TypeError(`unknown errorMode ${errorMode as string}`);
  }
  const concurrency = options.concurrency ?? 4;
  const maxRetries = options.maxRetries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const receiveWaitMs = options.receiveWaitMs ?? 500;
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  for (const [name, value, min] of [
    ['concurrency', concurrency, 1],
    ['maxRetries', maxRetries, 0],
    ['retryDelayMs', retryDelayMs, 0],
    ['receiveWaitMs', receiveWaitMs, 0],
    ['stopTimeoutMs', stopTimeoutMs, 0],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new TypeError(`${name} must be an integer >= ${min}`);
    }
  }
  let opener: Opener | undefined;
  if (hasMessageSecurity(mode)) {
    opener = serviceOpener(options.opener, options.open, options.contract);
    if (!opener) throw new TypeError(`mode ${mode} needs an opener or open options`);
  }
  if (hasTransportSecurity(mode) && !options.transportTrust) {
    throw new TypeError(`mode ${mode} needs transportTrust`);
  }
  const mapper =
    options.mapping === undefined
      ? undefined
      : 'map' in options.mapping
        ? options.mapping
        : createIdentityMapper(options.mapping);
  const config: AcceptConfig = {
    mode,
    queueName: queue.name,
    opener,
    transportTrust: options.transportTrust,
    transportKeys: options.transportKeys ?? [],
    trustedGateways: options.trustedGateways ?? [],
    maxClockSkewSeconds: options.maxClockSkewSeconds,
    mapper,
    authorize: options.authorize,
    now: options.now ?? (() => new Date()),
  };
  const emit = (event: ServiceEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // an observer's failure must not change what happens to messages
    }
  };

  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let faultError: Error | undefined;
  const receiveAbort = new AbortController();
  const inflight = new Set<InFlight>();
  const workers: Promise<void>[] = [];
  let stopping: Promise<void> | undefined;
  let resolveStopped: (value: ServiceStopped) => void = () => undefined;
  const stopped = new Promise<ServiceStopped>((resolve) => {
    resolveStopped = resolve;
  });

  /** Settle once; later settlements of the same delivery (after a forced return) are skipped. */
  const settle = async (item: InFlight, action: () => Promise<void>): Promise<boolean> => {
    if (item.settled) return false;
    item.settled = true;
    try {
      await action();
      return true;
    } catch (err) {
      emit({ type: 'queue-error', messageId: item.delivery.id, error: asError(err) });
      return false;
    }
  };

  const fault = async (item: InFlight, error: Error): Promise<void> => {
    faultError ??= error;
    // Stop receiving first, so that no worker takes the message back before the stop.
    void stop();
    await settle(item, () => item.delivery.retry(0));
    emit({ type: 'faulted', messageId: item.delivery.id, error });
  };

  const handlerFailed = async (item: InFlight, err: unknown): Promise<void> => {
    const d = item.delivery;
    const reason = asError(err).message;
    if (d.deliveryCount <= maxRetries) {
      if (await settle(item, () => d.retry(retryDelayMs))) {
        emit({
          type: 'retried',
          messageId: d.id,
          deliveryCount: d.deliveryCount,
          reason,
          delayMs: retryDelayMs,
        });
      }
      return;
    }
    if (errorMode === 'Fault') {
      await fault(item, asError(err));
      return;
    }
    const done = await settle(item, () =>
      disposeMessage(d, errorMode, HANDLER_FAILED, reason, queue, options.rejectQueue),
    );
    if (done) {
      emit({
        type: 'poisoned',
        messageId: d.id,
        deliveryCount: d.deliveryCount,
        code: HANDLER_FAILED,
        reason,
        disposition: errorMode,
      });
    }
  };

  const rejected = async (item: InFlight, err: WsseqError): Promise<void> => {
    const d = item.delivery;
    if (errorMode === 'Fault') {
      emit({
        type: 'rejected',
        messageId: d.id,
        deliveryCount: d.deliveryCount,
        code: err.code,
        reason: err.message,
        disposition: errorMode,
      });
      await fault(item, err);
      return;
    }
    const done = await settle(item, () =>
      disposeMessage(d, errorMode, err.code, err.message, queue, options.rejectQueue),
    );
    if (done) {
      emit({
        type: 'rejected',
        messageId: d.id,
        deliveryCount: d.deliveryCount,
        code: err.code,
        reason: err.message,
        disposition: errorMode,
      });
    }
  };

  const handle = async (delivery: Delivery): Promise<void> => {
    const item: InFlight = { delivery, settled: false, abort: new AbortController() };
    inflight.add(item);
    try {
      let accepted;
      try {
        accepted = await acceptMessage(delivery, config);
      } catch (err) {
        if (err instanceof ExpiredInTransit) {
          const reason = err.rejection.message;
          if (await settle(item, () => deadLetterMessage(delivery, reason, queue))) {
            emit({
              type: 'dead-lettered',
              messageId: delivery.id,
              deliveryCount: delivery.deliveryCount,
              code: 'MessageExpired',
              reason,
            });
          }
        } else if (isWsseqError(err) && err.code === 'Replay' && delivery.deliveryCount > 1) {
          // A redelivery seen as a replay: most likely our own earlier attempt crashed while
          // holding the reservation (it lapses after the replay cache's lease), or committed
          // but died before the acknowledgement. Retried like a failure: accepted once the
          // lease lapsed, poison (HandlerFailed, reason Replay) if it never does.
          await handlerFailed(item, err);
        } else if (isWsseqError(err)) {
          await rejected(item, err);
        } else {
          await handlerFailed(item, err);
        }
        return;
      }
      try {
        await options.handler({
          get envelope() {
            return accepted.envelope;
          },
          get body() {
            return accepted.body;
          },
          context: accepted.context,
          message: delivery,
          signal: item.abort.signal,
        });
      } catch (err) {
        await settleReplay(accepted.opened, 'release');
        await handlerFailed(item, err);
        return;
      }
      if (item.settled) return; // returned to the queue by a forced stop meanwhile
      await settleReplay(accepted.opened, 'commit');
      if (await settle(item, () => delivery.ack())) {
        emit({
          type: 'accepted',
          messageId: delivery.id,
          deliveryCount: delivery.deliveryCount,
          identity: accepted.context.identity?.name,
        });
      }
    } finally {
      inflight.delete(item);
    }
  };

  // A function, so the checks after each await read the current state.
  const isRunning = (): boolean => state === 'running';
  const work = async (): Promise<void> => {
    while (isRunning()) {
      let delivery: Delivery | undefined;
      const started = Date.now();
      try {
        delivery = await queue.receive({ waitMs: receiveWaitMs, signal: receiveAbort.signal });
      } catch (err) {
        if (!isRunning()) break;
        emit({ type: 'queue-error', messageId: undefined, error: asError(err) });
        await sleep(Math.max(receiveWaitMs, 100));
        continue;
      }
      if (!delivery) {
        // An adapter that returns at once when empty must not make this loop spin.
        if (Date.now() - started < 5) await sleep(Math.min(Math.max(receiveWaitMs, 10), 100));
        continue;
      }
      if (!isRunning()) {
        // Received while stopping: give it straight back.
        await delivery.retry(0).catch((err: unknown) => {
          emit({ type: 'queue-error', messageId: delivery.id, error: asError(err) });
        });
        break;
      }
      await handle(delivery);
    }
  };

  const stop = (): Promise<void> => {
    if (state === 'idle' || state === 'stopped') {
      state = 'stopped';
      resolveStopped({ error: faultError });
      return Promise.resolve();
    }
    stopping ??= (async () => {
      state = 'stopping';
      receiveAbort.abort();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.all(workers).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => {
            resolve(true);
          }, stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        for (const item of inflight) {
          item.abort.abort();
          if (await settle(item, () => item.delivery.retry(0))) {
            emit({
              type: 'returned',
              messageId: item.delivery.id,
              deliveryCount: item.delivery.deliveryCount,
            });
          }
        }
      }
      state = 'stopped';
      resolveStopped({ error: faultError });
    })();
    return stopping;
  };

  return {
    start() {
      if (state === 'running') return;
      if (state !== 'idle') throw new TypeError('a stopped service cannot be started again');
      state = 'running';
      for (let i = 0; i < concurrency; i++) workers.push(work());
    },
    stop,
    get running() {
      return state === 'running';
    },
    stopped,
  };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
