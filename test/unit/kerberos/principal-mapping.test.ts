/** Identity mapping of Kerberos principals: one-to-one, many-to-one, deny, exact realm. */
import { describe, expect, it } from 'vitest';
import { createIdentityMapper } from '../../../src/trust/mapping.js';
import { codeOf } from '../../kerberos/codes.js';

describe('mapPrincipal', () => {
  const mapper = createIdentityMapper({
    oneToOne: [{ principal: 'alice@QUEUE.TEST', account: 'CORP\\alice', roles: ['buyer'] }],
    manyToOne: [
      { name: 'no-bob', principal: 'bob@QUEUE.TEST', action: 'deny' },
      { name: 'realm', principal: '*@QUEUE.TEST', account: 'CORP\\queue-users' },
    ],
  });

  it('one-to-one first, then the many-to-one rules in order', () => {
    expect(mapper.mapPrincipal('alice@QUEUE.TEST')).toEqual({
      account: 'CORP\\alice',
      roles: ['buyer'],
      rule: 'one-to-one:0',
    });
    expect(mapper.mapPrincipal('carol@QUEUE.TEST')?.account).toBe('CORP\\queue-users');
  });

  it('a deny rule and an unmapped principal are AuthenticationFailed', () => {
    expect(codeOf(() => mapper.mapPrincipal('bob@QUEUE.TEST'))).toBe('AuthenticationFailed');
    expect(codeOf(() => mapper.mapPrincipal('carol@OTHER.TEST'))).toBe('AuthenticationFailed');
  });

  it('realms compare exactly: queue.test is another realm', () => {
    expect(codeOf(() => mapper.mapPrincipal('carol@queue.test'))).toBe('AuthenticationFailed');
  });

  it('principal rules never match certificates; misuse is a TypeError', () => {
    expect(() =>
      createIdentityMapper({ manyToOne: [{ principal: '*', subject: { CN: 'x' }, account: 'a' }] }),
    ).toThrow(TypeError);
    expect(() =>
      createIdentityMapper({
        oneToOne: [{ principal: 'a@B', certificate: 'ab'.repeat(20), account: 'a' }],
      }),
    ).toThrow(TypeError);
    const lenient = createIdentityMapper({
      requireMapping: false,
      manyToOne: [{ principal: '*', account: 'x' }],
    });
    expect(lenient.map(undefined)).toBeUndefined();
  });
});
