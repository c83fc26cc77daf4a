/**
 * Construction-time checks of the options of the tooling entry points: the development PKI
 * ({@link createDevelopmentPki}, {@link initDevelopmentPki}), the certificate doctor
 * ({@link diagnoseCertificate}), the WSDL policy reader ({@link policyFromWsdl}) and the STS
 * ({@link issueToken}). Each bad option is a TypeError naming it.
 */
import { KeyObject } from 'node:crypto';
import {
  anyOf,
  arrayOf,
  checkOptions,
  enumValues,
  hasFields,
  isBoolean,
  isInstance,
  isNumber,
  isOptions,
  isPrivateKey,
  isString,
  oneOf,
  required,
} from './check-options.js';
import type { Checker } from './check-options.js';
import { isCertificate } from './option-values.js';
import type { PolicyFromWsdlOptions } from './wsdl.js';
import { JWT_ALGORITHMS } from '../credentials/jwt.js';
import type { IssueTokenOptions } from '../credentials/sts.js';
import type { DiagnoseCertificateOptions } from '../doctor/diagnose.js';
import type { DevelopmentClient, InitDevelopmentPkiOptions } from '../pki/init.js';
import type { DevelopmentPkiOptions } from '../trust/dev-pki.js';
import type { CertificatePurpose } from '../trust/path.js';

export const CERTIFICATE_PURPOSES = enumValues<CertificatePurpose>()(['client', 'service']);

/** A Date that is a valid instant. */
export const isValidDate: Checker = isInstance(
  'valid Date',
  (v) => v instanceof Date && !Number.isNaN(v.getTime()),
);

const isCrl: Checker = anyOf(
  isString(),
  isInstance('Uint8Array', (v) => v instanceof Uint8Array),
);
/** A public key, or a private key whose public half is meant. */
const isAsymmetricKey: Checker = isInstance(
  'public or private KeyObject',
  (v) => v instanceof KeyObject && v.type !== 'secret',
);

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkDevelopmentPkiOptions(
  options: unknown,
): asserts options is DevelopmentPkiOptions {
  checkOptions<DevelopmentPkiOptions>(options, 'options', {
    now: isValidDate,
    validityDays: isNumber({ exclusiveMin: true }),
    serviceDnsName: isString(),
    clientName: isString(),
    clientEmail: isString(),
    organization: isString(),
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkInitPkiOptions(
  options: unknown,
): asserts options is InitDevelopmentPkiOptions {
  checkOptions<InitDevelopmentPkiOptions>(options, 'options', {
    force: isBoolean,
    now: isValidDate,
    validityDays: isNumber({ exclusiveMin: true }),
    serviceDnsNames: arrayOf(isString(), { nonEmpty: true }),
    clients: arrayOf(
      isOptions<DevelopmentClient>({
        name: required(isString()),
        email: isString(),
        upn: isString(),
      }),
    ),
    pfxPassphrase: isString(),
    organization: isString(),
    createParents: isBoolean,
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkDiagnoseOptions(
  options: unknown,
): asserts options is DiagnoseCertificateOptions {
  checkOptions<DiagnoseCertificateOptions>(options, 'options', {
    certificate: required(isCertificate),
    chain: arrayOf(isCertificate),
    privateKey: isPrivateKey,
    trustedRoots: arrayOf(isCertificate),
    intermediates: arrayOf(isCertificate),
    crls: arrayOf(isCrl),
    purpose: oneOf(CERTIFICATE_PURPOSES),
    host: isString(),
    at: isValidDate,
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkPolicyFromWsdlOptions(
  options: unknown,
): asserts options is PolicyFromWsdlOptions {
  checkOptions<PolicyFromWsdlOptions>(options, 'options', {
    service: isString(),
    port: isString(),
    binding: isString(),
    strict: isBoolean,
    allowInsecureAlgorithms: isBoolean,
  });
}

const isConfirmation: Checker = anyOf(
  oneOf(['bearer']),
  hasFields<{ certificate: unknown }>({ certificate: required(isCertificate) }),
  hasFields<{ publicKey: unknown }>({ publicKey: required(isAsymmetricKey) }),
);

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkIssueTokenOptions(options: unknown): asserts options is IssueTokenOptions {
  checkOptions<IssueTokenOptions>(options, 'options', {
    signingKey: required(isPrivateKey),
    signingCertificate: required(isCertificate),
    issuer: required(isString()),
    audience: required(anyOf(isString(), arrayOf(isString(), { nonEmpty: true }))),
    subject: required(isString()),
    lifetimeSeconds: required(isNumber({ exclusiveMin: true, integer: true })),
    claims: isInstance(
      'claims object',
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    ),
    confirmation: required(isConfirmation),
    algorithm: oneOf(JWT_ALGORITHMS),
    keyId: isString(),
    now: isValidDate,
  });
}
