/**
 * The queued client: secure an envelope for the service (per mode), protect the hop (per
 * mode), enqueue.
 */
import { logEvent } from '../log.js';
import type { Logger } from '../log.js';
import { randomUUID } from 'node:crypto';
import type { Securer, SecureOptions } from '../secure/secure-envelope.js';
import { createSecurer } from '../secure/secure-envelope.js';
import type { Certificate } from '../trust/certificate.js';
import {
  assertSecurityMode,
  hasMessageSecurity,
  hasTransportSecurity,
} from '../transport/modes.js';
import type { SecurityMode } from '../transport/modes.js';
import { protectTransportMessage } from '../transport/transport-security.js';
import {
  assertFunction,
  assertLogger,
  assertMethod,
  assertObject,
  assertQueue,
} from './check-options.js';
import type { TransportCredential } from '../transport/transport-security.js';
import type { QueueAdapter } from '../transport/queue/types.js';

/** Where a client sends: a queue adapter, or anything with a name and `send` (an HTTPS hop). */
export type QueueSink = Pick<QueueAdapter, 'name' | 'send'>;

export interface ClientOptions {
  /** The destination. Its `name` is the destination a transport signature binds. */
  readonly queue: QueueSink;
  readonly mode: SecurityMode;
  /** Message security (Message, Both): a securer, or the options to make one. */
  readonly securer?: Securer;
  readonly secure?: SecureOptions;
  /** Transport security (Transport, Both): the sender's transport certificate and key. */
  readonly transportCredential?: TransportCredential;
  /** Encrypt each queued message for this certificate (Transport, Both). Optional. */
  readonly destinationCertificate?: Certificate;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** A structured line per sent message (see docs/logging.md). */
  readonly logger?: Logger;
}

export interface ClientSendOptions {
  /** Time to live in milliseconds: past it the message goes to the dead-letter queue. */
  readonly ttlMs?: number;
  /** The message id. Default a random UUID. */
  readonly id?: string;
  /** Extra (unsigned) properties. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** A queued client. */
export interface Client {
  readonly mode: SecurityMode;
  /**
   * Secure and enqueue one envelope; resolves with the message id once the queue has it.
   * @throws TypeError when the envelope is not a SOAP envelope (Message, Both).
   */
  send(envelope: string | Uint8Array, options?: ClientSendOptions): Promise<string>;
}

/**
 * Check options once and return a client.
 * @throws TypeError for an unknown mode, Message or Both without a securer, Transport or Both
 *   without a transport credential, or a destination certificate under None or Message.
 * @example
 * const client = createClient({
 *   queue, mode: 'Both',
 *   secure: { credential: certificateCredential(alice), serviceCertificate },
 *   transportCredential: alice,
 * });
 * await client.send(envelopeXml, { ttlMs: 60_000 });
 */
export function createClient(options: ClientOptions): Client {
  assertObject('createClient', 'options', options);
  const { mode, queue } = options;
  assertQueue('createClient', 'queue', queue, ['send']);
  assertSecurityMode(mode);
  assertFunction('createClient', 'now', options.now, true);
  assertLogger('createClient', options.logger);
  if (options.securer !== undefined) {
    assertMethod('createClient', 'securer', options.securer, 'secure');
  } else if (options.secure !== undefined) {
    assertObject('createClient', 'secure', options.secure);
  }
  let securer: Securer | undefined;
  if (hasMessageSecurity(mode)) {
    securer = options.securer ?? (options.secure ? createSecurer(options.secure) : undefined);
    if (!securer) throw new TypeError(`mode ${mode} needs a securer or secure options`);
  }
  const transport = options.transportCredential;
  if (hasTransportSecurity(mode) && !transport) {
    throw new TypeError(`mode ${mode} needs a transport credential`);
  }
  if (!hasTransportSecurity(mode) && options.destinationCertificate) {
    throw new TypeError(`mode ${mode} has no transport security to encrypt with`);
  }
  const now = options.now ?? (() => new Date());
  return Object.freeze({
    mode,
    async send(envelope: string | Uint8Array, sendOptions: ClientSendOptions = {}) {
      const id = sendOptions.id ?? randomUUID();
      let body: Buffer = securer
        ? Buffer.from(securer.secure(envelope), 'utf8')
        : Buffer.from(typeof envelope === 'string' ? Buffer.from(envelope, 'utf8') : envelope);
      let properties: Record<string, string> = { ...(sendOptions.properties ?? {}) };
      if (transport) {
        const sealed = protectTransportMessage(body, {
          id,
          destination: queue.name,
          credential: transport,
          sentAt: now(),
          ...(sendOptions.ttlMs === undefined ? {} : { ttlMs: sendOptions.ttlMs }),
          ...(options.destinationCertificate ? { recipient: options.destinationCertificate } : {}),
        });
        body = sealed.body;
        properties = { ...properties, ...sealed.properties };
      }
      const sent = await queue.send(body, {
        id,
        properties,
        ...(sendOptions.ttlMs === undefined ? {} : { ttlMs: sendOptions.ttlMs }),
      });
      if (options.logger) {
        logEvent(options.logger, 'info', 'sent', {
          messageId: sent,
          queue: queue.name,
          mode,
          bytes: body.byteLength,
        });
      }
      return sent;
    },
  });
}
