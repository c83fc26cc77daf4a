/**
 * The Windows (Kerberos) credential end to end against a real MIT KDC: wsseq's initiator
 * (ticket from the kinit ccache by a TGS exchange) secures, wsseq's acceptor (service keytab)
 * opens — through createClient/createService on the embedded (SQLite) queue, and through
 * the opener for each fault, each asserting its code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKerberosSecurer } from '../../src/credentials/kerberos-secure.js';
import type { KerberosSecureOptions } from '../../src/credentials/kerberos-secure.js';
import { kerberosAuthenticator } from '../../src/credentials/kerberos.js';
import type { KerberosAuthenticatorOptions } from '../../src/credentials/kerberos.js';
import { certificateCredential } from '../../src/credentials/x509.js';
import { createClient } from '../../src/host/create-client.js';
import { acquireServiceTicket } from '../../src/kerberos/initiator.js';
import type { IssuedTicket } from '../../src/kerberos/kdc.js';
import { createOpener } from '../../src/open/open-envelope.js';
import type { ReceiverPolicy } from '../../src/policy/policy.js';
import type { IdentityMappingOptions } from '../../src/trust/mapping.js';
import { createMemoryReplayCache } from '../../src/replay/memory.js';
import { createSecurer } from '../../src/secure/secure-envelope.js';
import { openSqliteQueue } from '../../src/transport/queue/sqlite-queue.js';
import { TrustStore } from '../../src/trust/validate.js';
import { getTestPki, orderEnvelope } from '../helpers.js';
import { rejectionCodes, runService } from '../integration/host/harness.js';
import { rejectionCode } from './codes.js';
import {
  CLIENT,
  OTHER_SERVICE,
  RC4_SERVICE,
  SERVICE,
  SERVICE_BY_ENCTYPE,
  SHORT_SERVICE,
  krb5Unavailable,
  startTestRealm,
} from './realm.js';
import type { TestRealm } from './realm.js';

const skip = krb5Unavailable();
if (skip) console.warn(`skipping Kerberos WS-Security tests: ${skip}`);

const QUEUED: ReceiverPolicy = { maxMessageAgeSeconds: 3600, credentialValidation: 'AtSignedTime' };

describe.skipIf(skip !== undefined)('Windows credential (Kerberos) against MIT krb5kdc', () => {
  let realm: TestRealm;
  let ticket: IssuedTicket;
  let dir: string;
  beforeAll(async () => {
    realm = await startTestRealm();
    process.env.KRB5_CONFIG = realm.env.KRB5_CONFIG;
    ticket = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      credentialCache: realm.ccache,
    });
    dir = mkdtempSync(join(tmpdir(), 'wsseq-krb5-queue-'));
  });
  afterAll(async () => {
    await realm.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const authenticator = (extra: Partial<KerberosAuthenticatorOptions> = {}) =>
    kerberosAuthenticator({ keytab: realm.serviceKeytab, servicePrincipal: SERVICE, ...extra });
  const opener = (
    policy: ReceiverPolicy = QUEUED,
    now?: Date,
    extra: Partial<KerberosAuthenticatorOptions> = {},
  ) =>
    createOpener({
      credentials: [authenticator(extra)],
      policy,
      ...(now ? { now: () => now } : {}),
    });
  const secure = (options: Partial<KerberosSecureOptions> = {}, version: '1.1' | '1.2' = '1.1') =>
    createKerberosSecurer({ ticket, timestampTtlSeconds: 3600, ...options }).secure(
      orderEnvelope(version),
    );

  for (const version of ['1.1', '1.2'] as const) {
    it(`round trip, SOAP ${version}, createClient → SQLite queue → createService`, async () => {
      const queue = openSqliteQueue({ file: join(dir, 'q.sqlite'), name: `krb-${version}` });
      try {
        const client = createClient({
          queue,
          mode: 'Message',
          securer: createKerberosSecurer({ ticket }),
        });
        await client.send(orderEnvelope(version));
        const run = await runService(
          { queue, mode: 'Message', opener: opener(), receiveWaitMs: 50, retryDelayMs: 10 },
          1,
        );
        expect(rejectionCodes(run)).toEqual([]);
        const request = run.handled[0];
        expect(request?.context.identity?.name).toBe(CLIENT);
        expect(request?.context.identity?.credentialType).toBe('Windows');
        expect(request?.context.identity?.claims).toMatchObject({
          realm: 'QUEUE.TEST',
          servicePrincipal: SERVICE,
          endTime: ticket.endTime.toISOString(),
        });
        expect(request?.body).toContain('<m:Item>widget</m:Item>');
      } finally {
        await queue.close();
      }
    });
  }

  it('identity mapping through the host: the principal maps one-to-one and many-to-one', async () => {
    const mapped = async (name: string, mapping: IdentityMappingOptions) => {
      const queue = openSqliteQueue({ file: join(dir, 'q.sqlite'), name });
      try {
        await createClient({
          queue,
          mode: 'Message',
          securer: createKerberosSecurer({ ticket }),
        }).send(orderEnvelope());
        const run = await runService(
          {
            queue,
            mode: 'Message',
            opener: opener(),
            mapping,
            receiveWaitMs: 50,
            retryDelayMs: 10,
          },
          1,
        );
        return run.handled[0]?.context;
      } finally {
        await queue.close();
      }
    };
    const one = await mapped('krb-map-1', {
      oneToOne: [{ principal: CLIENT, account: 'CORP\\alice', roles: ['buyer'] }],
    });
    expect(one?.identity?.name).toBe('CORP\\alice');
    expect(one?.identity?.roles).toEqual(['buyer']);
    const many = await mapped('krb-map-2', {
      manyToOne: [{ principal: '*@QUEUE.TEST', account: 'CORP\\queue-users' }],
    });
    expect(many?.account?.rule).toBe('many-to-one:0');
    expect(many?.identity?.name).toBe('CORP\\queue-users');
  });

  it('layouts: WCF (derived keys) and WSS4J (the Kerberos key directly), by reference and by SHA-1', async () => {
    const cases: Partial<KerberosSecureOptions>[] = [
      { layout: 'wcf', keyReference: 'reference' },
      { layout: 'wcf', keyReference: 'sha1', encryptSignature: false },
      { layout: 'wcf', algorithmSuite: 'Basic256Sha256' },
      { layout: 'wss4j', keyReference: 'reference', algorithmSuite: 'Basic256Sha256' },
      { layout: 'wss4j', keyReference: 'sha1', algorithmSuite: 'Basic128Sha256' },
      { layout: 'wcf', protectionLevel: 'Sign' },
    ];
    for (const c of cases) {
      const level = c.protectionLevel ?? 'EncryptAndSign';
      const { context } = await opener({ ...QUEUED, protectionLevel: level }).open(secure(c));
      expect(context.identity.name).toBe(CLIENT);
      expect(context.signed).toEqual(expect.arrayContaining(['Timestamp', 'Body']));
      expect(context.encrypted.includes('Body')).toBe(c.protectionLevel !== 'Sign');
    }
  });

  it('a ticket from a keytab (AS + TGS) is accepted as that principal', async () => {
    const fromKeytab = await acquireServiceTicket({
      servicePrincipal: SERVICE,
      keytab: realm.clientKeytab,
      principal: CLIENT,
    });
    const wire = createKerberosSecurer({ ticket: fromKeytab }).secure(orderEnvelope());
    expect((await opener().open(wire)).context.identity.name).toBe(CLIENT);
  });

  it('wrong keytab and wrong service principal: AuthenticationFailed', async () => {
    const wire = secure();
    expect((await opener().open(wire)).context.identity.name).toBe(CLIENT);
    const wrongKeytab = createOpener({
      credentials: [kerberosAuthenticator({ keytab: realm.otherKeytab })],
      policy: QUEUED,
    });
    expect(await rejectionCode(wrongKeytab.open(wire))).toBe('AuthenticationFailed');
    // A receiver for another service (its key in the same keytab) refuses the ticket.
    const wrongService = createOpener({
      credentials: [authenticator({ servicePrincipal: SERVICE_BY_ENCTYPE[18] ?? '' })],
      policy: QUEUED,
    });
    expect(await rejectionCode(wrongService.open(wire))).toBe('AuthenticationFailed');
    // Naming a service the keytab has no key for is misuse, found at construction.
    expect(() => authenticator({ servicePrincipal: OTHER_SERVICE })).toThrow(TypeError);
  });

  it('tampered ticket, authenticator, signature: each refused with its code', async () => {
    const wire = secure({ protectionLevel: 'Sign' });
    const signOnly = opener({ ...QUEUED, protectionLevel: 'Sign' });
    expect((await signOnly.open(wire)).context.identity.name).toBe(CLIENT);
    const token = /BinarySecurityToken[^>]*>([^<]+)</.exec(wire)?.[1] ?? '';
    const octets = Buffer.from(token, 'base64');
    const flip = (offset: number): string => {
      const b = Buffer.from(octets);
      b[offset] = (b[offset] ?? 0) ^ 0x01;
      return wire.replace(token, b.toString('base64'));
    };
    const ticketStart = octets.indexOf(ticket.ticket);
    expect(await rejectionCode(signOnly.open(flip(ticketStart + ticket.ticket.length - 20)))).toBe(
      'AuthenticationFailed',
    );
    expect(await rejectionCode(signOnly.open(flip(octets.length - 20)))).toBe(
      'AuthenticationFailed',
    );
    const sig = /SignatureValue>([^<]+)</.exec(wire)?.[1] ?? '';
    const badSig = Buffer.from(sig, 'base64');
    badSig[0] = (badSig[0] ?? 0) ^ 0x01;
    expect(await rejectionCode(signOnly.open(wire.replace(sig, badSig.toString('base64'))))).toBe(
      'SignatureInvalid',
    );
    // With the Body encrypted (CBC suite), a failure after decryption is DecryptionFailed (no oracle).
    const encrypted = secure({ encryptSignature: false, algorithmSuite: 'Basic256Sha256' });
    const sig2 = /SignatureValue>([^<]+)</.exec(encrypted)?.[1] ?? '';
    const bad2 = Buffer.from(sig2, 'base64');
    bad2[0] = (bad2[0] ?? 0) ^ 0x01;
    expect(
      await rejectionCode(opener().open(encrypted.replace(sig2, bad2.toString('base64')))),
    ).toBe('DecryptionFailed');
  });

  it('a stolen AP-REQ pasted into a message signed with another key: PolicyViolation', async () => {
    const pki = await getTestPki();
    const honest = secure({ protectionLevel: 'Sign' });
    const bst =
      /<wsse:BinarySecurityToken[^>]*GSS_Kerberosv5_AP_REQ[^>]*>[^<]+<\/wsse:BinarySecurityToken>/.exec(
        honest,
      )?.[0];
    expect(bst).toBeDefined();
    const signedByOther = createSecurer({
      credential: certificateCredential({
        certificate: pki.client.certificate,
        privateKey: pki.client.privateKey,
      }),
      serviceCertificate: pki.service.certificate,
      policy: { protectionLevel: 'Sign' },
    }).secure(orderEnvelope());
    const forged = signedByOther.replace(/(<wsse:Security[^>]*>)/, `$1${bst ?? ''}`);
    const both = createOpener({
      credentials: [authenticator()],
      trust: new TrustStore({
        trustedRoots: [pki.root.certificate],
        intermediates: [pki.intermediate.certificate],
      }),
      policy: { ...QUEUED, protectionLevel: 'Sign' },
    });
    expect(await rejectionCode(both.open(forged))).toBe('PolicyViolation');
  });

  it('replay (a copied message) is refused; the queue redelivering after a failure is accepted', async () => {
    const cache = createMemoryReplayCache();
    const open = createOpener({
      credentials: [authenticator()],
      policy: QUEUED,
      replayCache: cache,
    });
    const wire = secure();
    // Redelivery: the first attempt's handler fails (release), the retry is accepted.
    await expect(
      open.openAndHandle(wire, () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await open.openAndHandle(wire, (r) => r.context.identity.name)).toBe(CLIENT);
    // A copy after the commit is a replay.
    expect(await rejectionCode(open.open(wire))).toBe('Replay');
  });

  it('a one-minute ticket and a message that waits longer: AtSignedTime within maxMessageAge accepted, beyond it or AtReceipt refused', async () => {
    const short = await acquireServiceTicket({
      servicePrincipal: SHORT_SERVICE,
      credentialCache: realm.ccache,
    });
    expect(short.endTime.getTime() - short.startTime.getTime()).toBeLessThanOrEqual(60_000);
    const wire = createKerberosSecurer({ ticket: short, timestampTtlSeconds: 86_400 }).secure(
      orderEnvelope(),
    );
    // The receiver reads it 10 minutes after the ticket expired (beyond every skew).
    const later = new Date(short.endTime.getTime() + 10 * 60_000);
    const open = (policy: ReceiverPolicy) =>
      createOpener({
        credentials: [kerberosAuthenticator({ keytab: realm.serviceKeytab })],
        policy,
        now: () => later,
      }).open(wire);
    const accepted = await open({
      maxMessageAgeSeconds: 3600,
      credentialValidation: 'AtSignedTime',
    });
    expect(accepted.context.identity.name).toBe(CLIENT);
    expect(await rejectionCode(open({ maxMessageAgeSeconds: 3600 }))).toBe('MessageExpired');
    expect(
      await rejectionCode(
        open({ maxMessageAgeSeconds: 300, credentialValidation: 'AtSignedTime' }),
      ),
    ).toBe('MessageExpired');
  });

  it('an authenticator made far from the signed Created is MessageExpired', async () => {
    // The sender's clock for the Timestamp is an hour off the authenticator's (made at now).
    const hourAgo = new Date(Date.now() - 3600_000);
    const wire = createKerberosSecurer({ ticket, now: () => new Date() }).secure(orderEnvelope());
    const skewed = wire.replace(
      /<wsu:Created>[^<]+<\/wsu:Created>/,
      `<wsu:Created>${hourAgo.toISOString()}</wsu:Created>`,
    );
    // Editing Created breaks the signature: the honest version of this fault is tested in the
    // library test (checkApReqTimes); here the message must still be refused.
    expect(await rejectionCode(opener().open(skewed))).not.toBeUndefined();
  });

  it('rc4-hmac tickets are refused by default: UnsupportedAlgorithm', async () => {
    const rc4 = await acquireServiceTicket({
      servicePrincipal: RC4_SERVICE,
      credentialCache: realm.ccache,
    });
    const wire = createKerberosSecurer({ ticket: rc4 }).secure(orderEnvelope());
    const open = createOpener({
      credentials: [kerberosAuthenticator({ keytab: realm.serviceKeytab })],
      policy: QUEUED,
    });
    expect(await rejectionCode(open.open(wire))).toBe('UnsupportedAlgorithm');
  });
});
