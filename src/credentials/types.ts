/**
 * The credential plug-in interface. Each client credential type is one file with its sender
 * half (`attach`) and receiver half (`authenticate`); the pipelines know only this interface.
 */
import type { KeyObject } from 'node:crypto';
import type { ProtectionLevel } from '../policy/policy.js';
import type { Certificate } from '../trust/certificate.js';
import type { CertificateIdentity } from '../trust/identity.js';
import type { ValidatedCertificate } from '../trust/validate.js';
import type { Timestamp } from '../wss/timestamp.js';
import type { Document, Element } from '../xml/dom.js';

export type CredentialType = 'Certificate' | 'UserName' | 'IssuedToken' | 'Windows';

/** What a sender-side stage hands a credential: the document and the Security header. */
export interface AttachContext {
  readonly document: Document;
  readonly security: Element;
  /** Make a fresh, unique wsu:Id value with a readable prefix. */
  readonly newId: (prefix: string) => string;
  /** The sender's clock, as the Timestamp uses it. */
  readonly now: Date;
  /**
   * What the sender's policy will do to the message: a credential that must not travel in
   * clear (a PasswordText UsernameToken) refuses to attach unless it is 'EncryptAndSign'.
   */
  readonly protectionLevel: ProtectionLevel;
}

/** The key a credential signs with and how the signature's KeyInfo refers to it. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly certificate: Certificate;
  /** The SecurityTokenReference for ds:KeyInfo. */
  readonly keyInfo: Element;
  /** Token elements in the header that the signature should also cover (ProtectTokens). */
  readonly tokens: readonly Element[];
}

/** What a credential adds on the sender side. */
export interface Attachment {
  /** The key the message is signed with; undefined when the credential has none. */
  readonly signingKey: SigningKey | undefined;
  /** Header elements to be encrypted with the Body under EncryptAndSign (a UsernameToken). */
  readonly encryptedTokens?: readonly Element[];
  /** Header elements to be signed besides Body and Timestamp (supporting tokens). */
  readonly signedTokens?: readonly Element[];
}

/** The sender half of a credential. */
export interface SenderCredential {
  readonly type: CredentialType;
  /** Add the credential's tokens to the Security header. */
  attach(ctx: AttachContext): Attachment;
}

/** Who the service is talking to, whatever the credential. */
export interface Identity {
  /**
   * The authenticated name: the certificate's subject DN, the user name, or the token's
   * subject. Identity mapping may replace it with an account name.
   */
  readonly name: string;
  readonly credentialType: CredentialType;
  /** Claims: token claims, or what a validator returned, or the certificate's fields. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly roles: readonly string[];
  /** For identities that rest on a certificate: what it says. */
  readonly certificate?: CertificateIdentity;
}

/** A verified signature, as the credential plug-ins see it. */
export interface SignatureEvidence {
  /** The elements the signature covers (verified digests). */
  readonly covered: readonly Element[];
  /** The certificate whose key made the signature, when it was an X.509 key (not yet trusted). */
  readonly certificate: Certificate | undefined;
  /** The token element the key came from (a BinarySecurityToken), if any. */
  readonly token: Element | undefined;
  /**
   * The token the signing key comes from at the root: for a key derived (DerivedKeyToken)
   * from a token, that token (an EncryptedKey, a Kerberos BinarySecurityToken); else `token`.
   */
  readonly keyToken?: Element | undefined;
  readonly signatureValue: Buffer;
}

/** What header processing established, handed to each credential plug-in. */
export interface MessageEvidence {
  /** The signature covering the Envelope's own Body, if any. */
  readonly bodySignature: SignatureEvidence | undefined;
  readonly signatures: readonly SignatureEvidence[];
  /** Security header tokens no built-in processor consumed (UsernameToken, JWT tokens...). */
  readonly tokens: readonly Element[];
  /** Elements that arrived encrypted (for Content encryption: the parent). */
  readonly encrypted: readonly Element[];
  /** X.509 certificates carried in the message (candidates for path building, never anchors). */
  readonly certificates: readonly Certificate[];
  readonly timestamp: Timestamp | undefined;
  /** The receiver's clock for this message. */
  readonly now: Date;
  /**
   * The instant certificates and tokens are to be valid at: the signed Timestamp's Created
   * under `credentialValidation: 'AtSignedTime'` (the message's age already bounded by
   * `maxMessageAgeSeconds`), else {@link MessageEvidence.now}. Undefined means `now`.
   */
  readonly validationTime?: Date;
}

/** A credential's verdict on a message. */
export interface Authentication {
  readonly identity: Identity;
  /** The validated certificate the identity rests on, if any. */
  readonly signer?: ValidatedCertificate;
  /** Values that must be seen only once (a UsernameToken nonce...), for the replay cache. */
  readonly replayKeys?: readonly string[];
  /**
   * The replay keys must be remembered at least until then (a UsernameToken's Created plus
   * the nonce age the authenticator accepts), when that is later than the message's own
   * lifetime.
   */
  readonly replayExpiresAt?: Date;
}

/** A key a credential plug-in obtained from a token of its own kind (a Kerberos AP-REQ). */
export interface TokenKey {
  readonly key: Buffer;
  /** A KeyIdentifier that also names the token (e.g. `#Kerberosv5APREQSHA1` and its SHA-1). */
  readonly keyIdentifier?: { readonly valueType: string; readonly value: Buffer };
  /**
   * Data encrypted directly with this key by an algorithm with a shorter key uses its first
   * octets (WSS4J: AES-128 with a 256-bit Kerberos key).
   */
  readonly shorterKeysArePrefixes?: boolean;
}

/** The receiver half of a credential. */
export interface ReceiverCredential {
  readonly type: CredentialType;
  /**
   * Optional: the key a BinarySecurityToken of this credential's kind establishes, asked
   * while the Security header is processed (before any signature is verified), so that
   * signatures, DerivedKeyTokens and encrypted data may refer to the token. Return undefined
   * for tokens of another kind; throw a WsseqError to reject the token. The time rules and
   * the identity belong to {@link ReceiverCredential.authenticate}.
   */
  resolveTokenKey?(token: Element): TokenKey | undefined;
  /**
   * Authenticate the message. Return undefined when the message does not carry this
   * credential; throw a WsseqError to reject it.
   */
  authenticate(evidence: MessageEvidence): Promise<Authentication | undefined>;
}
