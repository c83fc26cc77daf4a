import { describe, expect, it } from 'vitest';
import type { PasswordType } from '../../../src/credentials/username.js';
import type { ProtectionOrder } from '../../../src/policy/policy.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { getTestPki, orderEnvelope } from '../../helpers.js';
import { PASSWORDS, secureWithUsername, usernameOpener } from './helpers.js';

const types: PasswordType[] = ['PasswordText', 'PasswordDigest'];

describe('UserName round trips (EncryptAndSign)', () => {
  for (const version of ['1.1', '1.2'] as const) {
    for (const passwordType of types) {
      it(`SOAP ${version}, ${passwordType}, signed with the content key (HMAC)`, async () => {
        const pki = await getTestPki();
        const wire = secureWithUsername(pki, orderEnvelope(version), { passwordType });
        expect(wire).not.toContain('widget');
        expect(wire).not.toContain('alice');
        expect(wire).not.toContain(PASSWORDS.alice);
        expect(wire).toContain('hmac-sha256');
        const result = await (await usernameOpener(pki)).open(wire);
        expect(result.body).toContain('<m:Item>widget</m:Item>');
        expect(result.context.soapVersion).toBe(version);
        expect(result.context.credentialType).toBe('UserName');
        expect(result.context.identity).toMatchObject({
          name: 'alice',
          credentialType: 'UserName',
          roles: ['buyer'],
          claims: { department: 'purchasing' },
        });
        expect(result.context.signed).toEqual(['Body', 'Timestamp', 'UsernameToken']);
        expect(result.context.encrypted).toEqual(['Body', 'UsernameToken']);
        expect(result.context.signingCertificate).toBeUndefined();
        expect(result.replayKeys.some((k) => k.startsWith('nonce:'))).toBe(true);
      });

      it(`SOAP ${version}, ${passwordType}, signed with a client certificate`, async () => {
        const pki = await getTestPki();
        const wire = secureWithUsername(pki, orderEnvelope(version), {
          passwordType,
          signWith: { certificate: pki.client.certificate, privateKey: pki.client.privateKey },
        });
        expect(wire).toContain('rsa-sha256');
        const trust = new TrustStore({
          trustedRoots: [pki.root.certificate],
          intermediates: [pki.intermediate.certificate],
        });
        const result = await (await usernameOpener(pki, { trust })).open(wire);
        expect(result.context.identity.name).toBe('alice');
        expect(result.context.signingCertificate?.equals(pki.client.certificate)).toBe(true);
        expect(result.context.chain.length).toBeGreaterThan(1);
        expect(result.context.signed).toEqual([
          'Body',
          'Timestamp',
          'BinarySecurityToken',
          'UsernameToken',
        ]);
      });
    }
  }

  const orders: ProtectionOrder[] = [
    'SignBeforeEncrypt',
    'SignBeforeEncryptAndEncryptSignature',
    'EncryptBeforeSign',
  ];
  for (const protectionOrder of orders) {
    it(`protection order ${protectionOrder} (digest, with a client certificate)`, async () => {
      const pki = await getTestPki();
      const wire = secureWithUsername(
        pki,
        orderEnvelope(),
        { signWith: { certificate: pki.client.certificate, privateKey: pki.client.privateKey } },
        { protectionOrder },
      );
      const result = await (await usernameOpener(pki)).open(wire);
      expect(result.context.identity.name).toBe('alice');
      expect(result.context.encrypted).toContain('UsernameToken');
    });
  }

  it('a user hashed at creation (bob), PasswordText: no claims, no roles', async () => {
    const pki = await getTestPki();
    const wire = secureWithUsername(pki, orderEnvelope(), {
      username: 'bob',
      password: PASSWORDS.bob ?? '',
      passwordType: 'PasswordText',
    });
    const { context } = await (await usernameOpener(pki)).open(wire);
    expect(context.identity).toMatchObject({ name: 'bob', claims: {}, roles: [] });
  });

  it('Sign only with a client certificate and a digest', async () => {
    const pki = await getTestPki();
    const wire = secureWithUsername(
      pki,
      orderEnvelope(),
      { signWith: { certificate: pki.client.certificate, privateKey: pki.client.privateKey } },
      { protectionLevel: 'Sign' },
    );
    expect(wire).toContain('PasswordDigest');
    const opener = await usernameOpener(pki, {}, { protectionLevel: 'Sign' });
    const result = await opener.open(wire);
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.encrypted).toEqual([]);
  });
});

describe('UsernameToken without Nonce and Created (for Mono 6.8)', () => {
  it('a PasswordText token with Username and Password only opens; its replay key is the signature', async () => {
    const pki = await getTestPki();
    const wire = secureWithUsername(pki, orderEnvelope(), {
      passwordType: 'PasswordText',
      nonceAndCreated: false,
    });
    const result = await (await usernameOpener(pki)).open(wire);
    expect(result.context.identity.name).toBe('alice');
    expect(result.replayKeys.some((k) => k.startsWith('nonce:'))).toBe(false);
    expect(result.replayKeys.some((k) => k.startsWith('sig:'))).toBe(true);
  });

  it('PasswordDigest cannot leave them out (TypeError at construction)', async () => {
    const pki = await getTestPki();
    expect(() =>
      secureWithUsername(pki, orderEnvelope(), {
        passwordType: 'PasswordDigest',
        nonceAndCreated: false,
      }),
    ).toThrow(TypeError);
  });
});
