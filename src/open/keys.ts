/**
 * Resolving keys on the receiver: the certificate a signature's KeyInfo designates, and the
 * service key an EncryptedKey was made for.
 */
import type { KeyObject } from 'node:crypto';
import { reject } from '../errors.js';
import { Certificate } from '../trust/certificate.js';
import { readKeyInfo, referenceMatches } from '../wss/token-reference.js';
import type { TokenReference } from '../wss/token-reference.js';
import type { Element } from '../xml/dom.js';
import { isNamed } from '../xml/dom.js';
import type { IdIndex } from '../xml/ids.js';
import { NS, VALUE_TYPE } from '../xml/ns.js';

/** A service's decryption key: its certificate and private key. */
export interface ServiceKey {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
}

/** What a signature key reference resolved to: a certificate, or a key from an EncryptedKey. */
export type ResolvedSigner =
  | {
      readonly kind: 'x509';
      readonly certificate: Certificate;
      /** The BinarySecurityToken element the certificate came from, if any. */
      readonly token: Element | undefined;
      readonly reference: TokenReference['kind'];
    }
  | {
      readonly kind: 'symmetric';
      readonly key: Buffer;
      /** The element that carried the key (EncryptedKey, DerivedKeyToken, a credential's token). */
      readonly token: Element;
      /** The token the key comes from at the root (a derived key's base token). */
      readonly origin: Element;
    };

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
 * Resolve a signature's KeyInfo: a direct reference to a BinarySecurityToken or EncryptedKey
 * of this message, an EncryptedKeySHA1, or a thumbprint / SKI / issuer-serial matched against
 * the message's tokens and the certificates the service knows, or an embedded certificate.
 * @throws WsseqError `MalformedMessage`, `SecurityTokenUnavailable`, `UnsupportedSecurityToken`.
 */
export function resolveSigner(
  keyInfo: Element | undefined,
  ids: IdIndex,
  tokens: ReadonlyMap<Element, Certificate>,
  symmetricKeys: ReadonlyMap<Element, SymmetricKeyToken>,
  known: readonly Certificate[],
): ResolvedSigner {
  if (!keyInfo) throw reject('SecurityTokenUnavailable', 'the signature has no KeyInfo');
  const ref = readKeyInfo(keyInfo);
  if (ref.kind === 'direct') {
    const target = ids.resolve(ref.uri);
    const cert = tokens.get(target);
    if (cert) return { kind: 'x509', certificate: cert, token: target, reference: 'direct' };
    const symmetric = symmetricKeys.get(target);
    if (symmetric) {
      return {
        kind: 'symmetric',
        key: symmetric.key,
        token: target,
        origin: symmetric.origin ?? target,
      };
    }
    if (isNamed(target, NS.wsse, 'BinarySecurityToken')) {
      throw reject(
        'UnsupportedSecurityToken',
        'the referenced token is not an X.509 token of our Security header',
      );
    }
    throw reject(
      'SecurityTokenUnavailable',
      `${ref.uri} is not a security token processed before the signature`,
    );
  }
  if (ref.kind === 'certificate') {
    return {
      kind: 'x509',
      certificate: Certificate.fromDer(ref.der),
      token: undefined,
      reference: 'certificate',
    };
  }
  if (ref.kind === 'other') {
    for (const [el, k] of symmetricKeys) {
      if (keyIdentifierMatches(k, ref.valueType, ref.value)) {
        return { kind: 'symmetric', key: k.key, token: el, origin: k.origin ?? el };
      }
    }
    throw reject(
      'SecurityTokenUnavailable',
      `no token matches the key identifier ${ref.valueType}`,
    );
  }
  for (const [el, cert] of tokens) {
    if (referenceMatches(ref, cert))
      return { kind: 'x509', certificate: cert, token: el, reference: ref.kind };
  }
  for (const cert of known) {
    if (referenceMatches(ref, cert))
      return { kind: 'x509', certificate: cert, token: undefined, reference: ref.kind };
  }
  throw reject('SecurityTokenUnavailable', `no certificate matches the ${ref.kind} reference`);
}

/**
 * The service keys an EncryptedKey may be for, best first. Never throws for "no match": the
 * caller turns an empty list into the uniform DecryptionFailed.
 */
export function selectServiceKeys(
  keyInfo: Element | undefined,
  ids: IdIndex,
  tokens: ReadonlyMap<Element, Certificate>,
  serviceKeys: readonly ServiceKey[],
): ServiceKey[] {
  if (!keyInfo) return serviceKeys.length === 1 ? [...serviceKeys] : [];
  let ref: TokenReference;
  try {
    ref = readKeyInfo(keyInfo);
  } catch {
    return [];
  }
  if (ref.kind === 'direct') {
    const target = ids.get(ref.uri.slice(1));
    const cert = target ? tokens.get(target) : undefined;
    return cert ? serviceKeys.filter((k) => k.certificate.equals(cert)) : [];
  }
  return serviceKeys.filter((k) => referenceMatches(ref, k.certificate));
}
