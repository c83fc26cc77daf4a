/**
 * The receiving half of a security mode, for one dequeued message: verify the hop (transport
 * security first, before anything reads the body), open the envelope (message security),
 * enforce the mode (Both: one certificate), map the identity, authorize.
 */
import { CertificateError, PolicyError, isWsseqError } from '../errors.js';
import type { WsseqError } from '../errors.js';
import type { Identity } from '../credentials/types.js';
import type { OpenResult, Opener, SecurityContext } from '../open/open-envelope.js';
import type { ServiceKey } from '../open/keys.js';
import type { Certificate } from '../trust/certificate.js';
import { certificateIdentity } from '../trust/identity.js';
import type { IdentityMapper, MappedAccount } from '../trust/mapping.js';
import type { TrustStore } from '../trust/validate.js';
import { hasMessageSecurity, hasTransportSecurity } from '../transport/modes.js';
import type { SecurityMode } from '../transport/modes.js';
import type { QueuedMessage } from '../transport/queue/types.js';
import { claimedTransportHop, verifyTransportMessage } from '../transport/transport-security.js';
import type { VerifiedTransportMessage } from '../transport/transport-security.js';
import { readPlainEnvelope } from './plain-envelope.js';

/** What a handler sees of who sent the message (WCF: ServiceSecurityContext). */
export interface ServiceContext {
  readonly mode: SecurityMode;
  /** The message security context (Message, Both). */
  readonly security: SecurityContext | undefined;
  /**
   * Who sent it: the message identity (Message, Both) or the transport certificate's
   * (Transport); with a mapping, `name` is the mapped account and `roles` include its roles.
   * Undefined under None.
   */
  readonly identity: Identity | undefined;
  /** The validated transport certificate (Transport, Both). */
  readonly transportCertificate: Certificate | undefined;
  /** The verified hop (Transport, Both). */
  readonly transport: VerifiedTransportMessage | undefined;
  /** The account identity mapping chose, when a mapping is configured and matched. */
  readonly account: MappedAccount | undefined;
}

/**
 * The authorization hook: return false (or throw a WsseqError) to reject. A false is a
 * `PolicyViolation` ("not authorized"): the sender is authenticated, the service's policy
 * does not let it do this.
 */
export type AuthorizeHook = (
  context: ServiceContext,
  message: QueuedMessage,
) => boolean | Promise<boolean>;

export interface AcceptConfig {
  readonly mode: SecurityMode;
  readonly queueName: string;
  readonly opener: Opener | undefined;
  readonly transportTrust: TrustStore | undefined;
  readonly transportKeys: readonly ServiceKey[];
  readonly trustedGateways: readonly Certificate[];
  readonly maxClockSkewSeconds: number | undefined;
  readonly mapper: IdentityMapper | undefined;
  readonly authorize: AuthorizeHook | undefined;
  readonly now: () => Date;
  /** A release after a rejection failed (the reservation lapses after its lease). */
  readonly onReleaseFailed?: (messageId: string, error: Error) => void;
}

/** The clear envelope and its Body, serialized when first read. */
interface EnvelopeText {
  readonly envelope: string;
  readonly body: string;
}

/** An accepted message: the clear envelope, its Body and who sent it. */
export interface AcceptedMessage {
  /** Serialized on first read (large messages: only if the handler asks). */
  readonly envelope: string;
  /** Serialized on first read. */
  readonly body: string;
  readonly context: ServiceContext;
  /** The opener's result (Message, Both). */
  readonly opened: OpenResult | undefined;
}

/** The transport says the message's time to live has passed: it belongs in the dead-letter queue. */
export class ExpiredInTransit extends Error {
  readonly rejection: WsseqError;
  constructor(rejection: WsseqError) {
    super(rejection.message, { cause: rejection });
    this.name = 'ExpiredInTransit';
    this.rejection = rejection;
  }
}

/**
 * Accept one message under `config.mode`.
 * @throws WsseqError for every rejection (see {@link verifyTransportMessage}, the opener,
 *   `CertificateMismatch` under Both, `PolicyViolation` for a message in another mode or not
 *   authorized, `AuthenticationFailed` from the mapping); {@link ExpiredInTransit} when the
 *   signed TTL has passed.
 */
export async function acceptMessage(
  message: QueuedMessage,
  config: AcceptConfig,
): Promise<AcceptedMessage> {
  const { mode } = config;
  const now = config.now();
  let transport: VerifiedTransportMessage | undefined;
  let bytes: Buffer = message.body;
  if (hasTransportSecurity(mode)) {
    if (!config.transportTrust) throw new TypeError(`mode ${mode} needs a transport trust store`);
    try {
      transport = await verifyTransportMessage(message, {
        queueName: config.queueName,
        trust: config.transportTrust,
        keys: config.transportKeys,
        trustedGateways: config.trustedGateways,
        now,
        ...(config.maxClockSkewSeconds === undefined
          ? {}
          : { maxClockSkewSeconds: config.maxClockSkewSeconds }),
      });
    } catch (err) {
      if (isWsseqError(err) && err.code === 'MessageExpired') throw new ExpiredInTransit(err);
      throw err;
    }
    bytes = transport.body;
  } else if (claimedTransportHop(message.properties) === 'queue') {
    // The sender chose Transport or Both. (An HTTPS gateway's attestation of its hop is
    // ignored here: it describes the hop, which this receiver does not rely on.)
    throw new PolicyError(
      'PolicyViolation',
      `a transport-secured message reached a receiver in mode ${mode}`,
    );
  }

  let opened: OpenResult | undefined;
  let text: EnvelopeText;
  if (hasMessageSecurity(mode)) {
    if (!config.opener) throw new TypeError(`mode ${mode} needs an opener`);
    opened = await config.opener.open(bytes, { queueMessageId: message.id });
    text = opened;
  } else {
    text = readPlainEnvelope(bytes);
  }

  try {
    return await finishAccept(message, config, transport, opened, text);
  } catch (err) {
    // Rejected after the opener reserved the replay keys: free them. A failed release leaves
    // the reservation to lapse; the rejection stands.
    await settleReplay(opened, 'release').catch((releaseError: unknown) => {
      config.onReleaseFailed?.(
        message.id,
        releaseError instanceof Error ? releaseError : new Error(String(releaseError)),
      );
    });
    throw err;
  }
}

async function finishAccept(
  message: QueuedMessage,
  config: AcceptConfig,
  transport: VerifiedTransportMessage | undefined,
  opened: OpenResult | undefined,
  text: EnvelopeText,
): Promise<AcceptedMessage> {
  const { mode } = config;
  if (mode === 'Both' && transport && opened) {
    const signing = opened.context.signingCertificate;
    if (!signing?.equals(transport.certificate)) {
      throw new CertificateError(
        'CertificateMismatch',
        signing
          ? `the message was signed by ${signing.subject} but the transport by ${transport.certificate.subject}`
          : 'the message is not signed with a certificate, so it cannot match the transport',
        { thumbprint: transport.certificate.thumbprintSha256 },
      );
    }
  }

  let identity: Identity | undefined =
    opened?.context.identity ??
    (transport ? certificateIdentity(transport.certificate) : undefined);
  let account: MappedAccount | undefined;
  // Certificates map to accounts (IIS style) only where the identity rests on the certificate:
  // a UserName or issued-token identity is not replaced by the account of the key that signed.
  const restsOnCertificate = opened
    ? opened.context.credentialType === 'Certificate'
    : transport !== undefined;
  if (config.mapper && (restsOnCertificate || opened?.context.credentialType === 'Windows')) {
    const cert = opened ? opened.context.signingCertificate : transport?.certificate;
    // A Kerberos identity maps by its client principal.
    account =
      opened?.context.credentialType === 'Windows'
        ? config.mapper.mapPrincipal(opened.context.identity.name)
        : config.mapper.map(cert);
    if (account && identity) {
      identity = {
        ...identity,
        name: account.account,
        roles: [...new Set([...identity.roles, ...account.roles])],
      };
    }
  }
  const context: ServiceContext = {
    mode,
    security: opened?.context,
    identity,
    transportCertificate: transport?.certificate,
    transport,
    account,
  };
  if (config.authorize) {
    // A hook that throws something other than a WsseqError (a directory down) is a transient
    // failure: the service retries the message like a handler failure.
    const allowed = await config.authorize(context, message);
    if (!allowed) {
      throw new PolicyError(
        'PolicyViolation',
        `${identity?.name ?? 'the sender'} is not authorized`,
      );
    }
  }
  return {
    get envelope() {
      return text.envelope;
    },
    get body() {
      return text.body;
    },
    context,
    opened,
  };
}

/**
 * Commit or release the replay keys the opener reserved for this message (no-ops without a
 * replay cache).
 */
export async function settleReplay(
  opened: OpenResult | undefined,
  action: 'commit' | 'release',
): Promise<void> {
  if (!opened) return;
  if (action === 'commit') await opened.commit();
  else await opened.release();
}
