/**
 * What the demo sends: each credential type in each mode, then the attacks a service must
 * turn away. Each step enqueues one message and says what the service should do with it.
 */
import { randomUUID } from 'node:crypto';
import { createKerberosSecurer } from '../credentials/kerberos-secure.js';
import { issuedTokenCredential } from '../credentials/issued-jwt.js';
import { issueToken } from '../credentials/sts.js';
import type { SenderCredential } from '../credentials/types.js';
import { usernameCredential } from '../credentials/username.js';
import { certificateCredential } from '../credentials/x509.js';
import type { WsseqErrorCode } from '../errors.js';
import { createClient } from '../host/create-client.js';
import type { QueueSink } from '../host/create-client.js';
import type { IssuedTicket } from '../kerberos/kdc.js';
import type { TransportCredential } from '../transport/transport-security.js';
import type { SecurityMode } from '../transport/modes.js';
import type { QueueAdapter } from '../transport/queue/types.js';
import { DEMO_AUDIENCE, DEMO_ISSUER, queueName } from './services.js';
import type { DemoQueues } from './services.js';
import type { DemoCast } from './setup.js';

export interface DemoStep {
  readonly mode: SecurityMode;
  readonly title: string;
  /** What the service should do: accept, or reject with this code. */
  readonly expect: 'accepted' | WsseqErrorCode;
  /** Enqueue the message; resolves with its queue message id. */
  send(): Promise<string>;
}

function order(item: string, quantity: number): string {
  return (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:example:orders">' +
    '<soap:Header/><soap:Body><m:PlaceOrder>' +
    `<m:Item>${item}</m:Item><m:Quantity>${quantity}</m:Quantity>` +
    '</m:PlaceOrder></soap:Body></soap:Envelope>'
  );
}

/** A sink that remembers (and may rewrite) the bytes it enqueues. */
function recordingSink(
  queue: QueueAdapter,
  rewrite: (body: Buffer) => Buffer = (b) => b,
  name: string = queue.name,
): QueueSink & { last: Buffer | undefined } {
  const sink = {
    name,
    last: undefined as Buffer | undefined,
    send: (body: Buffer, options?: Parameters<QueueAdapter['send']>[1]) => {
      const bytes = rewrite(body);
      sink.last = bytes;
      return queue.send(bytes, options);
    },
  };
  return sink;
}

/** The Windows credential's sender side: a service ticket from the demo realm's KDC. */
export interface DemoKerberosSender {
  readonly client: string;
  readonly ticket: IssuedTicket;
}

/** The steps, in the order they are told (the Windows credential only when a realm runs). */
export function demoSteps(
  cast: DemoCast,
  queues: ReadonlyMap<SecurityMode, QueueAdapter>,
  where: DemoQueues,
  kerberos?: DemoKerberosSender,
): DemoStep[] {
  const q = (mode: SecurityMode): QueueAdapter => {
    const found = queues.get(mode);
    if (!found) throw new Error(`no queue for ${mode}`);
    return found;
  };
  const alice: TransportCredential = cast.alice;
  const bob: TransportCredential = cast.bob;
  const send = (
    mode: SecurityMode,
    credential: SenderCredential | undefined,
    transport: TransportCredential | undefined,
    sink: QueueSink,
    envelope: string,
  ): Promise<string> =>
    createClient({
      queue: sink,
      mode,
      ...(credential
        ? { secure: { credential, serviceCertificate: cast.service.certificate } }
        : {}),
      ...(transport ? { transportCredential: transport } : {}),
    }).send(envelope, { ttlMs: 3_600_000 });

  const aliceSink = recordingSink(q('Message'));
  const token = issueToken({
    signingKey: cast.sts.privateKey,
    signingCertificate: cast.sts.certificate,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    subject: 'dave',
    lifetimeSeconds: 3600,
    claims: { roles: ['buyer'], department: 'purchasing' },
    confirmation: { certificate: cast.bob.certificate },
  });

  return [
    {
      mode: 'Message',
      title: 'alice signs with her certificate and encrypts for the service',
      expect: 'accepted',
      send: () =>
        send(
          'Message',
          certificateCredential(cast.alice),
          undefined,
          aliceSink,
          order('widget', 3),
        ),
    },
    {
      mode: 'Message',
      title:
        'carol sends a UsernameToken (PasswordDigest), signed and encrypted with a key for the service',
      expect: 'accepted',
      send: () =>
        send(
          'Message',
          usernameCredential({
            username: 'carol',
            password: cast.carolPassword,
            passwordType: 'PasswordDigest',
          }),
          undefined,
          q('Message'),
          order('gear', 1),
        ),
    },
    {
      mode: 'Message',
      title:
        'erin sends her password as PasswordText, inside the encryption (kept as a scrypt hash)',
      expect: 'accepted',
      send: () =>
        send(
          'Message',
          usernameCredential({
            username: 'erin',
            password: 'erin-secret',
            passwordType: 'PasswordText',
          }),
          undefined,
          q('Message'),
          order('bolt', 12),
        ),
    },
    {
      mode: 'Message',
      title: "dave presents a token from the STS, bound to bob's key (holder-of-key)",
      expect: 'accepted',
      send: () =>
        send(
          'Message',
          issuedTokenCredential({
            token,
            certificate: cast.bob.certificate,
            privateKey: cast.bob.privateKey,
          }),
          undefined,
          q('Message'),
          order('spring', 7),
        ),
    },
    ...(kerberos
      ? [
          {
            mode: 'Message' as const,
            title: `${kerberos.client} sends a Kerberos service ticket from the KDC (the Windows credential)`,
            expect: 'accepted' as const,
            send: () =>
              createClient({
                queue: q('Message'),
                mode: 'Message',
                securer: createKerberosSecurer({ ticket: kerberos.ticket }),
              }).send(order('gasket', 3), { ttlMs: 3_600_000 }),
          },
        ]
      : []),
    {
      mode: 'Both',
      title: 'alice signs the message and the queued message with the same certificate',
      expect: 'accepted',
      send: () =>
        send('Both', certificateCredential(cast.alice), alice, q('Both'), order('nut', 40)),
    },
    {
      mode: 'Transport',
      title: 'bob signs the whole queued message (plain SOAP inside)',
      expect: 'accepted',
      send: () => send('Transport', undefined, bob, q('Transport'), order('washer', 100)),
    },
    {
      mode: 'None',
      title: 'an anonymous plain SOAP message',
      expect: 'accepted',
      send: () => send('None', undefined, undefined, q('None'), order('flyer', 1)),
    },
    {
      mode: 'Message',
      title: 'attack: a message whose Timestamp was changed on the way',
      expect: 'SignatureInvalid',
      send: () =>
        send(
          'Message',
          certificateCredential(cast.alice),
          undefined,
          recordingSink(q('Message'), (body) =>
            Buffer.from(
              body
                .toString('utf8')
                .replace(/<wsu:Expires>[^<]*</, '<wsu:Expires>2099-01-01T00:00:00.000Z<'),
            ),
          ),
          order('widget', 999),
        ),
    },
    {
      mode: 'Message',
      title: 'attack: mallory signs with a certificate from a CA the service does not trust',
      expect: 'CertificateUntrusted',
      send: () =>
        send(
          'Message',
          certificateCredential(cast.mallory),
          undefined,
          q('Message'),
          order('widget', 1),
        ),
    },
    {
      mode: 'Message',
      title: 'attack: carol with a guessed password',
      expect: 'AuthenticationFailed',
      send: () =>
        send(
          'Message',
          usernameCredential({
            username: 'carol',
            password: 'password123',
            passwordType: 'PasswordDigest',
          }),
          undefined,
          q('Message'),
          order('gear', 50),
        ),
    },
    {
      mode: 'Message',
      title: "attack: alice's first message, copied and enqueued again (replay)",
      expect: 'Replay',
      send: () => {
        const bytes = aliceSink.last;
        if (!bytes) throw new Error('nothing to replay');
        return q('Message').send(bytes, { id: randomUUID() });
      },
    },
    {
      mode: 'Both',
      title: 'attack: signed by alice, but the queued message is signed by bob',
      expect: 'CertificateMismatch',
      send: () => send('Both', certificateCredential(cast.alice), bob, q('Both'), order('nut', 1)),
    },
    {
      mode: 'Transport',
      title: 'attack: a message bob signed for orders.both, moved into orders.transport',
      expect: 'PolicyViolation',
      send: () =>
        send(
          'Transport',
          undefined,
          bob,
          recordingSink(q('Transport'), (b) => b, queueName('Both', where)),
          order('washer', 5),
        ),
    },
    {
      mode: 'Message',
      title: 'attack: an unsecured message sent to the Message-mode queue',
      expect: 'PolicyViolation',
      send: () => q('Message').send(Buffer.from(order('widget', 2))),
    },
  ];
}
