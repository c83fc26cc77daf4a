/**
 * Receiver stage 2: process the Security header's entries in order — tokens, EncryptedKey
 * (decrypting what its ReferenceList names), Signature (verified against the document as it
 * stands at that point), Timestamp. References resolve by id through the one index; tokens
 * may come before or after the signature that uses them.
 */
import { createHash } from 'node:crypto';
import { DecryptionError, reject } from '../errors.js';
import type { BspRelaxations, ResolvedReceiverPolicy } from '../policy/policy.js';
import { DigestCache, parseSignature, verifySignature } from '../dsig/verify.js';
import type { VerifiedSignature } from '../dsig/verify.js';
import type { Certificate } from '../trust/certificate.js';
import { readX509Token, tokenValueType } from '../wss/binary-security-token.js';
import { readTimestamp } from '../wss/timestamp.js';
import type { CertificateCache } from '../wss/token-cache.js';
import type { Timestamp } from '../wss/timestamp.js';
import { attr, childElements, isElement } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import { NS, VALUE_TYPE } from '../xml/ns.js';
import {
  contentKeyLength,
  decryptContentKey,
  decryptInPlace,
  isCbcCipher,
  parseEncryptedData,
  parseEncryptedKey,
  uniformDecryptionError,
} from '../xenc/decrypt.js';
import type { ParsedEncryptedData } from '../xenc/decrypt.js';
import { isDerivedKeyToken } from '../wss/derived-key.js';
import { decryptBodyContent, isWholeBodyContent } from './body-content.js';
import { processDerivedKeyToken } from './derived-keys.js';
import { resolveSigner, selectServiceKeys } from './keys.js';
import { processReferenceList } from './reference-list.js';
import type { ResolvedSigner, ServiceKey, SymmetricKeyToken } from './keys.js';
import type { KeyTokens } from './key-reference.js';
import type { ParsedMessage } from './parse-message.js';
import type { TokenKey } from '../credentials/types.js';

/** Characters of canonicalization every message may spend beyond three times its size. */
const CANONICALIZATION_ALLOWANCE = 1 << 20;

export interface SignatureResult {
  readonly verified: VerifiedSignature;
  readonly signer: ResolvedSigner;
}

export interface DecryptedPart {
  /** For Content: the element whose content was encrypted; for Element: the element itself. */
  readonly element: Element;
  readonly type: 'Content' | 'Element';
  readonly algorithm: string;
}

export interface ProcessedHeader {
  readonly timestamp: { readonly element: Element; readonly value: Timestamp } | undefined;
  readonly tokens: ReadonlyMap<Element, Certificate>;
  /** Keys unwrapped from EncryptedKeys, by element. */
  readonly symmetricKeys: ReadonlyMap<Element, SymmetricKeyToken>;
  readonly signatures: readonly SignatureResult[];
  readonly decrypted: readonly DecryptedPart[];
  /** Token elements no built-in processor consumed (UsernameToken, issued tokens): for credentials. */
  readonly otherTokens: readonly Element[];
  /** The Basic Security Profile relaxations this message needed (sorted). */
  readonly relaxed: readonly (keyof BspRelaxations)[];
}

export interface ProcessOptions {
  readonly policy: ResolvedReceiverPolicy;
  readonly serviceKeys: readonly ServiceKey[];
  /** Certificates the service knows, for references by thumbprint, SKI or issuer-serial. */
  readonly knownCertificates: readonly Certificate[];
  /** Parsed BinarySecurityToken certificates, reused across messages. */
  readonly certificateCache?: CertificateCache;
  /**
   * The key of a non-X.509 BinarySecurityToken, from the credential plug-ins (see
   * `ReceiverCredential.resolveTokenKey`); undefined when none knows the token.
   */
  readonly resolveTokenKey?: (token: Element) => TokenKey | undefined;
}

/**
 * The decryption stage's result: the Security header processed in order (EncryptedData
 * decrypted, signatures checked against the document as it stood then, tokens read).
 *
 * It owns the message from now on: decryption put the plaintext in place of each
 * EncryptedData in `message.document` and its id index (or, for the whole Body content, in
 * `message.bodyContent`), so the ParsedMessage it was made from must not be read again but
 * through this value.
 */
export interface DecryptedMessage {
  readonly message: ParsedMessage;
  readonly header: ProcessedHeader;
  /**
   * A CBC-mode plaintext was read. Every later failure must then look like the decryption
   * failing: run the later stages through {@link afterDecryption}.
   */
  readonly cbcPlaintext: boolean;
}

/** What the decryption stage has seen so far (per message). */
export class DecryptionRecord {
  #cbcPlaintext = false;

  /** Note a data algorithm, before its plaintext is read. */
  note(algorithm: string): void {
    if (isCbcCipher(algorithm)) this.#cbcPlaintext = true;
  }

  get cbcPlaintext(): boolean {
    return this.#cbcPlaintext;
  }
}

/**
 * Receiver stage: decrypt and verify in the Security header's order.
 * @throws WsseqError (any code of the header's content); DecryptionError for every decryption
 *   failure, and for every failure once a CBC plaintext was read (no padding oracle).
 */
export function decryptMessage(msg: ParsedMessage, options: ProcessOptions): DecryptedMessage {
  const record = new DecryptionRecord();
  try {
    const header = processSecurityHeader(msg, options, record);
    return { message: msg, header, cbcPlaintext: record.cbcPlaintext };
  } catch (err) {
    throw record.cbcPlaintext ? uniformDecryptionError(err) : err;
  }
}

/**
 * Run a stage that consumes the decrypted message: after a CBC plaintext, whatever fails in it
 * is the uniform DecryptionFailed ("parsed but the signature is bad" versus "did not parse"
 * would otherwise be a padding oracle).
 */
export function afterDecryption<T>(decrypted: DecryptedMessage, stage: () => T): T {
  if (!decrypted.cbcPlaintext) return stage();
  try {
    return stage();
  } catch (err) {
    throw uniformDecryptionError(err);
  }
}

function processSecurityHeader(
  msg: ParsedMessage,
  options: ProcessOptions,
  record: DecryptionRecord,
): ProcessedHeader {
  const { policy } = options;
  const security = msg.security;
  if (!security) {
    return {
      timestamp: undefined,
      tokens: new Map(),
      symmetricKeys: new Map(),
      signatures: [],
      decrypted: [],
      otherTokens: [],
      relaxed: [],
    };
  }
  const entries = childElements(security);
  if (entries.length > policy.limits.maxSecurityHeaderEntries) {
    throw reject(
      'LimitExceeded',
      `more than ${policy.limits.maxSecurityHeaderEntries} Security header entries`,
    );
  }
  // Tokens first: zeep puts the Signature before the token it references.
  const tokens = new Map<Element, Certificate>();
  const otherTokens: Element[] = [];
  const symmetricKeys = new Map<Element, SymmetricKeyToken>();
  const relaxed = new Set<keyof BspRelaxations>();
  const keyTokens: KeyTokens = {
    ids: msg.ids,
    certificates: tokens,
    symmetricKeys,
    known: options.knownCertificates,
    relaxations: policy.relaxations,
    relaxed,
  };
  for (const e of entries) {
    if (e.namespaceURI === NS.wsse && e.localName === 'BinarySecurityToken') {
      if (tokenValueType(e) === VALUE_TYPE.x509v3) {
        tokens.set(e, readX509Token(e, policy.relaxations, options.certificateCache));
        if (attr(e, null, 'EncodingType') === undefined) relaxed.add('allowMissingEncodingType');
      } else {
        const resolved = options.resolveTokenKey?.(e);
        if (resolved) symmetricKeys.set(e, { ...resolved, sha1: undefined });
      }
    }
  }

  let timestamp: ProcessedHeader['timestamp'];
  const signatures: SignatureResult[] = [];
  const decrypted: DecryptedPart[] = [];
  // Every signature's references share one canonicalization budget: three times the message.
  const digests = new DigestCache(3 * msg.bytes + CANONICALIZATION_ALLOWANCE, (el) => {
    const streamed = msg.bodyContent.current;
    return el === msg.soap.body && streamed && !streamed.built ? streamed : undefined;
  });
  // Entries may be replaced as we go (an encrypted Signature is decrypted in place), so walk
  // the live sibling chain rather than the snapshot.
  for (let e = security.firstChild; e; e = e.nextSibling) {
    if (!isElement(e)) continue;
    const ns = e.namespaceURI;
    const name = e.localName;
    if (ns === NS.wsu && name === 'Timestamp') {
      if (timestamp)
        throw reject('MalformedMessage', 'more than one Timestamp in the Security header');
      timestamp = { element: e, value: readTimestamp(e) };
    } else if (ns === NS.wsse && name === 'BinarySecurityToken') {
      // Read above.
    } else if (ns === NS.xenc && name === 'EncryptedKey') {
      decrypted.push(...processEncryptedKey(e, msg, keyTokens, symmetricKeys, options, record));
    } else if (ns === NS.ds && name === 'Signature') {
      const parsed = parseSignature(e, policy.allowed, policy.limits);
      const signer = resolveSigner(parsed.keyInfo, keyTokens);
      const key = signer.kind === 'x509' ? signer.certificate.publicKey : signer.key;
      const verified = verifySignature(parsed, key, {
        ids: msg.ids,
        refuseComments: policy.refuseComments,
        digests,
      });
      signatures.push({ verified, signer });
    } else if (isDerivedKeyToken(e)) {
      symmetricKeys.set(e, processDerivedKeyToken(e, keyTokens));
    } else if (ns === NS.xenc && name === 'ReferenceList') {
      decrypted.push(...processReferenceList(e, msg, keyTokens, options, record));
    } else if (ns === NS.xenc && name === 'EncryptedData') {
      // An encrypted entry whose key comes later (EncryptBeforeSign): decrypted in place when
      // that key is processed; its content is then read as a token below.
    } else if (ns === NS.wsse && name === 'UsernameToken') {
      // Read by the credential plug-ins, after all decryption (see below).
    } else if (ns === NS.wsse11 && name === 'SignatureConfirmation') {
      // Only meaningful to a requester awaiting a response; queued messages have none.
    } else {
      throw reject('UnsupportedSecurityToken', `unsupported Security header entry ${e.tagName}`);
    }
  }
  // Tokens for the credential plug-ins, as the header stands after decryption; nothing may
  // remain encrypted.
  for (const e of childElements(security)) {
    if (e.namespaceURI === NS.wsse && e.localName === 'UsernameToken') otherTokens.push(e);
    // Other BinarySecurityTokens (an issued JWT...), also those that arrived encrypted.
    if (
      e.namespaceURI === NS.wsse &&
      e.localName === 'BinarySecurityToken' &&
      tokenValueType(e) !== VALUE_TYPE.x509v3
    ) {
      otherTokens.push(e);
    }
    if (e.namespaceURI === NS.xenc && e.localName === 'EncryptedData') {
      throw new DecryptionError({ cause: new Error('an encrypted header entry has no key') });
    }
  }
  const streamed = msg.bodyContent.current;
  if (streamed && !streamed.built && streamed.holdsEncryptedData) {
    throw new DecryptionError({ cause: new Error('encrypted Body content has no key') });
  }
  for (const e of childElements(msg.soap.body)) {
    if (e.namespaceURI === NS.xenc && e.localName === 'EncryptedData') {
      throw new DecryptionError({ cause: new Error('encrypted Body content has no key') });
    }
  }
  return {
    timestamp,
    tokens,
    symmetricKeys,
    signatures,
    decrypted,
    otherTokens,
    relaxed: [...relaxed].sort(),
  };
}

function processEncryptedKey(
  el: Element,
  msg: ParsedMessage,
  keyTokens: KeyTokens,
  symmetricKeys: Map<Element, SymmetricKeyToken>,
  options: ProcessOptions,
  record: DecryptionRecord,
): DecryptedPart[] {
  const { policy } = options;
  const ek = parseEncryptedKey(el, policy.allowed.keyTransport);
  const data: ParsedEncryptedData[] = [];
  for (const uri of ek.dataReferences) {
    const target = msg.ids.get(uri.slice(1));
    if (!target) throw new DecryptionError({ cause: new Error(`no EncryptedData with id ${uri}`) });
    data.push(parseEncryptedData(target, policy.allowed.encryption));
  }
  const lengths = new Set(data.map(contentKeyLength));
  const [keyLength] = lengths;
  // No ReferenceList (WCF's symmetric binding): the key serves as a token for derived keys.
  if (lengths.size > 1) {
    throw new DecryptionError({
      cause: new Error('one key used for algorithms of different key sizes'),
    });
  }
  const candidates = selectServiceKeys(ek.keyInfo, keyTokens, options.serviceKeys);
  let key: Buffer | undefined;
  let lastError: unknown = new Error('no service key matches the EncryptedKey reference');
  for (const candidate of candidates) {
    try {
      key = decryptContentKey(ek, candidate.privateKey, keyLength);
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!key) {
    throw lastError instanceof DecryptionError
      ? lastError
      : new DecryptionError({ cause: lastError });
  }
  symmetricKeys.set(el, { key, sha1: createHash('sha1').update(ek.cipherValue).digest() });
  const parts: DecryptedPart[] = [];
  for (const d of data) {
    const parent = d.element.parentNode;
    if (!isElement(parent)) throw new DecryptionError();
    record.note(d.algorithm);
    if (isWholeBodyContent(d, msg.soap.body, msg.bodyContent)) {
      decryptBodyContent(d, key, msg.soap.body, msg.ids, msg.bodyContent, policy.limits);
      parts.push({ element: parent, type: 'Content', algorithm: d.algorithm });
      continue;
    }
    msg.ids.removeSubtree(d.element);
    const inserted = decryptInPlace(d, key, policy.limits);
    try {
      for (const n of inserted) msg.ids.addSubtree(n);
    } catch (cause) {
      // A duplicate id in decrypted content must look like any other decryption failure.
      throw new DecryptionError({ cause });
    }
    const element = d.type === 'Content' ? parent : inserted.find(isElement);
    if (!element) throw new DecryptionError();
    parts.push({ element, type: d.type, algorithm: d.algorithm });
  }
  return parts;
}
