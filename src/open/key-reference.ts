/**
 * One resolver for every key reference on the receiver: the SecurityTokenReference (or
 * ds:KeyInfo) of a ds:Signature, of an EncryptedData, of an EncryptedKey and of a
 * DerivedKeyToken all go through {@link resolveKeyReference}, with the Basic Security Profile
 * 1.1 rules for each token type in one table ({@link TOKEN_RULES}).
 *
 * Where a peer we interoperate with omits a type the profile requires (Mono's WCF: no
 * ValueType on its References to DerivedKeyTokens), the reference is accepted only under the
 * named relaxation `allowMissingValueType`, and its use is recorded (reported in the
 * message's SecurityContext as `relaxed`).
 */
import { reject } from '../errors.js';
import { KERBEROS_VALUE_TYPE } from '../credentials/kerberos-token.js';
import type { BspRelaxations } from '../policy/policy.js';
import { Certificate } from '../trust/certificate.js';
import { tokenValueType } from '../wss/binary-security-token.js';
import { DERIVED_KEY_TOKEN_TYPE, isDerivedKeyToken } from '../wss/derived-key.js';
import {
  readKeyInfo,
  readSecurityTokenReference,
  referenceMatches,
} from '../wss/token-reference.js';
import type { TokenReference } from '../wss/token-reference.js';
import type { Element } from '../xml/dom.js';
import type { IdIndex } from '../xml/ids.js';
import { NS, VALUE_TYPE } from '../xml/ns.js';
import { keyIdentifierMatches } from './keys.js';
import type { SymmetricKeyToken } from './keys.js';

/** The kinds of token a reference may designate. */
export type TokenKind =
  | 'X509'
  | 'EncryptedKey'
  | 'DerivedKeyToken'
  | 'Kerberos'
  | 'BinarySecurityToken'
  | 'UsernameToken'
  | 'SAML';

/** Where a reference stands: what it names a key for. */
export type ReferenceSite = 'Signature' | 'EncryptedData' | 'EncryptedKey' | 'DerivedKeyToken';

/** How a direct Reference to a token must say what it refers to. */
export type ReferenceTyping =
  /** A ValueType from `valueTypes` (R3059; R3058 for its value). */
  | 'ValueType'
  /** A ValueType from `valueTypes` or a TokenType from `tokenTypes` (R3059's exceptions). */
  | 'ValueTypeOrTokenType'
  /** No ValueType; a TokenType from `tokenTypes` (SAML 2.0, R6614, R6617). */
  | 'TokenType';

/** The BSP 1.1 rules for references to one kind of token. */
export interface TokenRule {
  readonly typing: ReferenceTyping;
  /** ValueTypes a direct Reference may carry (the token's own, for a BinarySecurityToken). */
  readonly valueTypes: readonly string[];
  /** wsse11:TokenType values a SecurityTokenReference to it may carry (R3074). */
  readonly tokenTypes: readonly string[];
  /** KeyIdentifier ValueTypes that may name it (R3063). */
  readonly keyIdentifiers: readonly string[];
  /** The sites whose key it may be. */
  readonly sites: readonly ReferenceSite[];
  /** The rules, for error messages. */
  readonly rules: string;
}

const DK_TYPES = Object.values(DERIVED_KEY_TOKEN_TYPE);
const KERBEROS_TYPES: readonly string[] = [KERBEROS_VALUE_TYPE.gssApReq, KERBEROS_VALUE_TYPE.apReq];

/**
 * BSP 1.1 per token type. A token kind missing from a site's list is refused there
 * (`UnsupportedSecurityToken`). Deviation, for the peers in use (Mono's WCF and wsseq's own
 * sender type their References to an EncryptedKey by ValueType only): R3069's TokenType is
 * satisfied by a ValueType `#EncryptedKey` as well.
 */
export const TOKEN_RULES: Readonly<Record<TokenKind, TokenRule>> = {
  X509: {
    typing: 'ValueType',
    valueTypes: [VALUE_TYPE.x509v3],
    tokenTypes: [VALUE_TYPE.x509v3],
    keyIdentifiers: [VALUE_TYPE.thumbprintSha1, VALUE_TYPE.x509Ski],
    sites: ['Signature', 'EncryptedKey'],
    rules: 'R3059, R5218, R5206',
  },
  EncryptedKey: {
    typing: 'ValueTypeOrTokenType',
    valueTypes: [VALUE_TYPE.encryptedKeyToken],
    tokenTypes: [VALUE_TYPE.encryptedKeyToken],
    keyIdentifiers: [VALUE_TYPE.encryptedKeySha1],
    sites: ['Signature', 'EncryptedData', 'DerivedKeyToken'],
    rules: 'R3059, R3069, R3072',
  },
  DerivedKeyToken: {
    typing: 'ValueType',
    valueTypes: DK_TYPES,
    tokenTypes: DK_TYPES,
    keyIdentifiers: [],
    sites: ['Signature', 'EncryptedData'],
    rules: 'R3059, R3058',
  },
  Kerberos: {
    typing: 'ValueTypeOrTokenType',
    valueTypes: KERBEROS_TYPES,
    tokenTypes: KERBEROS_TYPES,
    keyIdentifiers: [KERBEROS_VALUE_TYPE.apReqSha1],
    sites: ['Signature', 'EncryptedData', 'DerivedKeyToken'],
    rules: 'R3059, R6907, R6906',
  },
  BinarySecurityToken: {
    typing: 'ValueType',
    valueTypes: [],
    tokenTypes: [],
    keyIdentifiers: [],
    sites: ['Signature', 'EncryptedData', 'DerivedKeyToken'],
    rules: 'R3059, R3058',
  },
  UsernameToken: {
    typing: 'ValueType',
    valueTypes: [VALUE_TYPE.usernameToken],
    tokenTypes: [],
    keyIdentifiers: [],
    sites: [],
    rules: 'R4214, R4215',
  },
  SAML: {
    typing: 'TokenType',
    valueTypes: [],
    tokenTypes: [],
    keyIdentifiers: [],
    sites: [],
    rules: 'R6614, R6617',
  },
};

/** What a token element is, for the table; undefined when it is no security token. */
export function tokenKind(el: Element): TokenKind | undefined {
  const ns = el.namespaceURI;
  const name = el.localName;
  if (ns === NS.wsse && name === 'BinarySecurityToken') {
    const vt = tokenValueType(el);
    if (vt === VALUE_TYPE.x509v3) return 'X509';
    if (vt !== undefined && KERBEROS_TYPES.includes(vt)) return 'Kerberos';
    return 'BinarySecurityToken';
  }
  if (ns === NS.xenc && name === 'EncryptedKey') return 'EncryptedKey';
  if (isDerivedKeyToken(el)) return 'DerivedKeyToken';
  if (ns === NS.wsse && name === 'UsernameToken') return 'UsernameToken';
  if (name === 'Assertion' && (ns === NS.saml1 || ns === NS.saml2)) return 'SAML';
  return undefined;
}

/** The tokens of this message (and the service's) a reference may resolve to. */
export interface KeyTokens {
  readonly ids: IdIndex;
  /** X.509 BinarySecurityTokens of our Security header. */
  readonly certificates: ReadonlyMap<Element, Certificate>;
  /** Keys unwrapped, derived, or resolved by a credential, by the element that holds them. */
  readonly symmetricKeys: ReadonlyMap<Element, SymmetricKeyToken>;
  /** Certificates known out of band (references by thumbprint, SKI, issuer-serial). */
  readonly known: readonly Certificate[];
  readonly relaxations: Required<BspRelaxations>;
  /** Records each relaxation a reference needed (reported in the SecurityContext). */
  readonly relaxed: Set<keyof BspRelaxations>;
}

/** What a key reference resolved to: a certificate, or a symmetric key of this message. */
export type ResolvedKey =
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

/** Read a ds:KeyInfo or a wsse:SecurityTokenReference. */
export function readReference(referenceOrKeyInfo: Element): TokenReference {
  return referenceOrKeyInfo.namespaceURI === NS.wsse &&
    referenceOrKeyInfo.localName === 'SecurityTokenReference'
    ? readSecurityTokenReference(referenceOrKeyInfo)
    : readKeyInfo(referenceOrKeyInfo);
}

/**
 * Resolve the key a reference at `site` names, under the BSP rules of {@link TOKEN_RULES}.
 * @throws WsseqError `MalformedMessage` (a reference BSP refuses), `SecurityTokenUnavailable`
 *   (nothing of this message matches), `UnsupportedSecurityToken` (a token that cannot key
 *   this site).
 */
export function resolveKeyReference(
  referenceOrKeyInfo: Element,
  site: ReferenceSite,
  tokens: KeyTokens,
): ResolvedKey {
  return resolveParsedReference(readReference(referenceOrKeyInfo), site, tokens);
}

/** {@link resolveKeyReference} for a reference already read. */
export function resolveParsedReference(
  ref: TokenReference,
  site: ReferenceSite,
  tokens: KeyTokens,
): ResolvedKey {
  if (ref.kind === 'direct') return resolveDirect(ref, ref.uri, ref.valueType, site, tokens);
  if (ref.kind === 'other') {
    for (const [el, k] of tokens.symmetricKeys) {
      if (!keyIdentifierMatches(k, ref.valueType, ref.value)) continue;
      const kind = tokenKind(el);
      if (kind) {
        const rule = TOKEN_RULES[kind];
        checkSite(kind, rule, site);
        checkTokenType(ref.tokenType, kind, rule);
      }
      return symmetric(el, k);
    }
    throw reject(
      'SecurityTokenUnavailable',
      `no token matches the key identifier ${ref.valueType}`,
    );
  }
  checkCertificateReference(ref, site);
  if (ref.kind === 'certificate') {
    return {
      kind: 'x509',
      certificate: Certificate.fromDer(ref.der),
      token: undefined,
      reference: 'certificate',
    };
  }
  for (const [el, cert] of tokens.certificates) {
    if (referenceMatches(ref, cert))
      return { kind: 'x509', certificate: cert, token: el, reference: ref.kind };
  }
  for (const cert of tokens.known) {
    if (referenceMatches(ref, cert))
      return { kind: 'x509', certificate: cert, token: undefined, reference: ref.kind };
  }
  throw reject('SecurityTokenUnavailable', `no certificate matches the ${ref.kind} reference`);
}

/**
 * A reference by value to a certificate (thumbprint, SKI, issuer-serial, embedded): only
 * where an X.509 key may stand, with no TokenType but X.509's.
 * @throws WsseqError `UnsupportedSecurityToken`, `MalformedMessage`.
 */
export function checkCertificateReference(ref: TokenReference, site: ReferenceSite): void {
  checkSite('X509', TOKEN_RULES.X509, site);
  checkTokenType(ref.tokenType, 'X509', TOKEN_RULES.X509);
}

function resolveDirect(
  ref: TokenReference,
  uri: string,
  valueType: string | undefined,
  site: ReferenceSite,
  tokens: KeyTokens,
): ResolvedKey {
  const target = tokens.ids.resolve(uri);
  if (target.namespaceURI === NS.wsse && target.localName === 'SecurityTokenReference') {
    throw reject('MalformedMessage', 'BSP R3057: a Reference names another SecurityTokenReference');
  }
  const kind = tokenKind(target);
  if (!kind) {
    throw reject('SecurityTokenUnavailable', `${uri} is not a security token`);
  }
  const rule = TOKEN_RULES[kind];
  checkSite(kind, rule, site);
  checkTyping(kind, rule, target, valueType, ref.tokenType, tokens);
  const cert = tokens.certificates.get(target);
  if (cert) return { kind: 'x509', certificate: cert, token: target, reference: 'direct' };
  const k = tokens.symmetricKeys.get(target);
  if (k) return symmetric(target, k);
  if (kind === 'X509' || kind === 'BinarySecurityToken') {
    throw reject(
      'UnsupportedSecurityToken',
      'the referenced token is not a token of our Security header whose key is known',
    );
  }
  throw reject(
    'SecurityTokenUnavailable',
    `${uri} is not a security token processed before its use`,
  );
}

function symmetric(el: Element, k: SymmetricKeyToken): ResolvedKey {
  return { kind: 'symmetric', key: k.key, token: el, origin: k.origin ?? el };
}

function checkSite(kind: TokenKind, rule: TokenRule, site: ReferenceSite): void {
  if (!rule.sites.includes(site)) {
    throw reject('UnsupportedSecurityToken', `a ${kind} token does not key a ${site}`);
  }
}

function checkTokenType(tokenType: string | undefined, kind: TokenKind, rule: TokenRule): void {
  if (tokenType !== undefined && !rule.tokenTypes.includes(tokenType)) {
    throw reject('MalformedMessage', `BSP R3074: TokenType "${tokenType}" does not name a ${kind}`);
  }
}

/** R3058, R3059 and the per-profile typing of a direct Reference. */
function checkTyping(
  kind: TokenKind,
  rule: TokenRule,
  target: Element,
  valueType: string | undefined,
  tokenType: string | undefined,
  tokens: KeyTokens,
): void {
  // A BinarySecurityToken's Reference carries the token's own ValueType.
  const valueTypes =
    kind === 'BinarySecurityToken' ? [tokenValueType(target) ?? ''] : rule.valueTypes;
  if (valueType !== undefined) {
    if (rule.typing === 'TokenType' || !valueTypes.includes(valueType)) {
      throw reject(
        'MalformedMessage',
        `BSP R3058: ValueType "${valueType}" does not name a ${kind} (${rule.rules})`,
      );
    }
  }
  checkTokenType(tokenType, kind, rule);
  const typed =
    rule.typing === 'ValueType'
      ? valueType !== undefined
      : rule.typing === 'TokenType'
        ? tokenType !== undefined
        : valueType !== undefined || tokenType !== undefined;
  if (typed) return;
  if (!tokens.relaxations.allowMissingValueType) {
    throw reject(
      'MalformedMessage',
      `BSP ${rule.rules}: a Reference to a ${kind} needs its ${rule.typing} (relaxation allowMissingValueType)`,
    );
  }
  tokens.relaxed.add('allowMissingValueType');
}
