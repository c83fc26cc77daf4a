/**
 * UsernameToken Profile 1.1 section 3.1: a Password without a Type is PasswordText. It gets
 * every PasswordText rule (encrypted unless allowed, checked against the hashed store); the
 * strict BSP option (R4201) refuses it.
 */
import { describe, expect, it } from 'vitest';
import { usernameCredential } from '../../../src/credentials/username.js';
import type { SenderCredential } from '../../../src/credentials/types.js';
import type { SenderPolicy } from '../../../src/policy/policy.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { readUsernameToken } from '../../../src/wss/username-token.js';
import { parseTrusted } from '../../../src/xml/dom.js';
import { NS } from '../../../src/xml/ns.js';
import { TEST_NOW, getTestPki, orderEnvelope } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { PASSWORDS, expectCode, usernameOpener } from './helpers.js';

/** A PasswordText credential whose Password element loses its Type attribute. */
function untypedPassword(pki: TestPki, password: string, signed: boolean): SenderCredential {
  const inner = usernameCredential({
    username: 'alice',
    password,
    passwordType: 'PasswordText',
    ...(signed
      ? {
          signWith: { certificate: pki.client.certificate, privateKey: pki.client.privateKey },
          allowUnencryptedPasswordText: true,
        }
      : {}),
  });
  return {
    type: 'UserName',
    attach(ctx) {
      const attachment = inner.attach(ctx);
      const passwords = ctx.security.getElementsByTagNameNS(NS.wsse, 'Password');
      for (let i = 0; i < passwords.length; i++) passwords.item(i)?.removeAttribute('Type');
      return attachment;
    },
  };
}

function secure(credential: SenderCredential, pki: TestPki, policy: SenderPolicy = {}): string {
  return createSecurer({
    credential,
    serviceCertificate: pki.service.certificate,
    policy,
    now: () => TEST_NOW,
  }).secure(orderEnvelope());
}

describe('UsernameToken Password without Type', () => {
  it('reads as PasswordText; requirePasswordType (BSP R4201) refuses it', () => {
    const el = parseTrusted(
      `<wsse:UsernameToken xmlns:wsse="${NS.wsse}"><wsse:Username>a</wsse:Username>` +
        `<wsse:Password>pw</wsse:Password></wsse:UsernameToken>`,
    ).documentElement;
    if (!el) throw new Error('no element');
    expect(readUsernameToken(el).password).toEqual({
      type: 'PasswordText',
      password: 'pw',
      typeGiven: false,
    });
    let code: string | undefined;
    try {
      readUsernameToken(el, { requirePasswordType: true });
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).toBe('MalformedMessage');
  });

  it('encrypted, right password: accepted against the hashed store', async () => {
    const pki = await getTestPki();
    const wire = secure(untypedPassword(pki, PASSWORDS.alice ?? '', false), pki);
    expect(wire).not.toContain(PASSWORDS.alice);
    const result = await (await usernameOpener(pki)).open(wire);
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.identity.roles).toEqual(['buyer']);
    expect(result.context.encrypted).toContain('UsernameToken');
  });

  it('encrypted, wrong password: AuthenticationFailed', async () => {
    const pki = await getTestPki();
    const wire = secure(untypedPassword(pki, 'not the password', false), pki);
    await expectCode((await usernameOpener(pki)).open(wire), 'AuthenticationFailed');
  });

  it('unencrypted: PolicyViolation like any PasswordText, accepted only with allowPasswordText', async () => {
    const pki = await getTestPki();
    const sign = { protectionLevel: 'Sign' } as const;
    const wire = secure(untypedPassword(pki, PASSWORDS.alice ?? '', true), pki, sign);
    expect(wire).toContain(`<wsse:Password>${PASSWORDS.alice ?? ''}</wsse:Password>`);
    await expectCode((await usernameOpener(pki, {}, sign)).open(wire), 'PolicyViolation');
    const allowing = await usernameOpener(pki, { allowPasswordText: true }, sign);
    expect((await allowing.open(wire)).context.identity.name).toBe('alice');
  });

  it('strict BSP receiver (requirePasswordType): MalformedMessage', async () => {
    const pki = await getTestPki();
    const wire = secure(untypedPassword(pki, PASSWORDS.alice ?? '', false), pki);
    const strict = await usernameOpener(pki, { requirePasswordType: true });
    await expectCode(strict.open(wire), 'MalformedMessage');
  });
});
