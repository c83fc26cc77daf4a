/**
 * wsseq: WS-Security message-level security for queued SOAP services.
 *
 * The public API; anything not exported here is internal.
 */
export {
  WsseqError,
  CertificateError,
  PolicyError,
  DecryptionError,
  isWsseqError,
} from './errors.js';
export type {
  AnyWsseqError,
  WsseqErrorCode,
  WssFaultCode,
  CertificateErrorCode,
} from './errors.js';
export { toSoapFault } from './fault.js';
export type { SoapFaultOptions } from './fault.js';

export { createSecurer, secureEnvelope } from './secure/secure-envelope.js';
export type { SecureOptions, Securer } from './secure/secure-envelope.js';
export { createWcfSecurer } from './secure/wcf-layout.js';
export type { WcfLayout, WcfProtectionOrder, WcfSecureOptions } from './secure/wcf-layout.js';
export { createOpener, openEnvelope } from './open/open-envelope.js';
export type { OpenOptions, OpenResult, Opener, SecurityContext } from './open/open-envelope.js';
export type { ServiceKey } from './open/keys.js';

export { certificateCredential } from './credentials/x509.js';
export type { CertificateCredentialOptions } from './credentials/x509.js';
export type { CredentialType, SenderCredential } from './credentials/types.js';
export {
  loadPem,
  loadPfx,
  loadPrivateKey,
  loadCertificates,
  exportPfx,
} from './credentials/key-material.js';
export type { KeyMaterial, LoadPemOptions, ExportPfxOptions } from './credentials/key-material.js';

export { Certificate } from './trust/certificate.js';
export { TrustStore } from './trust/validate.js';
export type {
  TrustOptions,
  ValidatedCertificate,
  CertificateValidationMode,
  RevocationMode,
} from './trust/validate.js';
export { describeIdentity } from './trust/identity.js';
export type { CertificateIdentity } from './trust/identity.js';
export { createDevelopmentPki, issueCertificate, issueCrl } from './trust/dev-pki.js';
export type {
  DevelopmentPki,
  DevelopmentPkiOptions,
  DevelopmentCredential,
} from './trust/dev-pki.js';

export { ALGORITHM_SUITES, DEFAULT_SUITE } from './policy/algorithms.js';
export type { AlgorithmSuite, AlgorithmSuiteName } from './policy/algorithms.js';
export type {
  SenderPolicy,
  ReceiverPolicy,
  ProtectionLevel,
  ProtectionOrder,
  KeyTransportName,
  MessageLimits,
  BspRelaxations,
} from './policy/policy.js';
export type { KeyReferenceStyle } from './wss/token-reference.js';
export type { Timestamp } from './wss/timestamp.js';
