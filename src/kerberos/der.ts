/**
 * A small DER codec for the Kerberos messages (RFC 4120 uses only single-byte tags,
 * definite lengths, INTEGER, OCTET STRING, BIT STRING, GeneralString and GeneralizedTime),
 * strict on input: lengths must fit, no indefinite form, no trailing bytes.
 */
import { reject } from '../errors.js';

/** One decoded TLV: its tag byte and content. */
export interface Der {
  readonly tag: number;
  readonly content: Buffer;
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  generalizedTime: 0x18,
  generalString: 0x1b,
} as const;

/** Context-specific constructed tag [n]. */
export const ctx = (n: number): number => 0xa0 | n;
/** Application constructed tag [APPLICATION n]. */
export const app = (n: number): number => 0x60 | n;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Encode one TLV. */
export function tlv(tag: number, ...content: readonly Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

/** A SEQUENCE of explicitly tagged fields; undefined fields are left out. */
export function seq(fields: readonly (readonly [number, Buffer | undefined])[]): Buffer {
  return tlv(
    TAG.sequence,
    ...fields.flatMap(([n, v]) => (v === undefined ? [] : [tlv(ctx(n), v)])),
  );
}

/** INTEGER, two's complement, minimal. */
export function int(value: number): Buffer {
  const bytes: number[] = [];
  let v = BigInt(value);
  for (;;) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
    const top = (bytes[0] ?? 0) & 0x80;
    if ((v === 0n && top === 0) || (v === -1n && top !== 0)) break;
  }
  return tlv(TAG.integer, Buffer.from(bytes));
}

export const octets = (b: Buffer): Buffer => tlv(TAG.octetString, b);
export const str = (s: string): Buffer => tlv(TAG.generalString, Buffer.from(s, 'utf8'));

/** KerberosTime: GeneralizedTime YYYYMMDDHHMMSSZ. */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const text = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z';
  return tlv(TAG.generalizedTime, Buffer.from(text, 'ascii'));
}

/** A 32-bit flags BIT STRING (KDCOptions, APOptions, TicketFlags). */
export function flags(value: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(value >>> 0, 1);
  return tlv(TAG.bitString, b);
}

/**
 * Decode exactly one TLV from `input` (all of it unless `rest` is wanted).
 * @throws WsseqError `MalformedMessage`.
 */
export function decode(input: Buffer): Der {
  const [one, rest] = decodeOne(input);
  if (rest.length !== 0) throw malformed('trailing bytes after a DER value');
  return one;
}

function decodeOne(input: Buffer): [Der, Buffer] {
  if (input.length < 2) throw malformed('truncated DER value');
  const tag = input[0] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte DER tags are not used by Kerberos');
  const first = input[1] ?? 0;
  let len = first;
  let offset = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw malformed('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (input[2 + i] ?? 0);
    offset = 2 + n;
  }
  if (offset + len > input.length) throw malformed('DER length beyond the input');
  return [{ tag, content: input.subarray(offset, offset + len) }, input.subarray(offset + len)];
}

/** The TLVs inside a constructed value. */
export function children(der: Der): Der[] {
  const out: Der[] = [];
  let rest = der.content;
  while (rest.length > 0) {
    const [one, next] = decodeOne(rest);
    out.push(one);
    rest = next;
  }
  return out;
}

/** Check the tag and return the value. */
export function expect(der: Der, tag: number, what: string): Der {
  if (der.tag !== tag) throw malformed(`${what}: unexpected tag 0x${der.tag.toString(16)}`);
  return der;
}

/** The explicitly tagged fields of a SEQUENCE (optionally inside an APPLICATION tag). */
export function fields(der: Der, what: string, application?: number): Map<number, Der> {
  let inner = der;
  if (application !== undefined) {
    expect(der, app(application), what);
    inner = decode(der.content);
  }
  expect(inner, TAG.sequence, what);
  const out = new Map<number, Der>();
  let last = -1;
  for (const c of children(inner)) {
    const n = c.tag & 0x1f;
    if ((c.tag & 0xe0) !== 0xa0 || n <= last) throw malformed(`${what}: unexpected field`);
    last = n;
    out.set(n, decode(c.content));
  }
  return out;
}

/** A required field. */
export function field(map: ReadonlyMap<number, Der>, n: number, what: string): Der {
  const v = map.get(n);
  if (!v) throw malformed(`${what}: field [${n}] missing`);
  return v;
}

export function readInt(der: Der, what: string): number {
  expect(der, TAG.integer, what);
  const c = der.content;
  if (c.length === 0 || c.length > 5) throw malformed(`${what}: bad INTEGER`);
  let v = BigInt.asIntN(c.length * 8, BigInt('0x' + c.toString('hex')));
  if (c.length === 5) v = BigInt('0x' + c.toString('hex'));
  return Number(v);
}

export function readOctets(der: Der, what: string): Buffer {
  return expect(der, TAG.octetString, what).content;
}

export function readString(der: Der, what: string): string {
  return expect(der, TAG.generalString, what).content.toString('utf8');
}

export function readTime(der: Der, what: string): Date {
  const text = expect(der, TAG.generalizedTime, what).content.toString('ascii');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw malformed(`${what}: bad KerberosTime`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, ...number[]];
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

export function readFlags(der: Der, what: string): number {
  const c = expect(der, TAG.bitString, what).content;
  if (c.length < 1) throw malformed(`${what}: bad BIT STRING`);
  const bits = Buffer.alloc(4);
  c.subarray(1, 5).copy(bits);
  return bits.readUInt32BE(0);
}

function malformed(detail: string): Error {
  return reject('MalformedMessage', `Kerberos: ${detail}`);
}
