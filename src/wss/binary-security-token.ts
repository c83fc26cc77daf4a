/** wsse:BinarySecurityToken carrying an X.509v3 certificate. */
import { reject } from '../errors.js';
import { Certificate } from '../trust/certificate.js';
import type { CertificateCache } from './token-cache.js';
import { decodeBase64Text } from '../xml/base64.js';
import { attr, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { createElement } from '../xml/build.js';
import { ENCODING_TYPE, NS, PREFIX, VALUE_TYPE } from '../xml/ns.js';

/** Build an X509v3 BinarySecurityToken. */
export function createX509Token(doc: Document, cert: Certificate, id: string): Element {
  const bst = createElement(doc, NS.wsse, `${PREFIX.wsse}:BinarySecurityToken`, {
    EncodingType: ENCODING_TYPE.base64,
    ValueType: VALUE_TYPE.x509v3,
  });
  bst.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, id);
  bst.appendChild(doc.createTextNode(cert.der.toString('base64')));
  return bst;
}

/** Relaxations of the Basic Security Profile a receiver may name. */
export interface TokenReadOptions {
  /** Accept a BinarySecurityToken without EncodingType (as Mono's WCF sends). */
  readonly allowMissingEncodingType: boolean;
}

/** The ValueType of a BinarySecurityToken. */
export function tokenValueType(bst: Element): string | undefined {
  return attr(bst, null, 'ValueType');
}

/**
 * Read an X509v3 BinarySecurityToken into a certificate.
 * @throws WsseqError `UnsupportedSecurityToken` for another token type or bad content,
 *   `MalformedMessage` for a missing or wrong EncodingType (BSP R3029, R3031).
 */
export function readX509Token(
  bst: Element,
  options: TokenReadOptions,
  cache?: CertificateCache,
): Certificate {
  const valueType = tokenValueType(bst);
  if (valueType !== VALUE_TYPE.x509v3) {
    throw reject(
      'UnsupportedSecurityToken',
      `BinarySecurityToken of type "${valueType ?? '(none)'}"`,
    );
  }
  const encoding = attr(bst, null, 'EncodingType');
  if (
    encoding === undefined ? !options.allowMissingEncodingType : encoding !== ENCODING_TYPE.base64
  ) {
    throw reject(
      'MalformedMessage',
      'BSP R3029: a BinarySecurityToken needs EncodingType Base64Binary',
    );
  }
  const text = textOf(bst);
  return cache ? cache.fromText(text, certificateOfText) : certificateOfText(text);
}

/** @throws WsseqError `UnsupportedSecurityToken` for text that is not a base64 certificate. */
function certificateOfText(text: string): Certificate {
  const der = decodeBase64Text(text, false);
  if (!der) throw reject('UnsupportedSecurityToken', 'the BinarySecurityToken is not base64');
  return Certificate.fromDer(der);
}
