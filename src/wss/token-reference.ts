/**
 * wsse:SecurityTokenReference: the reference forms WS-Security's X.509 token profile and the
 * stacks in use emit (direct, ThumbprintSHA1, SubjectKeyIdentifier, issuer-serial, an
 * embedded X509Certificate), read strictly and written for each style.
 */
import { reject } from '../errors.js';
import type { Certificate } from '../trust/certificate.js';
import { decodeBase64Text } from '../xml/base64.js';
import { attr, childElements, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { createElement } from '../xml/build.js';
import { ENCODING_TYPE, NS, PREFIX, VALUE_TYPE } from '../xml/ns.js';

/** How a sender refers to a certificate. */
export type KeyReferenceStyle = 'bst' | 'thumbprint' | 'ski' | 'issuer-serial';

export type TokenReference = (
  | { readonly kind: 'direct'; readonly uri: string; readonly valueType: string | undefined }
  | { readonly kind: 'thumbprint'; readonly sha1: Buffer }
  | { readonly kind: 'ski'; readonly ski: Buffer }
  | { readonly kind: 'issuer-serial'; readonly issuer: string; readonly serial: string }
  | { readonly kind: 'certificate'; readonly der: Buffer }
  | { readonly kind: 'other'; readonly valueType: string; readonly value: Buffer }
) & {
  /** The SecurityTokenReference's wsse11:TokenType, when it has one (BSP R3069, R3074, R6907). */
  readonly tokenType?: string;
};

function base64Of(el: Element, what: string): Buffer {
  const value = decodeBase64Text(textOf(el), false);
  if (!value) throw reject('MalformedMessage', `${what} is not base64`);
  return value;
}

/**
 * Read a `ds:KeyInfo` (or a SecurityTokenReference itself) into a reference.
 * @throws WsseqError `MalformedMessage` for anything but exactly one known reference.
 */
export function readKeyInfo(keyInfo: Element): TokenReference {
  const children = childElements(keyInfo);
  const only = children.length === 1 ? children[0] : undefined;
  if (!only) throw reject('MalformedMessage', 'KeyInfo must hold exactly one reference');
  if (only.namespaceURI === NS.wsse && only.localName === 'SecurityTokenReference') {
    return readSecurityTokenReference(only);
  }
  if (only.namespaceURI === NS.ds && only.localName === 'X509Data') return readX509Data(only);
  throw reject('MalformedMessage', `unsupported KeyInfo content ${only.tagName}`);
}

/** Read a wsse:SecurityTokenReference (with its wsse11:TokenType, when present). */
export function readSecurityTokenReference(str: Element): TokenReference {
  const ref = readReferenceForm(str);
  const tokenType = attr(str, NS.wsse11, 'TokenType');
  return tokenType === undefined ? ref : { ...ref, tokenType };
}

function readReferenceForm(str: Element): TokenReference {
  const children = childElements(str);
  const only = children.length === 1 ? children[0] : undefined;
  if (!only)
    throw reject('MalformedMessage', 'a SecurityTokenReference holds exactly one reference');
  if (only.namespaceURI === NS.wsse && only.localName === 'Reference') {
    const uri = attr(only, null, 'URI');
    if (!uri?.startsWith('#')) {
      throw reject('MalformedMessage', 'BSP R3202: a direct Reference needs a #id URI');
    }
    return { kind: 'direct', uri, valueType: attr(only, null, 'ValueType') };
  }
  if (only.namespaceURI === NS.wsse && only.localName === 'KeyIdentifier') {
    const valueType = attr(only, null, 'ValueType');
    if (valueType === undefined) {
      throw reject('MalformedMessage', 'BSP R3054: a KeyIdentifier needs a ValueType');
    }
    const encoding = attr(only, null, 'EncodingType');
    if (encoding !== undefined && encoding !== ENCODING_TYPE.base64) {
      throw reject('MalformedMessage', 'a KeyIdentifier must be Base64Binary');
    }
    const value = base64Of(only, 'KeyIdentifier');
    if (valueType === VALUE_TYPE.thumbprintSha1) return { kind: 'thumbprint', sha1: value };
    if (valueType === VALUE_TYPE.x509Ski) return { kind: 'ski', ski: value };
    return { kind: 'other', valueType, value };
  }
  if (only.namespaceURI === NS.ds && only.localName === 'X509Data') return readX509Data(only);
  throw reject('MalformedMessage', `unsupported SecurityTokenReference content ${only.tagName}`);
}

function readX509Data(data: Element): TokenReference {
  let issuerSerial: TokenReference | undefined;
  let certificate: TokenReference | undefined;
  for (const c of childElements(data)) {
    if (c.namespaceURI !== NS.ds) continue;
    if (c.localName === 'X509IssuerSerial') {
      const parts = childElements(c);
      const issuer = parts.find(
        (p) => p.namespaceURI === NS.ds && p.localName === 'X509IssuerName',
      );
      const serial = parts.find(
        (p) => p.namespaceURI === NS.ds && p.localName === 'X509SerialNumber',
      );
      if (!issuer || !serial || parts.length !== 2) {
        throw reject(
          'MalformedMessage',
          'X509IssuerSerial needs X509IssuerName and X509SerialNumber',
        );
      }
      issuerSerial = {
        kind: 'issuer-serial',
        issuer: textOf(issuer),
        serial: textOf(serial).trim(),
      };
    } else if (c.localName === 'X509Certificate') {
      certificate = { kind: 'certificate', der: base64Of(c, 'X509Certificate') };
    } else if (c.localName === 'X509SKI') {
      return { kind: 'ski', ski: base64Of(c, 'X509SKI') };
    }
  }
  const found = certificate ?? issuerSerial;
  if (!found) throw reject('MalformedMessage', 'X509Data holds no usable reference');
  return found;
}

/** True when `cert` is the one `ref` designates (for references by value, not by id). */
export function referenceMatches(ref: TokenReference, cert: Certificate): boolean {
  switch (ref.kind) {
    case 'thumbprint':
      return cert.thumbprintSha1.equals(ref.sha1);
    case 'ski':
      return cert.subjectKeyIdentifier?.equals(ref.ski) ?? false;
    case 'issuer-serial':
      return cert.matchesIssuerSerial(ref.issuer, ref.serial);
    case 'certificate':
      return cert.der.equals(ref.der);
    case 'direct':
    case 'other':
      return false;
  }
}

/**
 * Write a SecurityTokenReference to `cert` in the given style; `bstId` is needed for 'bst'.
 * @throws TypeError for 'ski' when the certificate has no subjectKeyIdentifier.
 */
export function createSecurityTokenReference(
  doc: Document,
  style: KeyReferenceStyle,
  cert: Certificate,
  bstId?: string,
): Element {
  const str = createElement(doc, NS.wsse, `${PREFIX.wsse}:SecurityTokenReference`);
  switch (style) {
    case 'bst': {
      if (bstId === undefined) throw new TypeError('a direct reference needs the token id');
      str.appendChild(
        createElement(doc, NS.wsse, `${PREFIX.wsse}:Reference`, {
          URI: `#${bstId}`,
          ValueType: VALUE_TYPE.x509v3,
        }),
      );
      break;
    }
    case 'thumbprint':
      str.appendChild(keyIdentifier(doc, VALUE_TYPE.thumbprintSha1, cert.thumbprintSha1));
      break;
    case 'ski': {
      const ski = cert.subjectKeyIdentifier;
      if (!ski) throw new TypeError('the certificate has no subjectKeyIdentifier extension');
      str.appendChild(keyIdentifier(doc, VALUE_TYPE.x509Ski, ski));
      break;
    }
    case 'issuer-serial': {
      const data = createElement(doc, NS.ds, `${PREFIX.ds}:X509Data`);
      const is = createElement(doc, NS.ds, `${PREFIX.ds}:X509IssuerSerial`);
      is.appendChild(createElement(doc, NS.ds, `${PREFIX.ds}:X509IssuerName`, {}, cert.issuer));
      is.appendChild(
        createElement(doc, NS.ds, `${PREFIX.ds}:X509SerialNumber`, {}, cert.serialNumberDecimal),
      );
      data.appendChild(is);
      str.appendChild(data);
      break;
    }
  }
  return str;
}

function keyIdentifier(doc: Document, valueType: string, value: Buffer): Element {
  return createElement(
    doc,
    NS.wsse,
    `${PREFIX.wsse}:KeyIdentifier`,
    { EncodingType: ENCODING_TYPE.base64, ValueType: valueType },
    value.toString('base64'),
  );
}
