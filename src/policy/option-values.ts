/**
 * The allowed values of enumerated options whose types live in other modules, as runtime
 * lists the option checks use. {@link enumValues} makes the compiler refuse a list that misses
 * a member of its type, so a value added to a type cannot be forgotten here.
 */
import { ALGORITHM_SUITES } from './algorithms.js';
import type { AlgorithmSuiteName } from './algorithms.js';
import { enumValues, isInstance } from './check-options.js';
import type { Checker } from './check-options.js';
import { Certificate } from '../trust/certificate.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';

/** Every algorithm suite name, from {@link ALGORITHM_SUITES} itself. */
export const ALGORITHM_SUITE_NAMES = Object.freeze(
  Object.keys(ALGORITHM_SUITES) as AlgorithmSuiteName[],
);

/** How a sender refers to a certificate. */
export const KEY_REFERENCE_STYLES = enumValues<KeyReferenceStyle>()([
  'bst',
  'thumbprint',
  'ski',
  'issuer-serial',
]);

/** How an EncryptedKey refers to the service certificate (no BinarySecurityToken). */
export const SERVICE_KEY_REFERENCE_STYLES = enumValues<Exclude<KeyReferenceStyle, 'bst'>>()([
  'thumbprint',
  'ski',
  'issuer-serial',
]);

/** A certificate (the Certificate class). */
export const isCertificate: Checker = isInstance('Certificate', (v) => v instanceof Certificate);
