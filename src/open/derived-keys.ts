/**
 * Receiver: symmetric keys named by reference — the key of a wsc:DerivedKeyToken, derived from
 * the EncryptedKey it refers to, and the key an EncryptedData's KeyInfo names (WCF's symmetric
 * binding: a DerivedKeyToken, or the EncryptedKey itself).
 */
import { reject } from '../errors.js';
import { deriveTokenKey, readDerivedKeyToken } from '../wss/derived-key.js';
import { childElements } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import { resolveKeyReference } from './key-reference.js';
import type { KeyTokens } from './key-reference.js';
import type { SymmetricKeyToken } from './keys.js';

/** A symmetric key found by reference, and the token element that holds it. */
export interface ResolvedSymmetricKey {
  readonly token: Element;
  readonly key: Buffer;
}

/**
 * The symmetric key a SecurityTokenReference (or a ds:KeyInfo holding one) at `site` names
 * among the keys processed so far (see {@link resolveKeyReference}).
 * @throws WsseqError `SecurityTokenUnavailable`, `UnsupportedSecurityToken`, `MalformedMessage`.
 */
export function resolveSymmetricKey(
  referenceOrKeyInfo: Element,
  site: 'EncryptedData' | 'DerivedKeyToken',
  tokens: KeyTokens,
): ResolvedSymmetricKey {
  const resolved = resolveKeyReference(referenceOrKeyInfo, site, tokens);
  if (resolved.kind !== 'symmetric') {
    throw reject('UnsupportedSecurityToken', `an X.509 certificate does not key a ${site}`);
  }
  return { token: resolved.token, key: resolved.key };
}

/**
 * Process a DerivedKeyToken: read it, find its base key (an EncryptedKey processed before it)
 * and derive. The result is recorded under the token element, so signatures and encrypted
 * data refer to it by id.
 * @throws WsseqError as {@link readDerivedKeyToken} and {@link resolveSymmetricKey}.
 */
export function processDerivedKeyToken(el: Element, tokens: KeyTokens): SymmetricKeyToken {
  const token = readDerivedKeyToken(el);
  const base = resolveSymmetricKey(token.reference, 'DerivedKeyToken', tokens);
  // Its base is an EncryptedKey or a credential's token (the table's DerivedKeyToken site).
  const origin = tokens.symmetricKeys.get(base.token)?.origin ?? base.token;
  return { key: deriveTokenKey(token, base.key), sha1: undefined, origin };
}

/** The ds:KeyInfo of an EncryptedData, when it has one. */
export function encryptedDataKeyInfo(encryptedData: Element): Element | undefined {
  const found = childElements(encryptedData).filter(
    (c) => c.namespaceURI === NS.ds && c.localName === 'KeyInfo',
  );
  if (found.length > 1) throw reject('MalformedMessage', 'more than one KeyInfo in EncryptedData');
  return found[0];
}
