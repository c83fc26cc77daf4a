/**
 * The credential plug-in interface. Each client credential type is one file with its sender
 * half (`attach`) and receiver half (`authenticate`); the pipelines know only this interface.
 */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../trust/certificate.js';
import type { Document, Element } from '../xml/dom.js';

export type CredentialType = 'Certificate' | 'UserName' | 'IssuedToken';

/** What a sender-side stage hands a credential: the document and the Security header. */
export interface AttachContext {
  readonly document: Document;
  readonly security: Element;
  /** Make a fresh, unique wsu:Id value with a readable prefix. */
  readonly newId: (prefix: string) => string;
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

/** The sender half of a credential. */
export interface SenderCredential {
  readonly type: CredentialType;
  /** Add the credential's tokens to the Security header; return the signing key. */
  attach(ctx: AttachContext): SigningKey;
}
