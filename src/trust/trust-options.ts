/**
 * The options of a TrustStore: their types, defaults and the checks made once at
 * construction.
 */
import type { Certificate } from './certificate.js';
import {
  anyOf,
  arrayOf,
  checkOptions,
  InvalidOptionError,
  isFunction,
  isInstance,
  isNumber,
  isString,
  oneOf,
} from '../policy/check-options.js';
import type { Checker, OptionSpec } from '../policy/check-options.js';
import { isCertificate } from '../policy/option-values.js';
import { parseCrls } from './crl.js';
import { RevocationChecker } from './revocation.js';
import type { CrlFetcher } from './revocation.js';

/**
 * How a certificate is trusted (WCF's names).
 * - `ChainTrust`: a path to one of `trustedRoots` (default).
 * - `PeerTrust`: the certificate itself is one of `trustedPeers`.
 * - `PeerOrChainTrust`: a trusted peer, else a path to a trusted root.
 * - `None`: anything is accepted. **Dangerous: tests only.**
 * - `Custom`: only `customValidator` decides.
 */
export type CertificateValidationMode = (typeof VALIDATION_MODES)[number];
export const VALIDATION_MODES = [
  'ChainTrust',
  'PeerTrust',
  'PeerOrChainTrust',
  'None',
  'Custom',
] as const;

/**
 * Revocation checking of chain-trusted certificates.
 * - `NoCheck` (default): none.
 * - `Offline`: against the CRLs in `crls`.
 * - `Online`: against `crls` and the CRLs `fetchCrl` returns for each cRLDistributionPoints URL.
 *
 * Offline and Online fail closed: a certificate for which no current CRL signed by its issuer
 * is available is rejected as `CertificateUntrusted` ("revocation status unknown").
 */
export type RevocationMode = (typeof REVOCATION_MODES)[number];
export const REVOCATION_MODES = ['NoCheck', 'Offline', 'Online'] as const;

/** Options of a {@link TrustStore}. Checked once, at construction. */
export interface TrustOptions {
  /** Default `ChainTrust`. */
  readonly validationMode?: CertificateValidationMode;
  /** Trust anchors (roots, or any CA the service trusts out of band). */
  readonly trustedRoots?: readonly Certificate[];
  /** Intermediate CAs the service holds: candidates for path building, never anchors. */
  readonly intermediates?: readonly Certificate[];
  /** Exact certificates pinned for PeerTrust and PeerOrChainTrust (compared by DER). */
  readonly trustedPeers?: readonly Certificate[];
  /** Default `NoCheck`. See {@link RevocationMode}. */
  readonly revocationMode?: RevocationMode;
  /** CRLs the service holds, PEM (one or more blocks) or DER. Required for `Offline`. */
  readonly crls?: readonly (string | Uint8Array)[];
  /**
   * Fetches the CRL at a distribution point URL (Online mode). Return the CRL (DER or PEM),
   * or `undefined` when unavailable; a throw counts as unavailable.
   */
  readonly fetchCrl?: (url: string, cert: Certificate) => Promise<Uint8Array | string | undefined>;
  /**
   * EKU OID a client leaf must list when it has an extKeyUsage extension. Default clientAuth
   * (1.3.6.1.5.5.7.3.2); service validation always asks for serverAuth. `null`: no EKU check.
   */
  readonly requiredExtendedKeyUsage?: string | null;
  /** Tolerance on validity periods and CRL dates. Default 300. */
  readonly maxClockSkewSeconds?: number;
  /**
   * How long a successful validation is remembered (default 60; 0 disables). A cached result
   * is only reused at instants inside the validity periods of its path and of the CRLs used.
   */
  readonly cacheTtlSeconds?: number;
  /**
   * The sole check in `Custom` mode; in the other modes it runs after the built-in checks,
   * on every call (cached or not). Throw a CertificateError to reject; any other throw is
   * a rejection too (`CertificateUntrusted`).
   */
  readonly customValidator?: (
    leaf: Certificate,
    chain: readonly Certificate[],
  ) => void | Promise<void>;
}

/** A certificate that passed validation. */
export interface ValidatedCertificate {
  readonly leaf: Certificate;
  /** Leaf first, anchor last; `[leaf]` for a peer or under `None`; leaf and candidates under `Custom`. */
  readonly chain: readonly Certificate[];
  readonly trustedBy: 'chain' | 'peer' | 'none' | 'custom';
}

const OID_RE = /^[0-2](\.\d+)+$/;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const isOid: Checker = (value, path) => {
  if (value !== undefined && value !== null && (typeof value !== 'string' || !OID_RE.test(value))) {
    throw new InvalidOptionError(path, 'must be an OID (such as 1.3.6.1.5.5.7.3.2) or null');
  }
};

/** Every {@link TrustOptions} option and what it accepts. */
const TRUST_OPTIONS: OptionSpec<TrustOptions> = {
  validationMode: oneOf(VALIDATION_MODES),
  trustedRoots: arrayOf(isCertificate),
  intermediates: arrayOf(isCertificate),
  trustedPeers: arrayOf(isCertificate),
  revocationMode: oneOf(REVOCATION_MODES),
  crls: arrayOf(
    anyOf(
      isString(),
      isInstance('Uint8Array', (v) => v instanceof Uint8Array),
    ),
  ),
  fetchCrl: isFunction,
  requiredExtendedKeyUsage: isOid,
  maxClockSkewSeconds: isNumber(),
  cacheTtlSeconds: isNumber(),
  customValidator: isFunction,
};

/** {@link TrustOptions} checked, with defaults applied. @internal */
export interface ResolvedTrustOptions {
  readonly mode: CertificateValidationMode;
  /** Anchors by SHA-256 thumbprint. */
  readonly anchors: ReadonlyMap<string, Certificate>;
  readonly intermediates: readonly Certificate[];
  /** Pinned peers by SHA-256 thumbprint. */
  readonly peers: ReadonlyMap<string, Certificate>;
  readonly revocation: RevocationChecker | undefined;
  readonly eku: string | null;
  readonly skewMs: number;
  readonly ttlMs: number;
  readonly custom: TrustOptions['customValidator'];
}

/**
 * Check `options` and apply the defaults.
 * @throws TypeError for inconsistent options (see TrustStore's constructor).
 * @internal
 */
export function resolveTrustOptions(options: TrustOptions): ResolvedTrustOptions {
  checkOptions<TrustOptions>(options, 'options', TRUST_OPTIONS);
  const mode = options.validationMode ?? 'ChainTrust';
  const revocation = options.revocationMode ?? 'NoCheck';
  const roots = options.trustedRoots ?? [];
  const peers = options.trustedPeers ?? [];
  if (mode === 'ChainTrust' && roots.length === 0) {
    throw new TypeError('ChainTrust needs at least one trusted root');
  }
  if (mode === 'PeerTrust' && peers.length === 0) {
    throw new TypeError('PeerTrust needs at least one trusted peer');
  }
  if (mode === 'PeerOrChainTrust' && peers.length === 0 && roots.length === 0) {
    throw new TypeError('PeerOrChainTrust needs trusted peers or trusted roots');
  }
  if (mode === 'Custom' && !options.customValidator) {
    throw new TypeError('Custom validation mode needs a customValidator');
  }
  if (revocation === 'Offline' && (options.crls ?? []).length === 0) {
    throw new TypeError('Offline revocation checking needs crls');
  }
  if (revocation === 'Online' && !options.fetchCrl) {
    throw new TypeError('Online revocation checking needs fetchCrl');
  }
  const skew = options.maxClockSkewSeconds ?? 300;
  const ttl = options.cacheTtlSeconds ?? 60;
  const eku =
    options.requiredExtendedKeyUsage === undefined ? CLIENT_AUTH : options.requiredExtendedKeyUsage;

  const held = parseCrls(options.crls ?? []);
  const fetcher: CrlFetcher | undefined = revocation === 'Online' ? options.fetchCrl : undefined;
  const skewMs = skew * 1000;
  return {
    mode,
    anchors: new Map(roots.map((c) => [c.thumbprintSha256, c])),
    intermediates: [...(options.intermediates ?? [])],
    peers: new Map(peers.map((c) => [c.thumbprintSha256, c])),
    revocation: revocation === 'NoCheck' ? undefined : new RevocationChecker(held, fetcher, skewMs),
    eku,
    skewMs,
    ttlMs: ttl * 1000,
    custom: options.customValidator,
  };
}
