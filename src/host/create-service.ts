/**
 * The service host: receive → verify the hop → open → map identity → authorize → handler →
 * acknowledge, with bounded concurrency, retries, poison handling and graceful shutdown.
 * At-least-once: a message is acknowledged only after it was opened and the handler succeeded.
 */
import { logServiceEvent } from '../log.js';
import type { Logger } from '../log.js';
import { isWsseqError } from '../errors.js';
import type { WsseqError } from '../errors.js';
import type { OpenOptions, OpenResult, Opener } from '../open/open-envelope.js';
import { ReplayCacheError, ReplayError } from '../replay/replay-cache.js';
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
import { sleep } from '../transport/queue/shared.js';
import type { Delivery, QueueAdapter, QueuedMessage } from '../transport/queue/types.js';
import { ExpiredInTransit, acceptMessage, settleReplay } from './accept-message.js';
import { serviceOpener } from './contract.js';
import type { ServiceContract } from './contract.js';
import type { AcceptConfig, AuthorizeHook, ServiceContext } from './accept-message.js';
import { deadLetterMessage, disposeMessage } from './dispose.js';
import type { ReceiveErrorHandling } from './dispose.js';
import {
  assertFunction,
  assertLeases,
  assertMethod,
  assertObject,
  assertQueue,
  assertReplayCache,
  assertLogger,
  assertSeconds,
  resolveErrorMode,
  resolveServiceNumbers,
} from './check-options.js';
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
   * after opening. The reservation records the queue message id: a redelivery of a message
   * already handled (its consumer died before the acknowledgement) is acknowledged without
   * handling (`duplicate`); one whose earlier delivery still holds the reservation comes back
   * once it lapses; a copy under another id is a `Replay`. The cache's lease must be shorter
   * than the queue's redelivery lease (refused otherwise, when both are known). See
   * docs/reliability.md.
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
  /** A structured line per event (see docs/logging.md). Exceptions thrown here are ignored. */
  readonly logger?: Logger;
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

/** Added to a reservation's remaining lease before a redelivery looks again. */
const LEASE_MARGIN_MS = 100;
/** The longest pause while the replay cache fails. */
const MAX_CACHE_BACKOFF_MS = 5_000;

interface InFlight {
  readonly delivery: Delivery;
  settled: boolean;
  readonly abort: AbortController;
}

/**
 * Check options once and return a service host (not yet started).
 * @throws TypeError (naming the option and what it accepts) for an unknown mode or error mode,
 *   a missing handler, a `now`/`onEvent`/`authorize` that is not a function, a queue or replay
 *   cache that is not one, Message/Both without an opener, Transport/Both without
 *   `transportTrust`, a negative or fractional count or duration, a replay lease not shorter
 *   than the queue's.
 * @example
 * const service = createService({
 *   queue, mode: 'Message', open: { serviceKeys: [service], trust },
 *   handler: ({ body, context }) => console.log(context.identity?.name, body),
 * });
 * service.start();
 */
export function createService(options: ServiceOptions): Service {
  assertObject('createService', 'options', options);
  const { queue, mode } = options;
  assertQueue('createService', 'queue', queue, [
    'send',
    'receive',
    'poisonQueue',
    'deadLetterQueue',
  ]);
  assertSecurityMode(mode);
  assertFunction('createService', 'handler', options.handler, false);
  assertFunction('createService', 'now', options.now, true);
  assertFunction('createService', 'onEvent', options.onEvent, true);
  assertLogger('createService', options.logger);
  assertFunction('createService', 'authorize', options.authorize, true);
  if (options.rejectQueue !== undefined) {
    assertQueue('createService', 'rejectQueue', { name: 'reject', ...options.rejectQueue }, [
      'send',
    ]);
  }
  assertSeconds('createService', 'maxClockSkewSeconds', options.maxClockSkewSeconds);
  const errorMode = resolveErrorMode(options.errorMode);
  const { concurrency, maxRetries, retryDelayMs, receiveWaitMs, stopTimeoutMs } =
    resolveServiceNumbers(options);
  let opener: Opener | undefined;
  if (hasMessageSecurity(mode)) {
    if (options.opener !== undefined) {
      assertMethod('createService', 'opener', options.opener, 'open');
    } else if (options.open !== undefined) {
      assertObject('createService', 'open', options.open);
      assertReplayCache('createService', 'open.replayCache', options.open.replayCache);
    }
    opener = serviceOpener(options.opener, options.open, options.contract);
    if (!opener) throw new TypeError(`mode ${mode} needs an opener or open options`);
    assertReplayCache('createService', 'opener.replayCache', opener.replayCache);
    assertLeases(queue, opener.replayCache);
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
  const replayCache = opener?.replayCache;
  const emit = (event: ServiceEvent): void => {
    try {
      logServiceEvent(options.logger, event);
      options.onEvent?.(event);
    } catch {
      // an observer's failure must not change what happens to messages
    }
  };
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
    onReleaseFailed: (messageId, error) => {
      emit({ type: 'replay-cache-error', messageId, operation: 'release', error });
    },
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

  /**
   * Consecutive replay-cache failures: messages return after a growing delay and workers pause
   * as long before their next receive, so an outage neither spins nor burns the backlog.
   */
  let cacheFailures = 0;
  const cacheBackoffMs = (): number =>
    Math.min(MAX_CACHE_BACKOFF_MS, Math.max(retryDelayMs, 100) * 2 ** Math.min(cacheFailures, 8));

  /** Return a message for later without counting it as the handler's failure. */
  const returnLater = async (item: InFlight, delayMs: number, reason: string): Promise<void> => {
    const d = item.delivery;
    if (await settle(item, () => d.retry(delayMs))) {
      emit({ type: 'retried', messageId: d.id, deliveryCount: d.deliveryCount, reason, delayMs });
    }
  };

  const cacheFailed = async (
    item: InFlight,
    operation: 'reserve' | 'commit',
    error: Error,
  ): Promise<void> => {
    cacheFailures += 1;
    emit({ type: 'replay-cache-error', messageId: item.delivery.id, operation, error });
    await returnLater(item, cacheBackoffMs(), error.message);
  };

  /** A refusal from opening (or a failure before the handler). */
  const notAccepted = async (item: InFlight, err: unknown): Promise<void> => {
    const delivery = item.delivery;
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
    } else if (err instanceof ReplayCacheError) {
      await cacheFailed(item, 'reserve', err);
    } else if (err instanceof ReplayError && err.sameMessage === 'handled') {
      // This queue message was handled; its consumer stopped before the acknowledgement.
      if (await settle(item, () => delivery.ack())) {
        emit({ type: 'duplicate', messageId: delivery.id, deliveryCount: delivery.deliveryCount });
      }
    } else if (err instanceof ReplayError && err.sameMessage === 'in-flight') {
      // An earlier delivery of this queue message holds the reservation: it died (the queue
      // redelivered), or it still runs. Come back once the reservation lapses: then it is
      // accepted, or found handled (a duplicate). Not the handler's failure: not counted.
      const delayMs = Math.max(retryDelayMs, (err.leaseLeftMs ?? 0) + LEASE_MARGIN_MS);
      await returnLater(item, delayMs, 'an earlier delivery of this message holds its replay keys');
    } else if (
      isWsseqError(err) &&
      err.code === 'Replay' &&
      !(err instanceof ReplayError) &&
      delivery.deliveryCount > 1
    ) {
      // A replay cache that does not know queue message ids cannot tell a redelivery from a
      // copy: retried like a failure, accepted once its reservation lapsed.
      await handlerFailed(item, err);
    } else if (isWsseqError(err)) {
      await rejected(item, err);
    } else {
      await handlerFailed(item, err);
    }
  };

  /** Commit the replay keys, trying twice more on a store failure. */
  const commitReplay = async (opened: OpenResult | undefined): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await settleReplay(opened, 'commit');
        return;
      } catch (err) {
        if (attempt >= 2 || !(err instanceof ReplayCacheError)) throw err;
        await sleep(100 * 2 ** attempt);
      }
    }
  };

  const processDelivery = async (item: InFlight): Promise<void> => {
    const { delivery } = item;
    let accepted;
    try {
      accepted = await acceptMessage(delivery, config);
    } catch (err) {
      await notAccepted(item, err);
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
      await settleReplay(accepted.opened, 'release').catch((releaseError: unknown) => {
        // The reservation lapses after the cache's lease.
        emit({
          type: 'replay-cache-error',
          messageId: delivery.id,
          operation: 'release',
          error: asError(releaseError),
        });
      });
      await handlerFailed(item, err);
      return;
    }
    if (item.settled) return; // returned to the queue by a forced stop meanwhile
    try {
      await commitReplay(accepted.opened);
    } catch (err) {
      // Handled, but its replay keys are not recorded: acknowledging it would let a copy in
      // later. Returned instead: its redelivery waits out its own reservation and is handled
      // again (at least once), or is found handled once the cache answers.
      await cacheFailed(item, 'commit', asError(err));
      return;
    }
    cacheFailures = 0;
    if (await settle(item, () => delivery.ack())) {
      emit({
        type: 'accepted',
        messageId: delivery.id,
        deliveryCount: delivery.deliveryCount,
        identity: accepted.context.identity?.name,
      });
    }
  };

  /** Handle one delivery; nothing escapes (a worker must not die of one message). */
  const handle = async (delivery: Delivery): Promise<void> => {
    const item: InFlight = { delivery, settled: false, abort: new AbortController() };
    inflight.add(item);
    try {
      await processDelivery(item);
    } catch (err) {
      emit({ type: 'internal-error', messageId: delivery.id, error: asError(err) });
      await settle(item, () => delivery.retry(retryDelayMs));
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
        await sleep(Math.max(receiveWaitMs, 100), receiveAbort.signal);
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
      // Between taking a message and handling it too: each step of each worker is its own turn.
      await yieldToEventLoop();
      await handle(delivery);
      // While the replay cache fails, wait before taking the next message.
      if (cacheFailures > 0) await sleep(cacheBackoffMs(), receiveAbort.signal);
      // A queue that always has a message ready (the SQLite adapter answers synchronously
      // under its promises) would otherwise keep this loop in microtasks: timers, I/O and
      // signal handlers (a SIGTERM's graceful stop) would wait for the backlog to drain.
      await yieldToEventLoop();
    }
  };

  /**
   * Before the first receive: the replay cache's own check (a Redis without persistence is
   * refused: the service stops with that error). An unreachable cache is reported and the
   * workers start anyway (each reserve checks again).
   */
  const cacheReady = async (): Promise<boolean> => {
    if (replayCache?.ready === undefined) return true;
    try {
      await replayCache.ready();
      return true;
    } catch (err) {
      if (err instanceof TypeError) {
        faultError ??= err;
        emit({ type: 'faulted', messageId: undefined, error: err });
        void stop();
        return false;
      }
      emit({
        type: 'replay-cache-error',
        messageId: undefined,
        operation: 'ready',
        error: asError(err),
      });
      return true;
    }
  };

  const run = async (): Promise<void> => {
    // Reconnections of the queue's broker connection, reported while the service runs.
    const unsubscribe = queue.subscribe?.((event) => {
      emit({ type: 'queue-connection', event });
    });
    try {
      if (!(await cacheReady()) || !isRunning()) return;
      await Promise.all(Array.from({ length: concurrency }, () => work()));
    } finally {
      unsubscribe?.();
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
      workers.push(run());
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

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
