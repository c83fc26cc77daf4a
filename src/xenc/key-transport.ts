/**
 * Key transport: RSA-OAEP (xmlenc rsa-oaep-mgf1p, xmlenc11 rsa-oaep with any digest and MGF1
 * hash) and, only when a policy allows it, RSA PKCS#1 v1.5 (rsa-1_5) with implicit rejection.
 * Node's OAEP uses one hash for both the digest and MGF1; when they differ, the padding is
 * done here over a raw RSA operation (RFC 8017 section 7.1).
 */
import {
  constants,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { DecryptionError } from '../errors.js';
import { KEY_TRANSPORT } from '../policy/algorithms.js';

/** How the key is transported: the algorithm and, for OAEP, the two hashes (node names). */
export interface KeyTransportSpec {
  readonly algorithm: string;
  /** OAEP digest (DigestMethod), node hash name. Default sha1. */
  readonly digest: string;
  /** OAEP mask generation hash (xenc11:MGF), node hash name. Default sha1. */
  readonly mgfDigest: string;
}

/** Encrypt a content key for `publicKey`. */
export function wrapKey(spec: KeyTransportSpec, publicKey: KeyObject, key: Buffer): Buffer {
  if (spec.algorithm === KEY_TRANSPORT.rsa15) {
    return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
  }
  if (spec.digest === spec.mgfDigest) {
    return publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: spec.digest },
      key,
    );
  }
  const k = modulusBytes(publicKey);
  const em = oaepEncode(key, k, spec.digest, spec.mgfDigest);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, em);
}

/**
 * Decrypt a content key (`expectedLength` undefined: a signing key of 16 to 64 bytes, for an
 * EncryptedKey that only serves as a token). For rsa-1_5, a malformed block yields a random key of
 * `expectedLength` bytes instead of an error (implicit rejection: the data decryption then
 * fails like any other), so no padding oracle is exposed.
 * @throws DecryptionError for any OAEP failure.
 */
export function unwrapKey(
  spec: KeyTransportSpec,
  privateKey: KeyObject,
  wrapped: Buffer,
  expectedLength: number | undefined,
): Buffer {
  try {
    if (spec.algorithm === KEY_TRANSPORT.rsa15) {
      return pkcs1v15Decode(
        privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, wrapped),
        expectedLength ?? 32,
      );
    }
    let key: Buffer;
    if (spec.digest === spec.mgfDigest) {
      key = privateDecrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: spec.digest },
        wrapped,
      );
    } else {
      const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, wrapped);
      key = oaepDecode(em, spec.digest, spec.mgfDigest);
    }
    const fits =
      expectedLength === undefined
        ? key.length >= 16 && key.length <= 64
        : key.length === expectedLength;
    if (!fits) throw new Error('unwrapped key has the wrong length');
    return key;
  } catch (cause) {
    if (cause instanceof DecryptionError) throw cause;
    throw new DecryptionError({ cause });
  }
}

function modulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new TypeError('RSA key transport needs an RSA key');
  return Math.ceil(bits / 8);
}

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const parts: Buffer[] = [];
  let done = 0;
  for (let counter = 0; done < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    parts.push(block);
    done += block.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

function xorInto(target: Buffer, mask: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) ^ (mask[i] ?? 0);
}

function oaepEncode(message: Buffer, k: number, hash: string, mgfHash: string): Buffer {
  const lHash = createHash(hash).digest();
  const hLen = lHash.length;
  if (message.length > k - 2 * hLen - 2) throw new TypeError('key too long for OAEP');
  const db = Buffer.concat([
    lHash,
    Buffer.alloc(k - message.length - 2 * hLen - 2),
    Buffer.from([1]),
    message,
  ]);
  const seed = randomBytes(hLen);
  xorInto(db, mgf1(seed, db.length, mgfHash));
  xorInto(seed, mgf1(db, hLen, mgfHash));
  return Buffer.concat([Buffer.from([0]), seed, db]);
}

function oaepDecode(em: Buffer, hash: string, mgfHash: string): Buffer {
  const lHash = createHash(hash).digest();
  const hLen = lHash.length;
  if (em.length < 2 * hLen + 2) throw new Error('OAEP block too short');
  const seed = Buffer.from(em.subarray(1, 1 + hLen));
  const db = Buffer.from(em.subarray(1 + hLen));
  xorInto(seed, mgf1(db, hLen, mgfHash));
  xorInto(db, mgf1(seed, db.length, mgfHash));
  // Check everything before failing, in constant time over the block.
  let bad = em[0] === 0 ? 0 : 1;
  bad |= timingSafeEqual(db.subarray(0, hLen), lHash) ? 0 : 1;
  let separator = -1;
  let invalidPrefix = 0;
  for (let i = hLen; i < db.length; i++) {
    const b = db[i] ?? 0;
    const isOne = b === 1 ? 1 : 0;
    const isZero = b === 0 ? 1 : 0;
    const seeking = separator < 0 ? 1 : 0;
    if (seeking && isOne) separator = i;
    invalidPrefix |= seeking & (isZero | isOne ? 0 : 1);
  }
  if (bad | invalidPrefix || separator < 0) throw new Error('OAEP decoding failed');
  return db.subarray(separator + 1);
}

function pkcs1v15Decode(em: Buffer, expectedLength: number): Buffer {
  const fallback = randomBytes(expectedLength);
  let bad = em[0] === 0 && em[1] === 2 ? 0 : 1;
  let separator = -1;
  for (let i = 2; i < em.length; i++) if (separator < 0 && em[i] === 0) separator = i;
  bad |= separator < 10 ? 1 : 0;
  bad |= separator >= 0 && em.length - separator - 1 === expectedLength ? 0 : 1;
  return bad ? fallback : Buffer.from(em.subarray(em.length - expectedLength));
}
