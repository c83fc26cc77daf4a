/**
 * The JSON line `wsseq open` prints for a rejected message. The CLI is a local operator tool:
 * beside the code and its fault, `message` gives the detail for logs and the chain of causes
 * behind it — also behind the uniform `DecryptionFailed` that a service sends outward (what
 * `toSoapFault` shows is unchanged).
 */
import { isWsseqError } from '../index.js';
import type { AnyWsseqError } from '../index.js';

/** What the receiver was configured with, as far as it explains a rejection. */
export interface RejectionSetting {
  /** How many service keys were given (0: an encrypted message cannot be opened). */
  readonly serviceKeys: number;
}

/** The longest cause chain followed (a cycle or a very deep chain stops here). */
const MAX_CAUSES = 8;

/**
 * The JSON object for a rejection: `ok: false`, `code`, `fault`, `message` (the detail and its
 * causes, joined by ": "), and `cause`: the code of the innermost wsseq error behind it, when
 * it differs from `code`.
 */
export function describeRejection(
  err: AnyWsseqError,
  setting: RejectionSetting,
): Record<string, unknown> {
  const parts = [err.message];
  let causeCode: string | undefined;
  let cause: unknown = err.cause;
  for (let i = 0; i < MAX_CAUSES && cause instanceof Error; i++) {
    if (isWsseqError(cause)) causeCode = cause.code;
    if (!parts.includes(cause.message)) parts.push(cause.message);
    cause = cause.cause;
  }
  if (setting.serviceKeys === 0 && isDecryption(err, causeCode)) {
    parts.push(
      'no service key was given (--service-key with --service-cert, or --service-pfx): an ' +
        'encrypted message cannot be opened without one',
    );
  }
  return {
    ok: false,
    code: err.code,
    fault: err.fault,
    message: parts.map((p) => p.replace(/\.$/, '')).join(': '),
    ...(causeCode !== undefined && causeCode !== err.code ? { cause: causeCode } : {}),
  };
}

function isDecryption(err: AnyWsseqError, causeCode: string | undefined): boolean {
  return err.code === 'DecryptionFailed' || causeCode === 'DecryptionFailed';
}
