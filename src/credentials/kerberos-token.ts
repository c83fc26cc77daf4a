/**
 * The wire form of a Kerberos token (OASIS WSS Kerberos Token Profile 1.1): the GSS
 * InitialContextToken carrying an AP-REQ as a BinarySecurityToken, and the references to it
 * (a direct Reference with the token's ValueType, or the `#Kerberosv5APREQSHA1` KeyIdentifier:
 * base64 of the SHA-1 of the token octets).
 */
import { createHash } from 'node:crypto';
import { reject } from '../errors.js';
import { tokenValueType } from '../wss/binary-security-token.js';
import { createElement } from '../xml/build.js';
import { attr, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { ENCODING_TYPE, NS, PREFIX } from '../xml/ns.js';

const KTP = 'http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1';

/** KTP 1.1 value types. */
export const KERBEROS_VALUE_TYPE = {
  /** The GSS-framed AP-REQ (RFC 2743 InitialContextToken): what WCF, WSS4J and MIT send. */
  gssApReq: `${KTP}#GSS_Kerberosv5_AP_REQ`,
  /** A bare AP-REQ (no GSS framing): read, never written. */
  apReq: `${KTP}#Kerberosv5_AP_REQ`,
  /** KeyIdentifier: SHA-1 of the token octets. */
  apReqSha1: `${KTP}#Kerberosv5APREQSHA1`,
} as const;

/** Largest token read, in octets (a ticket with a large PAC stays well under it). */
export const MAX_KERBEROS_TOKEN_BYTES = 64 * 1024;

/** Build the Kerberos BinarySecurityToken. */
export function createKerberosToken(doc: Document, token: Buffer, id: string): Element {
  const bst = createElement(doc, NS.wsse, `${PREFIX.wsse}:BinarySecurityToken`, {
    EncodingType: ENCODING_TYPE.base64,
    ValueType: KERBEROS_VALUE_TYPE.gssApReq,
  });
  bst.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, id);
  bst.appendChild(doc.createTextNode(token.toString('base64')));
  return bst;
}

/** True when `el` is a Kerberos BinarySecurityToken (GSS-framed or bare AP-REQ). */
export function isKerberosToken(el: Element): boolean {
  const valueType = tokenValueType(el);
  return (
    el.namespaceURI === NS.wsse &&
    el.localName === 'BinarySecurityToken' &&
    (valueType === KERBEROS_VALUE_TYPE.gssApReq || valueType === KERBEROS_VALUE_TYPE.apReq)
  );
}

/**
 * The token octets.
 * @throws WsseqError `MalformedMessage` (not Base64Binary), `LimitExceeded`.
 */
export function readKerberosToken(bst: Element): Buffer {
  const encoding = attr(bst, null, 'EncodingType');
  if (encoding !== undefined && encoding !== ENCODING_TYPE.base64) {
    throw reject(
      'MalformedMessage',
      'a Kerberos BinarySecurityToken needs EncodingType Base64Binary',
    );
  }
  const text = textOf(bst).replace(/\s+/g, '');
  if (text.length > Math.ceil(MAX_KERBEROS_TOKEN_BYTES / 3) * 4) {
    throw reject(
      'LimitExceeded',
      `the Kerberos token is longer than ${MAX_KERBEROS_TOKEN_BYTES} octets`,
    );
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw reject('MalformedMessage', 'the Kerberos token is not base64');
  }
  return Buffer.from(text, 'base64');
}

/** The `#Kerberosv5APREQSHA1` value of a token. */
export function kerberosTokenSha1(token: Buffer): Buffer {
  return createHash('sha1').update(token).digest();
}

/** How a sender refers to its Kerberos token. */
export type KerberosKeyReference = 'reference' | 'sha1';

/** A SecurityTokenReference to the Kerberos token: direct (with ValueType) or by SHA-1. */
export function kerberosTokenReference(
  doc: Document,
  style: KerberosKeyReference,
  id: string,
  token: Buffer,
): Element {
  const str = createElement(doc, NS.wsse, `${PREFIX.wsse}:SecurityTokenReference`);
  str.setAttributeNS(NS.wsse11, `${PREFIX.wsse11}:TokenType`, KERBEROS_VALUE_TYPE.gssApReq);
  if (style === 'reference') {
    str.appendChild(
      createElement(doc, NS.wsse, `${PREFIX.wsse}:Reference`, {
        URI: `#${id}`,
        ValueType: KERBEROS_VALUE_TYPE.gssApReq,
      }),
    );
  } else {
    const ki = createElement(doc, NS.wsse, `${PREFIX.wsse}:KeyIdentifier`, {
      EncodingType: ENCODING_TYPE.base64,
      ValueType: KERBEROS_VALUE_TYPE.apReqSha1,
    });
    ki.appendChild(doc.createTextNode(kerberosTokenSha1(token).toString('base64')));
    str.appendChild(ki);
  }
  return str;
}
