/**
 * MIT keytab files (format 0x0502, and 0x0501 with native byte order read as big-endian):
 * the service's long-term keys, by principal, kvno and enctype.
 */
import { readFileSync } from 'node:fs';
import type { KerberosKey } from './crypto.js';
import type { Principal } from './messages.js';

/** One keytab entry. */
export interface KeytabEntry {
  readonly principal: Principal;
  readonly timestamp: Date;
  readonly kvno: number;
  readonly key: KerberosKey;
}

/**
 * Read a keytab from bytes.
 * @throws TypeError when the bytes are not a keytab (caller misuse: a wrong file).
 */
export function parseKeytab(bytes: Buffer): KeytabEntry[] {
  if (bytes.length < 2 || bytes[0] !== 0x05 || (bytes[1] !== 0x02 && bytes[1] !== 0x01)) {
    throw new TypeError('not an MIT keytab (version 0x0502)');
  }
  const v1 = bytes[1] === 0x01;
  const entries: KeytabEntry[] = [];
  let off = 2;
  while (off + 4 <= bytes.length) {
    const size = bytes.readInt32BE(off);
    off += 4;
    if (size < 0) {
      off += -size;
      continue;
    }
    if (size === 0) break;
    const end = off + size;
    if (end > bytes.length) throw new TypeError('truncated keytab entry');
    entries.push(readEntry(bytes.subarray(off, end), v1));
    off = end;
  }
  return entries;
}

function readEntry(b: Buffer, v1: boolean): KeytabEntry {
  let o = 0;
  const u16 = (): number => {
    const v = b.readUInt16BE(o);
    o += 2;
    return v;
  };
  const u32 = (): number => {
    const v = b.readUInt32BE(o);
    o += 4;
    return v;
  };
  const data = (len: number): Buffer => {
    if (o + len > b.length) throw new TypeError('truncated keytab entry');
    const v = b.subarray(o, o + len);
    o += len;
    return v;
  };
  let count = u16();
  if (v1) count -= 1;
  const realm = data(u16()).toString('utf8');
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(data(u16()).toString('utf8'));
  const nameType = v1 ? 1 : u32();
  const timestamp = new Date(u32() * 1000);
  let kvno = b[o] ?? 0;
  o += 1;
  const enctype = u16();
  const value = Buffer.from(data(u16()));
  if (o + 4 <= b.length) {
    const kvno32 = b.readUInt32BE(o);
    if (kvno32 !== 0) kvno = kvno32;
  }
  return { principal: { nameType, components, realm }, timestamp, kvno, key: { enctype, value } };
}

/** Read a keytab file (a path, or `FILE:path`). */
export function readKeytab(path: string): KeytabEntry[] {
  return parseKeytab(readFileSync(path.replace(/^(?:FILE|WRFILE):/, '')));
}
