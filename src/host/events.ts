/**
 * What a service reports about each message, so an operator (or the demo) can see where
 * every message went and why. Nothing is settled without an event.
 */
import type { WsseqErrorCode } from '../errors.js';
import type { QueueConnectionEvent } from '../transport/queue/types.js';
import type { ReceiveErrorHandling } from './dispose.js';

interface MessageEventBase {
  readonly messageId: string;
  readonly deliveryCount: number;
}

/** The code recorded when a handler failed on every allowed attempt. */
export const HANDLER_FAILED = 'HandlerFailed';

/** One outcome. */
export type ServiceEvent =
  | (MessageEventBase & {
      readonly type: 'accepted';
      /** The identity name (the mapped account when mapped). */
      readonly identity: string | undefined;
    })
  | (MessageEventBase & {
      /** Rejected by security (not retried: rejections are deterministic). */
      readonly type: 'rejected';
      readonly code: WsseqErrorCode;
      readonly reason: string;
      /** Where it went: Move/Reject → poison queue, Drop → gone, Fault → left, service stops. */
      readonly disposition: ReceiveErrorHandling;
    })
  | (MessageEventBase & {
      /** The handler (or a transient step) failed; the message comes back after a delay. */
      readonly type: 'retried';
      readonly reason: string;
      readonly delayMs: number;
    })
  | (MessageEventBase & {
      /** The handler failed on every allowed attempt. */
      readonly type: 'poisoned';
      readonly code: typeof HANDLER_FAILED;
      readonly reason: string;
      readonly disposition: ReceiveErrorHandling;
    })
  | (MessageEventBase & {
      /** Its signed time to live passed in transit: moved to the dead-letter queue. */
      readonly type: 'dead-lettered';
      readonly code: 'MessageExpired';
      readonly reason: string;
    })
  | (MessageEventBase & {
      /** Still in flight when the service stopped: returned to the queue. */
      readonly type: 'returned';
    })
  | (MessageEventBase & {
      /**
       * A redelivery of a queue message that was already handled (its consumer stopped between
       * the replay cache's commit and the queue's acknowledgement): acknowledged, not handled
       * again.
       */
      readonly type: 'duplicate';
    })
  | {
      /**
       * The replay cache failed (Redis unreachable, a disk error): the message is returned to
       * the queue for later (or its reservation left to lapse, for a release); the service
       * keeps going. `ready`: the check before the first receive.
       */
      readonly type: 'replay-cache-error';
      readonly messageId: string | undefined;
      readonly operation: 'ready' | 'reserve' | 'commit' | 'release';
      readonly error: Error;
    }
  | {
      /** The queue adapter's broker connection: lost, a reconnection failed, or back. */
      readonly type: 'queue-connection';
      readonly event: QueueConnectionEvent;
    }
  | {
      /** Something unexpected failed while handling a message; it is returned for later. */
      readonly type: 'internal-error';
      readonly messageId: string | undefined;
      readonly error: Error;
    }
  | {
      /** The service stopped because of errorMode Fault (or a settlement it could not make). */
      readonly type: 'faulted';
      readonly messageId: string | undefined;
      readonly error: Error;
    }
  | {
      /** The queue failed (receive or settle); the service keeps going. */
      readonly type: 'queue-error';
      readonly messageId: string | undefined;
      readonly error: Error;
    };
