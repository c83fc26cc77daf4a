/**
 * Strict base64 for untrusted element text: whitespace (as `\s`) is ignored, anything else
 * but the alphabet and up to two trailing `=` is refused.
 */

const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  ALPHABET[c.charCodeAt(0)] = 1;

const EQUALS = 0x3d;

/**
 * True when `text` is base64 without any whitespace: one pass of `charCodeAt`, no regular
 * expression and no copy (a CipherValue can be megabytes). False also for anything that
 * only the slow path can decide (whitespace, or a character outside the alphabet).
 */
function isCompactBase64(text: string): boolean {
  const n = text.length;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ALPHABET[c] !== 1) break;
  }
  if (i === n) return true;
  // Up to two '=' close the text.
  let pad = 0;
  for (; i < n && text.charCodeAt(i) === EQUALS; i++) pad++;
  return i === n && pad <= 2;
}

/**
 * Decode base64 element text, or return undefined when it is not base64 (the caller says
 * what it was). `allowEmpty` false refuses an empty value.
 */
export function decodeBase64Text(text: string, allowEmpty = true): Buffer | undefined {
  let compact = text;
  if (!isCompactBase64(text)) {
    compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  }
  if (!allowEmpty && compact.length === 0) return undefined;
  return Buffer.from(compact, 'base64');
}
