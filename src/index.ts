/**
 * wsseq: WS-Security message-level security for queued SOAP services.
 *
 * The main entry: secure, open, credentials, trust, policy, errors and the in-memory replay
 * cache. It loads no native module and no queue or database client. The rest is in subpath
 * entries (`src/entries/`), each importing only what it needs:
 * `wsseq/host`, `wsseq/queue/sqlite`, `wsseq/queue/rabbitmq`, `wsseq/replay/sqlite`,
 * `wsseq/replay/redis`, `wsseq/wsdl`, `wsseq/dev`.
 *
 * Re-exports only; anything not exported by an entry is internal.
 */
export {
  WsseqError,
  CertificateError,
  PolicyError,
  DecryptionError,
  MustUnderstandError,
  isWsseqError,
  wsseqError,
} from './errors.js';
export type {
  AnyWsseqError,
  GeneralWsseqError,
  WsseqErrorCode,
  WsseqErrorOptions,
  WssFaultCode,
  CertificateErrorCode,
  HeaderName,
  PolicyErrorCode,
  GeneralErrorCode,
} from './errors.js';
export { InvalidOptionError } from './policy/check-options.js';
export { toSoapFault } from './fault.js';
export type { Logger } from './log.js';
export type { SoapFaultOptions } from './fault.js';

export { createSecurer, secureEnvelope } from './secure/secure-envelope.js';
export type { SecureOptions, Securer } from './secure/secure-envelope.js';
export { createWcfSecurer } from './secure/wcf-layout.js';
export type { WcfLayout, WcfProtectionOrder, WcfSecureOptions } from './secure/wcf-layout.js';
export { createOpener, openEnvelope } from './open/open-envelope.js';
export type {
  OpenMessageOptions,
  OpenOptions,
  OpenResult,
  Opener,
  SecurityContext,
} from './open/open-envelope.js';
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
export type { CertificatePurpose } from './trust/validate.js';
export { describeIdentity } from './trust/identity.js';
export type { CertificateIdentity } from './trust/identity.js';
export { createIdentityMapper } from './trust/mapping.js';
export type {
  IdentityMapper,
  IdentityMappingOptions,
  MappedAccount,
  OneToOneMapping,
  ManyToOneRule,
} from './trust/mapping.js';

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

// Credentials: UserName and IssuedToken, and the plug-in interface.
export type {
  Identity,
  ReceiverCredential,
  MessageEvidence,
  SignatureEvidence,
  Authentication,
  Attachment,
  AttachContext,
  SigningKey,
} from './credentials/types.js';
export { certificateAuthenticator } from './credentials/x509.js';
export { usernameCredential, usernameAuthenticator } from './credentials/username.js';
export type {
  UsernameCredentialOptions,
  UsernameSigningCertificate,
  UsernameAuthenticatorOptions,
  UserValidator,
  UserValidation,
  PasswordDigestEvidence,
  PasswordType,
} from './credentials/username.js';
export {
  createUserStore,
  hashPassword,
  verifyPassword,
  verifyPasswordDigest,
} from './credentials/user-store.js';
export type {
  UserRecord,
  UserStoreOptions,
  SecretProvider,
  ScryptParams,
} from './credentials/user-store.js';
export { issuedTokenCredential, issuedTokenAuthenticator } from './credentials/issued-jwt.js';
export type {
  IssuedTokenCredentialOptions,
  IssuedTokenAuthenticatorOptions,
  TrustedIssuer,
} from './credentials/issued-jwt.js';
export { issueToken, readStsKey } from './credentials/sts.js';
export type {
  IssueTokenOptions,
  TokenConfirmation,
  StsKey,
  ReadStsKeyOptions,
} from './credentials/sts.js';
export { JWT_TOKEN_TYPE } from './credentials/jwt-token.js';
export type { JwtAlgorithm } from './credentials/jwt.js';

// Replay protection (shared caches: wsseq/replay/sqlite, wsseq/replay/redis).
export type {
  ReplayCache,
  ReplayReservation,
  ReplayCacheOptions,
  ReserveOptions,
  SameMessage,
} from './replay/replay-cache.js';
export { DEFAULT_REPLAY_LEASE_MS, ReplayCacheError, ReplayError } from './replay/replay-cache.js';
export { createMemoryReplayCache } from './replay/memory.js';
export type { MemoryReplayCacheOptions } from './replay/memory.js';
export type { CredentialValidation } from './policy/policy.js';

// --- The Windows credential (Kerberos, WS-Security Kerberos Token Profile 1.1) -------------
// Pure TypeScript on node:crypto: no native module, no helper process.
export { kerberosAuthenticator } from './credentials/kerberos.js';
export type { KerberosAuthenticatorOptions } from './credentials/kerberos.js';
export { createKerberosSecurer } from './credentials/kerberos-secure.js';
export type { KerberosSecureOptions } from './credentials/kerberos-secure.js';
export { KERBEROS_VALUE_TYPE } from './credentials/kerberos-token.js';
export type { KerberosKeyReference } from './credentials/kerberos-token.js';
export { acquireServiceTicket, createApReq } from './kerberos/initiator.js';
export type { ServiceTicketOptions, ApReqToken } from './kerberos/initiator.js';
export type { IssuedTicket } from './kerberos/kdc.js';
export type { KerberosKey } from './kerberos/crypto.js';
export { readKeytab, parseKeytab } from './kerberos/keytab.js';
export type { KeytabEntry } from './kerberos/keytab.js';
export type { Principal } from './kerberos/messages.js';
export type { TokenKey } from './credentials/types.js';
