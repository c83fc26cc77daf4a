/**
 * Sender half of the Windows (Kerberos) credential: a Securer that puts a fresh AP-REQ in
 * each message and signs (Timestamp, Body) and encrypts (Body content) with the AP-REQ's
 * authenticator subkey, in one of two layouts:
 *
 * - `wcf` (default) — WCF's Kerberos symmetric binding (`SecurityBindingElement.
 *   CreateKerberosBindingElement`): Timestamp, the Kerberos BinarySecurityToken, two
 *   DerivedKeyTokens (signing, encryption) based on it, a ReferenceList, then the HMAC
 *   signature (encrypted too, by default, as WCF's SignBeforeEncryptAndEncryptSignature).
 * - `wss4j` — WSS4J's Kerberos Token Profile action: the BinarySecurityToken, a
 *   ReferenceList, the HMAC signature directly with the Kerberos key, the Timestamp last; the
 *   Body encrypted directly with the key (AES-128 suites: its first 16 bytes).
 */
import { randomBytes } from 'node:crypto';
import { reject } from '../errors.js';
import { createSignature } from '../dsig/sign.js';
import type { AlgorithmSuite, AlgorithmSuiteName } from '../policy/algorithms.js';
import { resolveSenderPolicy } from '../policy/policy.js';
import { createApReq } from '../kerberos/initiator.js';
import type { ApReqToken } from '../kerberos/initiator.js';
import type { IssuedTicket } from '../kerberos/kdc.js';
import type { Securer } from '../secure/secure-envelope.js';
import {
  createSecurityElement,
  envelopeDocument,
  envelopeToSecure,
  newId,
} from '../secure/scaffold.js';
import {
  DEFAULT_LABEL,
  DERIVED_KEY_TOKEN_TYPE,
  createDerivedKeyToken,
  deriveKey,
} from '../wss/derived-key.js';
import { createTimestamp } from '../wss/timestamp.js';
import { createElement, declareNamespace } from '../xml/build.js';
import { childElements, serialize } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { idsOf } from '../xml/ids.js';
import { NS, PREFIX } from '../xml/ns.js';
import { encryptContent, encryptElement } from '../xenc/encrypt.js';
import { createKerberosToken, kerberosTokenReference } from './kerberos-token.js';
import type { KerberosKeyReference } from './kerberos-token.js';

/** Input of {@link createKerberosSecurer}. */
export interface KerberosSecureOptions {
  /**
   * The service ticket (from `acquireServiceTicket`), or a function returning the current one
   * (so that a long-lived sender can renew it: each message gets a fresh AP-REQ).
   */
  readonly ticket?: IssuedTicket | (() => IssuedTicket);
  /**
   * Instead of a ticket: a GSS token (AP-REQ) and its context key made elsewhere, e.g. by
   * MIT's `gss_init_sec_context` and `gss_inquire_sec_context_by_oid(GSS_C_INQ_SSPI_SESSION_KEY)`.
   * Called once per message: each message needs its own token.
   */
  readonly apReq?: (now: Date) => ApReqToken;
  /** Default 'wcf'. */
  readonly layout?: 'wcf' | 'wss4j';
  /**
   * Default: wsseq's default suite (AES-256-GCM, HMAC-SHA256). WCF and WSS4J need a CBC suite:
   * 'Basic256Sha256', or 'Basic256' (HMAC-SHA1, needs allowInsecureAlgorithms).
   */
  readonly algorithmSuite?: AlgorithmSuiteName;
  /** DANGEROUS: needed for SHA-1 suites (WCF's default Basic256, WSS4J 1.6's HMAC-SHA1). */
  readonly allowInsecureAlgorithms?: boolean;
  /** How signatures and DerivedKeyTokens refer to the token: 'reference' (default) or 'sha1'. */
  readonly keyReference?: KerberosKeyReference;
  /** 'EncryptAndSign' (default) or 'Sign' (Body in clear). */
  readonly protectionLevel?: 'Sign' | 'EncryptAndSign';
  /** Encrypt the signature too (wcf layout). Default true. */
  readonly encryptSignature?: boolean;
  /** Timestamp lifetime in seconds. Default 300. */
  readonly timestampTtlSeconds?: number;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/**
 * Check options once and return a Securer for the Kerberos credential.
 * @example
 * const ticket = await acquireServiceTicket({ servicePrincipal: 'HTTP/queue-service.example@QUEUE.TEST' });
 * const client = createClient({ queue, mode: 'Message', securer: createKerberosSecurer({ ticket }) });
 * @throws TypeError for misuse (a weak suite without allowInsecureAlgorithms, a bad option);
 *   at `secure`: WsseqError `AuthenticationFailed` when the ticket has expired,
 *   `UnsupportedAlgorithm` for an rc4/DES session key.
 */
export function createKerberosSecurer(options: KerberosSecureOptions): Securer {
  const policy = resolveSenderPolicy({
    ...(options.algorithmSuite === undefined ? {} : { algorithmSuite: options.algorithmSuite }),
    ...(options.allowInsecureAlgorithms === true ? { allowInsecureAlgorithms: true } : {}),
    ...(options.timestampTtlSeconds === undefined
      ? {}
      : { timestampTtlSeconds: options.timestampTtlSeconds }),
  });
  const layout = options.layout ?? 'wcf';
  if (!['wcf', 'wss4j'].includes(layout)) throw new TypeError('layout is wcf or wss4j');
  const style = options.keyReference ?? 'reference';
  if (!['reference', 'sha1'].includes(style))
    throw new TypeError('keyReference is reference or sha1');
  const config: KerberosLayoutConfig = {
    suite: policy.suite,
    ttl: policy.timestampTtlSeconds,
    style,
    encrypt: (options.protectionLevel ?? 'EncryptAndSign') === 'EncryptAndSign',
    encryptSignature: layout === 'wcf' && options.encryptSignature !== false,
    derived: layout === 'wcf',
  };
  const { ticket, apReq } = options;
  if ((ticket === undefined) === (apReq === undefined)) {
    throw new TypeError('give either a ticket or an apReq function');
  }
  const makeApReq =
    apReq ??
    ((at: Date): ApReqToken =>
      createApReq(typeof ticket === 'function' ? ticket() : (ticket as IssuedTicket), at));
  const now = options.now ?? (() => new Date());
  return Object.freeze({
    secure: (envelope: string | Uint8Array | Document) => {
      const doc = envelopeDocument(envelope);
      const at = now();
      const made = makeApReq(at);
      secureKerberos(doc, config, made.token, made.key.value, at);
      return serialize(doc);
    },
  });
}

interface KerberosLayoutConfig {
  readonly suite: AlgorithmSuite;
  readonly ttl: number;
  readonly style: KerberosKeyReference;
  readonly encrypt: boolean;
  readonly encryptSignature: boolean;
  readonly derived: boolean;
}

function secureKerberos(
  doc: Document,
  config: KerberosLayoutConfig,
  token: Buffer,
  kerberosKey: Buffer,
  now: Date,
): void {
  const { env, header } = envelopeToSecure(doc);
  const security = createSecurityElement(doc, env);
  header.appendChild(security);
  const { suite } = config;
  const timestamp = createTimestamp(doc, now, config.ttl, newId('TS'));
  const bstId = newId('KRB');
  const bst = createKerberosToken(doc, token, bstId);
  const tokenRef = (): Element => kerberosTokenReference(doc, config.style, bstId, token);
  ensureWsuId(env.body, newId('Body'));

  const dkts: Element[] = [];
  // WSS4J: the HMAC key is the whole Kerberos key, an AES key its first `length` octets.
  const keyFor = (length: number, hmac = false): { key: Buffer; keyInfo: () => Element } => {
    if (!config.derived) {
      if (kerberosKey.length < length) {
        throw reject('UnsupportedAlgorithm', 'the Kerberos key is shorter than the suite needs');
      }
      return { key: hmac ? kerberosKey : kerberosKey.subarray(0, length), keyInfo: tokenRef };
    }
    const id = newId('DK');
    const nonce = randomBytes(32);
    dkts.push(
      createDerivedKeyToken(doc, { version: '2005/02', id, reference: tokenRef(), nonce, length }),
    );
    return {
      key: deriveKey(kerberosKey, DEFAULT_LABEL, nonce, 0, length),
      keyInfo: () => directReference(doc, id, DERIVED_KEY_TOKEN_TYPE['2005/02']),
    };
  };
  // WCF derives a 24-byte signing key for 256-bit suites (DefaultSignatureKeyDerivationLength).
  const signing = keyFor(config.derived && suite.keyLength >= 32 ? 24 : suite.keyLength, true);
  const encryption = config.encrypt ? keyFor(suite.keyLength) : undefined;

  const signature = createSignature(doc, {
    references: [timestamp, env.body],
    signatureAlgorithm: suite.symmetricSignature,
    digestAlgorithm: suite.digest,
    key: signing.key,
    keyInfo: signing.keyInfo(),
    id: newId('SIG'),
  });
  const dataIds: string[] = [];
  let signatureEntry = signature;
  if (encryption) {
    const withKeyInfo = (ed: Element): Element => {
      const keyInfo = createElement(doc, NS.ds, `${PREFIX.ds}:KeyInfo`);
      keyInfo.appendChild(encryption.keyInfo());
      ed.insertBefore(keyInfo, childElements(ed)[1] ?? null);
      return ed;
    };
    const bodyId = newId('ED');
    withKeyInfo(encryptContent(env.body, suite.encryption, encryption.key, bodyId));
    dataIds.push(bodyId);
    if (config.encryptSignature) {
      const id = newId('ED');
      security.appendChild(signature);
      signatureEntry = withKeyInfo(encryptElement(signature, suite.encryption, encryption.key, id));
      dataIds.push(id);
    }
  }
  const referenceList = dataIds.length > 0 ? createReferenceList(doc, dataIds) : undefined;
  const order = config.derived
    ? [timestamp, bst, ...dkts, referenceList, signatureEntry]
    : [bst, referenceList, signatureEntry, timestamp];
  for (const e of order) if (e) security.appendChild(e);
}

function createReferenceList(doc: Document, ids: readonly string[]): Element {
  const list = createElement(doc, NS.xenc, `${PREFIX.xenc}:ReferenceList`);
  for (const id of ids) {
    list.appendChild(
      createElement(doc, NS.xenc, `${PREFIX.xenc}:DataReference`, { URI: `#${id}` }),
    );
  }
  return list;
}

function directReference(doc: Document, id: string, valueType: string): Element {
  const str = createElement(doc, NS.wsse, `${PREFIX.wsse}:SecurityTokenReference`);
  str.appendChild(
    createElement(doc, NS.wsse, `${PREFIX.wsse}:Reference`, {
      URI: `#${id}`,
      ValueType: valueType,
    }),
  );
  return str;
}

function ensureWsuId(el: Element, id: string): void {
  if (idsOf(el).length > 0) return;
  if (el.lookupNamespaceURI(PREFIX.wsu) !== NS.wsu) declareNamespace(el, PREFIX.wsu, NS.wsu);
  el.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, id);
}
