import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecryptionError } from '../../../src/errors.js';
import { BLOCK_CIPHER, KEY_TRANSPORT } from '../../../src/policy/algorithms.js';
import type { BlockCipherUri } from '../../../src/policy/algorithms.js';
import { decryptData, encryptData, generateContentKey } from '../../../src/xenc/cipher.js';
import { unwrapKey, wrapKey } from '../../../src/xenc/key-transport.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('block ciphers', () => {
  for (const uri of Object.values(BLOCK_CIPHER) as BlockCipherUri[]) {
    it(`${uri} round-trips and refuses a flipped byte`, () => {
      const key = generateContentKey(uri);
      for (const size of [0, 1, 15, 16, 17, 1000]) {
        const plain = randomBytes(size);
        const data = encryptData(uri, key, plain);
        expect(decryptData(uri, key, data).equals(plain)).toBe(true);
      }
      const data = encryptData(uri, key, Buffer.from('<m:Item>widget</m:Item>'));
      data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0x01;
      if (uri.includes('gcm')) expect(() => decryptData(uri, key, data)).toThrow(DecryptionError);
      expect(() => decryptData(uri, key.subarray(1), data)).toThrow(DecryptionError);
    });
  }

  it('reads WSS4J-style GCM layout: IV || ciphertext || tag', () => {
    const key = generateContentKey(BLOCK_CIPHER.aes256Gcm);
    const data = encryptData(BLOCK_CIPHER.aes256Gcm, key, Buffer.from('abc'));
    expect(data.length).toBe(12 + 3 + 16);
  });
});

describe('key transport', () => {
  const cases = [
    { algorithm: KEY_TRANSPORT.rsaOaepMgf1p, digest: 'sha1', mgfDigest: 'sha1' },
    { algorithm: KEY_TRANSPORT.rsaOaepMgf1p, digest: 'sha256', mgfDigest: 'sha1' },
    { algorithm: KEY_TRANSPORT.rsaOaep, digest: 'sha256', mgfDigest: 'sha256' },
    { algorithm: KEY_TRANSPORT.rsaOaep, digest: 'sha512', mgfDigest: 'sha1' },
  ];
  for (const spec of cases) {
    it(`${spec.algorithm} digest ${spec.digest} mgf ${spec.mgfDigest}`, () => {
      const cek = randomBytes(32);
      const wrapped = wrapKey(spec, publicKey, cek);
      expect(unwrapKey(spec, privateKey, wrapped, 32).equals(cek)).toBe(true);
      const bad = Buffer.from(wrapped);
      bad[10] = (bad[10] ?? 0) ^ 0xff;
      expect(() => unwrapKey(spec, privateKey, bad, 32)).toThrow(DecryptionError);
      // The wrong hash is a failure, not a different key.
      const other = { ...spec, mgfDigest: spec.mgfDigest === 'sha1' ? 'sha256' : 'sha1' };
      expect(() => unwrapKey(other, privateKey, wrapped, 32)).toThrow(DecryptionError);
    });
  }

  it('OpenSSL unwraps our OAEP with a SHA-256 digest and SHA-1 MGF1 (the manual padding path)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oaep-'));
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const cek = randomBytes(32);
    const spec = { algorithm: KEY_TRANSPORT.rsaOaepMgf1p, digest: 'sha256', mgfDigest: 'sha1' };
    writeFileSync(join(dir, 'wrapped.bin'), wrapKey(spec, publicKey, cek));
    const out = execFileSync('openssl', [
      'pkeyutl',
      '-decrypt',
      '-inkey',
      join(dir, 'key.pem'),
      '-in',
      join(dir, 'wrapped.bin'),
      '-pkeyopt',
      'rsa_padding_mode:oaep',
      '-pkeyopt',
      'rsa_oaep_md:sha256',
      '-pkeyopt',
      'rsa_mgf1_md:sha1',
    ]);
    expect(out.equals(cek)).toBe(true);
  });

  it('rsa-1_5 uses implicit rejection: a bad block yields a random key, not an error', () => {
    const spec = { algorithm: KEY_TRANSPORT.rsa15, digest: 'sha1', mgfDigest: 'sha1' };
    const cek = randomBytes(32);
    const wrapped = wrapKey(spec, publicKey, cek);
    expect(unwrapKey(spec, privateKey, wrapped, 32).equals(cek)).toBe(true);
    const bad = Buffer.from(wrapped);
    bad[5] = (bad[5] ?? 0) ^ 0xff;
    const k = unwrapKey(spec, privateKey, bad, 32);
    expect(k.length).toBe(32);
    expect(k.equals(cek)).toBe(false);
    // Wrong expected length: also a random key of the expected length.
    expect(unwrapKey(spec, privateKey, wrapped, 16).length).toBe(16);
  });
});
