/**
 * Where a message goes when it cannot be handled: WCF's ReceiveErrorHandling over our queue
 * interface.
 *
 * - `Move`: to the poison queue (`<name>;poison`) with `wsseq-reject-code` and
 *   `wsseq-reject-reason`.
 * - `Drop`: acknowledged and gone; only the event records it.
 * - `Reject`: MSMQ would send a negative acknowledgement to the sender's dead-letter queue.
 *   Queues here have no NACKs, so the message is copied, with the reject code and reason, a
 *   `wsseq-reject-disposition: Reject` flag and its source queue, to the service's
 *   `rejectQueue` (a queue the sender's operator reads: its "negative acknowledgement"
 *   queue) or, without one, to the poison queue; then acknowledged.
 * - `Fault`: the message is returned to the queue untouched and the service stops with the
 *   error (the operator fixes the cause and restarts).
 */
import type { Delivery, QueueAdapter } from '../transport/queue/types.js';
import { QUEUE_PROPERTY } from '../transport/queue/types.js';

export type ReceiveErrorHandling = 'Fault' | 'Drop' | 'Reject' | 'Move';

export const RECEIVE_ERROR_HANDLING: readonly ReceiveErrorHandling[] = [
  'Fault',
  'Drop',
  'Reject',
  'Move',
];

/** Marks a message rejected under errorMode Reject, for the sender's side to find. */
export const REJECT_DISPOSITION_PROPERTY = 'wsseq-reject-disposition';

/**
 * Settle `delivery` per `mode` (except Fault, which the service handles: it also stops).
 */
export async function disposeMessage(
  delivery: Delivery,
  mode: Exclude<ReceiveErrorHandling, 'Fault'>,
  code: string,
  reason: string,
  queue: QueueAdapter,
  rejectQueue: Pick<QueueAdapter, 'send'> | undefined,
): Promise<void> {
  switch (mode) {
    case 'Move':
      await delivery.poison(code, reason);
      return;
    case 'Drop':
      await delivery.ack();
      return;
    case 'Reject': {
      const target = rejectQueue ?? queue.poisonQueue();
      await target.send(delivery.body, {
        id: delivery.id,
        properties: {
          ...delivery.properties,
          [QUEUE_PROPERTY.rejectCode]: code,
          [QUEUE_PROPERTY.rejectReason]: reason,
          [QUEUE_PROPERTY.sourceQueue]: queue.name,
          [REJECT_DISPOSITION_PROPERTY]: 'Reject',
        },
      });
      await delivery.ack();
      return;
    }
  }
}

/** Copy an expired message to the dead-letter queue with the reason, then acknowledge it. */
export async function deadLetterMessage(
  delivery: Delivery,
  reason: string,
  queue: QueueAdapter,
): Promise<void> {
  await queue.deadLetterQueue().send(delivery.body, {
    id: delivery.id,
    properties: {
      ...delivery.properties,
      [QUEUE_PROPERTY.deadLetterReason]: reason,
      [QUEUE_PROPERTY.sourceQueue]: queue.name,
    },
  });
  await delivery.ack();
}
