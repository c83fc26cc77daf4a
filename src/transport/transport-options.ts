/**
 * Construction-time checks of the transport-security entry points' options
 * ({@link protectTransportMessage}, {@link verifyTransportMessage}, {@link createHttpsGateway}):
 * types, enumerations and unknown keys, each a TypeError naming the option.
 */
import {
  anyOf,
  arrayOf,
  checkOptions,
  enumValues,
  hasFields,
  hasMethods,
  isFunction,
  isInstance,
  isNumber,
  isPrivateKey,
  isString,
  oneOf,
  required,
} from '../policy/check-options.js';
import type { Checker } from '../policy/check-options.js';
import { isCertificate } from '../policy/option-values.js';
import { isServiceKey, isTrustStore } from '../policy/pipeline-options.js';
import type { ClientCertificateMode, HttpsGatewayOptions } from './https-gateway.js';
import type {
  ProtectTransportOptions,
  TransportCredential,
  VerifyTransportOptions,
} from './transport-security.js';

export const CLIENT_CERTIFICATE_MODES = enumValues<ClientCertificateMode>()([
  'Ignore',
  'Accept',
  'Require',
]);
export const TRANSPORT_HOPS = enumValues<NonNullable<ProtectTransportOptions['hop']>>()([
  'queue',
  'https',
]);

/** A certificate and its private key (other fields allowed). */
const isTransportCredential: Checker = hasFields<TransportCredential>({
  certificate: required(isCertificate),
  privateKey: required(isPrivateKey),
});

const isDate: Checker = isInstance(
  'valid Date',
  (v) => v instanceof Date && !Number.isNaN(v.getTime()),
);

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkProtectTransportOptions(
  options: unknown,
): asserts options is ProtectTransportOptions {
  checkOptions<ProtectTransportOptions>(options, 'options', {
    id: required(isString()),
    destination: required(isString()),
    credential: required(isTransportCredential),
    recipient: isCertificate,
    ttlMs: isNumber({ exclusiveMin: true, integer: true }),
    sentAt: isDate,
    hop: oneOf(TRANSPORT_HOPS),
    hopClientCertificate: isCertificate,
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkVerifyTransportOptions(
  options: unknown,
): asserts options is VerifyTransportOptions {
  checkOptions<VerifyTransportOptions>(options, 'options', {
    queueName: required(isString()),
    trust: required(isTrustStore),
    keys: arrayOf(isServiceKey),
    trustedGateways: arrayOf(isCertificate),
    now: required(isDate),
    maxClockSkewSeconds: isNumber(),
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkHttpsGatewayOptions(options: unknown): asserts options is HttpsGatewayOptions {
  checkOptions<HttpsGatewayOptions>(options, 'options', {
    key: required(anyOf(isPrivateKey, isString())),
    cert: required(anyOf(isCertificate, isString())),
    chain: arrayOf(isCertificate),
    queue: required(hasMethods('send')),
    clientCertificate: required(oneOf(CLIENT_CERTIFICATE_MODES)),
    trust: isTrustStore,
    attestWith: isTransportCredential,
    port: isNumber({ integer: true }),
    host: isString(),
    path: isString(),
    maxRequestBytes: isNumber({ exclusiveMin: true, integer: true }),
    now: isFunction,
    onRequest: isFunction,
  });
}
