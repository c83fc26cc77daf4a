/**
 * Sender: WCF's own message-security layouts, so that a wsseq client can talk to a WCF service.
 *
 * - `MutualCertificate11` — WCF's `SecurityBindingElement.CreateMutualCertificateBindingElement`
 *   with a WS-Security 1.1 message security version (a symmetric binding): a random key wrapped
 *   for the service certificate in an EncryptedKey (ThumbprintSHA1, no ReferenceList),
 *   DerivedKeyTokens for signing and encryption, a standalone ReferenceList, the client's
 *   BinarySecurityToken, an HMAC primary signature over Timestamp, addressing headers and Body,
 *   and an endorsing RSA signature by the client over the primary signature.
 * - `MutualCertificate10` — the same binding with WS-Security 1.0 (asymmetric): an EncryptedKey
 *   by issuer-serial with its own ReferenceList, the client's BinarySecurityToken, one RSA
 *   signature.
 * - `UserNameForCertificate` — the symmetric binding of `MutualCertificate11` without an
 *   endorsing signature: the credential's UsernameToken travels signed and encrypted.
 *
 * Only the protection orders WCF implements for these bindings with message security over
 * queues are offered: SignBeforeEncrypt and SignBeforeEncryptAndEncryptSignature (the default,
 * as in WCF).
 *
 * The envelope is the caller's: a WCF service with WS-Addressing (`Soap12WSAddressing10`, the
 * default of its HTTP and queue bindings) dispatches on `wsa:Action` and `wsa:To`, so give the
 * envelope these headers or ask for them with the `addressing` option; a one-way operation is
 * otherwise dropped without a fault (HTTP 200/202, no operation run). For Mono's WCF also set
 * `derivedKeyValueType: false`, and post SOAP 1.2 without an `action` parameter in the HTTP
 * Content-Type (samples/wcf/README.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AttachContext, SenderCredential } from '../credentials/types.js';
import { logSecure } from '../log.js';
import type { Logger } from '../log.js';
import type { AlgorithmSuite, AlgorithmSuiteName } from '../policy/algorithms.js';
import { resolveSenderPolicy } from '../policy/policy.js';
import { checkMessageInput, checkWcfSecureOptions } from '../policy/pipeline-options.js';
import type { Certificate } from '../trust/certificate.js';
import {
  DERIVED_KEY_TOKEN_TYPE,
  createDerivedKeyToken,
  deriveKey,
  DEFAULT_LABEL,
} from '../wss/derived-key.js';
import type { SecureConversationVersion } from '../wss/derived-key.js';
import { createTimestamp } from '../wss/timestamp.js';
import { createSecurityTokenReference } from '../wss/token-reference.js';
import { createElement } from '../xml/build.js';
import { childElements, serialize } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { NS, PREFIX, VALUE_TYPE } from '../xml/ns.js';
import type { SoapEnvelope } from '../xml/soap.js';
import { generateContentKey } from '../xenc/cipher.js';
import { createEncryptedKey, encryptContent, encryptElement } from '../xenc/encrypt.js';
import type { Securer } from './secure-envelope.js';
import {
  createAddressingHeader,
  createDirectReference,
  ensureWsuId,
  signWithSuite,
} from './builders.js';
import { createSecurityElement, envelopeDocument, envelopeToSecure, newId } from './scaffold.js';

/** The WCF layouts wsseq can send. */
export type WcfLayout = 'MutualCertificate11' | 'MutualCertificate10' | 'UserNameForCertificate';

/** WCF's MessageProtectionOrder values these layouts support. */
export type WcfProtectionOrder = 'SignBeforeEncrypt' | 'SignBeforeEncryptAndEncryptSignature';

export interface WcfSecureOptions {
  readonly layout: WcfLayout;
  /**
   * The client credential: {@link certificateCredential} for the MutualCertificate layouts
   * (its key makes the endorsing or the only signature), a UserName credential for
   * UserNameForCertificate (its UsernameToken is signed and encrypted).
   */
  readonly credential: SenderCredential;
  /** The service's certificate, held out of band. */
  readonly serviceCertificate: Certificate;
  /** WCF's algorithm suite. Default 'Basic256Sha256'. */
  readonly algorithmSuite?: AlgorithmSuiteName;
  /**
   * DANGEROUS: needed for WCF's default suite Basic256 (SHA-1, HMAC-SHA1) and the Rsa15 suites.
   */
  readonly allowInsecureAlgorithms?: boolean;
  /** Default 'SignBeforeEncryptAndEncryptSignature' (WCF's default). */
  readonly protectionOrder?: WcfProtectionOrder;
  /**
   * Symmetric layouts: 'separate' signing and encryption DerivedKeyTokens (WCF, the default),
   * 'single' one for both (as Mono sends), or 'none' (the EncryptedKey's key itself:
   * WCF's `RequireDerivedKeys = false`).
   */
  readonly derivedKeys?: 'separate' | 'single' | 'none';
  /** WS-SecureConversation namespace of the DerivedKeyTokens. Default '2005/02' (WCF's default). */
  readonly secureConversationVersion?: SecureConversationVersion;
  /**
   * Write `ValueType` (the DerivedKeyToken type) on the direct References to each
   * DerivedKeyToken, as the Basic Security Profile asks. Default true. Set false for Mono's WCF,
   * which rejects the message ("Unexpected ValueType in 'Reference' element") and itself writes
   * these references without one; a wsseq receiver then needs `relaxations.allowMissingValueType`.
   */
  readonly derivedKeyValueType?: boolean;
  /**
   * WS-Addressing 1.0 headers to add to the envelope (each only when the envelope has none of
   * that name), in the order and form WCF writes them: `Action` and `To` with
   * `mustUnderstand="1"`, `MessageID` (default a fresh `urn:uuid:`), `ReplyTo` anonymous. A WCF
   * service with `MessageVersion.Soap12WSAddressing10` (or Soap11WSAddressing10) dispatches on
   * them: without them, or with an Action or To that does not match the endpoint, a one-way
   * operation is silently not run. Default: none added, the envelope's own are signed.
   */
  readonly addressing?: WcfAddressing;
  /** Sign the WS-Addressing headers (To, Action, MessageID, ReplyTo, From, FaultTo, RelatesTo) present. Default true. */
  readonly signAddressingHeaders?: boolean;
  /** Timestamp lifetime in seconds. Default 300 (WCF's default). */
  readonly timestampTtlSeconds?: number;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** A structured line per secured message, as for createSecurer (docs/logging.md). */
  readonly logger?: Logger;
}

/** The WS-Addressing headers {@link WcfSecureOptions.addressing} adds. */
export interface WcfAddressing {
  /** The operation's action (WCF's `OperationContract.Action`). */
  readonly action: string;
  /** The endpoint address, exactly as the service's endpoint is configured. */
  readonly to: string;
  /** Default: `urn:uuid:` and a random UUID for each message. */
  readonly messageId?: string;
  /** Add `ReplyTo` with the anonymous address (as WCF clients do). Default true. */
  readonly replyTo?: boolean;
}

const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';

const ADDRESSING_HEADERS = new Set([
  'To',
  'Action',
  'MessageID',
  'ReplyTo',
  'From',
  'FaultTo',
  'RelatesTo',
]);

/** Signing-key length WCF derives for each key size (DefaultSignatureKeyDerivationLength). */
function signatureKeyLength(suite: AlgorithmSuite): number {
  return suite.keyLength >= 32 ? 24 : suite.keyLength;
}

/**
 * Check options once and return a sender producing the chosen WCF layout. The WS-Addressing
 * headers a WCF service dispatches on (Action, To) come from the envelope or from `addressing`;
 * without them a WCF service drops the message silently.
 * @throws TypeError for misuse: a weak suite without allowInsecureAlgorithms, a
 *   MutualCertificate layout with a credential that has no signing key (found on first use).
 * @example
 * const securer = createWcfSecurer({
 *   layout: 'MutualCertificate11',
 *   credential: certificateCredential({ certificate, privateKey }),
 *   serviceCertificate,
 *   algorithmSuite: 'Basic256Sha256',
 *   addressing: { action: 'urn:example:orders/PlaceOrder', to: 'net.msmq://host/private/orders' },
 * });
 * const wire = securer.secure(envelopeXml);
 */
export function createWcfSecurer(options: WcfSecureOptions): Securer {
  checkWcfSecureOptions(options);
  const policy = resolveSenderPolicy({
    algorithmSuite: options.algorithmSuite ?? 'Basic256Sha256',
    ...(options.allowInsecureAlgorithms === true ? { allowInsecureAlgorithms: true } : {}),
    ...(options.timestampTtlSeconds === undefined
      ? {}
      : { timestampTtlSeconds: options.timestampTtlSeconds }),
  });
  const config: WcfConfig = {
    layout: options.layout,
    credential: options.credential,
    service: options.serviceCertificate,
    suite: policy.suite,
    ttl: policy.timestampTtlSeconds,
    encryptSignature:
      (options.protectionOrder ?? 'SignBeforeEncryptAndEncryptSignature') ===
      'SignBeforeEncryptAndEncryptSignature',
    derivedKeys: options.derivedKeys ?? 'separate',
    scVersion: options.secureConversationVersion ?? '2005/02',
    signAddressing: options.signAddressingHeaders ?? true,
    dkValueType: options.derivedKeyValueType ?? true,
    addressing: options.addressing,
  };
  const now = options.now ?? (() => new Date());
  return Object.freeze({
    secure: (envelope: string | Uint8Array | Document) => {
      checkMessageInput(envelope, 'envelope', true);
      return logSecure(options.logger, () => {
        const doc = envelopeDocument(envelope);
        secureWcf(doc, config, now());
        return serialize(doc);
      });
    },
  });
}

interface WcfConfig {
  readonly layout: WcfLayout;
  readonly credential: SenderCredential;
  readonly service: Certificate;
  readonly suite: AlgorithmSuite;
  readonly ttl: number;
  readonly encryptSignature: boolean;
  readonly derivedKeys: 'separate' | 'single' | 'none';
  readonly scVersion: SecureConversationVersion;
  readonly signAddressing: boolean;
  readonly dkValueType: boolean;
  readonly addressing: WcfAddressing | undefined;
}

function secureWcf(doc: Document, config: WcfConfig, now: Date): void {
  const { env, header } = envelopeToSecure(doc);
  if (config.addressing) addAddressingHeaders(doc, env, header, config.addressing);
  const security = createSecurityElement(doc, env);
  header.appendChild(security);

  const timestamp = createTimestamp(doc, now, config.ttl, newId('TS'));
  security.appendChild(timestamp);
  // A variable, not a literal: AttachContext may grow fields a credential reads optionally.
  const ctx = { document: doc, security, newId, now, protectionLevel: 'EncryptAndSign' as const };
  const attachContext: AttachContext = ctx;
  const attachment = config.credential.attach(attachContext);
  const signingKey = attachment.signingKey;
  if (config.layout !== 'UserNameForCertificate' && !signingKey) {
    throw new TypeError(`${config.layout} needs a credential with a signing key`);
  }
  const credentialTokens = childElements(security).filter((e) => e !== timestamp);
  ensureWsuId(env.body, newId('Body'));
  const signTargets: Element[] = [timestamp];
  if (config.signAddressing) {
    for (const h of childElements(header)) {
      if (h.namespaceURI === NS.wsa && ADDRESSING_HEADERS.has(h.localName ?? '')) {
        // WCF's prefix: Mono re-serializes the addressing headers it reads, writing their wsu:Id
        // as `u:Id`, before it checks the digests; the prefix is part of the canonical form.
        ensureWsuId(h, newId('WSA'), WCF_WSU_PREFIX);
        signTargets.push(h);
      }
    }
  }
  signTargets.push(env.body, ...(attachment.signedTokens ?? []));
  const encryptedTokens = attachment.encryptedTokens ?? [];
  for (const t of encryptedTokens) if (!signTargets.includes(t)) signTargets.push(t);
  for (const t of signTargets) ensureWsuId(t, newId('ID'));

  const { suite } = config;
  const ekId = newId('EK');
  if (config.layout === 'MutualCertificate10') {
    if (!signingKey) throw new TypeError('MutualCertificate10 needs a signing key');
    const signature = sign(
      doc,
      signTargets,
      suite,
      signingKey.privateKey,
      signingKey.keyInfo,
      newId,
    );
    const cek = generateContentKey(suite.encryption);
    const dataIds = [newId('ED')];
    encryptContent(env.body, suite.encryption, cek, dataIds[0] ?? '');
    const order: Element[] = [timestamp];
    if (config.encryptSignature) {
      const id = newId('ED');
      dataIds.push(id);
      security.appendChild(signature);
      const ed = encryptElement(signature, suite.encryption, cek, id);
      order.push(encryptedKeyFor(doc, config, ekId, cek, dataIds, 'issuer-serial'));
      order.push(...credentialTokens, ed);
    } else {
      order.push(encryptedKeyFor(doc, config, ekId, cek, dataIds, 'issuer-serial'));
      order.push(...credentialTokens, signature);
    }
    for (const e of order) security.appendChild(e);
    return;
  }

  // The symmetric binding: an EncryptedKey as the protection token, keys derived from it.
  const baseKey = randomBytes(suite.keyLength);
  const ek = encryptedKeyFor(doc, config, ekId, baseKey, [], 'thumbprint');
  const dkts: Element[] = [];
  const derive = (length: number): { key: Buffer; keyInfo: () => Element } => {
    if (config.derivedKeys === 'none') {
      return {
        key: baseKey,
        keyInfo: () => createDirectReference(doc, ekId, VALUE_TYPE.encryptedKeyToken),
      };
    }
    const id = newId('DK');
    const nonce = randomBytes(32);
    dkts.push(
      createDerivedKeyToken(doc, {
        version: config.scVersion,
        id,
        reference: createDirectReference(doc, ekId, VALUE_TYPE.encryptedKeyToken),
        nonce,
        length,
      }),
    );
    return {
      key: deriveKey(baseKey, DEFAULT_LABEL, nonce, 0, length),
      keyInfo: () =>
        createDirectReference(
          doc,
          id,
          config.dkValueType ? DERIVED_KEY_TOKEN_TYPE[config.scVersion] : undefined,
        ),
    };
  };
  const encryptionKey = derive(suite.keyLength);
  const signatureKey =
    config.derivedKeys === 'separate' ? derive(signatureKeyLength(suite)) : encryptionKey;
  // Derived keys are listed in the order WCF writes them: signing first.
  if (config.derivedKeys === 'separate') dkts.reverse();

  const primary = sign(doc, signTargets, suite, signatureKey.key, signatureKey.keyInfo(), newId);
  security.appendChild(primary);
  const signatures: Element[] = [primary];
  if (config.layout === 'MutualCertificate11' && signingKey) {
    const endorsing = sign(doc, [primary], suite, signingKey.privateKey, signingKey.keyInfo, newId);
    security.appendChild(endorsing);
    signatures.push(endorsing);
  }
  const withKeyInfo = (ed: Element): Element => {
    const keyInfo = createElement(doc, NS.ds, `${PREFIX.ds}:KeyInfo`);
    keyInfo.appendChild(encryptionKey.keyInfo());
    ed.insertBefore(keyInfo, childElements(ed)[1] ?? null);
    return ed;
  };
  const dataIds: string[] = [];
  const bodyId = newId('ED');
  withKeyInfo(encryptContent(env.body, suite.encryption, encryptionKey.key, bodyId));
  dataIds.push(bodyId);
  const encryptedTokenData: Element[] = [];
  for (const token of encryptedTokens) {
    const id = newId('ED');
    dataIds.push(id);
    encryptedTokenData.push(
      withKeyInfo(encryptElement(token, suite.encryption, encryptionKey.key, id)),
    );
  }
  const signatureEntries = signatures.map((s) => {
    if (!config.encryptSignature) return s;
    const id = newId('ED');
    dataIds.push(id);
    return withKeyInfo(encryptElement(s, suite.encryption, encryptionKey.key, id));
  });
  const referenceList = createElement(doc, NS.xenc, `${PREFIX.xenc}:ReferenceList`);
  for (const id of dataIds) {
    referenceList.appendChild(
      createElement(doc, NS.xenc, `${PREFIX.xenc}:DataReference`, { URI: `#${id}` }),
    );
  }
  const others = credentialTokens.filter((t) => !encryptedTokens.includes(t));
  const order = [
    timestamp,
    ek,
    ...dkts,
    referenceList,
    ...encryptedTokenData,
    ...others,
    ...signatureEntries,
  ];
  for (const e of order) security.appendChild(e);
}

function sign(
  doc: Document,
  targets: readonly Element[],
  suite: AlgorithmSuite,
  key: KeyObject | Buffer,
  keyInfo: Element,
  newId: (prefix: string) => string,
): Element {
  return signWithSuite(doc, { targets, suite, key, keyInfo, id: newId('SIG') });
}

function encryptedKeyFor(
  doc: Document,
  config: WcfConfig,
  id: string,
  key: Buffer,
  dataIds: readonly string[],
  style: 'thumbprint' | 'issuer-serial',
): Element {
  const ek = createEncryptedKey(doc, {
    id,
    transport: { algorithm: config.suite.keyTransport },
    recipient: config.service,
    keyInfo: serviceReference(doc, style, config.service),
    key,
    dataIds,
  });
  if (dataIds.length === 0) {
    // The symmetric binding's EncryptedKey carries no ReferenceList (it is a token).
    for (const c of childElements(ek)) {
      if (c.namespaceURI === NS.xenc && c.localName === 'ReferenceList') ek.removeChild(c);
    }
  }
  return ek;
}

/**
 * The reference to the service certificate. For issuer-serial the issuer name is RFC 4514
 * text (the RDNs in reverse DER order), which is also how .NET and Mono print it: Mono
 * compares X509IssuerName as a string and otherwise fails with "Could not resolve security
 * token from the key identifier".
 */
function serviceReference(
  doc: Document,
  style: 'thumbprint' | 'issuer-serial',
  service: Certificate,
): Element {
  return createSecurityTokenReference(doc, style, service);
}

function addAddressingHeaders(
  doc: Document,
  env: SoapEnvelope,
  header: Element,
  addressing: WcfAddressing,
): void {
  const present = new Set(
    childElements(header)
      .filter((h) => h.namespaceURI === NS.wsa)
      .map((h) => h.localName),
  );
  const soapPrefix = env.envelope.prefix ?? 'soap';
  const add = (name: string, mustUnderstand: boolean, text?: string): Element | undefined => {
    if (present.has(name)) return undefined;
    const el = createAddressingHeader(doc, 'a', name, text);
    // WCF writes "1" in SOAP 1.2 too; Mono re-serializes these headers that way before it checks
    // their digests, so "true" would break the signature.
    if (mustUnderstand) el.setAttributeNS(env.soapNs, `${soapPrefix}:mustUnderstand`, '1');
    header.appendChild(el);
    return el;
  };
  add('Action', true, addressing.action);
  add('MessageID', false, addressing.messageId ?? `urn:uuid:${randomUUID()}`);
  if (addressing.replyTo ?? true) {
    const replyTo = add('ReplyTo', false);
    replyTo?.appendChild(createElement(doc, NS.wsa, 'a:Address', {}, WSA_ANONYMOUS));
  }
  add('To', true, addressing.to);
}

/** The prefix WCF (and Mono) give wsu on the headers they write. */
const WCF_WSU_PREFIX = 'u';
