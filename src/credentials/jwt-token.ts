/**
 * The wire form of an issued JWT in the Security header:
 *
 * ```xml
 * <wsse:BinarySecurityToken wsu:Id="JWT-..."
 *     ValueType="urn:ietf:params:oauth:token-type:jwt"
 *     EncodingType="...soap-message-security-1.0#Base64Binary">base64(JWT)</wsse:BinarySecurityToken>
 * ```
 *
 * Why a BinarySecurityToken: it is WS-Security's generic envelope for non-XML tokens, every
 * stack parses it, and it is how WIF/WCF's `JwtSecurityTokenHandler` carries JWTs inside
 * WS-Security and WS-Trust (ValueType `urn:ietf:params:oauth:token-type:jwt`, the token
 * type URI RFC 8693 registers, or the short `JWT`); a `wsu:Id` lets the message signature
 * cover it and a SecurityTokenReference point at it. The alternatives interoperate worse: a
 * custom `<jwt>` header element (no stack reads it), the JWT inside a
 * SecurityTokenReference's `KeyIdentifier` (a reference, not a token), or re-issuing as a
 * SAML assertion (a different token).
 *
 * Encoding: wsseq writes the base64 of the JWT's ASCII bytes under EncodingType
 * Base64Binary, as the Basic Security Profile requires an EncodingType (R3029) and its
 * value must describe the content. On reading it also accepts a compact JWT placed in the
 * element as is (some stacks do: a JWT is already base64url text, and its dots cannot be
 * mistaken for base64), and the ValueType `JWT`.
 */
import { reject } from '../errors.js';
import { tokenValueType } from '../wss/binary-security-token.js';
import { createElement } from '../xml/build.js';
import { attr, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { ENCODING_TYPE, NS, PREFIX } from '../xml/ns.js';

/** The BinarySecurityToken ValueType wsseq writes for a JWT (RFC 8693 token type URI). */
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** ValueTypes read as a JWT: the URI, and the short form WIF also accepts. */
const JWT_TOKEN_TYPES: ReadonlySet<string> = new Set([JWT_TOKEN_TYPE, 'JWT']);

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Build the JWT BinarySecurityToken. */
export function createJwtToken(doc: Document, token: string, id: string): Element {
  const bst = createElement(doc, NS.wsse, `${PREFIX.wsse}:BinarySecurityToken`, {
    EncodingType: ENCODING_TYPE.base64,
    ValueType: JWT_TOKEN_TYPE,
  });
  bst.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, id);
  bst.appendChild(doc.createTextNode(Buffer.from(token, 'ascii').toString('base64')));
  return bst;
}

/** True when `el` is a BinarySecurityToken carrying a JWT. */
export function isJwtToken(el: Element): boolean {
  const valueType = tokenValueType(el);
  return (
    el.namespaceURI === NS.wsse &&
    el.localName === 'BinarySecurityToken' &&
    valueType !== undefined &&
    JWT_TOKEN_TYPES.has(valueType)
  );
}

/**
 * The compact JWT a JWT BinarySecurityToken carries (not verified, not even decoded).
 * @throws WsseqError `MalformedMessage` (an EncodingType other than Base64Binary),
 *   `LimitExceeded` (longer than `maxLength`), `UnsupportedSecurityToken` (neither base64
 *   nor a compact JWT).
 */
export function readJwtToken(bst: Element, maxLength: number): string {
  const encoding = attr(bst, null, 'EncodingType');
  if (encoding !== undefined && encoding !== ENCODING_TYPE.base64) {
    throw reject('MalformedMessage', 'a JWT BinarySecurityToken needs EncodingType Base64Binary');
  }
  const text = textOf(bst).replace(/\s+/g, '');
  if (text.length > Math.ceil(maxLength / 3) * 4) {
    throw reject('LimitExceeded', `the issued token is longer than ${maxLength} characters`);
  }
  if (COMPACT_JWS.test(text)) return text;
  if (encoding === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw reject('UnsupportedSecurityToken', 'the issued token is neither base64 nor a JWT');
  }
  return Buffer.from(text, 'base64').toString('latin1');
}
