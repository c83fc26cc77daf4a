/**
 * The verdict run again: open a queued message as the service would, with the keys and trust
 * the console was given today, and say how that compares with what was recorded ("rejected
 * then as CertificateExpired; would now be accepted"). Only for an operator, only when the
 * service key is configured. The opened Body is returned to the caller to show, never logged.
 *
 * Nothing is remembered: the opener has no replay cache, so re-running never marks a
 * message as seen.
 */
import { createOpener } from '../open/open-envelope.js';
import type { OpenOptions } from '../open/open-envelope.js';
import { isWsseqError } from '../errors.js';

/** One run of the opener. */
export type VerdictRun =
  | {
      readonly ok: true;
      readonly identity: string;
      readonly credentialType: string;
      readonly signed: readonly string[];
      readonly encrypted: readonly string[];
      /** The Body the signature covered, decrypted. Show it; never log it. */
      readonly body: string;
    }
  | { readonly ok: false; readonly code: string };

/** The verdict now, and at the time the message was enqueued, with today's keys and trust. */
export interface Reverdict {
  /** The code recorded when it was rejected (undefined: not rejected). */
  readonly then: string | undefined;
  /** Opened at this instant: what a retry would meet (the Timestamp's age counts). */
  readonly now: VerdictRun;
  /** Opened as of its enqueue time: today's trust and keys, the message's own time. */
  readonly atEnqueue: VerdictRun;
  /** One sentence for the operator. */
  readonly sentence: string;
}

/** What the console needs to open messages: the `wsseq open` options, without a clock. */
export type VerdictOptions = Omit<OpenOptions, 'now' | 'replayCache'>;

/**
 * Open `body` twice (at `now` and at `enqueuedAt`) and compare with the recorded code.
 * @throws TypeError when `options` cannot make an opener (no keys, no credential).
 */
export async function rerunVerdict(
  body: Uint8Array,
  recordedCode: string | undefined,
  enqueuedAt: Date,
  options: VerdictOptions,
  now: Date = new Date(),
): Promise<Reverdict> {
  const run = async (at: Date): Promise<VerdictRun> => {
    const opener = createOpener({ ...options, now: () => at });
    try {
      const result = await opener.open(body);
      const { context } = result;
      return {
        ok: true,
        identity: context.identity.name,
        credentialType: context.credentialType,
        signed: context.signed,
        encrypted: context.encrypted,
        body: result.body,
      };
    } catch (err) {
      if (isWsseqError(err)) return { ok: false, code: err.code };
      throw err;
    }
  };
  const current = await run(now);
  const atEnqueue = await run(enqueuedAt);
  return {
    then: recordedCode,
    now: current,
    atEnqueue,
    sentence: sentenceOf(recordedCode, current),
  };
}

function sentenceOf(then: string | undefined, now: VerdictRun): string {
  const before = then === undefined ? 'not rejected' : `rejected then as ${then}`;
  const after = now.ok ? 'would now be accepted' : `would now be rejected as ${now.code}`;
  return `${before}; ${after}`;
}
