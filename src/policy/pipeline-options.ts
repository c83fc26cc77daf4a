/**
 * The options of the pipeline's entry points ({@link createSecurer}, {@link createWcfSecurer},
 * {@link createOpener}), checked once at construction: each option's type and, for
 * enumerations, its allowed values; unknown keys are refused. The policies themselves are
 * checked by `resolveSenderPolicy` / `resolveReceiverPolicy`.
 */
import {
  arrayOf,
  checkOptions,
  hasFields,
  hasMethods,
  InvalidOptionError,
  isAny,
  isBoolean,
  isFunction,
  isInstance,
  isNumber,
  isOptions,
  isPrivateKey,
  isString,
  oneOf,
  required,
  enumValues,
} from './check-options.js';
import type { Checker } from './check-options.js';
import { ALGORITHM_SUITE_NAMES, isCertificate } from './option-values.js';
import type { OpenOptions } from '../open/open-envelope.js';
import type { ServiceKey } from '../open/keys.js';
import type { SecureOptions } from '../secure/secure-envelope.js';
import type {
  WcfAddressing,
  WcfLayout,
  WcfProtectionOrder,
  WcfSecureOptions,
} from '../secure/wcf-layout.js';
import { TrustStore } from '../trust/validate.js';
import type { SecureConversationVersion } from '../wss/derived-key.js';

export const WCF_LAYOUTS = enumValues<WcfLayout>()([
  'MutualCertificate11',
  'MutualCertificate10',
  'UserNameForCertificate',
]);
export const WCF_PROTECTION_ORDERS = enumValues<WcfProtectionOrder>()([
  'SignBeforeEncrypt',
  'SignBeforeEncryptAndEncryptSignature',
]);
export const WCF_DERIVED_KEYS = enumValues<NonNullable<WcfSecureOptions['derivedKeys']>>()([
  'separate',
  'single',
  'none',
]);
export const SECURE_CONVERSATION_VERSIONS = enumValues<SecureConversationVersion>()([
  '2005/02',
  '1.3',
]);

/** A TrustStore. */
export const isTrustStore: Checker = isInstance('TrustStore', (v) => v instanceof TrustStore);

/** A sender credential plug-in (its `attach`). */
export const isSenderCredential: Checker = hasMethods('attach');

/** A receiver credential plug-in (its `authenticate`). */
export const isReceiverCredential: Checker = hasMethods('authenticate');

/** A pino-compatible logger (`debug` optional). */
export const isLogger: Checker = hasMethods('info', 'warn', 'error');

/** A service key: a certificate and its private key (other fields, such as `chain`, allowed). */
export const isServiceKey: Checker = hasFields<ServiceKey>({
  certificate: required(isCertificate),
  privateKey: required(isPrivateKey),
});

/**
 * Check {@link SecureOptions} (the policy is checked by its resolver).
 * @throws InvalidOptionError (a TypeError) naming the option.
 */
export function checkSecureOptions(options: unknown): asserts options is SecureOptions {
  checkOptions<SecureOptions>(options, 'options', {
    credential: required(isSenderCredential),
    serviceCertificate: isCertificate,
    policy: isAny,
    now: isFunction,
    logger: isLogger,
  });
}

/**
 * Check {@link WcfSecureOptions}.
 * @throws InvalidOptionError (a TypeError) naming the option.
 */
export function checkWcfSecureOptions(options: unknown): asserts options is WcfSecureOptions {
  checkOptions<WcfSecureOptions>(options, 'options', {
    layout: required(oneOf(WCF_LAYOUTS)),
    credential: required(isSenderCredential),
    serviceCertificate: required(isCertificate),
    algorithmSuite: oneOf(ALGORITHM_SUITE_NAMES),
    allowInsecureAlgorithms: isBoolean,
    protectionOrder: oneOf(WCF_PROTECTION_ORDERS),
    derivedKeys: oneOf(WCF_DERIVED_KEYS),
    secureConversationVersion: oneOf(SECURE_CONVERSATION_VERSIONS),
    derivedKeyValueType: isBoolean,
    addressing: isOptions<WcfAddressing>({
      action: required(isString()),
      to: required(isString()),
      messageId: isString(),
      replyTo: isBoolean,
    }),
    signAddressingHeaders: isBoolean,
    timestampTtlSeconds: isNumber(),
    now: isFunction,
    logger: isLogger,
  });
}

/**
 * Check {@link OpenOptions} (the policy is checked by its resolver).
 * @throws InvalidOptionError (a TypeError) naming the option.
 */
export function checkOpenOptions(options: unknown): asserts options is OpenOptions {
  checkOptions<OpenOptions>(options, 'options', {
    serviceKeys: arrayOf(isServiceKey),
    trust: isTrustStore,
    credentials: arrayOf(isReceiverCredential),
    policy: isAny,
    now: isFunction,
    keepSecurityHeader: isBoolean,
    knownCertificates: arrayOf(isCertificate),
    replayCache: hasMethods('reserve'),
    logger: isLogger,
  });
}

/**
 * Check what `open` or `secure` was given: a string or bytes (or, for `secure`, an xmldom
 * Document). Anything else is caller misuse, thrown synchronously, never a rejection.
 * @throws InvalidOptionError (a TypeError) naming the argument.
 */
export function checkMessageInput(input: unknown, name: string, allowDocument = false): void {
  if (typeof input === 'string' || input instanceof Uint8Array) return;
  const isDocument =
    typeof input === 'object' &&
    input !== null &&
    (input as { readonly nodeType?: unknown }).nodeType === DOCUMENT_NODE;
  if (allowDocument && isDocument) return;
  throw new InvalidOptionError(
    name,
    `must be a string or a Uint8Array${allowDocument ? ' or a Document' : ''}; got ${
      input === null ? 'null' : typeof input
    }`,
  );
}

const DOCUMENT_NODE = 9;
