/** The WsseqError code a call or a promise ends with (for the Kerberos tests). */
import { isWsseqError } from '../../src/errors.js';

const codeOfError = (err: unknown): string =>
  isWsseqError(err) ? err.code : `not a WsseqError: ${String(err)}`;

/** The code `fn` throws, or undefined when it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return codeOfError(err);
  }
  return undefined;
}

/** The code `promise` rejects with, or undefined when it resolves. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return codeOfError(err);
  }
  return undefined;
}
