/**
 * XML Encryption on the DOM, receiver side: read EncryptedKey and EncryptedData strictly,
 * unwrap the content key with one of the service keys, and put the plaintext back in place,
 * parsed in the namespace context of where it goes. Any failure is one DecryptionError.
 */
import type { KeyObject } from 'node:crypto';
import { DecryptionError, isWsseqError, reject } from '../errors.js';
import { BLOCK_CIPHER, DIGEST, KEY_TRANSPORT, MGF } from '../policy/algorithms.js';
import type { BlockCipherUri } from '../policy/algorithms.js';
import {
  adoptNode,
  attr,
  childElements,
  createStrictParser,
  inScopeNamespaces,
  isElement,
  ownerDocumentOf,
  textOf,
} from '../xml/dom.js';
import type { Element, Node } from '../xml/dom.js';
import { ENC_TYPE, NS } from '../xml/ns.js';
import { decodeBase64Text } from '../xml/base64.js';
import { checkStructure } from '../xml/parse.js';
import { tokenize } from '../xml/tokenizer.js';
import type { ParseLimits } from '../xml/parse.js';
import { decryptData, isBlockCipher, keyLengthOf } from './cipher.js';
import { unwrapKey } from './key-transport.js';
import type { KeyTransportSpec } from './key-transport.js';

/** An EncryptedKey, read but not yet decrypted. */
export interface ParsedEncryptedKey {
  readonly element: Element;
  readonly transport: KeyTransportSpec;
  /** The reference to the recipient's key (ds:KeyInfo), when present. */
  readonly keyInfo: Element | undefined;
  readonly cipherValue: Buffer;
  /** DataReference URIs of its ReferenceList. */
  readonly dataReferences: readonly string[];
}

/** An EncryptedData, read but not yet decrypted. */
export interface ParsedEncryptedData {
  readonly element: Element;
  readonly algorithm: BlockCipherUri;
  readonly type: 'Content' | 'Element';
  readonly cipherValue: Buffer;
}

const NODE_DIGEST: Readonly<Record<string, string>> = {
  [DIGEST.sha1]: 'sha1',
  [DIGEST.sha256]: 'sha256',
  [DIGEST.sha384]: 'sha384',
  [DIGEST.sha512]: 'sha512',
};
const NODE_MGF: Readonly<Record<string, string>> = {
  [MGF.mgf1Sha1]: 'sha1',
  [MGF.mgf1Sha256]: 'sha256',
  [MGF.mgf1Sha384]: 'sha384',
  [MGF.mgf1Sha512]: 'sha512',
};

function child(el: Element, ns: string, name: string): Element | undefined {
  const found = childElements(el).filter((c) => c.namespaceURI === ns && c.localName === name);
  if (found.length > 1) throw reject('MalformedMessage', `more than one ${name} in ${el.tagName}`);
  return found[0];
}

function cipherValueOf(el: Element): Buffer {
  const cd = child(el, NS.xenc, 'CipherData');
  const cv = cd ? child(cd, NS.xenc, 'CipherValue') : undefined;
  if (!cd || !cv || childElements(cd).length !== 1) {
    // CipherReference (a fetch by URI) is never followed.
    throw reject('MalformedMessage', `${el.tagName} needs CipherData with one CipherValue`);
  }
  const value = decodeBase64Text(textOf(cv));
  if (!value) throw reject('MalformedMessage', 'CipherValue is not base64');
  return value;
}

/**
 * Read an EncryptedKey and check its algorithms against `allowed` (key transport URIs).
 * @throws WsseqError `MalformedMessage`, `UnsupportedAlgorithm`.
 */
export function parseEncryptedKey(el: Element, allowed: ReadonlySet<string>): ParsedEncryptedKey {
  const method = child(el, NS.xenc, 'EncryptionMethod');
  const algorithm = method ? attr(method, null, 'Algorithm') : undefined;
  if (!method || algorithm === undefined)
    throw reject('MalformedMessage', 'EncryptedKey needs an EncryptionMethod');
  if (!allowed.has(algorithm)) {
    throw reject('UnsupportedAlgorithm', `key transport "${algorithm}" is not accepted`);
  }
  let digest = 'sha1';
  let mgfDigest = 'sha1';
  if (algorithm !== KEY_TRANSPORT.rsa15) {
    const dm = child(method, NS.ds, 'DigestMethod');
    if (dm) {
      const d = NODE_DIGEST[attr(dm, null, 'Algorithm') ?? ''];
      if (d === undefined) throw reject('UnsupportedAlgorithm', 'unknown OAEP digest');
      digest = d;
    }
    const mgf = child(method, NS.xenc11, 'MGF');
    if (mgf) {
      if (algorithm !== KEY_TRANSPORT.rsaOaep)
        throw reject('MalformedMessage', 'MGF is only defined for xmlenc11 rsa-oaep');
      const m = NODE_MGF[attr(mgf, null, 'Algorithm') ?? ''];
      if (m === undefined) throw reject('UnsupportedAlgorithm', 'unknown MGF');
      mgfDigest = m;
    }
    if (child(method, NS.xenc, 'OAEPparams')) {
      throw reject('UnsupportedAlgorithm', 'OAEPparams are not supported');
    }
  }
  const list = child(el, NS.xenc, 'ReferenceList');
  const dataReferences = list ? readReferenceList(list) : [];
  return {
    element: el,
    transport: { algorithm, digest, mgfDigest },
    keyInfo: child(el, NS.ds, 'KeyInfo'),
    cipherValue: cipherValueOf(el),
    dataReferences,
  };
}

/** The DataReference URIs of a ReferenceList (KeyReference entries are refused). */
export function readReferenceList(list: Element): string[] {
  return childElements(list).map((r) => {
    const uri = attr(r, null, 'URI');
    if (r.namespaceURI !== NS.xenc || r.localName !== 'DataReference' || !uri?.startsWith('#')) {
      throw reject(
        'MalformedMessage',
        'a ReferenceList holds DataReference elements with #id URIs',
      );
    }
    return uri;
  });
}

/**
 * Read an EncryptedData and check its algorithm.
 * @throws WsseqError `MalformedMessage`, `UnsupportedAlgorithm`.
 */
export function parseEncryptedData(el: Element, allowed: ReadonlySet<string>): ParsedEncryptedData {
  if (el.namespaceURI !== NS.xenc || el.localName !== 'EncryptedData') {
    throw reject('MalformedMessage', `a DataReference points at ${el.tagName}, not EncryptedData`);
  }
  const method = child(el, NS.xenc, 'EncryptionMethod');
  const algorithm = method ? attr(method, null, 'Algorithm') : undefined;
  if (algorithm === undefined || !isBlockCipher(algorithm)) {
    throw reject(
      'UnsupportedAlgorithm',
      `data encryption "${algorithm ?? '(none)'}" is not supported`,
    );
  }
  if (!allowed.has(algorithm))
    throw reject('UnsupportedAlgorithm', `data encryption "${algorithm}" is not accepted`);
  const typeUri = attr(el, null, 'Type');
  const type =
    typeUri === ENC_TYPE.content ? 'Content' : typeUri === ENC_TYPE.element ? 'Element' : undefined;
  if (!type) throw reject('MalformedMessage', 'EncryptedData needs Type Content or Element');
  return { element: el, algorithm, type, cipherValue: cipherValueOf(el) };
}

const CBC: ReadonlySet<string> = new Set<string>([
  BLOCK_CIPHER.aes128Cbc,
  BLOCK_CIPHER.aes192Cbc,
  BLOCK_CIPHER.aes256Cbc,
  BLOCK_CIPHER.tripleDesCbc,
]);

/** True for a CBC-mode data algorithm (unauthenticated: its padding can be an oracle). */
export function isCbcCipher(algorithm: string): boolean {
  return CBC.has(algorithm);
}

/**
 * The error to report once a CBC plaintext was read: any rejection becomes the uniform
 * DecryptionError (the original kept as its cause, for the log). Other errors pass unchanged.
 */
export function uniformDecryptionError(err: unknown): unknown {
  return isWsseqError(err) && err.code !== 'DecryptionFailed'
    ? new DecryptionError({ cause: err })
    : err;
}

/**
 * Unwrap a content key with the first of `candidates` (keys the EncryptedKey's reference
 * selected). `expectedLength` comes from the data's algorithm.
 * @throws DecryptionError.
 */
export function decryptContentKey(
  ek: ParsedEncryptedKey,
  privateKey: KeyObject,
  expectedLength: number | undefined,
): Buffer {
  return unwrapKey(ek.transport, privateKey, ek.cipherValue, expectedLength);
}

/** The content-key length an EncryptedData needs. */
export function contentKeyLength(data: ParsedEncryptedData): number {
  return keyLengthOf(data.algorithm);
}

/**
 * Decrypt and put the plaintext where the EncryptedData stood. Returns the nodes inserted.
 * The plaintext must meet the same parse `limits` (depth counted from where it goes) as the
 * message it came in (pass the policy's; the default ones otherwise): anyone can encrypt for
 * the service, and decryption comes before any signature or trust check.
 * @throws DecryptionError for any failure (including plaintext that is not XML or that
 *   exceeds a limit).
 */
export function decryptInPlace(
  data: ParsedEncryptedData,
  key: Buffer,
  limits: ParseLimits,
): Node[] {
  const plaintext = decryptData(data.algorithm, key, data.cipherValue).toString('utf8');
  const el = data.element;
  const parent = el.parentNode;
  if (!isElement(parent)) throw new DecryptionError();
  let nodes: Node[];
  try {
    nodes = parseFragment(plaintext, parent, limits);
  } catch (cause) {
    throw new DecryptionError({ cause });
  }
  if (data.type === 'Element' && nodes.filter(isElement).length !== 1) throw new DecryptionError();
  const doc = ownerDocumentOf(el);
  const inserted: Node[] = [];
  for (const n of nodes) {
    n.parentNode?.removeChild(n);
    parent.insertBefore(adoptNode(n, doc), el);
    inserted.push(n);
  }
  parent.removeChild(el);
  return inserted;
}

const WRAPPER = 'wsseq-decrypted';

/**
 * Parse `text` as content of `context`, with the namespaces in scope there, within `limits`.
 * The nodes returned belong to another document: adopt them (see xml/dom.ts) before insertion.
 */
export function parseFragment(text: string, context: Element, limits: ParseLimits): Node[] {
  const content = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const namespaces = inScopeNamespaces(context);
  // The hardened tokenizer checks the plaintext (characters, names, namespaces in the
  // context it goes into, the limits from the depth it goes at) before xmldom reads it.
  tokenize(
    content,
    {},
    { limits, mode: 'content', context: namespaces, baseDepth: depthOf(context) },
  );
  let decls = '';
  for (const [prefix, uri] of namespaces) {
    decls +=
      prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
  }
  const doc = createStrictParser().parseFromString(
    `<${WRAPPER}${decls}>${content}</${WRAPPER}>`,
    'text/xml',
  );
  const wrapper = doc.documentElement;
  if (!wrapper) throw new Error('no content');
  checkStructure(wrapper, limits, depthOf(context));
  const out: Node[] = [];
  for (let c = wrapper.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** The depth of `el` in its document (the document element is 1). */
function depthOf(el: Element): number {
  let depth = 0;
  for (let n: Node | null = el; isElement(n); n = n.parentNode) depth++;
  return depth;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
