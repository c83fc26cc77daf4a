/**
 * Block encryption of XML Encryption data on node:crypto: AES-GCM (xmlenc11: 12-byte IV,
 * ciphertext, 16-byte tag) and CBC (AES, 3DES: IV, then ciphertext with XML Encryption's
 * padding, whose last byte is the pad length). Every failure to decrypt is one
 * {@link DecryptionError}.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from '../errors.js';
import { BLOCK_CIPHER } from '../policy/algorithms.js';
import type { BlockCipherUri } from '../policy/algorithms.js';

interface CipherSpec {
  readonly node: string;
  readonly keyLength: number;
  readonly ivLength: number;
  readonly gcm: boolean;
  readonly blockSize: number;
}

const SPECS: Readonly<Record<BlockCipherUri, CipherSpec>> = {
  [BLOCK_CIPHER.aes128Gcm]: {
    node: 'aes-128-gcm',
    keyLength: 16,
    ivLength: 12,
    gcm: true,
    blockSize: 16,
  },
  [BLOCK_CIPHER.aes192Gcm]: {
    node: 'aes-192-gcm',
    keyLength: 24,
    ivLength: 12,
    gcm: true,
    blockSize: 16,
  },
  [BLOCK_CIPHER.aes256Gcm]: {
    node: 'aes-256-gcm',
    keyLength: 32,
    ivLength: 12,
    gcm: true,
    blockSize: 16,
  },
  [BLOCK_CIPHER.aes128Cbc]: {
    node: 'aes-128-cbc',
    keyLength: 16,
    ivLength: 16,
    gcm: false,
    blockSize: 16,
  },
  [BLOCK_CIPHER.aes192Cbc]: {
    node: 'aes-192-cbc',
    keyLength: 24,
    ivLength: 16,
    gcm: false,
    blockSize: 16,
  },
  [BLOCK_CIPHER.aes256Cbc]: {
    node: 'aes-256-cbc',
    keyLength: 32,
    ivLength: 16,
    gcm: false,
    blockSize: 16,
  },
  [BLOCK_CIPHER.tripleDesCbc]: {
    node: 'des-ede3-cbc',
    keyLength: 24,
    ivLength: 8,
    gcm: false,
    blockSize: 8,
  },
};

const GCM_TAG_LENGTH = 16;

/** True when `uri` names a block cipher wsseq implements. */
export function isBlockCipher(uri: string): uri is BlockCipherUri {
  return Object.hasOwn(SPECS, uri);
}

/** Key length in bytes for a block cipher. */
export function keyLengthOf(uri: BlockCipherUri): number {
  return SPECS[uri].keyLength;
}

/** A fresh random content encryption key for `uri`. */
export function generateContentKey(uri: BlockCipherUri): Buffer {
  return randomBytes(SPECS[uri].keyLength);
}

/** Encrypt `plaintext`; the result is what goes, base64, into xenc:CipherValue. */
export function encryptData(uri: BlockCipherUri, key: Buffer, plaintext: Buffer): Buffer {
  return encryptDataParts(uri, key, [plaintext]);
}

/**
 * Encrypt the concatenation of `parts` (strings as UTF-8) without joining them first; the
 * result is what goes, base64, into xenc:CipherValue.
 */
export function encryptDataParts(
  uri: BlockCipherUri,
  key: Buffer,
  parts: readonly (string | Buffer)[],
): Buffer {
  const out: Buffer[] = [];
  encryptInto(uri, key, parts, (chunk) => out.push(chunk));
  return Buffer.concat(out);
}

/**
 * {@link encryptDataParts} as the CipherValue's base64 text, encoded chunk by chunk as the
 * cipher goes (the text is a concatenation of pieces: no whole ciphertext and no second copy
 * of the plaintext as bytes is ever held).
 */
export function encryptDataPartsBase64(
  uri: BlockCipherUri,
  key: Buffer,
  parts: readonly (string | Buffer)[],
): string {
  let text = '';
  let carry: Buffer = Buffer.alloc(0);
  encryptInto(uri, key, parts, (chunk) => {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 3);
    text += bytes.toString('base64', 0, whole);
    carry = Buffer.from(bytes.subarray(whole));
  });
  return carry.length > 0 ? text + carry.toString('base64') : text;
}

/** Characters of a string part encrypted at a time (bounds the bytes held for it). */
const TEXT_CHUNK = 1 << 18;

/** Encrypt `parts` in order; `emit` gets the IV, the ciphertext pieces and (GCM) the tag. */
function encryptInto(
  uri: BlockCipherUri,
  key: Buffer,
  parts: readonly (string | Buffer)[],
  emit: (chunk: Buffer) => void,
): void {
  const spec = SPECS[uri];
  if (key.length !== spec.keyLength)
    throw new TypeError(`${uri} needs a ${spec.keyLength}-byte key`);
  const iv = randomBytes(spec.ivLength);
  emit(iv);
  const feed = (c: {
    update(data: Buffer): Buffer;
    update(data: string, enc: 'utf8'): Buffer;
  }): void => {
    for (const p of parts) {
      if (typeof p !== 'string') {
        emit(c.update(p));
        continue;
      }
      for (let i = 0; i < p.length;) {
        let end = Math.min(p.length, i + TEXT_CHUNK);
        // Never split a surrogate pair between two chunks (each is encoded as UTF-8 alone).
        const last = p.charCodeAt(end - 1);
        if (end < p.length && last >= 0xd800 && last <= 0xdbff) end--;
        emit(c.update(p.slice(i, end), 'utf8'));
        i = end;
      }
    }
  };
  if (spec.gcm) {
    const c = createCipheriv(spec.node as 'aes-256-gcm', key, iv, {
      authTagLength: GCM_TAG_LENGTH,
    });
    feed(c);
    emit(c.final());
    emit(c.getAuthTag());
    return;
  }
  let length = 0;
  for (const p of parts) length += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : p.length;
  const padLength = spec.blockSize - (length % spec.blockSize);
  const padding = randomBytes(padLength);
  padding[padLength - 1] = padLength;
  const c = createCipheriv(spec.node, key, iv).setAutoPadding(false);
  feed(c);
  emit(c.update(padding));
  emit(c.final());
}

/**
 * Decrypt a CipherValue.
 * @throws DecryptionError for any failure (wrong key length, bad tag, bad padding).
 */
export function decryptData(uri: BlockCipherUri, key: Buffer, data: Buffer): Buffer {
  const spec = SPECS[uri];
  try {
    if (key.length !== spec.keyLength) throw new Error('content key has the wrong length');
    if (spec.gcm) {
      if (data.length < spec.ivLength + GCM_TAG_LENGTH) throw new Error('ciphertext too short');
      const iv = data.subarray(0, spec.ivLength);
      const tag = data.subarray(data.length - GCM_TAG_LENGTH);
      const d = createDecipheriv(spec.node as 'aes-256-gcm', key, iv, {
        authTagLength: GCM_TAG_LENGTH,
      });
      d.setAuthTag(tag);
      const body = data.subarray(spec.ivLength, data.length - GCM_TAG_LENGTH);
      return joined(d.update(body), d.final());
    }
    const body = data.subarray(spec.ivLength);
    if (body.length === 0 || body.length % spec.blockSize !== 0) {
      throw new Error('ciphertext is not a whole number of blocks');
    }
    const d = createDecipheriv(spec.node, key, data.subarray(0, spec.ivLength));
    d.setAutoPadding(false);
    const padded = joined(d.update(body), d.final());
    const padLength = padded[padded.length - 1] ?? 0;
    if (padLength < 1 || padLength > spec.blockSize) throw new Error('bad padding');
    return padded.subarray(0, padded.length - padLength);
  } catch (cause) {
    throw new DecryptionError({ cause });
  }
}

/** `head` then `tail`, copied only when `tail` holds something (GCM's final() never does). */
function joined(head: Buffer, tail: Buffer): Buffer {
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
