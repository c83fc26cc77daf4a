/**
 * Strict base64 for untrusted element text: whitespace (as `\s`) is ignored, anything else
 * but the alphabet and up to two trailing `=` is refused.
 */

/**
 * The rule itself. Tested on the text as it is first: one regular-expression scan (native,
 * about twice as fast as a `charCodeAt` loop over a table), no copy (a CipherValue can be
 * megabytes); only text that fails it (whitespace, or a stranger) is copied without `\s`.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decode base64 element text, or return undefined when it is not base64 (the caller says
 * what it was). `allowEmpty` false refuses an empty value.
 */
export function decodeBase64Text(text: string, allowEmpty = true): Buffer | undefined {
  let compact = text;
  if (!BASE64.test(text)) {
    compact = text.replace(/\s+/g, '');
    if (!BASE64.test(compact)) return undefined;
  }
  if (!allowEmpty && compact.length === 0) return undefined;
  return Buffer.from(compact, 'base64');
}
