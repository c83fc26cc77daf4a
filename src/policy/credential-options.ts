/**
 * Construction-time checks of the UserName credential's options ({@link usernameCredential},
 * {@link usernameAuthenticator}) and of {@link createUserStore}: types, the password type
 * enumeration and unknown keys, each a TypeError naming the option.
 */
import {
  checkOptions,
  enumValues,
  hasFields,
  hasMethods,
  isBoolean,
  isFunction,
  isNumber,
  isOptions,
  isPrivateKey,
  isString,
  oneOf,
  required,
} from './check-options.js';
import { isCertificate, KEY_REFERENCE_STYLES } from './option-values.js';
import { isTrustStore } from './pipeline-options.js';
import type {
  UsernameAuthenticatorOptions,
  UsernameCredentialOptions,
  UsernameSigningCertificate,
} from '../credentials/username.js';
import type { ScryptParams, UserStoreOptions } from '../credentials/user-store.js';
import type { PasswordType } from '../wss/username-token.js';

export const PASSWORD_TYPES = enumValues<PasswordType>()(['PasswordText', 'PasswordDigest']);

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkUsernameCredentialOptions(
  options: unknown,
): asserts options is UsernameCredentialOptions {
  checkOptions<UsernameCredentialOptions>(options, 'options', {
    username: required(isString()),
    password: required(isString(true)),
    passwordType: required(oneOf(PASSWORD_TYPES)),
    // A key pair as loaded may carry other fields.
    signWith: hasFields<UsernameSigningCertificate>({
      certificate: required(isCertificate),
      privateKey: required(isPrivateKey),
      keyReference: oneOf(KEY_REFERENCE_STYLES),
    }),
    allowUnencryptedPasswordText: isBoolean,
    nonce: isFunction,
    nonceAndCreated: isBoolean,
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkUsernameAuthenticatorOptions(
  options: unknown,
): asserts options is UsernameAuthenticatorOptions {
  checkOptions<UsernameAuthenticatorOptions>(options, 'options', {
    validator: required(hasMethods('validate')),
    allowPasswordText: isBoolean,
    requirePasswordType: isBoolean,
    allowUnprotectedToken: isBoolean,
    requireSignedToken: isBoolean,
    maxNonceAgeSeconds: isNumber(),
    maxClockSkewSeconds: isNumber(),
    trust: isTrustStore,
  });
}

/** @throws InvalidOptionError (a TypeError) naming the option. */
export function checkUserStoreOptions(options: unknown): asserts options is UserStoreOptions {
  checkOptions<UserStoreOptions>(options, 'options', {
    secretProvider: isFunction,
    scrypt: isOptions<ScryptParams>({
      N: isNumber({ exclusiveMin: true, integer: true }),
      r: isNumber({ exclusiveMin: true, integer: true }),
      p: isNumber({ exclusiveMin: true, integer: true }),
    }),
  });
}
