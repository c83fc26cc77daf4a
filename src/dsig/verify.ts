/**
 * Verify a ds:Signature strictly: one SignedInfo, exclusive c14n only, allowlisted
 * algorithms, same-document `#id` references resolved through the message's id index (never
 * a search), bounded counts, digests compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual, verify as verifyBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { reject } from '../errors.js';
import { C14N, NODE_HASH, SIGNATURE, SIGNATURE_HASH } from '../policy/algorithms.js';
import type { DigestUri, SignatureUri } from '../policy/algorithms.js';
import { decodeBase64Text } from '../xml/base64.js';
import { attr, childElements, isElement, textOf } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import type { IdIndex } from '../xml/ids.js';
import { NS } from '../xml/ns.js';
import { canonicalize } from './c14n.js';
import type { CanonicalizeOptions } from './c14n.js';

export interface VerifyLimits {
  readonly maxReferences: number;
  readonly maxTransforms: number;
}

export interface AlgorithmAllowlist {
  readonly signature: ReadonlySet<string>;
  readonly digest: ReadonlySet<string>;
}

/** The parts of a Signature element, read and checked, before any cryptography. */
export interface ParsedSignature {
  readonly element: Element;
  readonly signedInfo: Element;
  readonly signatureAlgorithm: SignatureUri;
  readonly signatureValue: Buffer;
  readonly keyInfo: Element | undefined;
  readonly references: readonly ParsedReference[];
  readonly c14n: CanonicalizeOptions;
}

interface ParsedReference {
  readonly uri: string;
  readonly digestAlgorithm: DigestUri;
  readonly digestValue: Buffer;
  readonly c14n: CanonicalizeOptions;
}

/** What a verified signature covers. */
export interface VerifiedSignature {
  readonly element: Element;
  readonly signatureAlgorithm: SignatureUri;
  readonly signatureValue: Buffer;
  /** The elements whose digests matched, in reference order. */
  readonly covered: readonly Element[];
  readonly digestAlgorithms: readonly DigestUri[];
}

function only(parent: Element, localName: string, required: true): Element;
function only(parent: Element, localName: string, required: false): Element | undefined;
function only(parent: Element, localName: string, required: boolean): Element | undefined {
  let found: Element | undefined;
  let count = 0;
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (isElement(c) && c.namespaceURI === NS.ds && c.localName === localName) {
      found ??= c;
      count++;
    }
  }
  if (count > 1 || (required && count === 0)) {
    throw reject('MalformedMessage', `expected exactly one ds:${localName} in ${parent.tagName}`);
  }
  return found;
}

function algorithmOf(el: Element): string {
  const a = attr(el, null, 'Algorithm');
  if (!a) throw reject('MalformedMessage', `${el.tagName} has no Algorithm`);
  return a;
}

function readC14n(method: Element, allowComments: boolean): CanonicalizeOptions {
  const alg = algorithmOf(method);
  if (alg !== C14N.exclusive && !(allowComments && alg === C14N.exclusiveWithComments)) {
    throw reject('UnsupportedAlgorithm', `canonicalization "${alg}" is not accepted`);
  }
  const inclusive = childElements(method).find(
    (c) => c.namespaceURI === NS.ec && c.localName === 'InclusiveNamespaces',
  );
  const prefixes = inclusive ? (attr(inclusive, null, 'PrefixList') ?? '').split(/\s+/) : [];
  return {
    withComments: alg === C14N.exclusiveWithComments,
    inclusivePrefixes: prefixes.filter((p) => p.length > 0),
  };
}

function base64Value(el: Element, what: string): Buffer {
  const value = decodeBase64Text(textOf(el));
  if (!value) throw reject('MalformedMessage', `${what} is not base64`);
  return value;
}

/**
 * Read a Signature element and check its structure and algorithms against the allowlist.
 * @throws WsseqError `MalformedMessage`, `UnsupportedAlgorithm`, `LimitExceeded`.
 */
export function parseSignature(
  sig: Element,
  allow: AlgorithmAllowlist,
  limits: VerifyLimits,
): ParsedSignature {
  const signedInfo = only(sig, 'SignedInfo', true);
  const signatureValueEl = only(sig, 'SignatureValue', true);
  const keyInfo = only(sig, 'KeyInfo', false);
  const siChildren = childElements(signedInfo);
  const [c14nEl, methodEl, ...refEls] = siChildren;
  if (
    c14nEl?.namespaceURI !== NS.ds ||
    c14nEl.localName !== 'CanonicalizationMethod' ||
    methodEl?.namespaceURI !== NS.ds ||
    methodEl.localName !== 'SignatureMethod'
  ) {
    throw reject(
      'MalformedMessage',
      'SignedInfo must start with CanonicalizationMethod, SignatureMethod',
    );
  }
  const c14n = readC14n(c14nEl, false);
  const signatureAlgorithm = algorithmOf(methodEl);
  if (
    !allow.signature.has(signatureAlgorithm) ||
    !Object.hasOwn(SIGNATURE_HASH, signatureAlgorithm)
  ) {
    throw reject(
      'UnsupportedAlgorithm',
      `signature algorithm "${signatureAlgorithm}" is not accepted`,
    );
  }
  if (childElements(methodEl).length > 0) {
    throw reject(
      'UnsupportedAlgorithm',
      'HMACOutputLength and other SignatureMethod parameters are refused',
    );
  }
  if (refEls.length === 0) throw reject('MalformedMessage', 'the signature has no Reference');
  if (refEls.length > limits.maxReferences) {
    throw reject('LimitExceeded', `more than ${limits.maxReferences} references in one signature`);
  }
  const references = refEls.map((r) => parseReference(r, allow, limits));
  return {
    element: sig,
    signedInfo,
    signatureAlgorithm: signatureAlgorithm as SignatureUri,
    signatureValue: base64Value(signatureValueEl, 'SignatureValue'),
    keyInfo,
    references,
    c14n,
  };
}

function parseReference(
  ref: Element,
  allow: AlgorithmAllowlist,
  limits: VerifyLimits,
): ParsedReference {
  if (ref.namespaceURI !== NS.ds || ref.localName !== 'Reference') {
    throw reject('MalformedMessage', `unexpected ${ref.tagName} in SignedInfo`);
  }
  const uri = attr(ref, null, 'URI');
  if (uri === undefined || !uri.startsWith('#') || uri.length < 2) {
    throw reject('MalformedMessage', 'references must be same-document #id references');
  }
  const children = childElements(ref);
  let i = 0;
  let c14n: CanonicalizeOptions = {};
  const first = children[0];
  if (first?.namespaceURI === NS.ds && first.localName === 'Transforms') {
    const transforms = childElements(first);
    if (transforms.length > limits.maxTransforms) {
      throw reject('LimitExceeded', `more than ${limits.maxTransforms} transforms`);
    }
    if (transforms.length !== 1) {
      throw reject('UnsupportedAlgorithm', 'exactly one transform (exclusive c14n) is accepted');
    }
    const t = transforms[0];
    if (t?.namespaceURI !== NS.ds || t.localName !== 'Transform') {
      throw reject('MalformedMessage', 'Transforms may hold only Transform elements');
    }
    c14n = readC14n(t, false);
    i = 1;
  }
  const digestMethod = children[i];
  const digestValue = children[i + 1];
  if (
    digestMethod?.namespaceURI !== NS.ds ||
    digestMethod.localName !== 'DigestMethod' ||
    digestValue?.namespaceURI !== NS.ds ||
    digestValue.localName !== 'DigestValue' ||
    children.length !== i + 2
  ) {
    throw reject('MalformedMessage', 'a Reference needs DigestMethod then DigestValue');
  }
  const digestAlgorithm = algorithmOf(digestMethod);
  if (!allow.digest.has(digestAlgorithm) || !Object.hasOwn(NODE_HASH, digestAlgorithm)) {
    throw reject('UnsupportedAlgorithm', `digest algorithm "${digestAlgorithm}" is not accepted`);
  }
  return {
    uri,
    digestAlgorithm: digestAlgorithm as DigestUri,
    digestValue: base64Value(digestValue, 'DigestValue'),
    c14n,
  };
}

/** An element whose content is held as text: canonicalized and digested as a stream. */
export interface StreamedElement {
  digest(options: CanonicalizeOptions, algorithm: string): StreamedDigest;
}

export interface StreamedDigest {
  readonly digest: Buffer;
  readonly hadComments: boolean;
  /** Characters canonicalized. */
  readonly length: number;
}

export interface VerifyContext {
  readonly ids: IdIndex;
  /** Refuse comments inside signed content (c14n without comments does not cover them). */
  readonly refuseComments: boolean;
  /** Canonical forms and digests shared by every signature of one message. */
  readonly digests?: DigestCache;
}

/**
 * One message's canonicalization work, shared by its signatures: each element is
 * canonicalized once per set of options and hashed once per algorithm, and the characters
 * canonicalized in all are bounded. Without it a message repeating signatures over a large
 * Body (each reference costing a full canonicalization and hash before any trust decision)
 * costs minutes of CPU.
 */
export class DigestCache {
  readonly #forms = new Map<Element, Map<string, CanonicalForm>>();
  readonly #streamedDigests = new Map<string, StreamedDigest>();
  readonly #streamed: (el: Element) => StreamedElement | undefined;
  #budget: number;

  /**
   * `budget`: most characters canonicalized for the message (cache hits are free).
   * `streamed`: elements whose content is held as text (canonicalized from it, never built).
   */
  constructor(
    budget: number,
    streamed: (el: Element) => StreamedElement | undefined = () => undefined,
  ) {
    this.#budget = budget;
    this.#streamed = streamed;
  }

  /**
   * The digest of an element's canonical form: streamed from text for an element held as
   * text, else canonicalized from the tree; each once per options and algorithm.
   * @throws WsseqError `LimitExceeded` when the budget is spent.
   */
  digestOf(
    el: Element,
    options: CanonicalizeOptions,
    algorithm: string,
  ): { digest: Buffer; hadComments: boolean } {
    const streamed = this.#streamed(el);
    if (!streamed) {
      const form = this.#form(el, options);
      // The digest is kept with the form: no lookup keyed by the (long) canonical text.
      let d = form.digests.get(algorithm);
      if (!d) {
        d = createHash(algorithm).update(form.text, 'utf8').digest();
        form.digests.set(algorithm, d);
      }
      return { digest: d, hadComments: form.hadComments };
    }
    const key = `${algorithm}|${optionsKey(options)}`;
    let found = this.#streamedDigests.get(key);
    if (!found) {
      found = streamed.digest(options, algorithm);
      this.#spend(found.length);
      this.#streamedDigests.set(key, found);
    }
    return found;
  }

  /** @throws WsseqError `LimitExceeded` when the budget is spent. */
  canonical(el: Element, options: CanonicalizeOptions): { text: string; hadComments: boolean } {
    const { text, hadComments } = this.#form(el, options);
    return { text, hadComments };
  }

  #form(el: Element, options: CanonicalizeOptions): CanonicalForm {
    const key = optionsKey(options);
    let byOptions = this.#forms.get(el);
    if (!byOptions) {
      byOptions = new Map();
      this.#forms.set(el, byOptions);
    }
    let found = byOptions.get(key);
    if (!found) {
      const c = canonicalize(el, options);
      this.#spend(c.text.length);
      found = { text: c.text, hadComments: c.hadComments, digests: new Map() };
      byOptions.set(key, found);
    }
    return found;
  }

  #spend(characters: number): void {
    this.#budget -= characters;
    if (this.#budget < 0) {
      throw reject(
        'LimitExceeded',
        'the signatures ask for more canonicalization than the message size allows',
      );
    }
  }
}

/** One canonical form of an element and its digests by algorithm. */
interface CanonicalForm {
  readonly text: string;
  readonly hadComments: boolean;
  readonly digests: Map<string, Buffer>;
}

function optionsKey(options: CanonicalizeOptions): string {
  const prefixes = options.inclusivePrefixes;
  const comments = options.withComments === true ? 'c' : '';
  return prefixes === undefined || prefixes.length === 0
    ? comments
    : `${comments}|${prefixes.join(' ')}`;
}

/**
 * Check the SignatureValue with `key`, then every reference's digest.
 * @throws WsseqError `SignatureInvalid`, `SecurityTokenUnavailable` (a reference resolves to
 *   nothing), `PolicyViolation` (a comment inside signed content), `LimitExceeded` (the
 *   message's canonicalization budget is spent).
 */
export function verifySignature(
  parsed: ParsedSignature,
  key: KeyObject | Buffer,
  ctx: VerifyContext,
): VerifiedSignature {
  const signedInfoText = canonicalize(parsed.signedInfo, parsed.c14n).text;
  if (
    !checkSignatureValue(
      parsed.signatureAlgorithm,
      key,
      Buffer.from(signedInfoText, 'utf8'),
      parsed.signatureValue,
    )
  ) {
    throw reject('SignatureInvalid', 'the SignatureValue does not verify');
  }
  const covered: Element[] = [];
  for (const ref of parsed.references) {
    const target = ctx.ids.resolve(ref.uri);
    if (target === parsed.element || isAncestor(target, parsed.element)) {
      throw reject('SignatureInvalid', 'a reference covers the signature itself');
    }
    const hash = NODE_HASH[ref.digestAlgorithm];
    const { digest, hadComments } = ctx.digests
      ? ctx.digests.digestOf(target, ref.c14n, hash)
      : digestFromTree(target, ref.c14n, hash);
    if (hadComments && ctx.refuseComments) {
      throw reject('PolicyViolation', `signed element ${target.tagName} contains a comment`);
    }
    if (digest.length !== ref.digestValue.length || !timingSafeEqual(digest, ref.digestValue)) {
      throw reject('SignatureInvalid', `the digest of ${ref.uri} does not match`);
    }
    covered.push(target);
  }
  return {
    element: parsed.element,
    signatureAlgorithm: parsed.signatureAlgorithm,
    signatureValue: parsed.signatureValue,
    covered,
    digestAlgorithms: parsed.references.map((r) => r.digestAlgorithm),
  };
}

function digestFromTree(
  el: Element,
  options: CanonicalizeOptions,
  hash: string,
): { digest: Buffer; hadComments: boolean } {
  const c = canonicalize(el, options);
  return { digest: createHash(hash).update(c.text, 'utf8').digest(), hadComments: c.hadComments };
}

function checkSignatureValue(
  alg: SignatureUri,
  key: KeyObject | Buffer,
  data: Buffer,
  value: Buffer,
): boolean {
  const hash = SIGNATURE_HASH[alg];
  const isHmac = alg === SIGNATURE.hmacSha1 || alg === SIGNATURE.hmacSha256;
  if (isHmac !== Buffer.isBuffer(key)) {
    throw reject('UnsupportedAlgorithm', 'the signature algorithm does not fit the signing key');
  }
  if (Buffer.isBuffer(key)) {
    const mac = createHmac(hash, key).update(data).digest();
    return mac.length === value.length && timingSafeEqual(mac, value);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw reject('UnsupportedAlgorithm', 'an RSA signature algorithm needs an RSA key');
  }
  try {
    return verifyBytes(hash, data, key, value);
  } catch (cause) {
    throw reject('SignatureInvalid', 'the SignatureValue does not verify', cause);
  }
}

function isAncestor(maybeAncestor: Element, node: Element): boolean {
  for (let n = node.parentNode; n; n = n.parentNode) if (n === maybeAncestor) return true;
  return false;
}
