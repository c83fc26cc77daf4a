/**
 * The attacker's toolkit for the hostile tests: edit the wire XML that `secureAs` produced,
 * re-sign it with a key the attacker holds, or encrypt attacker content for the service
 * (anyone can: the service certificate is public). Not a test file.
 */
import {
  createCipheriv,
  createHash,
  constants,
  publicEncrypt,
  randomBytes,
  sign,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { expect } from 'vitest';
import { canonicalize } from '../../src/dsig/c14n.js';
import type { Certificate } from '../../src/trust/certificate.js';
import type { WsseqErrorCode } from '../../src/errors.js';
import { isWsseqError } from '../../src/errors.js';

export const NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

export const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  hmacSha256: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  xpath: 'http://www.w3.org/TR/1999/REC-xpath-19991116',
  aes256Gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  rsaOaepMgf1p: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  content: 'http://www.w3.org/2001/04/xmlenc#Content',
  element: 'http://www.w3.org/2001/04/xmlenc#Element',
} as const;

/** Parse wire XML without any hardening (the attacker's side). */
export function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

/** Parse an XML fragment with the given namespace declarations, return its root element. */
export function fragment(xml: string): Element {
  const root = parse(xml).documentElement;
  if (!root) throw new Error('no element');
  return root;
}

/** The `index`-th element `{ns}localName` in document order. */
export function find(doc: Document | Element, ns: string, localName: string, index = 0): Element {
  const found = doc.getElementsByTagNameNS(ns, localName).item(index);
  if (!found) throw new Error(`no ${localName} #${index}`);
  return found;
}

export function count(doc: Document, ns: string, localName: string): number {
  return doc.getElementsByTagNameNS(ns, localName).length;
}

/** Parsed wire with its parts located (attacker view: by name, as a naive processor would). */
export interface Wire {
  readonly doc: Document;
  readonly envelope: Element;
  readonly header: Element;
  readonly security: Element;
  readonly body: Element;
  readonly soapNs: string;
}

export function open(xml: string): Wire {
  const doc = parse(xml);
  const envelope = doc.documentElement;
  if (!envelope?.namespaceURI) throw new Error('no envelope');
  const soapNs = envelope.namespaceURI;
  return {
    doc,
    envelope,
    header: find(doc, soapNs, 'Header'),
    security: find(doc, NS.wsse, 'Security'),
    body: find(doc, soapNs, 'Body'),
    soapNs,
  };
}

/** Import `xml` (a fragment whose namespaces are declared on its root) into `doc`. */
export function importXml(doc: Document, xml: string): Element {
  return doc.importNode(fragment(xml), true);
}

export function idOf(el: Element): string {
  const id = el.getAttributeNS(NS.wsu, 'Id') ?? el.getAttribute('Id');
  if (!id) throw new Error(`${el.tagName} has no id`);
  return id;
}

/** Remove every child of `el`. */
export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Replace element `el` by `replacement` in its parent. */
export function replace(el: Element, replacement: Node): void {
  el.parentNode?.replaceChild(replacement, el);
}

/** Flip one bit of the byte at `index` (negative: from the end) of a base64 text node. */
export function flipBase64(el: Element, index: number): void {
  const bytes = Buffer.from((el.textContent ?? '').replace(/\s+/g, ''), 'base64');
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  el.textContent = bytes.toString('base64');
}

/**
 * Recompute every DigestValue and the SignatureValue of `signature` over the document as it
 * now stands, with `key` (the attacker's own, or a stolen, RSA key). The KeyInfo is left as
 * it is.
 */
export function resign(
  signature: Element,
  key: KeyObject,
  options: { digests?: boolean } = {},
): void {
  const doc = signature.ownerDocument;
  if (!doc) throw new Error('detached');
  const signedInfo = find(signature, NS.ds, 'SignedInfo');
  const refs = signedInfo.getElementsByTagNameNS(NS.ds, 'Reference');
  for (let i = 0; options.digests !== false && i < refs.length; i++) {
    const ref = refs.item(i);
    if (!ref) continue;
    const id = (ref.getAttribute('URI') ?? '').slice(1);
    const target = findById(doc, id);
    const digest = createHash('sha256').update(canonicalize(target).text, 'utf8').digest('base64');
    find(ref, NS.ds, 'DigestValue').textContent = digest;
  }
  const value = sign('sha256', Buffer.from(canonicalize(signedInfo).text, 'utf8'), key);
  find(signature, NS.ds, 'SignatureValue').textContent = value.toString('base64');
}

/** Remove the ds:Reference whose URI is `#id`. */
export function dropReference(signature: Element, id: string): void {
  const refs = signature.getElementsByTagNameNS(NS.ds, 'Reference');
  for (let i = 0; i < refs.length; i++) {
    const ref = refs.item(i);
    if (ref?.getAttribute('URI') === `#${id}`) {
      ref.parentNode?.removeChild(ref);
      return;
    }
  }
  throw new Error(`no reference to ${id}`);
}

function findById(doc: Document, id: string): Element {
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const el = all.item(i);
    if (el && (el.getAttributeNS(NS.wsu, 'Id') === id || el.getAttribute('Id') === id)) return el;
  }
  throw new Error(`no element with id ${id}`);
}

/** A key the attacker encrypts content with, wrapped for `recipient` (RSA-OAEP, SHA-1 MGF). */
export interface AttackerKey {
  readonly key: Buffer;
  /** An xenc:EncryptedKey element (as XML) with a ReferenceList to `dataIds`. */
  encryptedKey(dataIds: readonly string[]): string;
}

export function attackerKey(recipient: Certificate): AttackerKey {
  const key = randomBytes(32);
  const wrapped = publicEncrypt(
    { key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    key,
  );
  return {
    key,
    encryptedKey: (dataIds) =>
      `<xenc:EncryptedKey xmlns:xenc="${NS.xenc}" Id="EK-attacker-${randomBytes(4).toString('hex')}">` +
      `<xenc:EncryptionMethod Algorithm="${ALG.rsaOaepMgf1p}"/>` +
      `<xenc:CipherData><xenc:CipherValue>${wrapped.toString('base64')}</xenc:CipherValue></xenc:CipherData>` +
      `<xenc:ReferenceList>${dataIds.map((id) => `<xenc:DataReference URI="#${id}"/>`).join('')}</xenc:ReferenceList>` +
      `</xenc:EncryptedKey>`,
  };
}

/** An xenc:EncryptedData (AES-256-GCM) holding `plaintext`, as XML. */
export function encryptedData(
  key: Buffer,
  id: string,
  plaintext: string,
  type: 'Content' | 'Element',
): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  const value = Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
  return (
    `<xenc:EncryptedData xmlns:xenc="${NS.xenc}" Id="${id}" Type="${type === 'Content' ? ALG.content : ALG.element}">` +
    `<xenc:EncryptionMethod Algorithm="${ALG.aes256Gcm}"/>` +
    `<xenc:CipherData><xenc:CipherValue>${value}</xenc:CipherValue></xenc:CipherData>` +
    `</xenc:EncryptedData>`
  );
}

/** Await a rejection and check its stable code; returns the error for further checks. */
export async function expectRejected(
  pending: Promise<unknown>,
  code: WsseqErrorCode,
): Promise<Error & { code: WsseqErrorCode; publicMessage: string; fault: string }> {
  let caught: unknown;
  try {
    await pending;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'the attack was accepted').toBeDefined();
  if (!isWsseqError(caught)) {
    throw new Error(`rejected, but not with a WsseqError: ${String(caught)}`, { cause: caught });
  }
  expect(caught.code).toBe(code);
  return caught;
}
