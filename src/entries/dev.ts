/**
 * `wsseq/dev`: development tooling. A development PKI (in memory, or written to a directory as
 * `wsseq pki init` does) and the certificate doctor. Not for production keys. Re-exports only.
 */
export { EKU, createDevelopmentPki, issueCertificate, issueCrl } from '../trust/dev-pki.js';
export type {
  DevelopmentPki,
  DevelopmentPkiOptions,
  DevelopmentCredential,
} from '../trust/dev-pki.js';
export { initDevelopmentPki } from '../pki/init.js';
export type {
  InitDevelopmentPkiOptions,
  InitDevelopmentPkiResult,
  DevelopmentClient,
} from '../pki/init.js';
export { diagnoseCertificate, isCertificateUsable } from '../doctor/diagnose.js';
export type {
  DiagnoseCertificateOptions,
  CertificateFinding,
  CertificateCheck,
} from '../doctor/diagnose.js';
export { formatFindings } from '../doctor/report.js';
