/**
 * Receiver: symmetric keys named by reference — the key of a wsc:DerivedKeyToken, derived from
 * the EncryptedKey it refers to, and the key an EncryptedData's KeyInfo names (WCF's symmetric
 * binding: a DerivedKeyToken, or the EncryptedKey itself).
 */
import { reject } from '../errors.js';
import type { ResolvedReceiverPolicy } from '../policy/policy.js';
import { deriveTokenKey, readDerivedKeyToken } from '../wss/derived-key.js';
import { readKeyInfo, readSecurityTokenReference } from '../wss/token-reference.js';
import type { TokenReference } from '../wss/token-reference.js';
import { childElements } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import type { IdIndex } from '../xml/ids.js';
import { NS } from '../xml/ns.js';
import { keyIdentifierMatches } from './keys.js';
import type { SymmetricKeyToken } from './keys.js';

/** A symmetric key found by reference, and the token element that holds it. */
export interface ResolvedSymmetricKey {
  readonly token: Element;
  readonly key: Buffer;
}

/**
 * The key a SecurityTokenReference (or a ds:KeyInfo holding one) names among the symmetric
 * keys processed so far: a direct Reference to an EncryptedKey or DerivedKeyToken, or an
 * EncryptedKeySHA1 KeyIdentifier.
 * @throws WsseqError `SecurityTokenUnavailable`, `UnsupportedSecurityToken`, `MalformedMessage`.
 */
export function resolveSymmetricKey(
  referenceOrKeyInfo: Element,
  ids: IdIndex,
  symmetricKeys: ReadonlyMap<Element, SymmetricKeyToken>,
  policy: ResolvedReceiverPolicy,
): ResolvedSymmetricKey {
  const isStr =
    referenceOrKeyInfo.namespaceURI === NS.wsse &&
    referenceOrKeyInfo.localName === 'SecurityTokenReference';
  const ref: TokenReference = isStr
    ? readSecurityTokenReference(referenceOrKeyInfo)
    : readKeyInfo(referenceOrKeyInfo);
  if (ref.kind === 'direct') {
    const target = ids.resolve(ref.uri);
    const found = symmetricKeys.get(target);
    if (!found) {
      throw reject(
        'SecurityTokenUnavailable',
        `${ref.uri} is not a symmetric key token processed before its use`,
      );
    }
    if (ref.valueType === undefined && !policy.relaxations.allowMissingValueType) {
      throw reject(
        'MalformedMessage',
        'BSP R3059: a Reference to a key token needs a ValueType (relaxation allowMissingValueType)',
      );
    }
    return { token: target, key: found.key };
  }
  if (ref.kind === 'other') {
    for (const [token, k] of symmetricKeys) {
      if (keyIdentifierMatches(k, ref.valueType, ref.value)) return { token, key: k.key };
    }
    throw reject(
      'SecurityTokenUnavailable',
      `no key token of this message matches ${ref.valueType}`,
    );
  }
  throw reject('UnsupportedSecurityToken', `a ${ref.kind} reference does not name a symmetric key`);
}

/**
 * Process a DerivedKeyToken: read it, find its base key (an EncryptedKey processed before it)
 * and derive. The result is recorded under the token element, so signatures and encrypted
 * data refer to it by id.
 * @throws WsseqError as {@link readDerivedKeyToken} and {@link resolveSymmetricKey}.
 */
export function processDerivedKeyToken(
  el: Element,
  ids: IdIndex,
  symmetricKeys: ReadonlyMap<Element, SymmetricKeyToken>,
  policy: ResolvedReceiverPolicy,
): SymmetricKeyToken {
  const token = readDerivedKeyToken(el);
  const base = resolveSymmetricKey(token.reference, ids, symmetricKeys, policy);
  if (!isDerivationBase(base.token)) {
    throw reject(
      'UnsupportedSecurityToken',
      'a DerivedKeyToken must derive from an EncryptedKey or a credential token',
    );
  }
  const origin = symmetricKeys.get(base.token)?.origin ?? base.token;
  return { key: deriveTokenKey(token, base.key), sha1: undefined, origin };
}

/** An EncryptedKey, or a BinarySecurityToken whose key a credential plug-in resolved. */
function isDerivationBase(el: Element): boolean {
  return (
    (el.namespaceURI === NS.xenc && el.localName === 'EncryptedKey') ||
    (el.namespaceURI === NS.wsse && el.localName === 'BinarySecurityToken')
  );
}

/** The ds:KeyInfo of an EncryptedData, when it has one. */
export function encryptedDataKeyInfo(encryptedData: Element): Element | undefined {
  const found = childElements(encryptedData).filter(
    (c) => c.namespaceURI === NS.ds && c.localName === 'KeyInfo',
  );
  if (found.length > 1) throw reject('MalformedMessage', 'more than one KeyInfo in EncryptedData');
  return found[0];
}
