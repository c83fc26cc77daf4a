/**
 * The receiver pipeline: parse (hardened) → locate → process the Security header in order
 * (decrypt, verify) → authenticate the signer (trust) → enforce the policy → security context
 * and the clear envelope.
 */
import { logOpen } from '../log.js';
import type { Logger } from '../log.js';
import { createHash } from 'node:crypto';
import { certificateAuthenticator } from '../credentials/x509.js';
import type {
  Authentication,
  CredentialType,
  Identity,
  ReceiverCredential,
} from '../credentials/types.js';
import { reject } from '../errors.js';
import { resolveReceiverPolicy } from '../policy/policy.js';
import { checkMessageInput, checkOpenOptions } from '../policy/pipeline-options.js';
import type { BspRelaxations, ReceiverPolicy, ResolvedReceiverPolicy } from '../policy/policy.js';
import type { ReplayCache, ReplayReservation } from '../replay/replay-cache.js';
import type { Certificate } from '../trust/certificate.js';
import type { TrustStore } from '../trust/validate.js';
import type { Timestamp } from '../wss/timestamp.js';
import { CertificateCache } from '../wss/token-cache.js';
import { serialize } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import type { SoapVersion } from '../xml/soap.js';
import { collectEvidence, enforcePolicy } from './enforce.js';
import type { EnforcedMessage } from './enforce.js';
import type { ServiceKey } from './keys.js';
import { parseMessage } from './parse-message.js';
import type { ParsedMessage } from './parse-message.js';
import { afterDecryption, decryptMessage } from './process-header.js';
import { stripComments } from './strip-comments.js';
import { checkMustUnderstand, parseUnderstoodHeaders } from './must-understand.js';
import { NO_RESERVATION, replayExpiry, reserveReplayKeys } from './replay.js';

export interface OpenOptions {
  /** The service's certificates and private keys; several during a key rollover. */
  readonly serviceKeys?: readonly ServiceKey[];
  /**
   * The certificates and rules the service trusts (out of band). With it, the Certificate
   * credential is accepted: a Body signed by a certificate this store validates.
   */
  readonly trust?: TrustStore;
  /**
   * Further credential plug-ins (UserName, IssuedToken...), asked in order before the
   * Certificate credential; the first that recognizes the message decides.
   */
  readonly credentials?: readonly ReceiverCredential[];
  readonly policy?: ReceiverPolicy;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Keep the Security header in the returned envelope. Default false. */
  readonly keepSecurityHeader?: boolean;
  /** Client certificates known out of band, for thumbprint / SKI / issuer-serial references. */
  readonly knownCertificates?: readonly Certificate[];
  /**
   * Detect replays: each accepted message's replay keys are reserved here until the message
   * could no longer be accepted (see {@link OpenResult.commit}). Without it, nothing is
   * remembered between messages. Give the cache the same clock as the opener.
   */
  readonly replayCache?: ReplayCache;
  /** Structured lines per accepted and rejected message (see docs/logging.md). */
  readonly logger?: Logger;
}

/** What the service sees of an accepted message (WCF: ServiceSecurityContext). */
export interface SecurityContext {
  readonly credentialType: CredentialType;
  readonly identity: Identity;
  /**
   * The certificate whose key signed the Body, when that was an X.509 key: validated by the
   * trust store for the Certificate credential, bound by the token for holder-of-key tokens.
   * Under the `Both` mode it is the one compared with the transport certificate.
   */
  readonly signingCertificate: Certificate | undefined;
  /** The validated chain of the certificate the identity rests on, leaf first (or empty). */
  readonly chain: readonly Certificate[];
  /** Local names of the signed parts, e.g. Body, Timestamp, BinarySecurityToken. */
  readonly signed: readonly string[];
  /** Local names of the encrypted parts, e.g. Body, Signature, UsernameToken. */
  readonly encrypted: readonly string[];
  readonly timestamp: Timestamp | undefined;
  readonly soapVersion: SoapVersion;
  /**
   * The Basic Security Profile relaxations (policy `relaxations`) this message needed to be
   * accepted, by name, e.g. `allowMissingValueType`. Empty for a strictly conforming message.
   */
  readonly relaxed: readonly (keyof BspRelaxations)[];
}

export interface OpenResult {
  readonly context: SecurityContext;
  /**
   * The clear envelope (without our Security header unless asked to keep it), serialized from
   * {@link OpenResult.document} when first read.
   */
  readonly envelope: string;
  /**
   * The Envelope's own Body, serialized when first read: exactly the Body the signature
   * covered.
   */
  readonly body: string;
  /** The clear envelope as a DOM. */
  readonly document: Document;
  /** The Envelope's own Body element in {@link OpenResult.document}. */
  readonly bodyElement: Element;
  /**
   * Values that identify this message for replay detection: the Body signature's value
   * (hashed) and any nonce a credential names. A replay cache records them.
   */
  readonly replayKeys: readonly string[];
  /**
   * With a replay cache: the message was handled, remember its replay keys until it expires.
   * Without one: does nothing. Until commit (or release), the keys are reserved for the
   * cache's lease: a duplicate arriving meanwhile is a `Replay`.
   */
  commit(): Promise<void>;
  /**
   * With a replay cache: the handling failed, forget the keys so that the queue's redelivery
   * of this message is accepted. A no-op after commit.
   */
  release(): Promise<void>;
}

/** What `open` may know of where the message came from. */
export interface OpenMessageOptions {
  /**
   * The id of the queue message (the same on every redelivery): the replay cache records it,
   * so that a redelivery of a handled message is told from a copy (see `ReplayError`).
   */
  readonly queueMessageId?: string;
}

/** A reusable, checked receiver. */
export interface Opener {
  /**
   * Open one message.
   * @throws WsseqError with a stable `code` when the message is rejected.
   */
  open(message: string | Uint8Array, options?: OpenMessageOptions): Promise<OpenResult>;
  /** The replay cache it reserves keys in, if any (a host checks its lease and readiness). */
  readonly replayCache?: ReplayCache;
  /**
   * Open one message and hand it to `handler`: commit its replay keys when the handler
   * succeeds, release them (so a redelivery is accepted) when it throws.
   * @throws WsseqError when the message is rejected; whatever the handler throws.
   */
  openAndHandle<T>(
    message: string | Uint8Array,
    handler: (result: OpenResult) => T | Promise<T>,
  ): Promise<T>;
}

/**
 * Check options once (policy frozen) and return a receiver.
 * @throws TypeError for misuse (a bad policy, a service key that is not a private key, no
 *   credential accepted at all).
 * @example
 * const opener = createOpener({ serviceKeys: [service], trust: new TrustStore({ trustedRoots: [root] }) });
 * const { context, body } = await opener.open(wire);
 */
export function createOpener(options: OpenOptions): Opener {
  checkOpenOptions(options);
  const policy = resolveReceiverPolicy(options.policy);
  const serviceKeys = [...(options.serviceKeys ?? [])];
  for (const k of serviceKeys) {
    if (k.privateKey.type !== 'private') throw new TypeError('a service key must be a private key');
  }
  const credentials = [...(options.credentials ?? [])];
  if (options.trust) credentials.push(certificateAuthenticator(options.trust));
  if (credentials.length === 0) {
    throw new TypeError('no credential is accepted: give a trust store or credential plug-ins');
  }
  const now = options.now ?? (() => new Date());
  const config: OpenConfig = {
    policy,
    serviceKeys,
    credentials,
    known: [...(options.knownCertificates ?? [])],
    keepSecurityHeader: options.keepSecurityHeader === true,
    replayCache: options.replayCache,
    certificateCache: new CertificateCache(),
    understoodHeaders: parseUnderstoodHeaders(options.policy?.understoodHeaders),
  };
  const open = (message: string | Uint8Array, openOptions?: OpenMessageOptions) => {
    checkMessageInput(message, 'message');
    return logOpen(options.logger, message, () =>
      openMessage(message, config, now(), openOptions?.queueMessageId),
    );
  };
  return Object.freeze({
    open,
    ...(options.replayCache ? { replayCache: options.replayCache } : {}),
    async openAndHandle<T>(
      message: string | Uint8Array,
      handler: (result: OpenResult) => T | Promise<T>,
    ): Promise<T> {
      const result = await open(message);
      let value: T;
      try {
        value = await handler(result);
      } catch (err) {
        await result.release();
        throw err;
      }
      await result.commit();
      return value;
    },
  });
}

/** Open one message. See {@link createOpener}; prefer that when opening many messages. */
export function openEnvelope(
  message: string | Uint8Array,
  options: OpenOptions,
): Promise<OpenResult> {
  return createOpener(options).open(message);
}

interface OpenConfig {
  readonly policy: ResolvedReceiverPolicy;
  readonly serviceKeys: readonly ServiceKey[];
  readonly credentials: readonly ReceiverCredential[];
  readonly known: readonly Certificate[];
  readonly keepSecurityHeader: boolean;
  readonly replayCache: ReplayCache | undefined;
  readonly certificateCache: CertificateCache;
  readonly understoodHeaders: ReadonlySet<string>;
}

/** The authentication stage's result: an enforced message and who sent it. */
interface AuthenticatedMessage extends EnforcedMessage {
  readonly auth: Authentication;
}

async function openMessage(
  message: string | Uint8Array,
  config: OpenConfig,
  now: Date,
  queueMessageId: string | undefined,
): Promise<OpenResult> {
  const { policy } = config;
  const parsed = parseMessage(message, policy);
  const decrypted = decryptMessage(parsed, {
    policy,
    serviceKeys: config.serviceKeys,
    knownCertificates: config.known,
    certificateCache: config.certificateCache,
    resolveTokenKey: (token) => {
      for (const c of config.credentials) {
        const found = c.resolveTokenKey?.(token);
        if (found) return found;
      }
      return undefined;
    },
  });
  const enforced = afterDecryption(decrypted, () =>
    enforcePolicy(collectEvidence(decrypted, now), policy),
  );
  const authenticated = await authenticate(config.credentials, enforced);
  const msg = authenticated.message;
  checkMustUnderstand({
    header: msg.soap.header,
    soapVersion: msg.soap.version,
    security: msg.security,
    actor: policy.actor,
    understood: config.understoodHeaders,
  });
  return openResult(authenticated, config, queueMessageId);
}

/** The last stage: reserve the replay keys, and hand over the context and the clear envelope. */
async function openResult(
  authenticated: AuthenticatedMessage,
  config: OpenConfig,
  queueMessageId: string | undefined,
): Promise<OpenResult> {
  const { message: msg, header, evidence, auth } = authenticated;
  const signed = evidence.bodySignature?.covered.map(partName) ?? [];
  const encrypted = header.decrypted.map((d) => partName(d.element));
  const replayKeys = [...(auth.replayKeys ?? [])];
  if (evidence.bodySignature) {
    replayKeys.unshift(
      `sig:${createHash('sha256').update(evidence.bodySignature.signatureValue).digest('base64')}`,
    );
  }
  const reservation: ReplayReservation = config.replayCache
    ? await reserveReplayKeys(
        config.replayCache,
        replayKeys,
        replayExpiry(evidence.timestamp, authenticated.timestampSigned, auth, config.policy),
        queueMessageId,
      )
    : NO_RESERVATION;
  // The opener is the last owner of the decrypted message's document: it leaves out our
  // Security header (unless asked to keep it) and strips what the signatures did not cover.
  if (msg.security && !config.keepSecurityHeader)
    msg.security.parentNode?.removeChild(msg.security);
  // Serialized on first read: a consumer that uses the DOM (or only the Body) does not pay
  // for serializing a large envelope. A Body held as text is built as elements only when the
  // DOM is read; its text is the Body as digested.
  const streamed = msg.bodyContent.current;
  // What was signed carries no comments (c14n without comments does not cover them): the
  // signed parts the application reads are stripped of them, once, when first read.
  const covered = header.signatures.flatMap((s) => s.verified.covered);
  let clean = false;
  const built = (): ParsedMessage => {
    if (!clean) {
      streamed?.materialize();
      for (const el of covered) stripComments(el);
      clean = true;
    }
    return msg;
  };
  let envelopeText: string | undefined;
  let bodyText: string | undefined;
  return {
    context: {
      credentialType: auth.identity.credentialType,
      identity: auth.identity,
      signingCertificate: evidence.bodySignature?.certificate,
      chain: auth.signer?.chain ?? [],
      signed,
      encrypted,
      timestamp: header.timestamp?.value,
      soapVersion: msg.soap.version,
      relaxed: header.relaxed,
    },
    get envelope() {
      return (envelopeText ??= serialize(built().document));
    },
    get body() {
      return (bodyText ??=
        streamed?.decrypted && !streamed.built
          ? streamed.canonicalText()
          : serialize(built().soap.body));
    },
    get document() {
      return built().document;
    },
    get bodyElement() {
      return built().soap.body;
    },
    replayKeys,
    commit: () => reservation.commit(),
    release: () => reservation.release(),
  };
}

/**
 * Receiver stage: the first credential plug-in that recognizes the message authenticates it.
 * @throws WsseqError `PolicyViolation`, `CertificateRequired`, `UnsupportedSecurityToken`, or
 *   the credential's own codes.
 */
async function authenticate(
  credentials: readonly ReceiverCredential[],
  enforced: EnforcedMessage,
): Promise<AuthenticatedMessage> {
  const { evidence } = enforced;
  for (const credential of credentials) {
    const auth = await credential.authenticate(evidence);
    if (auth) return { ...enforced, auth };
  }
  if (!evidence.bodySignature && evidence.tokens.length === 0) {
    throw reject('PolicyViolation', 'the message carries no credential');
  }
  // A service that accepts only client certificates answers as IIS does when none was given.
  // (A token of another kind, such as a UsernameToken, is an unsupported credential instead.)
  if (
    credentials.every((c) => c.type === 'Certificate') &&
    !evidence.bodySignature?.certificate &&
    evidence.tokens.length === 0
  ) {
    throw reject('CertificateRequired', 'the Body is not signed with a client certificate');
  }
  throw reject('UnsupportedSecurityToken', 'no accepted credential type authenticates the message');
}

function partName(el: Element): string {
  return el.localName ?? el.tagName;
}
