/**
 * Decode a message's bytes to characters once, as XML 1.0 Appendix F decides the encoding:
 * the byte order mark first, then the XML declaration. A declaration that contradicts the
 * bytes is refused, as are bytes that are not valid in the encoding decided.
 */
import { reject } from '../errors.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false });

const DECLARED_ENCODING =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])[^"']*\1[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2/;

type Family = 'utf-8' | 'utf-16' | 'latin1' | 'ascii';

const FAMILIES: Readonly<Record<string, Family>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16': 'utf-16',
  'utf-16le': 'utf-16',
  'utf-16be': 'utf-16',
  'iso-8859-1': 'latin1',
  iso_8859_1: 'latin1',
  'iso_8859-1': 'latin1',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'us-ascii': 'ascii',
  ascii: 'ascii',
};

/** The encoding a declaration at the start of `head` names, lower-cased, or undefined. */
function declaredEncoding(head: string): string | undefined {
  return DECLARED_ENCODING.exec(head)?.[3]?.toLowerCase();
}

function familyOf(name: string): Family {
  const family = FAMILIES[name];
  if (family === undefined) throw reject('MalformedMessage', `unsupported encoding "${name}"`);
  return family;
}

function contradiction(declared: string, actual: string): never {
  throw reject(
    'MalformedMessage',
    `the XML declaration names ${declared} but the bytes are ${actual}`,
  );
}

function decodeWith(
  decoder: InstanceType<typeof TextDecoder>,
  bytes: Uint8Array,
  what: string,
): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw reject('MalformedMessage', `the message is not valid ${what}`, cause);
  }
}

/**
 * Characters of a message given as bytes or as a string, without a byte order mark and with
 * XML 1.0 line endings (CRLF and CR become LF).
 * @throws WsseqError `LimitExceeded` above `maxBytes`; `MalformedMessage` for an encoding
 *   that contradicts the bytes, an unsupported encoding, or invalid byte sequences.
 */
export function decodeMessage(input: string | Uint8Array, maxBytes: number): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) {
    throw reject('LimitExceeded', `message is ${size} bytes; the limit is ${maxBytes}`);
  }
  const text = typeof input === 'string' ? decodeString(input) : decodeBytes(input);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function decodeString(input: string): string {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  const declared = declaredEncoding(text);
  // Characters are already decoded; but a UTF-16 document starts with a byte order mark.
  if (declared !== undefined && familyOf(declared) === 'utf-16' && !bom) {
    contradiction(declared, 'not UTF-16 (no byte order mark)');
  }
  return text;
}

function decodeBytes(bytes: Uint8Array): string {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const text = decodeWith(UTF8, bytes, 'UTF-8');
    const declared = declaredEncoding(text);
    if (declared !== undefined && familyOf(declared) !== 'utf-8') contradiction(declared, 'UTF-8');
    return text;
  }
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe)) {
    const le = b0 === 0xff;
    const text = decodeWith(le ? UTF16LE : UTF16BE, bytes, 'UTF-16');
    const declared = declaredEncoding(text);
    if (
      declared !== undefined &&
      (familyOf(declared) !== 'utf-16' || declared === (le ? 'utf-16be' : 'utf-16le'))
    ) {
      contradiction(declared, le ? 'UTF-16LE' : 'UTF-16BE');
    }
    return text;
  }
  if ((b0 === 0 && b1 === 0x3c) || (b0 === 0x3c && b1 === 0)) {
    throw reject('MalformedMessage', 'UTF-16 without a byte order mark is not accepted');
  }
  // ASCII-compatible: the declaration (if any) decides.
  const declared = declaredEncoding(Buffer.from(bytes.subarray(0, 256)).toString('latin1'));
  const family = declared === undefined ? 'utf-8' : familyOf(declared);
  switch (family) {
    case 'utf-8':
      return decodeWith(UTF8, bytes, 'UTF-8');
    case 'latin1':
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    case 'ascii':
      if (bytes.some((b) => b > 0x7f)) contradiction('US-ASCII', 'not ASCII');
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    case 'utf-16':
      return contradiction(declared ?? 'UTF-16', 'not UTF-16 (no byte order mark)');
  }
}
