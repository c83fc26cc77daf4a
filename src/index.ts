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

// Replay protection.
export type { ReplayCache, ReplayReservation, ReplayCacheOptions } from './replay/replay-cache.js';
export { createMemoryReplayCache } from './replay/memory.js';
export type { MemoryReplayCacheOptions } from './replay/memory.js';
export { openSqliteReplayCache } from './replay/sqlite.js';
export type { SqliteReplayCache, SqliteReplayCacheOptions } from './replay/sqlite.js';
export { createRedisReplayCache } from './replay/redis.js';
export type { RedisReplayCacheOptions } from './replay/redis.js';
export type { CredentialValidation } from './policy/policy.js';

// Contracts: WS-SecurityPolicy from WSDL.
export { policyFromWsdl } from './policy/wsdl.js';
export type {
  PolicyFromWsdlOptions,
  PolicyFromWsdlResult,
  SecurityRequirements,
  IssuedTokenRequirement,
  UserNameTokenRequirement,
  SupportingTokenRequirement,
  X509TokenRequirement,
  WssOptions,
  IncludeToken,
} from './policy/wsdl.js';
export { checkContract } from './policy/contract-check.js';

// Certificate tooling.
export { diagnoseCertificate, isCertificateUsable } from './doctor/diagnose.js';
export type {
  DiagnoseCertificateOptions,
  CertificateFinding,
  CertificateCheck,
} from './doctor/diagnose.js';
export { formatFindings } from './doctor/report.js';
export { initDevelopmentPki } from './pki/init.js';
export type {
  InitDevelopmentPkiOptions,
  InitDevelopmentPkiResult,
  DevelopmentClient,
} from './pki/init.js';
export type { CertificatePurpose } from './trust/validate.js';

// Queues, security modes, transport security, the service host.
export { createMemoryQueue, openSqliteQueue, openRabbitQueue } from './transport/queue/index.js';
export type {
  MemoryQueueOptions,
  SqliteQueueOptions,
  RabbitQueueOptions,
} from './transport/queue/index.js';
export type {
  QueueAdapter,
  QueuedMessage,
  Delivery,
  SendOptions,
  ReceiveOptions,
} from './transport/queue/types.js';
export { QUEUE_PROPERTY } from './transport/queue/types.js';
export type { SecurityMode } from './transport/modes.js';
export {
  protectTransportMessage,
  verifyTransportMessage,
  TRANSPORT_PROPERTY,
} from './transport/transport-security.js';
export type {
  TransportCredential,
  VerifiedTransportMessage,
} from './transport/transport-security.js';
export { createHttpsGateway } from './transport/https-gateway.js';
export type {
  HttpsGatewayOptions,
  HttpsGateway,
  ClientCertificateMode,
  GatewayOutcome,
} from './transport/https-gateway.js';
export { sendOverHttps, createHttpsQueueSink } from './transport/https-sender.js';
export type { HttpsSendOptions, HttpsHopOptions } from './transport/https-sender.js';
export { createClient } from './host/create-client.js';
export type { ClientOptions, Client, ClientSendOptions, QueueSink } from './host/create-client.js';
export { createService } from './host/create-service.js';
export type {
  ServiceOptions,
  Service,
  ServiceRequest,
  ServiceHandler,
  ServiceStopped,
} from './host/create-service.js';
export type { ServiceContext, AuthorizeHook } from './host/accept-message.js';
export type { ServiceEvent } from './host/events.js';
export { HANDLER_FAILED } from './host/events.js';
export type { ReceiveErrorHandling } from './host/dispose.js';
export { REJECT_DISPOSITION_PROPERTY } from './host/dispose.js';
export { createIdentityMapper } from './trust/mapping.js';
export type {
  IdentityMapper,
  IdentityMappingOptions,
  MappedAccount,
  OneToOneMapping,
  ManyToOneRule,
} from './trust/mapping.js';
export { runDemo } from './demo/run-demo.js';
export type { DemoOptions, DemoSummary } from './demo/run-demo.js';

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
