/**
 * Policy: plain typed data, checked once and frozen. The zero value is the strict one:
 * SHA-256, AES-GCM, RSA-OAEP, Body and Timestamp signed, Body encrypted, bounded skew.
 */
import {
  ALGORITHM_SUITES,
  BLOCK_CIPHER,
  DEFAULT_SUITE,
  DIGEST,
  KEY_TRANSPORT,
  SIGNATURE,
  WEAK_ALGORITHMS,
} from './algorithms.js';
import type { AlgorithmSuite, AlgorithmSuiteName } from './algorithms.js';
import {
  arrayOf,
  checkOptions,
  isBoolean,
  isNumber,
  isOptions,
  isString,
  oneOf,
} from './check-options.js';
import type { Checker, OptionSpec } from './check-options.js';
import {
  ALGORITHM_SUITE_NAMES,
  KEY_REFERENCE_STYLES,
  SERVICE_KEY_REFERENCE_STYLES,
} from './option-values.js';
import { DEFAULT_PARSE_LIMITS } from '../xml/parse.js';
import type { ParseLimits } from '../xml/parse.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';

/**
 * WCF's protection levels: `None` (tokens and Timestamp only, as a UsernameToken over TLS),
 * `Sign`, `EncryptAndSign`.
 */
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];
export const PROTECTION_LEVELS = ['None', 'Sign', 'EncryptAndSign'] as const;
/** The order of signing and encryption on the sender. */
export type ProtectionOrder = (typeof PROTECTION_ORDERS)[number];
export const PROTECTION_ORDERS = [
  'SignBeforeEncrypt',
  'SignBeforeEncryptAndEncryptSignature',
  'EncryptBeforeSign',
] as const;
/** When credentials must be valid: at receipt, or at the message's signed Created time. */
export type CredentialValidation = (typeof CREDENTIAL_VALIDATIONS)[number];
export const CREDENTIAL_VALIDATIONS = ['AtReceipt', 'AtSignedTime'] as const;
/** Key transport by short name: rsa-oaep-mgf1p (SHA-1 MGF1, the interoperable default) or xmlenc11 rsa-oaep (SHA-256). */
export type KeyTransportName = (typeof KEY_TRANSPORT_NAMES)[number];
export const KEY_TRANSPORT_NAMES = ['rsa-oaep-mgf1p', 'rsa-oaep'] as const;

/** What a sender does. Every field is optional; the defaults are the strict ones. */
export interface SenderPolicy {
  /** Default 'EncryptAndSign'. */
  readonly protectionLevel?: ProtectionLevel;
  /** Default 'SignBeforeEncrypt'. */
  readonly protectionOrder?: ProtectionOrder;
  /** Default 'Basic256GCMSha256' (AES-256-GCM, SHA-256, RSA-SHA256, RSA-OAEP). */
  readonly algorithmSuite?: AlgorithmSuiteName;
  /** Default 'rsa-oaep-mgf1p'. */
  readonly keyTransport?: KeyTransportName;
  /** How the signature refers to the signer's certificate. Default 'bst' (direct reference). */
  readonly signerKeyReference?: KeyReferenceStyle;
  /** How the EncryptedKey refers to the service certificate. Default 'thumbprint'. */
  readonly serviceKeyReference?: Exclude<KeyReferenceStyle, 'bst'>;
  /** Timestamp lifetime in seconds (Expires - Created). Default 300. */
  readonly timestampTtlSeconds?: number;
  /** Sign the BinarySecurityToken too (WS-SecurityPolicy ProtectTokens). Default true. */
  readonly signTokens?: boolean;
  /** The SOAP actor/role of the Security header. Default: none (ultimate receiver). */
  readonly actor?: string;
  /**
   * The service's address: written as a WS-Addressing `wsa:To` header (unless the envelope has
   * one) and signed with the Body, so the message is bound to that service even when it is
   * only signed. Default: none.
   */
  readonly addressTo?: string;
  /**
   * DANGEROUS: allow suites with SHA-1 or RSA PKCS#1 v1.5 (Basic256, Basic256Rsa15, ...), for
   * peers that know nothing better. Without it such a suite is a TypeError.
   */
  readonly allowInsecureAlgorithms?: boolean;
  /**
   * Limits on the envelope to secure (bytes, depth, elements, attributes, namespace
   * declarations), as the receiver's; raise them for large Bodies. Default: the receiver's
   * defaults.
   */
  readonly limits?: Partial<ParseLimits>;
}

/** What a receiver accepts. Every field is optional; the defaults are the strict ones. */
export interface ReceiverPolicy {
  /**
   * 'EncryptAndSign' (default) requires the Body signed and its content encrypted; 'Sign' only
   * signed; 'None' neither (a credential must then authenticate without a signature, as a
   * UsernameToken over TLS does).
   */
  readonly protectionLevel?: ProtectionLevel;
  /** The suites accepted. Default: every suite with SHA-256 and RSA-OAEP (GCM and CBC). */
  readonly algorithmSuites?: readonly AlgorithmSuiteName[];
  /** Default true. */
  readonly requireTimestamp?: boolean;
  /** Default true: the Timestamp must be covered by the message signature. */
  readonly requireSignedTimestamp?: boolean;
  /** Default false: require the signer's BinarySecurityToken to be signed (ProtectTokens). */
  readonly requireSignedTokens?: boolean;
  /** Default false: accept a Timestamp without Expires. */
  readonly requireExpires?: boolean;
  /** Clock skew tolerated on Created/Expires and certificate dates, in seconds. Default 300. */
  readonly maxClockSkewSeconds?: number;
  /**
   * Oldest a message may be (now - Created), in seconds: how long it may wait in queues. Bounds
   * the Timestamp's age and the replay window, separately from the clock skew. Default: no
   * bound beyond Expires; for a Timestamp without Expires, 300 s (WCF's five minutes; the skew
   * is added). Required with `credentialValidation: 'AtSignedTime'`.
   */
  readonly maxMessageAgeSeconds?: number;
  /**
   * When the signer's certificate (and an issued token) must be valid. 'AtReceipt' (default):
   * now. 'AtSignedTime': at the signed Timestamp's Created, so a message signed while the
   * credential was valid is accepted after it expired while the message waited in a queue;
   * only when the Timestamp is covered by the Body signature (else: now), and never for a
   * message older than `maxMessageAgeSeconds` (required: a TypeError without it). Revocation
   * is checked as the trust store does, with what it knows now.
   */
  readonly credentialValidation?: CredentialValidation;
  /** The SOAP actor/role whose Security header is ours. Default: none (ultimate receiver). */
  readonly actor?: string;
  /**
   * This service's address: require a WS-Addressing `wsa:To` header with exactly this value,
   * covered by the Body signature (`PolicyViolation` otherwise). Binds a message to one
   * service; without it, a Sign-only message made for one service opens at any other that
   * trusts the same client. Default: none.
   */
  readonly requireAddressTo?: string;
  /** Limits on the message. */
  readonly limits?: Partial<MessageLimits>;
  /**
   * Refuse (`PolicyViolation`) a message with comments inside signed content. By default such
   * a message is accepted: exclusive c14n without comments does not cover comments, so the
   * signature is valid, and the signed parts handed to the application (the Body, signed
   * headers, `document`, `envelope`) carry no comments: every consumer reads the text that was
   * signed (`bo<!---->b` reads `bob`). Default false.
   */
  readonly refuseComments?: boolean;
  /**
   * Kept for compatibility: comments inside signed content are accepted (and removed) by
   * default now. `false`, given explicitly, refuses them as {@link refuseComments} does.
   */
  readonly allowComments?: boolean;
  /**
   * DANGEROUS: also accept RSA-SHA1, SHA-1 digests, RSA PKCS#1 v1.5 key transport and
   * 3DES. Default false.
   */
  readonly allowInsecureAlgorithms?: boolean;
  /** Basic Security Profile relaxations, each named and reported. */
  readonly relaxations?: BspRelaxations;
  /**
   * Header blocks the service understands, as `{namespace}localName`. A header targeted at
   * this node with mustUnderstand that is neither one of these, nor our Security header, nor
   * a WS-Addressing header fails the message with `MustUnderstand` (checked after security
   * processing and authentication). Default: none.
   */
  readonly understoodHeaders?: readonly string[];
}

export interface BspRelaxations {
  /** Accept BinarySecurityTokens without EncodingType (Mono's WCF omits it). */
  readonly allowMissingEncodingType?: boolean;
  /**
   * DANGEROUS (interop only): accept a direct Reference to a key token (EncryptedKey,
   * DerivedKeyToken) without ValueType (BSP R3059), as some WCF implementations send it.
   */
  readonly allowMissingValueType?: boolean;
}

export interface MessageLimits extends ParseLimits {
  /** Most references in one signature. Default 32. */
  readonly maxReferences: number;
  /** Most transforms in one reference. Default 2. */
  readonly maxTransforms: number;
  /** Most entries in the Security header. Default 32. */
  readonly maxSecurityHeaderEntries: number;
}

export const DEFAULT_LIMITS: MessageLimits = Object.freeze({
  ...DEFAULT_PARSE_LIMITS,
  maxReferences: 32,
  maxTransforms: 2,
  maxSecurityHeaderEntries: 32,
});

/** A checked, complete sender policy. */
export interface ResolvedSenderPolicy {
  readonly protectionLevel: ProtectionLevel;
  readonly protectionOrder: ProtectionOrder;
  readonly suite: AlgorithmSuite;
  readonly keyTransport: KeyTransportName;
  readonly signerKeyReference: KeyReferenceStyle;
  readonly serviceKeyReference: Exclude<KeyReferenceStyle, 'bst'>;
  readonly timestampTtlSeconds: number;
  readonly signTokens: boolean;
  readonly actor: string | undefined;
  readonly addressTo: string | undefined;
  readonly limits: ParseLimits;
}

/** Every SenderPolicy option and what it accepts. */
export const SENDER_POLICY_OPTIONS: OptionSpec<SenderPolicy> = {
  protectionLevel: oneOf(PROTECTION_LEVELS),
  protectionOrder: oneOf(PROTECTION_ORDERS),
  algorithmSuite: oneOf(ALGORITHM_SUITE_NAMES),
  keyTransport: oneOf(KEY_TRANSPORT_NAMES),
  signerKeyReference: oneOf(KEY_REFERENCE_STYLES),
  serviceKeyReference: oneOf(SERVICE_KEY_REFERENCE_STYLES),
  timestampTtlSeconds: isNumber(),
  signTokens: isBoolean,
  actor: isString(),
  addressTo: isString(),
  allowInsecureAlgorithms: isBoolean,
  limits: isOptions(limitOptions<ParseLimits>(DEFAULT_PARSE_LIMITS)),
};

/** Every limit of a limits object (from its defaults, so a new limit is checked too): a positive integer. */
function limitOptions<T extends object>(defaults: T): OptionSpec<T> {
  const positiveInteger: Checker = isNumber({ exclusiveMin: true, integer: true });
  return Object.fromEntries(
    Object.keys(defaults).map((k) => [k, positiveInteger]),
  ) as OptionSpec<T>;
}
const LIMIT_OPTIONS = limitOptions<MessageLimits>(DEFAULT_LIMITS);

/** Every ReceiverPolicy option and what it accepts. */
export const RECEIVER_POLICY_OPTIONS: OptionSpec<ReceiverPolicy> = {
  protectionLevel: oneOf(PROTECTION_LEVELS),
  algorithmSuites: arrayOf(oneOf(ALGORITHM_SUITE_NAMES), { nonEmpty: true }),
  requireTimestamp: isBoolean,
  requireSignedTimestamp: isBoolean,
  requireSignedTokens: isBoolean,
  requireExpires: isBoolean,
  maxClockSkewSeconds: isNumber(),
  maxMessageAgeSeconds: isNumber({ exclusiveMin: true }),
  credentialValidation: oneOf(CREDENTIAL_VALIDATIONS),
  actor: isString(),
  requireAddressTo: isString(),
  limits: isOptions(LIMIT_OPTIONS),
  allowComments: isBoolean,
  refuseComments: isBoolean,
  allowInsecureAlgorithms: isBoolean,
  understoodHeaders: arrayOf(isString()),
  relaxations: isOptions<BspRelaxations>({
    allowMissingEncodingType: isBoolean,
    allowMissingValueType: isBoolean,
  }),
};

/**
 * Check a sender policy and fill in defaults.
 * @throws TypeError for an unknown suite, a weak suite without allowInsecureAlgorithms, or a
 *   bad number.
 */
export function resolveSenderPolicy(
  policy: SenderPolicy = {},
  path = 'policy',
): ResolvedSenderPolicy {
  checkOptions<SenderPolicy>(policy, path, SENDER_POLICY_OPTIONS);
  const suiteName = policy.algorithmSuite ?? DEFAULT_SUITE;
  const suite = Object.hasOwn(ALGORITHM_SUITES, suiteName)
    ? ALGORITHM_SUITES[suiteName]
    : undefined;
  if (!suite) throw new TypeError(`unknown algorithm suite "${suiteName}"`);
  const weak = [suite.digest, suite.asymmetricSignature, suite.encryption, suite.keyTransport].some(
    (a) => WEAK_ALGORITHMS.has(a),
  );
  if (weak && policy.allowInsecureAlgorithms !== true) {
    throw new TypeError(
      `algorithm suite ${suiteName} uses weak algorithms; set allowInsecureAlgorithms to use it`,
    );
  }
  const ttl = policy.timestampTtlSeconds ?? 300;
  return Object.freeze({
    protectionLevel: policy.protectionLevel ?? 'EncryptAndSign',
    protectionOrder: policy.protectionOrder ?? 'SignBeforeEncrypt',
    suite,
    keyTransport: policy.keyTransport ?? 'rsa-oaep-mgf1p',
    signerKeyReference: policy.signerKeyReference ?? 'bst',
    serviceKeyReference: policy.serviceKeyReference ?? 'thumbprint',
    timestampTtlSeconds: ttl,
    signTokens: policy.signTokens ?? true,
    actor: policy.actor,
    addressTo: policy.addressTo,
    limits: resolveParseLimits(policy.limits),
  });
}

function resolveParseLimits(given: Partial<ParseLimits> | undefined): ParseLimits {
  const limits: ParseLimits = Object.freeze({ ...DEFAULT_PARSE_LIMITS, ...given });
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v <= 0)
      throw new TypeError(`limit ${k} must be a positive integer`);
  }
  return limits;
}

/** A checked, complete receiver policy. */
export interface ResolvedReceiverPolicy {
  readonly protectionLevel: ProtectionLevel;
  readonly suites: readonly AlgorithmSuite[];
  readonly allowed: {
    readonly signature: ReadonlySet<string>;
    readonly digest: ReadonlySet<string>;
    readonly encryption: ReadonlySet<string>;
    readonly keyTransport: ReadonlySet<string>;
  };
  readonly requireTimestamp: boolean;
  readonly requireSignedTimestamp: boolean;
  readonly requireSignedTokens: boolean;
  readonly requireExpires: boolean;
  readonly maxClockSkewSeconds: number;
  readonly maxMessageAgeSeconds: number | undefined;
  readonly credentialValidation: CredentialValidation;
  readonly actor: string | undefined;
  readonly requireAddressTo: string | undefined;
  readonly limits: MessageLimits;
  /** Refuse comments inside signed content (see {@link ReceiverPolicy.refuseComments}). */
  readonly refuseComments: boolean;
  readonly relaxations: Required<BspRelaxations>;
}

const STRONG_SUITES: readonly AlgorithmSuiteName[] = [
  'Basic256GCMSha256',
  'Basic192GCMSha256',
  'Basic128GCMSha256',
  'Basic256Sha256',
  'Basic192Sha256',
  'Basic128Sha256',
];

/**
 * Check a receiver policy and fill in defaults.
 * @throws TypeError for an unknown suite, a weak suite without allowInsecureAlgorithms, or a
 *   bad number or limit.
 */
export function resolveReceiverPolicy(
  policy: ReceiverPolicy = {},
  path = 'policy',
): ResolvedReceiverPolicy {
  checkOptions<ReceiverPolicy>(policy, path, RECEIVER_POLICY_OPTIONS);
  const insecure = policy.allowInsecureAlgorithms === true;
  const names = policy.algorithmSuites ?? STRONG_SUITES;
  if (names.length === 0) throw new TypeError('algorithmSuites must name at least one suite');
  const suites = names.map((n) => {
    const s = Object.hasOwn(ALGORITHM_SUITES, n) ? ALGORITHM_SUITES[n] : undefined;
    if (!s) throw new TypeError(`unknown algorithm suite "${n}"`);
    return s;
  });
  const signature = new Set<string>();
  const digest = new Set<string>();
  const encryption = new Set<string>();
  const keyTransport = new Set<string>();
  for (const s of suites) {
    signature.add(s.asymmetricSignature);
    signature.add(s.symmetricSignature);
    digest.add(s.digest);
    encryption.add(s.encryption);
    keyTransport.add(s.keyTransport);
  }
  // Stronger relatives of the suite's algorithms are always fine.
  if (signature.has(SIGNATURE.rsaSha256)) {
    signature.add(SIGNATURE.rsaSha384);
    signature.add(SIGNATURE.rsaSha512);
  }
  if (digest.has(DIGEST.sha256)) {
    digest.add(DIGEST.sha384);
    digest.add(DIGEST.sha512);
  }
  keyTransport.add(KEY_TRANSPORT.rsaOaep);
  if (insecure) {
    signature.add(SIGNATURE.rsaSha1);
    signature.add(SIGNATURE.hmacSha1);
    digest.add(DIGEST.sha1);
    keyTransport.add(KEY_TRANSPORT.rsa15);
    encryption.add(BLOCK_CIPHER.tripleDesCbc);
  } else {
    for (const set of [signature, digest, encryption, keyTransport]) {
      for (const a of set) {
        if (WEAK_ALGORITHMS.has(a)) {
          throw new TypeError(
            `the accepted suites include weak algorithm ${a}; set allowInsecureAlgorithms to accept it`,
          );
        }
      }
    }
  }
  const skew = policy.maxClockSkewSeconds ?? 300;
  const credentialValidation = policy.credentialValidation ?? 'AtReceipt';
  if (credentialValidation === 'AtSignedTime' && policy.maxMessageAgeSeconds === undefined) {
    throw new TypeError('credentialValidation AtSignedTime needs maxMessageAgeSeconds');
  }
  const limits: MessageLimits = Object.freeze({ ...DEFAULT_LIMITS, ...policy.limits });
  return Object.freeze({
    protectionLevel: policy.protectionLevel ?? 'EncryptAndSign',
    suites,
    allowed: Object.freeze({ signature, digest, encryption, keyTransport }),
    requireTimestamp: policy.requireTimestamp ?? true,
    requireSignedTimestamp: policy.requireSignedTimestamp ?? true,
    requireSignedTokens: policy.requireSignedTokens ?? false,
    requireExpires: policy.requireExpires ?? false,
    maxClockSkewSeconds: skew,
    maxMessageAgeSeconds: policy.maxMessageAgeSeconds,
    credentialValidation,
    actor: policy.actor,
    requireAddressTo: policy.requireAddressTo,
    limits,
    refuseComments: policy.refuseComments === true || policy.allowComments === false,
    relaxations: Object.freeze({
      allowMissingEncodingType: policy.relaxations?.allowMissingEncodingType === true,
      allowMissingValueType: policy.relaxations?.allowMissingValueType === true,
    }),
  });
}
