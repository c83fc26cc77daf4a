/**
 * WS-SecurityPolicy 1.2 (and 1.1) assertions read into plain security requirements: the
 * security binding and its tokens, algorithm suite, layout and flags, the signed and
 * encrypted parts, supporting tokens and the WSS options. Every assertion wsseq does not act
 * on is reported by name, never skipped silently.
 * @internal
 */
import { ALGORITHM_SUITES } from './algorithms.js';
import type { AlgorithmSuiteName } from './algorithms.js';
import { POLICY_NS, SP_NAMESPACES } from './policy-ns.js';
import { assertionName, isWsp, nestedAssertions } from './ws-policy.js';
import type { PolicyReadContext } from './ws-policy.js';
import { attr, childElements, serialize, textOf } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';

/** sp:IncludeToken values, by their last path segment. */
export type IncludeToken = 'Never' | 'Once' | 'AlwaysToRecipient' | 'AlwaysToInitiator' | 'Always';

/** An sp:X509Token. */
export interface X509TokenRequirement {
  readonly includeToken: IncludeToken;
  /** The reference its policy requires (RequireThumbprintReference...), if any. */
  readonly reference: Exclude<KeyReferenceStyle, 'bst'> | undefined;
}

/** An sp:KerberosToken (the Windows credential, a SymmetricBinding's ProtectionToken). */
export interface KerberosTokenRequirement {
  readonly includeToken: IncludeToken;
  /** WssGssKerberosV5ApReqToken11 (GSS-framed, what wsseq sends) or WssKerberosV5ApReqToken11. */
  readonly tokenType: 'WssGssKerberosV5ApReqToken11' | 'WssKerberosV5ApReqToken11' | undefined;
  /** sp:RequireKeyIdentifierReference: refer to it by #Kerberosv5APREQSHA1. */
  readonly requireKeyIdentifierReference: boolean;
  /** sp:RequireDerivedKeys. */
  readonly requireDerivedKeys: boolean;
}

/** An sp:UsernameToken. */
export interface UserNameTokenRequirement {
  readonly kind: 'UsernameToken';
  readonly includeToken: IncludeToken;
  /** `PasswordDigest` with sp:HashPassword, else `PasswordText`. */
  readonly passwordType: 'PasswordText' | 'PasswordDigest';
}

/** An sp:IssuedToken. */
export interface IssuedTokenRequirement {
  readonly kind: 'IssuedToken';
  readonly includeToken: IncludeToken;
  /** sp:Issuer/wsa:Address: the token service's endpoint. */
  readonly issuerAddress: string | undefined;
  /** sp:IssuerName. */
  readonly issuerName: string | undefined;
  /** wst:TokenType of the RequestSecurityTokenTemplate. */
  readonly tokenType: string | undefined;
  /** wst:KeyType of the RequestSecurityTokenTemplate (PublicKey, SymmetricKey, Bearer). */
  readonly keyType: string | undefined;
  /** The sp:RequestSecurityTokenTemplate, serialized, to send to the token service as is. */
  readonly requestSecurityTokenTemplate: string | undefined;
}

/** The supporting-token assertions of WS-SecurityPolicy 1.2 section 8. */
export type SupportingTokensAssertion =
  | 'SupportingTokens'
  | 'SignedSupportingTokens'
  | 'EndorsingSupportingTokens'
  | 'SignedEndorsingSupportingTokens'
  | 'SignedEncryptedSupportingTokens'
  | 'EncryptedSupportingTokens'
  | 'EndorsingEncryptedSupportingTokens'
  | 'SignedEndorsingEncryptedSupportingTokens';

/** A supporting token and how it must be protected. */
export interface SupportingTokenRequirement {
  readonly assertion: SupportingTokensAssertion;
  readonly signed: boolean;
  readonly encrypted: boolean;
  readonly endorsing: boolean;
  readonly token: UserNameTokenRequirement | IssuedTokenRequirement;
}

/** sp:Wss10 / sp:Wss11 options. */
export interface WssOptions {
  readonly version: '1.0' | '1.1';
  readonly mustSupportRefKeyIdentifier: boolean;
  readonly mustSupportRefIssuerSerial: boolean;
  readonly mustSupportRefThumbprint: boolean;
  readonly mustSupportRefEncryptedKey: boolean;
  readonly requireSignatureConfirmation: boolean;
}

export type SecurityBindingName = 'AsymmetricBinding' | 'SymmetricBinding' | 'TransportBinding';
export type Layout = 'Strict' | 'Lax' | 'LaxTsFirst' | 'LaxTsLast';

/** What the contract's security policy requires, before it is mapped to wsseq's policies. */
export interface SecurityRequirements {
  readonly binding: SecurityBindingName | undefined;
  /** AsymmetricBinding InitiatorToken (InitiatorSignatureToken). */
  readonly initiatorToken: X509TokenRequirement | undefined;
  /** AsymmetricBinding RecipientToken (RecipientEncryptionToken), SymmetricBinding ProtectionToken. */
  readonly recipientToken: X509TokenRequirement | undefined;
  /** SymmetricBinding ProtectionToken when it is an sp:KerberosToken. */
  readonly kerberosToken: KerberosTokenRequirement | undefined;
  /** TransportBinding HttpsToken. */
  readonly transportToken: { readonly requireClientCertificate: boolean } | undefined;
  readonly algorithmSuite: AlgorithmSuiteName | undefined;
  readonly layout: Layout | undefined;
  readonly includeTimestamp: boolean;
  readonly encryptBeforeSigning: boolean;
  readonly encryptSignature: boolean;
  readonly protectTokens: boolean;
  readonly onlySignEntireHeadersAndBody: boolean;
  readonly signedBody: boolean;
  readonly encryptedBody: boolean;
  readonly supportingTokens: readonly SupportingTokenRequirement[];
  readonly wss: WssOptions | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type MutableRequirements = Omit<Mutable<SecurityRequirements>, 'supportingTokens'> & {
  supportingTokens: SupportingTokenRequirement[];
};

/** Read the assertions of the endpoint and its messages. */
export function readSecurityRequirements(
  assertions: readonly Element[],
  ctx: PolicyReadContext,
  unknown: string[],
): SecurityRequirements {
  const reader = new AssertionReader(ctx, unknown);
  for (const a of assertions) reader.top(a);
  return reader.result;
}

function isSp(el: Element, localName: string): boolean {
  return el.localName === localName && SP_NAMESPACES.has(el.namespaceURI ?? '');
}

const SUPPORTING: ReadonlySet<string> = new Set<SupportingTokensAssertion>([
  'SupportingTokens',
  'SignedSupportingTokens',
  'EndorsingSupportingTokens',
  'SignedEndorsingSupportingTokens',
  'SignedEncryptedSupportingTokens',
  'EncryptedSupportingTokens',
  'EndorsingEncryptedSupportingTokens',
  'SignedEndorsingEncryptedSupportingTokens',
]);

const GCM_SUITES: ReadonlySet<string> = new Set<AlgorithmSuiteName>([
  'Basic256GCMSha256',
  'Basic192GCMSha256',
  'Basic128GCMSha256',
]);

const INCLUDE_TOKEN: ReadonlySet<string> = new Set<IncludeToken>([
  'Never',
  'Once',
  'AlwaysToRecipient',
  'AlwaysToInitiator',
  'Always',
]);

const REFERENCES: Readonly<Record<string, Exclude<KeyReferenceStyle, 'bst'>>> = {
  RequireThumbprintReference: 'thumbprint',
  RequireIssuerSerialReference: 'issuer-serial',
  RequireKeyIdentifierReference: 'ski',
};

class AssertionReader {
  readonly result: MutableRequirements = {
    binding: undefined,
    initiatorToken: undefined,
    recipientToken: undefined,
    kerberosToken: undefined,
    transportToken: undefined,
    algorithmSuite: undefined,
    layout: undefined,
    includeTimestamp: false,
    encryptBeforeSigning: false,
    encryptSignature: false,
    protectTokens: false,
    onlySignEntireHeadersAndBody: false,
    signedBody: false,
    encryptedBody: false,
    supportingTokens: [],
    wss: undefined,
  };
  readonly #ctx: PolicyReadContext;
  readonly #unknown: string[];

  constructor(ctx: PolicyReadContext, unknown: string[]) {
    this.#ctx = ctx;
    this.#unknown = unknown;
  }

  #report(path: string, el: Element, why?: string): void {
    const name = `${path}${assertionName(el)}`;
    this.#unknown.push(why === undefined ? name : `${name} (${why})`);
  }

  #nested(el: Element, path: string): Element[] {
    return nestedAssertions(el, this.#ctx, `${path}${assertionName(el)}`);
  }

  top(el: Element): void {
    const local = el.localName ?? '';
    if (!SP_NAMESPACES.has(el.namespaceURI ?? '')) {
      if (
        (el.namespaceURI === POLICY_NS.wsam && local === 'Addressing') ||
        (el.namespaceURI === POLICY_NS.wsaw && local === 'UsingAddressing')
      ) {
        this.#ctx.notes.push(
          `${assertionName(el)} is not a security assertion: WS-Addressing headers are the caller's`,
        );
        return;
      }
      this.#report('', el);
      return;
    }
    if (
      local === 'AsymmetricBinding' ||
      local === 'SymmetricBinding' ||
      local === 'TransportBinding'
    ) {
      if (this.result.binding !== undefined) {
        this.#report('', el, `a second security binding; ${this.result.binding} is used`);
        return;
      }
      this.result.binding = local;
      this.#binding(el, local);
    } else if (local === 'Wss10' || local === 'Wss11') {
      this.#wss(el, local === 'Wss10' ? '1.0' : '1.1');
    } else if (local === 'Trust10' || local === 'Trust13') {
      this.#ctx.notes.push(
        `${assertionName(el)} describes the client's exchange with the token service, which wsseq does not perform`,
      );
    } else if (local === 'SignedParts' || local === 'EncryptedParts') {
      this.#parts(el, local);
    } else if (SUPPORTING.has(local)) {
      this.#supporting(el, local as SupportingTokensAssertion);
    } else {
      this.#report('', el);
    }
  }

  #binding(el: Element, kind: SecurityBindingName): void {
    const path = `${assertionName(el)}/`;
    const r = this.result;
    for (const a of this.#nested(el, '')) {
      const local = SP_NAMESPACES.has(a.namespaceURI ?? '') ? (a.localName ?? '') : '';
      const asym = kind === 'AsymmetricBinding';
      if (asym && (local === 'InitiatorToken' || local === 'InitiatorSignatureToken')) {
        r.initiatorToken = this.#tokenWrapper(a, path);
      } else if (asym && (local === 'RecipientToken' || local === 'RecipientEncryptionToken')) {
        r.recipientToken = this.#tokenWrapper(a, path);
      } else if (
        asym &&
        (local === 'InitiatorEncryptionToken' || local === 'RecipientSignatureToken')
      ) {
        this.#ctx.notes.push(
          `${path}${assertionName(a)} concerns responses; the operations are one-way, so it has no effect`,
        );
      } else if (kind === 'SymmetricBinding' && local === 'ProtectionToken') {
        const kerberos = this.#nested(a, path).find((n) => isSp(n, 'KerberosToken'));
        if (kerberos) r.kerberosToken = this.#kerberos(kerberos, `${path}${assertionName(a)}/`);
        else r.recipientToken = this.#tokenWrapper(a, path);
      } else if (kind === 'TransportBinding' && local === 'TransportToken') {
        this.#transportToken(a, path);
      } else if (local === 'AlgorithmSuite') {
        this.#algorithmSuite(a, path);
      } else if (local === 'Layout') {
        this.#layout(a, path);
      } else if (local === 'IncludeTimestamp') {
        r.includeTimestamp = true;
      } else if (kind !== 'TransportBinding' && local === 'EncryptBeforeSigning') {
        r.encryptBeforeSigning = true;
      } else if (kind !== 'TransportBinding' && local === 'EncryptSignature') {
        r.encryptSignature = true;
      } else if (kind !== 'TransportBinding' && local === 'ProtectTokens') {
        r.protectTokens = true;
      } else if (kind !== 'TransportBinding' && local === 'OnlySignEntireHeadersAndBody') {
        r.onlySignEntireHeadersAndBody = true;
      } else {
        this.#report(path, a);
      }
    }
  }

  /** InitiatorToken, RecipientToken, ProtectionToken: one nested sp:X509Token. */
  #tokenWrapper(el: Element, parent: string): X509TokenRequirement | undefined {
    const path = `${parent}${assertionName(el)}/`;
    let token: X509TokenRequirement | undefined;
    for (const a of this.#nested(el, parent)) {
      if (isSp(a, 'X509Token') && token === undefined) token = this.#x509(a, path);
      else this.#report(path, a, 'wsseq supports one X.509 token here');
    }
    return token;
  }

  #includeToken(el: Element, path: string): IncludeToken {
    const value =
      attr(el, POLICY_NS.sp12, 'IncludeToken') ?? attr(el, POLICY_NS.sp11, 'IncludeToken');
    if (value === undefined) return 'Always';
    for (const ns of SP_NAMESPACES) {
      const prefix = `${ns}/IncludeToken/`;
      if (value.startsWith(prefix)) {
        const v = value.slice(prefix.length);
        if (INCLUDE_TOKEN.has(v)) return v as IncludeToken;
      }
    }
    this.#unknown.push(`${path}${assertionName(el)}/@IncludeToken="${value}"`);
    return 'Always';
  }

  #kerberos(el: Element, parent: string): KerberosTokenRequirement {
    const includeToken = this.#includeToken(el, parent);
    const path = `${parent}${assertionName(el)}/`;
    let tokenType: KerberosTokenRequirement['tokenType'];
    let requireKeyIdentifierReference = false;
    let requireDerivedKeys = false;
    for (const a of this.#nested(el, parent)) {
      if (isSp(a, 'WssGssKerberosV5ApReqToken11')) tokenType = 'WssGssKerberosV5ApReqToken11';
      else if (isSp(a, 'WssKerberosV5ApReqToken11')) {
        tokenType = 'WssKerberosV5ApReqToken11';
        this.#ctx.notes.push(
          `${path}sp:WssKerberosV5ApReqToken11: wsseq sends the GSS-framed token`,
        );
      } else if (isSp(a, 'RequireKeyIdentifierReference')) requireKeyIdentifierReference = true;
      else if (isSp(a, 'RequireDerivedKeys')) requireDerivedKeys = true;
      else this.#report(path, a);
    }
    return { includeToken, tokenType, requireKeyIdentifierReference, requireDerivedKeys };
  }

  #x509(el: Element, parent: string): X509TokenRequirement {
    const includeToken = this.#includeToken(el, parent);
    const path = `${parent}${assertionName(el)}/`;
    let reference: Exclude<KeyReferenceStyle, 'bst'> | undefined;
    for (const a of this.#nested(el, parent)) {
      const local = SP_NAMESPACES.has(a.namespaceURI ?? '') ? (a.localName ?? '') : '';
      const style = REFERENCES[local];
      if (local === 'WssX509V3Token10' || local === 'WssX509V3Token11') continue;
      if (style !== undefined) {
        if (reference === undefined) reference = style;
        else this.#ctx.notes.push(`${path}${assertionName(a)}: ${reference} references are used`);
      } else {
        this.#report(path, a);
      }
    }
    return { includeToken, reference };
  }

  #transportToken(el: Element, parent: string): void {
    const path = `${parent}${assertionName(el)}/`;
    for (const a of this.#nested(el, parent)) {
      if (!isSp(a, 'HttpsToken')) {
        this.#report(path, a);
        continue;
      }
      // WS-SP 1.1 carries RequireClientCertificate as an attribute, 1.2 as a nested assertion.
      let requireClientCertificate = attr(a, null, 'RequireClientCertificate') === 'true';
      for (const n of this.#nested(a, path)) {
        if (isSp(n, 'RequireClientCertificate')) requireClientCertificate = true;
        else this.#report(`${path}${assertionName(a)}/`, n);
      }
      this.result.transportToken = { requireClientCertificate };
    }
  }

  #algorithmSuite(el: Element, parent: string): void {
    const path = `${parent}${assertionName(el)}/`;
    for (const a of this.#nested(el, parent)) {
      const local = a.localName ?? '';
      const known = Object.hasOwn(ALGORITHM_SUITES, local);
      const named =
        (SP_NAMESPACES.has(a.namespaceURI ?? '') && known && !GCM_SUITES.has(local)) ||
        (a.namespaceURI === POLICY_NS.wsseqSp && GCM_SUITES.has(local));
      if (named && this.result.algorithmSuite === undefined) {
        this.result.algorithmSuite = local as AlgorithmSuiteName;
      } else if (named) {
        this.#report(path, a, `a second suite; ${this.result.algorithmSuite ?? ''} is used`);
      } else {
        this.#report(path, a);
      }
    }
  }

  #layout(el: Element, parent: string): void {
    const path = `${parent}${assertionName(el)}/`;
    for (const a of this.#nested(el, parent)) {
      const local = a.localName ?? '';
      if (local === 'LaxTsLast' && isSp(a, local)) {
        this.#report(path, a, 'wsseq always writes the Timestamp first');
      } else if (
        (local === 'Strict' || local === 'Lax' || local === 'LaxTsFirst') &&
        isSp(a, local)
      ) {
        this.result.layout = local;
      } else {
        this.#report(path, a);
      }
    }
  }

  #wss(el: Element, version: '1.0' | '1.1'): void {
    const path = `${assertionName(el)}/`;
    const w: Mutable<WssOptions> = {
      version,
      mustSupportRefKeyIdentifier: false,
      mustSupportRefIssuerSerial: false,
      mustSupportRefThumbprint: false,
      mustSupportRefEncryptedKey: false,
      requireSignatureConfirmation: false,
    };
    for (const a of this.#nested(el, '')) {
      const local = SP_NAMESPACES.has(a.namespaceURI ?? '') ? (a.localName ?? '') : '';
      switch (local) {
        case 'MustSupportRefKeyIdentifier':
          w.mustSupportRefKeyIdentifier = true;
          break;
        case 'MustSupportRefIssuerSerial':
          w.mustSupportRefIssuerSerial = true;
          break;
        case 'MustSupportRefThumbprint':
          if (version === '1.1') w.mustSupportRefThumbprint = true;
          else this.#report(path, a);
          break;
        case 'MustSupportRefEncryptedKey':
          if (version === '1.1') w.mustSupportRefEncryptedKey = true;
          else this.#report(path, a);
          break;
        case 'MustSupportRefExternalURI':
        case 'MustSupportRefEmbeddedToken':
          // Capabilities the receiver states; wsseq never sends such references.
          break;
        case 'RequireSignatureConfirmation':
          if (version === '1.0') {
            this.#report(path, a);
          } else {
            w.requireSignatureConfirmation = true;
            this.#ctx.notes.push(
              `${path}${assertionName(a)}: the operations are one-way, so no response confirms the signature`,
            );
          }
          break;
        default:
          this.#report(path, a);
      }
    }
    this.result.wss = w;
  }

  #parts(el: Element, which: 'SignedParts' | 'EncryptedParts'): void {
    const path = `${assertionName(el)}/`;
    const children = childElements(el);
    if (children.length === 0) {
      // WS-SP 1.2 section 4.1.1: an empty SignedParts means the Body and every header.
      if (which === 'SignedParts') {
        this.result.signedBody = true;
        this.#unknown.push(
          `${assertionName(el)} (empty: every SOAP header too; wsseq signs the Body and its Security header parts only)`,
        );
      } else {
        this.result.encryptedBody = true;
      }
      return;
    }
    for (const c of children) {
      if (isSp(c, 'Body')) {
        if (which === 'SignedParts') this.result.signedBody = true;
        else this.result.encryptedBody = true;
      } else if (isSp(c, 'Header')) {
        const ns = attr(c, null, 'Namespace') ?? '';
        const name = attr(c, null, 'Name');
        this.#unknown.push(
          `${path}sp:Header {${ns}}${name ?? '*'} (wsseq protects the Body, not other SOAP headers)`,
        );
      } else {
        this.#report(path, c);
      }
    }
  }

  #supporting(el: Element, assertion: SupportingTokensAssertion): void {
    const path = `${assertionName(el)}/`;
    const signed = assertion.startsWith('Signed');
    const encrypted = assertion.includes('Encrypted');
    const endorsing = assertion.includes('Endorsing');
    for (const a of this.#nested(el, '')) {
      let token: UserNameTokenRequirement | IssuedTokenRequirement | undefined;
      if (isSp(a, 'UsernameToken')) token = this.#userName(a, path);
      else if (isSp(a, 'IssuedToken')) token = this.#issued(a, path);
      else if (isSp(a, 'X509Token')) {
        this.#report(
          path,
          a,
          'wsseq signs with the client certificate directly: use an AsymmetricBinding InitiatorToken',
        );
      } else this.#report(path, a);
      if (token)
        this.result.supportingTokens.push({ assertion, signed, encrypted, endorsing, token });
    }
    if (endorsing) {
      this.#ctx.notes.push(
        `${assertionName(el)}: the token's key is the key the message signature is made with (holder-of-key), not a second endorsing signature`,
      );
    }
  }

  #userName(el: Element, parent: string): UserNameTokenRequirement {
    const includeToken = this.#includeToken(el, parent);
    const path = `${parent}${assertionName(el)}/`;
    let passwordType: UserNameTokenRequirement['passwordType'] = 'PasswordText';
    for (const a of this.#nested(el, parent)) {
      const local = a.localName ?? '';
      if (isSp(a, 'WssUsernameToken10') || isSp(a, 'WssUsernameToken11')) continue;
      if (isSp(a, 'HashPassword')) passwordType = 'PasswordDigest';
      else if (a.namespaceURI === POLICY_NS.sp13 && (local === 'Created' || local === 'Nonce')) {
        this.#ctx.notes.push(`${path}${assertionName(a)}: sent with PasswordDigest`);
      } else this.#report(path, a);
    }
    return { kind: 'UsernameToken', includeToken, passwordType };
  }

  #issued(el: Element, parent: string): IssuedTokenRequirement {
    const includeToken = this.#includeToken(el, parent);
    const path = `${parent}${assertionName(el)}/`;
    let issuerAddress: string | undefined;
    let issuerName: string | undefined;
    let tokenType: string | undefined;
    let keyType: string | undefined;
    let template: string | undefined;
    for (const c of childElements(el)) {
      if (isSp(c, 'Issuer')) {
        const address = childElements(c).find((e) => e.localName === 'Address');
        issuerAddress = address ? textOf(address).trim() : undefined;
      } else if (isSp(c, 'IssuerName')) {
        issuerName = textOf(c).trim();
      } else if (isSp(c, 'RequestSecurityTokenTemplate')) {
        template = serialize(c);
        for (const t of childElements(c)) {
          if (t.localName === 'TokenType') tokenType = textOf(t).trim();
          else if (t.localName === 'KeyType') keyType = textOf(t).trim();
        }
      } else if (!isWsp(c, 'Policy') && !isWsp(c, 'PolicyReference')) {
        this.#report(path, c);
      }
    }
    for (const a of this.#nested(el, parent)) {
      if (isSp(a, 'RequireInternalReference') || isSp(a, 'RequireExternalReference')) continue;
      this.#report(path, a);
    }
    return {
      kind: 'IssuedToken',
      includeToken,
      issuerAddress,
      issuerName,
      tokenType,
      keyType,
      requestSecurityTokenTemplate: template,
    };
  }
}
