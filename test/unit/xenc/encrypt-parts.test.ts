/** Encrypting the Body's plaintext in pieces, straight to base64: the same bytes as one piece. */
import { describe, expect, it } from 'vitest';
import { BLOCK_CIPHER } from '../../../src/policy/algorithms.js';
import {
  decryptData,
  encryptDataPartsBase64,
  generateContentKey,
} from '../../../src/xenc/cipher.js';

describe('encryptDataPartsBase64', () => {
  // Long enough to be fed in several chunks, with a surrogate pair on every chunk boundary.
  const emoji = '\u{1F600}';
  const long = `${'a'.repeat((1 << 18) - 1)}${emoji}${'é'.repeat(1 << 18)}${emoji}x`;
  const parts = ['<m:A xmlns:m="urn:m">', long, Buffer.from('<m:B/>'), '</m:A>', ''];
  const plain = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

  for (const [name, uri] of [
    ['AES-256-GCM', BLOCK_CIPHER.aes256Gcm],
    ['AES-128-CBC', BLOCK_CIPHER.aes128Cbc],
    ['3DES-CBC', BLOCK_CIPHER.tripleDesCbc],
  ] as const) {
    it(`${name}: decrypts to the parts' UTF-8 concatenation, as valid base64`, () => {
      const key = generateContentKey(uri);
      const text = encryptDataPartsBase64(uri, key, parts);
      expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      const data = Buffer.from(text, 'base64');
      expect(data.toString('base64')).toBe(text);
      expect(decryptData(uri, key, data).equals(plain)).toBe(true);
    });
  }

  it('a wrong key length is caller misuse', () => {
    expect(() => encryptDataPartsBase64(BLOCK_CIPHER.aes256Gcm, Buffer.alloc(16), ['x'])).toThrow(
      TypeError,
    );
  });
});
