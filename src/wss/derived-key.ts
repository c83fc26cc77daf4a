/**
 * wsc:DerivedKeyToken (WS-SecureConversation, February 2005 and 1.3): read one strictly,
 * derive its key with P_SHA1 (RFC 2246 section 5, as WS-SecureConversation names it), and
 * write one. WCF derives its signing and encryption keys this way from the EncryptedKey of a
 * symmetric binding.
 */
import { createHmac } from 'node:crypto';
import { reject } from '../errors.js';
import { createElement } from '../xml/build.js';
import { attr, childElements, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { NS, PREFIX } from '../xml/ns.js';

/** The two WS-SecureConversation versions WCF speaks. */
export type SecureConversationVersion = '2005/02' | '1.3';

const WSC_NS: Readonly<Record<SecureConversationVersion, string>> = {
  '2005/02': NS.wsc2005,
  '1.3': NS.wsc13,
};

/** P_SHA1 algorithm URIs (the default when a token names none). */
export const DERIVATION = {
  pSha1Feb2005: `${NS.wsc2005}/dk/p_sha1`,
  pSha1V13: `${NS.wsc13}/dk/p_sha1`,
} as const;

/** ValueType / TokenType of a reference to a DerivedKeyToken. */
export const DERIVED_KEY_TOKEN_TYPE: Readonly<Record<SecureConversationVersion, string>> = {
  '2005/02': `${NS.wsc2005}/dk`,
  '1.3': `${NS.wsc13}/dk`,
};

/** The label both versions use when a token carries none. */
export const DEFAULT_LABEL = 'WS-SecureConversationWS-SecureConversation';

/** Bounds on what a token may ask the receiver to compute. */
export const DERIVED_KEY_LIMITS = Object.freeze({
  minLength: 16,
  maxLength: 64,
  /** Offset + Length: how much P_SHA1 output a token may make the receiver compute. */
  maxOutput: 1024,
  minNonce: 12,
  maxNonce: 256,
});

/** A DerivedKeyToken, read and checked, before its base key is known. */
export interface ParsedDerivedKeyToken {
  readonly element: Element;
  readonly version: SecureConversationVersion;
  /** The SecurityTokenReference to the base token (an EncryptedKey, for WCF). */
  readonly reference: Element;
  readonly nonce: Buffer;
  readonly label: string;
  readonly offset: number;
  readonly length: number;
}

/** True when `el` is a wsc:DerivedKeyToken of either version. */
export function isDerivedKeyToken(el: Element): boolean {
  return (
    el.localName === 'DerivedKeyToken' &&
    (el.namespaceURI === NS.wsc2005 || el.namespaceURI === NS.wsc13)
  );
}

function integerOf(el: Element, what: string): number {
  const text = textOf(el).trim();
  if (!/^\d{1,9}$/.test(text)) throw reject('MalformedMessage', `${what} is not an integer`);
  return Number(text);
}

/**
 * Read a DerivedKeyToken: a SecurityTokenReference to its base token, Offset or Generation,
 * Length (default 32), Label (default {@link DEFAULT_LABEL}) and a Nonce, each at most once;
 * P_SHA1 only; Properties refused. Lengths and offsets are bounded
 * ({@link DERIVED_KEY_LIMITS}).
 * @throws WsseqError `MalformedMessage`, `UnsupportedAlgorithm`, `LimitExceeded`.
 */
export function readDerivedKeyToken(el: Element): ParsedDerivedKeyToken {
  const ns = el.namespaceURI;
  const version: SecureConversationVersion | undefined =
    ns === NS.wsc2005 ? '2005/02' : ns === NS.wsc13 ? '1.3' : undefined;
  if (!version || el.localName !== 'DerivedKeyToken') {
    throw reject('MalformedMessage', `${el.tagName} is not a DerivedKeyToken`);
  }
  const algorithm = attr(el, null, 'Algorithm');
  if (
    algorithm !== undefined &&
    algorithm !== DERIVATION.pSha1Feb2005 &&
    algorithm !== DERIVATION.pSha1V13
  ) {
    throw reject('UnsupportedAlgorithm', `key derivation "${algorithm}" is not supported`);
  }
  const seen = new Map<string, Element>();
  for (const c of childElements(el)) {
    const name =
      c.namespaceURI === NS.wsse && c.localName === 'SecurityTokenReference'
        ? 'SecurityTokenReference'
        : c.namespaceURI === ns
          ? (c.localName ?? '')
          : '';
    if (
      !['SecurityTokenReference', 'Offset', 'Generation', 'Length', 'Label', 'Nonce'].includes(name)
    ) {
      throw reject('MalformedMessage', `unexpected ${c.tagName} in a DerivedKeyToken`);
    }
    if (seen.has(name))
      throw reject('MalformedMessage', `more than one ${name} in a DerivedKeyToken`);
    seen.set(name, c);
  }
  const reference = seen.get('SecurityTokenReference');
  if (!reference) {
    throw reject('SecurityTokenUnavailable', 'a DerivedKeyToken without a SecurityTokenReference');
  }
  const nonceEl = seen.get('Nonce');
  if (!nonceEl) throw reject('MalformedMessage', 'a DerivedKeyToken needs a Nonce');
  const nonceText = textOf(nonceEl).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(nonceText)) {
    throw reject('MalformedMessage', 'the DerivedKeyToken Nonce is not base64');
  }
  const nonce = Buffer.from(nonceText, 'base64');
  if (nonce.length < DERIVED_KEY_LIMITS.minNonce || nonce.length > DERIVED_KEY_LIMITS.maxNonce) {
    throw reject('MalformedMessage', `a DerivedKeyToken Nonce of ${nonce.length} bytes`);
  }
  const lengthEl = seen.get('Length');
  const length = lengthEl ? integerOf(lengthEl, 'Length') : 32;
  if (length < DERIVED_KEY_LIMITS.minLength || length > DERIVED_KEY_LIMITS.maxLength) {
    throw reject('LimitExceeded', `a derived key of ${length} bytes`);
  }
  const offsetEl = seen.get('Offset');
  const generationEl = seen.get('Generation');
  if (offsetEl && generationEl) {
    throw reject('MalformedMessage', 'a DerivedKeyToken has both Offset and Generation');
  }
  const offset = offsetEl
    ? integerOf(offsetEl, 'Offset')
    : generationEl
      ? integerOf(generationEl, 'Generation') * length
      : 0;
  if (offset + length > DERIVED_KEY_LIMITS.maxOutput) {
    throw reject('LimitExceeded', `a derived key at offset ${offset}`);
  }
  const labelEl = seen.get('Label');
  return {
    element: el,
    version,
    reference,
    nonce,
    label: labelEl ? textOf(labelEl) : DEFAULT_LABEL,
    offset,
    length,
  };
}

/**
 * P_SHA1(secret, label + nonce), bytes [offset, offset + length).
 */
export function deriveKey(
  secret: Buffer,
  label: string,
  nonce: Buffer,
  offset: number,
  length: number,
): Buffer {
  const seed = Buffer.concat([Buffer.from(label, 'utf8'), nonce]);
  const out: Buffer[] = [];
  let produced = 0;
  let a = seed;
  while (produced < offset + length) {
    a = createHmac('sha1', secret).update(a).digest();
    const block = createHmac('sha1', secret).update(a).update(seed).digest();
    out.push(block);
    produced += block.length;
  }
  return Buffer.from(Buffer.concat(out).subarray(offset, offset + length));
}

/** Derive the key of a parsed token from its base token's secret. */
export function deriveTokenKey(token: ParsedDerivedKeyToken, secret: Buffer): Buffer {
  return deriveKey(secret, token.label, token.nonce, token.offset, token.length);
}

export interface CreateDerivedKeyTokenOptions {
  readonly version: SecureConversationVersion;
  readonly id: string;
  /** The SecurityTokenReference to the base token. */
  readonly reference: Element;
  readonly nonce: Buffer;
  readonly length: number;
  /** Default 0. */
  readonly offset?: number;
}

/** Build a DerivedKeyToken (Offset, Length, Nonce; the default label). */
export function createDerivedKeyToken(
  doc: Document,
  options: CreateDerivedKeyTokenOptions,
): Element {
  const ns = WSC_NS[options.version];
  const prefix = options.version === '1.3' ? 'sc' : 'c';
  const q = (name: string): string => `${prefix}:${name}`;
  const dkt = createElement(doc, ns, q('DerivedKeyToken'));
  dkt.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, ns);
  dkt.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, options.id);
  dkt.appendChild(options.reference);
  dkt.appendChild(createElement(doc, ns, q('Offset'), {}, String(options.offset ?? 0)));
  dkt.appendChild(createElement(doc, ns, q('Length'), {}, String(options.length)));
  dkt.appendChild(createElement(doc, ns, q('Nonce'), {}, options.nonce.toString('base64')));
  return dkt;
}
