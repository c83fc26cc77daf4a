import { beforeAll, describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { createIdentityMapper } from '../../../src/trust/mapping.js';
import { getTestPki } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isWsseqError(err) ? err.code : `not a WsseqError: ${String(err)}`;
  }
  return undefined;
}

describe('identity mapping', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await getTestPki();
  });

  describe('one-to-one', () => {
    it('maps a certificate given by DER to its account', () => {
      const mapper = createIdentityMapper({
        oneToOne: [
          { certificate: pki.client.certificate, account: 'CORP\\alice', roles: ['buyer'] },
        ],
      });
      expect(mapper.map(pki.client.certificate)).toEqual({
        account: 'CORP\\alice',
        roles: ['buyer'],
        rule: 'one-to-one:0',
      });
    });

    it('maps by SHA-256 or SHA-1 thumbprint (any case, colons allowed)', () => {
      const sha1 = pki.client2.certificate.thumbprintSha1.toString('hex').toUpperCase();
      const mapper = createIdentityMapper({
        oneToOne: [
          { certificate: pki.client.certificate.thumbprintSha256, account: 'alice' },
          { certificate: sha1.replace(/(..)(?=.)/g, '$1:'), account: 'bob' },
        ],
      });
      expect(mapper.map(pki.client.certificate)?.account).toBe('alice');
      expect(mapper.map(pki.client2.certificate)?.account).toBe('bob');
    });

    it('does not map another certificate with the same subject (service2 vs service)', () => {
      const mapper = createIdentityMapper({
        oneToOne: [{ certificate: pki.service.certificate, account: 'svc' }],
      });
      expect(codeOf(() => mapper.map(pki.service2.certificate))).toBe('AuthenticationFailed');
    });

    it('wins over many-to-one rules', () => {
      const mapper = createIdentityMapper({
        oneToOne: [{ certificate: pki.client.certificate, account: 'alice' }],
        manyToOne: [{ subject: { O: 'wsseq tests' }, account: 'everyone' }],
      });
      expect(mapper.map(pki.client.certificate)?.account).toBe('alice');
      expect(mapper.map(pki.client2.certificate)?.account).toBe('everyone');
    });
  });

  describe('many-to-one', () => {
    it('matches issuer and subject fields (wildcards, case-insensitive), first match wins', () => {
      const mapper = createIdentityMapper({
        manyToOne: [
          {
            name: 'bob',
            issuer: { CN: 'wsseq test issuing ca' },
            subject: { CN: 'b*' },
            account: 'bob-acct',
          },
          {
            name: 'staff',
            issuer: { CN: 'wsseq Test * CA', O: 'wsseq tests' },
            account: 'staff',
            roles: ['orders'],
          },
          { name: 'late', subject: { CN: 'alice' }, account: 'never' },
        ],
      });
      expect(mapper.map(pki.client2.certificate)).toEqual({
        account: 'bob-acct',
        roles: [],
        rule: 'bob',
      });
      expect(mapper.map(pki.client.certificate)).toEqual({
        account: 'staff',
        roles: ['orders'],
        rule: 'staff',
      });
    });

    it('matches the SAN UPN and e-mail', () => {
      const mapper = createIdentityMapper({
        manyToOne: [
          { upn: '*@corp.example', email: 'alice@*', account: 'corp-alice' },
          { email: '*@example.com', account: 'example-users' },
        ],
      });
      expect(mapper.map(pki.client.certificate)?.account).toBe('corp-alice');
      expect(mapper.map(pki.client2.certificate)?.account).toBe('example-users');
      expect(codeOf(() => mapper.map(pki.service.certificate))).toBe('AuthenticationFailed');
    });

    it('a deny rule refuses the certificates it matches (AuthenticationFailed), before later allows', () => {
      const mapper = createIdentityMapper({
        manyToOne: [
          { subject: { CN: 'bob' }, action: 'deny' },
          { issuer: { O: 'wsseq tests' }, account: 'staff' },
        ],
      });
      expect(codeOf(() => mapper.map(pki.client2.certificate))).toBe('AuthenticationFailed');
      expect(mapper.map(pki.client.certificate)?.account).toBe('staff');
    });

    it('pattern metacharacters are literal except *', () => {
      const mapper = createIdentityMapper({
        manyToOne: [{ subject: { CN: 'al.ce' }, account: 'x' }],
        requireMapping: false,
      });
      expect(mapper.map(pki.client.certificate)).toBeUndefined();
    });
  });

  describe('unmapped certificates', () => {
    it('are rejected with AuthenticationFailed when a mapping is required (default)', () => {
      const mapper = createIdentityMapper({
        manyToOne: [{ subject: { CN: 'nobody' }, account: 'x' }],
      });
      expect(codeOf(() => mapper.map(pki.client.certificate))).toBe('AuthenticationFailed');
    });

    it('pass unmapped when requireMapping is false', () => {
      const mapper = createIdentityMapper({ requireMapping: false });
      expect(mapper.map(pki.client.certificate)).toBeUndefined();
      expect(mapper.map(undefined)).toBeUndefined();
    });

    it('no certificate at all is CertificateRequired when a mapping is required', () => {
      const mapper = createIdentityMapper({});
      expect(codeOf(() => mapper.map(undefined))).toBe('CertificateRequired');
    });
  });

  describe('options are checked once', () => {
    it('rejects bad rules with TypeError', () => {
      expect(() => createIdentityMapper({ manyToOne: [{ subject: { CN: 'x' } }] })).toThrow(
        TypeError,
      );
      expect(() => createIdentityMapper({ manyToOne: [{ account: 'x' }] })).toThrow(TypeError);
      expect(() =>
        createIdentityMapper({ oneToOne: [{ certificate: 'abc', account: 'x' }] }),
      ).toThrow(TypeError);
      expect(() =>
        createIdentityMapper({ oneToOne: [{ certificate: pki.client.certificate, account: '' }] }),
      ).toThrow(TypeError);
    });
  });
});
