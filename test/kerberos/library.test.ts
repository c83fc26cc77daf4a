/**
 * The TypeScript Kerberos library against a real MIT KDC: TGS from the kinit ccache, AS +
 * TGS from a keytab, AP-REQ made and accepted for every AES enctype; refusals with codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, rejectionCode } from './codes.js';
import { acceptApReq, checkApReqTimes } from '../../src/kerberos/acceptor.js';
import type { AcceptorConfig } from '../../src/kerberos/acceptor.js';
import { readCredentialCache } from '../../src/kerberos/ccache.js';
import { acquireServiceTicket, createApReq } from '../../src/kerberos/initiator.js';
import { readKeytab } from '../../src/kerberos/keytab.js';
import { parsePrincipal, principalToString } from '../../src/kerberos/messages.js';
import {
  CLIENT,
  OTHER_SERVICE,
  RC4_SERVICE,
  SERVICE,
  SERVICE_BY_ENCTYPE,
  krb5Unavailable,
  startTestRealm,
} from './realm.js';
import type { TestRealm } from './realm.js';

const skip = krb5Unavailable();
if (skip) console.warn(`skipping Kerberos library tests: ${skip}`);

describe.skipIf(skip !== undefined)('Kerberos library against MIT krb5kdc', () => {
  let realm: TestRealm;
  let acceptor: AcceptorConfig;
  beforeAll(async () => {
    realm = await startTestRealm();
    process.env.KRB5_CONFIG = realm.env.KRB5_CONFIG;
    acceptor = {
      keytab: readKeytab(realm.serviceKeytab),
      servicePrincipals: undefined,
      allowWeakEnctypes: false,
    };
  });
  afterAll(async () => {
    await realm.stop();
  });

  it('reads the kinit ccache: alice and her TGT', () => {
    const cache = readCredentialCache(realm.ccache);
    expect(principalToString(cache.principal)).toBe(CLIENT);
    expect(cache.credentials.map((c) => principalToString(c.server))).toContain(
      'krbtgt/QUEUE.TEST@QUEUE.TEST',
    );
  });

  for (const [enctype, spn] of Object.entries(SERVICE_BY_ENCTYPE)) {
    it(`TGS from the ccache, AP-REQ accepted with the keytab: enctype ${enctype}`, async () => {
      const ticket = await acquireServiceTicket({
        servicePrincipal: spn,
        credentialCache: realm.ccache,
      });
      // MIT may choose a stronger session key (it assumes aes256-sha1 for any AES service).
      const made = createApReq(ticket);
      const accepted = acceptApReq(made.token, acceptor);
      expect(principalToString(accepted.client)).toBe(CLIENT);
      expect(principalToString(accepted.server)).toBe(spn);
      expect(accepted.ticketEnctype).toBe(Number(enctype));
      expect(accepted.key.value.equals(made.key.value)).toBe(true);
      expect(accepted.key.value.equals(accepted.sessionKey.value)).toBe(false);
    });
  }

  it('AS exchange from a keytab, then TGS', async () => {
    const ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      keytab: realm.clientKeytab,
      principal: CLIENT,
    });
    const accepted = acceptApReq(createApReq(ticket).token, acceptor);
    expect(principalToString(accepted.client)).toBe(CLIENT);
  });

  it('an unknown service principal is AuthenticationFailed at the KDC', async () => {
    const code = await rejectionCode(
      acquireServiceTicket({
        servicePrincipal: 'HTTP/nobody.example@QUEUE.TEST',
        credentialCache: realm.ccache,
      }),
    );
    expect(code).toBe('AuthenticationFailed');
  });

  it('wrong keytab, wrong service principal, tampered ticket and authenticator: AuthenticationFailed', async () => {
    const ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      credentialCache: realm.ccache,
    });
    const { token } = createApReq(ticket);
    expect(acceptApReq(token, acceptor).client.components).toEqual(['alice']);
    const other = { ...acceptor, keytab: readKeytab(realm.otherKeytab) };
    expect(codeOf(() => acceptApReq(token, other))).toBe('AuthenticationFailed');
    const pinned = { ...acceptor, servicePrincipals: [parsePrincipal(OTHER_SERVICE)] };
    expect(codeOf(() => acceptApReq(token, pinned))).toBe('AuthenticationFailed');
    // The ticket's cipher sits before the authenticator's: flip one byte in each.
    const ticketFlip = Buffer.from(token);
    const tIndex = token.indexOf(ticket.ticket) + ticket.ticket.length - 20;
    ticketFlip[tIndex] = (ticketFlip[tIndex] ?? 0) ^ 0x01;
    expect(codeOf(() => acceptApReq(ticketFlip, acceptor))).toBe('AuthenticationFailed');
    const authFlip = Buffer.from(token);
    authFlip[token.length - 20] = (authFlip[token.length - 20] ?? 0) ^ 0x01;
    expect(codeOf(() => acceptApReq(authFlip, acceptor))).toBe('AuthenticationFailed');
  });

  it('rc4-hmac tickets are UnsupportedAlgorithm, also when allowed', async () => {
    const ticket = await acquireServiceTicket({
      servicePrincipal: RC4_SERVICE,
      credentialCache: realm.ccache,
    });
    const { token } = createApReq(ticket);
    expect(codeOf(() => acceptApReq(token, acceptor))).toBe('UnsupportedAlgorithm');
    expect(codeOf(() => acceptApReq(token, { ...acceptor, allowWeakEnctypes: true }))).toBe(
      'UnsupportedAlgorithm',
    );
  });

  it('times: ticket validity and authenticator ctime against the reference', async () => {
    const ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      credentialCache: realm.ccache,
    });
    const now = new Date();
    const accepted = acceptApReq(createApReq(ticket, now).token, acceptor);
    const ok = { validationTime: now, reference: now, skewSeconds: 300 };
    expect(() => {
      checkApReqTimes(accepted, ok);
    }).not.toThrow();
    const late = new Date(ticket.endTime.getTime() + 301_000);
    expect(
      codeOf(() => {
        checkApReqTimes(accepted, { ...ok, validationTime: late });
      }),
    ).toBe('MessageExpired');
    const far = new Date(now.getTime() + 301_000);
    expect(
      codeOf(() => {
        checkApReqTimes(accepted, { ...ok, reference: far });
      }),
    ).toBe('MessageExpired');
  });
});
