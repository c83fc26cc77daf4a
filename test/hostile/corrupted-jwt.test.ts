/**
 * Issue 9 item 9: a corrupted issued token (JWT) in the message — bad base64url, header or
 * payload that is not a JSON object, a corrupted or truncated signature, an algorithm that
 * does not fit the key, corrupted key-binding values — is rejected with a WsseqError code,
 * never a library exception escaping `open`.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../src/errors.js';
import {
  getStsFixture,
  rawSender,
  secureWith,
  stsOpener,
  tokenFor,
} from '../unit/issued-token/fixture.js';

const f = await getStsFixture();
const honest = tokenFor(f);
const [header = '', payload = '', signature = ''] = honest.split('.');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const decoded = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

async function outcome(token: string): Promise<string> {
  const wire = secureWith(f, rawSender(token, f.pki.client));
  return stsOpener(f)
    .open(wire)
    .then(
      () => 'accepted',
      (err: unknown) => {
        if (isWsseqError(err)) return err.code;
        throw new Error(`not a WsseqError: ${String(err)}`, { cause: err });
      },
    );
}

const flipped = Buffer.from(signature, 'base64url');
flipped[10] = (flipped[10] ?? 0) ^ 0xff;

const corrupted: readonly [string, string][] = [
  ['header not base64url JSON', `@@@.${payload}.${signature}`],
  ['header a JSON array', `${b64([1, 2])}.${payload}.${signature}`],
  ['header JSON null', `${b64(null)}.${payload}.${signature}`],
  ['payload not JSON', `${header}.${Buffer.from('{"sub":').toString('base64url')}.${signature}`],
  ['payload a JSON string', `${header}.${b64('alice')}.${signature}`],
  ['signature flipped', `${header}.${payload}.${flipped.toString('base64url')}`],
  ['signature truncated', `${header}.${payload}.${signature.slice(0, 20)}`],
  ['signature empty', `${header}.${payload}.`],
  ['signature not base64url', `${header}.${payload}.!!!!`],
  ['two parts only', `${header}.${payload}`],
  [
    'ES256 header on an RSA signature',
    `${b64({ ...decoded(header), alg: 'ES256' })}.${payload}.${signature}`,
  ],
  [
    'PS256 header on an RS256 signature',
    `${b64({ ...decoded(header), alg: 'PS256' })}.${payload}.${signature}`,
  ],
  [
    'x5t#S256 not a string',
    `${b64({ ...decoded(header), 'x5t#S256': { a: 1 } })}.${payload}.${signature}`,
  ],
  ['kid a number', `${b64({ ...decoded(header), kid: 5 })}.${payload}.${signature}`],
  [
    'cnf.jwk garbage',
    `${header}.${b64({ ...decoded(payload), cnf: { jwk: { kty: 'RSA', n: '!!', e: 'AQAB' } } })}.${signature}`,
  ],
  ['cnf not an object', `${header}.${b64({ ...decoded(payload), cnf: 'x' })}.${signature}`],
  ['aud a number', `${header}.${b64({ ...decoded(payload), aud: 7 })}.${signature}`],
  ['exp a string', `${header}.${b64({ ...decoded(payload), exp: 'never' })}.${signature}`],
];

describe('corrupted issued tokens (issue 9 item 9)', () => {
  it('the honest token opens', async () => {
    expect(await outcome(honest)).toBe('accepted');
  });
  for (const [what, token] of corrupted) {
    it(`${what}: a WsseqError, not accepted`, async () => {
      const code = await outcome(token);
      expect(code).not.toBe('accepted');
      expect([
        'AuthenticationFailed',
        'UnsupportedSecurityToken',
        'UnsupportedAlgorithm',
        'MalformedMessage',
        'PolicyViolation',
      ]).toContain(code);
    });
  }
});
