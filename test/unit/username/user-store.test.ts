import { describe, expect, it } from 'vitest';
import {
  createUserStore,
  hashPassword,
  verifyPassword,
  verifyPasswordDigest,
} from '../../../src/credentials/user-store.js';
import { computePasswordDigest } from '../../../src/wss/username-token.js';
import { FAST_SCRYPT } from './helpers.js';

describe('hashPassword / verifyPassword', () => {
  it('writes scrypt$N$r$p$salt$hash with a fresh salt', async () => {
    const a = await hashPassword('s3cret', FAST_SCRYPT);
    const b = await hashPassword('s3cret', FAST_SCRYPT);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    expect(await verifyPassword('s3cret!', a)).toBe(false);
  });

  it('uses N=2^15 by default', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('refuses malformed hashes and out-of-range parameters (TypeError)', async () => {
    await expect(verifyPassword('x', 'bcrypt$2b$...')).rejects.toThrow(TypeError);
    await expect(
      verifyPassword('x', 'scrypt$1000$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=='),
    ).rejects.toThrow(TypeError);
    await expect(hashPassword('x', { N: 1 << 22 })).rejects.toThrow(TypeError);
  });
});

describe('verifyPasswordDigest', () => {
  it('checks Base64(SHA-1(nonce + created + password))', () => {
    const nonce = Buffer.from('WScqanjCEAC4mQoBE07sAQ==', 'base64');
    const created = '2003-07-16T01:24:32Z';
    const digest = computePasswordDigest(nonce, created, 'pw');
    expect(verifyPasswordDigest({ digest, nonce, created }, 'pw')).toBe(true);
    expect(verifyPasswordDigest({ digest, nonce, created }, 'pw2')).toBe(false);
    expect(verifyPasswordDigest({ digest: digest.subarray(1), nonce, created }, 'pw')).toBe(false);
    expect(verifyPasswordDigest({ digest, nonce, created: '2003-07-16T01:24:33Z' }, 'pw')).toBe(
      false,
    );
  });
});

describe('createUserStore', () => {
  it('validates text passwords against hashes, digests against the secret provider', async () => {
    const store = createUserStore(
      [
        { username: 'alice', passwordHash: await hashPassword('a-pw', FAST_SCRYPT), roles: ['r'] },
        { username: 'bob', password: 'b-pw', claims: { tier: 2 } },
      ],
      { scrypt: FAST_SCRYPT, secretProvider: (u) => (u === 'alice' ? 'a-pw' : undefined) },
    );
    expect(await store.validate('alice', 'a-pw')).toEqual({ claims: {}, roles: ['r'] });
    expect(await store.validate('bob', 'b-pw')).toEqual({ claims: { tier: 2 }, roles: [] });
    expect(await store.validate('alice', 'b-pw')).toBeUndefined();
    expect(await store.validate('nobody', 'a-pw')).toBeUndefined();
    const nonce = Buffer.alloc(16, 1);
    const created = '2026-06-01T12:00:00.000Z';
    const digest = computePasswordDigest(nonce, created, 'a-pw');
    expect(await store.validate('alice', { digest, nonce, created })).toEqual({
      claims: {},
      roles: ['r'],
    });
    // bob has no secret with the provider: digests fail for him.
    const bobDigest = computePasswordDigest(nonce, created, 'b-pw');
    expect(await store.validate('bob', { digest: bobDigest, nonce, created })).toBeUndefined();
  });

  it('refuses digests without a secret provider', async () => {
    const store = createUserStore([{ username: 'a', password: 'pw' }], { scrypt: FAST_SCRYPT });
    const nonce = Buffer.alloc(16, 2);
    const created = '2026-06-01T12:00:00Z';
    const digest = computePasswordDigest(nonce, created, 'pw');
    expect(await store.validate('a', { digest, nonce, created })).toBeUndefined();
  });

  it('misuse is a TypeError', () => {
    expect(() => createUserStore([{ username: '', password: 'x' }])).toThrow(TypeError);
    expect(() =>
      createUserStore([
        { username: 'a', password: 'x' },
        { username: 'a', password: 'y' },
      ]),
    ).toThrow(TypeError);
    expect(() => createUserStore([{ username: 'a' }])).toThrow(TypeError);
    expect(() => createUserStore([{ username: 'a', password: 'x', passwordHash: 'y' }])).toThrow(
      TypeError,
    );
    expect(() => createUserStore([{ username: 'a', passwordHash: 'scrypt$bad' }])).toThrow(
      TypeError,
    );
  });
});
