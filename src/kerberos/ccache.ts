/**
 * MIT credential caches (FILE: format, versions 3 and 4): the default principal and its
 * credentials (a TGT after `kinit`, service tickets). Configuration entries are skipped.
 */
import { readFileSync } from 'node:fs';
import type { KerberosKey } from './crypto.js';
import type { Principal } from './messages.js';

/** One cached credential. */
export interface CachedCredential {
  readonly client: Principal;
  readonly server: Principal;
  readonly key: KerberosKey;
  readonly authTime: Date;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly renewTill: Date;
  readonly flags: number;
  /** DER of the Ticket. */
  readonly ticket: Buffer;
}

export interface CredentialCache {
  readonly principal: Principal;
  readonly credentials: readonly CachedCredential[];
}

/**
 * Parse a credential cache.
 * @throws TypeError when the bytes are not a v3/v4 FILE ccache.
 */
export function parseCredentialCache(bytes: Buffer): CredentialCache {
  if (bytes.length < 4 || bytes[0] !== 0x05 || (bytes[1] !== 0x04 && bytes[1] !== 0x03)) {
    throw new TypeError('not an MIT FILE credential cache (version 0x0503/0x0504)');
  }
  const v4 = bytes[1] === 0x04;
  let o = 2;
  const need = (n: number): void => {
    if (o + n > bytes.length) throw new TypeError('truncated credential cache');
  };
  const u8 = (): number => {
    need(1);
    return bytes[o++] ?? 0;
  };
  const u16 = (): number => {
    need(2);
    const v = bytes.readUInt16BE(o);
    o += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = bytes.readUInt32BE(o);
    o += 4;
    return v;
  };
  const data = (): Buffer => {
    const len = u32();
    need(len);
    const v = bytes.subarray(o, o + len);
    o += len;
    return Buffer.from(v);
  };
  const principal = (): Principal => {
    const nameType = u32();
    const count = u32();
    const realm = data().toString('utf8');
    const components: string[] = [];
    for (let i = 0; i < count; i++) components.push(data().toString('utf8'));
    return { nameType, components, realm };
  };
  if (v4) {
    const len = u16();
    need(len);
    o += len;
  }
  const defaultPrincipal = principal();
  const credentials: CachedCredential[] = [];
  while (o < bytes.length) {
    const client = principal();
    const server = principal();
    const enctype = u16();
    const value = data();
    const authTime = new Date(u32() * 1000);
    const startTime = new Date(u32() * 1000);
    const endTime = new Date(u32() * 1000);
    const renewTill = new Date(u32() * 1000);
    u8(); // is_skey
    const flags = u32();
    for (let n = u32(), i = 0; i < n; i++) {
      u16();
      data();
    }
    for (let n = u32(), i = 0; i < n; i++) {
      u16();
      data();
    }
    const ticket = data();
    data(); // second ticket
    if (server.realm === 'X-CACHECONF:') continue;
    credentials.push({
      client,
      server,
      key: { enctype, value },
      authTime,
      startTime,
      endTime,
      renewTill,
      flags,
      ticket,
    });
  }
  return { principal: defaultPrincipal, credentials };
}

/** The cache `KRB5CCNAME` names (a path or `FILE:path`), else /tmp/krb5cc_<uid>. */
export function defaultCredentialCachePath(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const name = env.KRB5CCNAME;
  if (name) {
    if (/^[A-Z]+:/.test(name) && !name.startsWith('FILE:')) {
      throw new TypeError(`only FILE: credential caches are supported (KRB5CCNAME=${name})`);
    }
    return name.replace(/^FILE:/, '');
  }
  return `/tmp/krb5cc_${String(process.getuid?.() ?? 0)}`;
}

/** Read a FILE: credential cache. */
export function readCredentialCache(path: string = defaultCredentialCachePath()): CredentialCache {
  return parseCredentialCache(readFileSync(path.replace(/^FILE:/, '')));
}
