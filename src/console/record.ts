/**
 * Reading what the queues and the host recorded on a message (its properties), the same way
 * for every store.
 */
import { OUTCOME_PROPERTIES } from './types.js';
import type { QueueKind } from './types.js';

const REJECT_CODE = 'wsseq-reject-code';
const REJECT_REASON = 'wsseq-reject-reason';
const DEAD_LETTER_REASON = 'wsseq-dead-letter-reason';
const SOURCE_QUEUE = 'wsseq-source-queue';

/** The code, reason and source queue recorded on a message. */
export interface RecordedOutcome {
  readonly code: string | undefined;
  readonly reason: string | undefined;
  readonly sourceQueue: string | undefined;
}

/**
 * What the host recorded: the reject code and reason (poison), or the dead-letter reason
 * (the dead-letter queue holds only messages whose time to live passed: code MessageExpired).
 */
export function recordedOutcome(
  kind: QueueKind,
  properties: Readonly<Record<string, string>>,
): RecordedOutcome {
  const code = properties[REJECT_CODE] ?? (kind === 'deadletter' ? 'MessageExpired' : undefined);
  return {
    code,
    reason: properties[REJECT_REASON] ?? properties[DEAD_LETTER_REASON],
    sourceQueue: properties[SOURCE_QUEUE],
  };
}

/** `properties` without the outcome a previous attempt recorded. */
export function withoutOutcome(
  properties: Readonly<Record<string, string>>,
): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!OUTCOME_PROPERTIES.includes(key)) copy[key] = value;
  }
  return copy;
}
