/**
 * Kerberos encryption types on node:crypto: the RFC 3961 simplified profile with RFC 3962
 * aes-cts-hmac-sha1-96 (etypes 17, 18) and RFC 8009 aes-cts-hmac-sha2 (etypes 19, 20).
 * rc4-hmac (23) and the DES types are known by number only, so that they can be refused by
 * name: Node 20's OpenSSL 3 has neither RC4 nor MD4.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { reject } from '../errors.js';

/** Encryption type numbers (IANA Kerberos registry). */
export const ENCTYPE = {
  desCbcCrc: 1,
  desCbcMd5: 3,
  des3CbcSha1: 16,
  aes128CtsHmacSha1: 17,
  aes256CtsHmacSha1: 18,
  aes128CtsHmacSha256: 19,
  aes256CtsHmacSha384: 20,
  rc4Hmac: 23,
} as const;

/** MIT's names for the enctypes, for messages and for `doctor`. */
export const ENCTYPE_NAME: Readonly<Record<number, string>> = {
  1: 'des-cbc-crc',
  3: 'des-cbc-md5',
  16: 'des3-cbc-sha1',
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
};

/** A Kerberos key: its enctype and octets. */
export interface KerberosKey {
  readonly enctype: number;
  readonly value: Buffer;
}

interface Profile {
  readonly name: string;
  readonly keyBytes: number;
  /** Checksum type of the keyed checksum with this key (RFC 3961 §4, RFC 8009 §8). */
  readonly checksumType: number;
  readonly derive: (key: Buffer, usage: number, which: 0x99 | 0xaa | 0x55) => Buffer;
  readonly macLength: number;
  readonly hash: 'sha1' | 'sha256' | 'sha384';
  readonly sha2: boolean;
}

const SHA1_PROFILE = (bytes: number, checksumType: number): Profile => ({
  name: ENCTYPE_NAME[bytes === 16 ? 17 : 18] ?? '',
  keyBytes: bytes,
  checksumType,
  derive: (key, usage, which) => dk(key, usageConstant(usage, which)),
  macLength: 12,
  hash: 'sha1',
  sha2: false,
});

const SHA2_PROFILE = (enctype: 19 | 20): Profile => {
  const big = enctype === 20;
  const hash = big ? 'sha384' : 'sha256';
  return {
    name: ENCTYPE_NAME[enctype] ?? '',
    keyBytes: big ? 32 : 16,
    checksumType: enctype,
    derive: (key, usage, which) => {
      const bits = which === 0xaa ? (big ? 256 : 128) : big ? 192 : 128;
      return kdfHmacSha2(key, usageConstant(usage, which), bits, hash);
    },
    macLength: big ? 24 : 16,
    hash,
    sha2: true,
  };
};

const PROFILES: ReadonlyMap<number, Profile> = new Map([
  [ENCTYPE.aes128CtsHmacSha1, SHA1_PROFILE(16, 15)],
  [ENCTYPE.aes256CtsHmacSha1, SHA1_PROFILE(32, 16)],
  [ENCTYPE.aes128CtsHmacSha256, SHA2_PROFILE(19)],
  [ENCTYPE.aes256CtsHmacSha384, SHA2_PROFILE(20)],
]);

/** The enctypes this implementation supports, strongest first. */
export const SUPPORTED_ENCTYPES: readonly number[] = [20, 19, 18, 17];

/** Whether an enctype is implemented here. */
export function isSupportedEnctype(enctype: number): boolean {
  return PROFILES.has(enctype);
}

/**
 * The profile of an enctype.
 * @throws WsseqError `UnsupportedAlgorithm` for rc4-hmac, DES and anything unknown.
 */
function profileOf(enctype: number): Profile {
  const p = PROFILES.get(enctype);
  if (!p) {
    const name = ENCTYPE_NAME[enctype] ?? `enctype ${String(enctype)}`;
    throw reject('UnsupportedAlgorithm', `Kerberos ${name} is not supported`);
  }
  return p;
}

/** The checksum type of the keyed checksum that goes with a key. */
export function checksumTypeOf(enctype: number): number {
  return profileOf(enctype).checksumType;
}

function usageConstant(usage: number, which: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(usage, 0);
  b[4] = which;
  return b;
}

/** RFC 3961 §5.1 n-fold: fold (or stretch) `input` to `bytes` octets. */
export function nfold(input: Buffer, bytes: number): Buffer {
  const inBits = input.length * 8;
  const outBits = bytes * 8;
  const lcm = (inBits * outBits) / gcd(inBits, outBits);
  const copies = lcm / inBits;
  // Concatenate copies, each rotated right by 13 bits more than the last.
  const big = Buffer.alloc(lcm / 8);
  for (let c = 0; c < copies; c++) {
    const rot = rotateRight(input, 13 * c);
    rot.copy(big, c * input.length);
  }
  // One's-complement addition of the bytes-sized chunks.
  const sum = new Array<number>(bytes).fill(0);
  for (let off = 0; off < big.length; off += bytes) {
    let carry = 0;
    for (let i = bytes - 1; i >= 0; i--) {
      const v = (sum[i] ?? 0) + (big[off + i] ?? 0) + carry;
      sum[i] = v & 0xff;
      carry = v >> 8;
    }
    for (let i = bytes - 1; carry && i >= 0; i--) {
      const v = (sum[i] ?? 0) + carry;
      sum[i] = v & 0xff;
      carry = v >> 8;
    }
  }
  return Buffer.from(sum);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function rotateRight(input: Buffer, bits: number): Buffer {
  const n = input.length * 8;
  const r = bits % n;
  const out = Buffer.alloc(input.length);
  for (let i = 0; i < n; i++) {
    const src = (i - r + n) % n;
    const bit = ((input[src >> 3] ?? 0) >> (7 - (src & 7))) & 1;
    if (bit) out[i >> 3] = (out[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  }
  return out;
}

function aesEcb(key: Buffer): string {
  return key.length === 16 ? 'aes-128-ecb' : 'aes-256-ecb';
}
function aesCbc(key: Buffer): string {
  return key.length === 16 ? 'aes-128-cbc' : 'aes-256-cbc';
}

/** RFC 3961 §5.1 DK(Key, Constant) for AES (random-to-key is the identity). */
export function dk(key: Buffer, constant: Buffer): Buffer {
  let block = constant.length === 16 ? constant : nfold(constant, 16);
  const out: Buffer[] = [];
  let have = 0;
  while (have < key.length) {
    const c = createCipheriv(aesEcb(key), key, null).setAutoPadding(false);
    block = Buffer.concat([c.update(block), c.final()]);
    out.push(block);
    have += 16;
  }
  return Buffer.concat(out).subarray(0, key.length);
}

/** RFC 8009 §3 KDF-HMAC-SHA2. */
function kdfHmacSha2(key: Buffer, label: Buffer, bits: number, hash: string): Buffer {
  const k = Buffer.alloc(4);
  k.writeUInt32BE(bits, 0);
  const input = Buffer.concat([Buffer.from([0, 0, 0, 1]), label, Buffer.from([0]), k]);
  return createHmac(hash, key)
    .update(input)
    .digest()
    .subarray(0, bits / 8);
}

/** AES in CBC mode with ciphertext stealing, zero IV (RFC 3962 §5). */
export function ctsEncrypt(key: Buffer, plain: Buffer, iv: Buffer = Buffer.alloc(16)): Buffer {
  if (plain.length < 16) throw new RangeError('AES-CTS needs at least one block');
  const padded = Buffer.alloc(Math.ceil(plain.length / 16) * 16);
  plain.copy(padded);
  const c = createCipheriv(aesCbc(key), key, iv).setAutoPadding(false);
  const cbc = Buffer.concat([c.update(padded), c.final()]);
  if (plain.length === 16) return cbc;
  const n = cbc.length / 16;
  const r = plain.length - (n - 1) * 16;
  return Buffer.concat([
    cbc.subarray(0, (n - 2) * 16),
    cbc.subarray((n - 1) * 16),
    cbc.subarray((n - 2) * 16, (n - 2) * 16 + r),
  ]);
}

/** The inverse of {@link ctsEncrypt}. */
export function ctsDecrypt(key: Buffer, cipher: Buffer, iv: Buffer = Buffer.alloc(16)): Buffer {
  if (cipher.length < 16) throw new RangeError('AES-CTS needs at least one block');
  const cbcDecrypt = (data: Buffer): Buffer => {
    const d = createDecipheriv(aesCbc(key), key, iv).setAutoPadding(false);
    return Buffer.concat([d.update(data), d.final()]);
  };
  if (cipher.length === 16) return cbcDecrypt(cipher);
  const n = Math.ceil(cipher.length / 16);
  const r = cipher.length - (n - 1) * 16;
  const cn = cipher.subarray((n - 2) * 16, (n - 1) * 16);
  const tail = cipher.subarray((n - 1) * 16);
  const e = createDecipheriv(aesEcb(key), key, null).setAutoPadding(false);
  const dn = Buffer.concat([e.update(cn), e.final()]);
  const cn1 = Buffer.concat([tail, dn.subarray(r)]);
  const pn = Buffer.alloc(r);
  for (let i = 0; i < r; i++) pn[i] = (dn[i] ?? 0) ^ (tail[i] ?? 0);
  const head = cbcDecrypt(Buffer.concat([cipher.subarray(0, (n - 2) * 16), cn1]));
  return Buffer.concat([head, pn]);
}

/**
 * RFC 3961 encrypt with key usage: confounder, AES-CTS, HMAC.
 * @throws WsseqError `UnsupportedAlgorithm` for an enctype not implemented here.
 */
export function encrypt(
  key: KerberosKey,
  usage: number,
  plain: Buffer,
  confounder: Buffer = randomBytes(16),
): Buffer {
  const p = profileOf(key.enctype);
  const ke = p.derive(key.value, usage, 0xaa);
  const ki = p.derive(key.value, usage, 0x55);
  const data = Buffer.concat([confounder, plain]);
  const c = ctsEncrypt(ke, data);
  const mac = createHmac(p.hash, ki)
    .update(p.sha2 ? Buffer.concat([Buffer.alloc(16), c]) : data)
    .digest()
    .subarray(0, p.macLength);
  return Buffer.concat([c, mac]);
}

/**
 * RFC 3961 decrypt with key usage: verify the HMAC (constant time), then strip the
 * confounder.
 * @throws WsseqError `AuthenticationFailed` when the integrity check fails (wrong key, a
 *   tampered ciphertext); `UnsupportedAlgorithm` for an enctype not implemented here.
 */
export function decrypt(key: KerberosKey, usage: number, cipher: Buffer): Buffer {
  const p = profileOf(key.enctype);
  if (cipher.length < 16 + p.macLength) {
    throw reject('AuthenticationFailed', 'Kerberos ciphertext too short');
  }
  const ke = p.derive(key.value, usage, 0xaa);
  const ki = p.derive(key.value, usage, 0x55);
  const c = cipher.subarray(0, cipher.length - p.macLength);
  const mac = cipher.subarray(cipher.length - p.macLength);
  const data = ctsDecrypt(ke, c);
  const expected = createHmac(p.hash, ki)
    .update(p.sha2 ? Buffer.concat([Buffer.alloc(16), c]) : data)
    .digest()
    .subarray(0, p.macLength);
  if (!timingSafeEqual(expected, mac)) {
    throw reject('AuthenticationFailed', 'Kerberos integrity check failed (wrong key or tampered)');
  }
  return data.subarray(16);
}

/** RFC 3961 keyed checksum (hmac-sha1-96-aes*, hmac-sha256-128-aes128, hmac-sha384-192-aes256). */
export function checksum(key: KerberosKey, usage: number, data: Buffer): Buffer {
  const p = profileOf(key.enctype);
  const kc = p.derive(key.value, usage, 0x99);
  return createHmac(p.hash, kc).update(data).digest().subarray(0, p.macLength);
}

/** RFC 3962 / RFC 8009 string-to-key (PBKDF2), for tests and password-based principals. */
export function stringToKey(
  enctype: number,
  password: string,
  salt: string,
  iterations?: number,
): KerberosKey {
  const p = profileOf(enctype);
  if (p.sha2) {
    const saltp = Buffer.concat([Buffer.from(p.name), Buffer.from([0]), Buffer.from(salt)]);
    const tkey = pbkdf2Sync(password, saltp, iterations ?? 32768, p.keyBytes, p.hash);
    return {
      enctype,
      value: kdfHmacSha2(tkey, Buffer.from('kerberos'), p.keyBytes * 8, p.hash),
    };
  }
  const tkey = pbkdf2Sync(password, salt, iterations ?? 4096, p.keyBytes, 'sha1');
  return { enctype, value: dk(tkey, Buffer.from('kerberos')) };
}

/** A fresh random key of the enctype (an authenticator subkey). */
export function randomKey(enctype: number): KerberosKey {
  return { enctype, value: randomBytes(profileOf(enctype).keyBytes) };
}
