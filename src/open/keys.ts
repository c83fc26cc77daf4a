/**
 * Resolving keys on the receiver: the certificate a signature's KeyInfo designates, and the
 * service key an EncryptedKey was made for.
 */
import type { KeyObject } from 'node:crypto';
import { reject } from '../errors.js';
import type { Certificate } from '../trust/certificate.js';
import { referenceMatches } from '../wss/token-reference.js';
import type { TokenReference } from '../wss/token-reference.js';
import type { Element } from '../xml/dom.js';
import { VALUE_TYPE } from '../xml/ns.js';
import {
  checkCertificateReference,
  readReference,
  resolveKeyReference,
  resolveParsedReference,
} from './key-reference.js';
import type { KeyTokens, ResolvedKey } from './key-reference.js';

/** A service's decryption key: its certificate and private key. */
export interface ServiceKey {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
}

/** What a signature key reference resolved to: a certificate, or a key from an EncryptedKey. */
export type ResolvedSigner = ResolvedKey;

/**
 * A symmetric key the service unwrapped from an EncryptedKey, or derived from one (a
 * wsc:DerivedKeyToken), and how it may be named.
 */
export interface SymmetricKeyToken {
  readonly key: Buffer;
  /** SHA-1 of the wrapped key octets (WS-Security 1.1 EncryptedKeySHA1); none for a derived key. */
  readonly sha1: Buffer | undefined;
  /** Another KeyIdentifier naming the token (a credential's, e.g. #Kerberosv5APREQSHA1). */
  readonly keyIdentifier?: { readonly valueType: string; readonly value: Buffer };
  /** The token the key comes from at the root (a derived key's base); default the element itself. */
  readonly origin?: Element;
  /** Data encrypted with it under a shorter-key algorithm uses the key's first octets. */
  readonly shorterKeysArePrefixes?: boolean;
}

/** Whether a KeyIdentifier reference names this key token. */
export function keyIdentifierMatches(
  k: SymmetricKeyToken,
  valueType: string,
  value: Buffer,
): boolean {
  if (valueType === VALUE_TYPE.encryptedKeySha1) return k.sha1?.equals(value) === true;
  return k.keyIdentifier?.valueType === valueType && k.keyIdentifier.value.equals(value);
}

/**
 * Resolve a signature's KeyInfo (see {@link resolveKeyReference}): a direct reference to a
 * BinarySecurityToken, EncryptedKey or DerivedKeyToken of this message, a KeyIdentifier, or a
 * thumbprint / SKI / issuer-serial matched against the message's tokens and the certificates
 * the service knows, or an embedded certificate.
 * @throws WsseqError `MalformedMessage`, `SecurityTokenUnavailable`, `UnsupportedSecurityToken`.
 */
export function resolveSigner(keyInfo: Element | undefined, tokens: KeyTokens): ResolvedSigner {
  if (!keyInfo) throw reject('SecurityTokenUnavailable', 'the signature has no KeyInfo');
  return resolveKeyReference(keyInfo, 'Signature', tokens);
}

/**
 * The service keys an EncryptedKey may be for, best first. Never throws for "no match": the
 * caller turns an empty list into the uniform DecryptionFailed.
 */
export function selectServiceKeys(
  keyInfo: Element | undefined,
  tokens: KeyTokens,
  serviceKeys: readonly ServiceKey[],
): ServiceKey[] {
  if (!keyInfo) return serviceKeys.length === 1 ? [...serviceKeys] : [];
  let ref: TokenReference;
  let resolved: ResolvedKey | undefined;
  try {
    ref = readReference(keyInfo);
    // A reference by value names the service's own certificate, not one of the message.
    if (ref.kind !== 'direct') checkCertificateReference(ref, 'EncryptedKey');
    else resolved = resolveParsedReference(ref, 'EncryptedKey', tokens);
  } catch {
    return [];
  }
  if (resolved) {
    const cert = resolved.kind === 'x509' ? resolved.certificate : undefined;
    return cert ? serviceKeys.filter((k) => k.certificate.equals(cert)) : [];
  }
  return serviceKeys.filter((k) => referenceMatches(ref, k.certificate));
}
