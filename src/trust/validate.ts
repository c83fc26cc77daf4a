/**
 * The receiver's certificate validation: trust (chain or peer), validity, purpose and
 * revocation, knowing nothing of XML. Modelled on WCF's X509CertificateValidationMode and
 * Go's crypto/x509 `Verify` (certificates from the message are intermediates, never roots).
 */
import { CertificateError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { describe } from './extensions.js';
import { buildPaths, certificateError, checkPath, checkValidity, intersect } from './path.js';
import type { CertificatePurpose, TimeWindow } from './path.js';
import type { RevocationChecker } from './revocation.js';
import { resolveTrustOptions } from './trust-options.js';
import type {
  CertificateValidationMode,
  TrustOptions,
  ValidatedCertificate,
} from './trust-options.js';

export type { CertificatePurpose } from './path.js';

export type {
  CertificateValidationMode,
  RevocationMode,
  TrustOptions,
  ValidatedCertificate,
} from './trust-options.js';

const MAX_CACHE_ENTRIES = 1024;

interface CacheEntry {
  readonly chain: readonly Certificate[];
  readonly trustedBy: 'chain' | 'peer';
  readonly window: TimeWindow;
  readonly expires: number;
}

interface Outcome {
  readonly chain: readonly Certificate[];
  readonly trustedBy: 'chain' | 'peer';
  readonly window: TimeWindow;
}

/**
 * The certificates and rules a receiver trusts, and the validation of a certificate against
 * them. Immutable after construction except for its result cache.
 *
 * Limits: no OCSP, no name constraints or certificate policies (a certificate carrying either
 * as a critical extension is rejected), no EKU constraints on CAs, CRLs with critical
 * extensions (issuingDistributionPoint, delta CRLs) are not used. Paths are at most 8
 * certificates and at most 64 signature checks are spent on one search.
 * @example
 * const store = new TrustStore({ trustedRoots: [root], revocationMode: 'Offline', crls });
 * const { chain } = await store.validate(leaf, bstCandidates, new Date());
 */
export class TrustStore {
  readonly #mode: CertificateValidationMode;
  readonly #anchors: ReadonlyMap<string, Certificate>;
  readonly #intermediates: readonly Certificate[];
  readonly #peers: ReadonlyMap<string, Certificate>;
  readonly #revocation: RevocationChecker | undefined;
  readonly #eku: string | null;
  readonly #skewMs: number;
  readonly #ttlMs: number;
  readonly #custom: TrustOptions['customValidator'];
  readonly #cache = new Map<string, CacheEntry>();

  /**
   * @throws TypeError for inconsistent options: an unknown mode, PeerTrust without
   *   `trustedPeers`, ChainTrust without `trustedRoots`, Custom without `customValidator`,
   *   Offline without `crls`, Online without `fetchCrl`, a CRL that does not parse, a bad
   *   skew, TTL or EKU OID.
   */
  constructor(options: TrustOptions) {
    const r = resolveTrustOptions(options);
    this.#mode = r.mode;
    this.#anchors = r.anchors;
    this.#intermediates = r.intermediates;
    this.#peers = r.peers;
    this.#revocation = r.revocation;
    this.#eku = r.eku;
    this.#skewMs = r.skewMs;
    this.#ttlMs = r.ttlMs;
    this.#custom = r.custom;
  }

  /** The validation mode in force. */
  get validationMode(): CertificateValidationMode {
    return this.#mode;
  }

  /**
   * Validate `leaf` at instant `at` (the message's time, or now).
   * @param candidates certificates carried with the leaf (for example a chain in the
   *   message): used as intermediates, never as anchors.
   * @param purpose `client` (default): digitalSignature and the required EKU (clientAuth);
   *   `service`: keyEncipherment and serverAuth.
   * @throws CertificateError `CertificateUntrusted` (no path to a trusted root, not a
   *   pinned peer, a broken CA constraint, revocation status unknown, custom rejection),
   *   `CertificateExpired` (expired or not yet valid, beyond the skew),
   *   `CertificateNotValidForPurpose` (key usage or EKU), `CertificateRevoked`.
   * @throws TypeError when `at` is not a valid Date.
   */
  async validate(
    leaf: Certificate,
    candidates: readonly Certificate[],
    at: Date,
    purpose: CertificatePurpose = 'client',
  ): Promise<ValidatedCertificate> {
    const t = at.getTime();
    if (Number.isNaN(t)) throw new TypeError('validate: `at` is not a valid Date');
    if (this.#mode === 'None') {
      return this.#finish({ leaf, chain: [leaf], trustedBy: 'none' });
    }
    if (this.#mode === 'Custom') {
      return this.#finish({ leaf, chain: [leaf, ...candidates], trustedBy: 'custom' });
    }
    const key = `${purpose}|${leaf.thumbprintSha256}|${candidates.map((c) => c.thumbprintSha256).join(',')}`;
    const hit = this.#cache.get(key);
    if (hit && hit.expires > Date.now() && hit.window.from <= t && t <= hit.window.to) {
      return this.#finish({ leaf, chain: [leaf, ...hit.chain.slice(1)], trustedBy: hit.trustedBy });
    }
    const outcome = await this.#validateUncached(leaf, candidates, t, purpose);
    if (this.#ttlMs > 0) {
      this.#cache.delete(key);
      if (this.#cache.size >= MAX_CACHE_ENTRIES) {
        const oldest = this.#cache.keys().next();
        if (oldest.done !== true) this.#cache.delete(oldest.value);
      }
      this.#cache.set(key, { ...outcome, expires: Date.now() + this.#ttlMs });
    }
    return this.#finish({ leaf, chain: outcome.chain, trustedBy: outcome.trustedBy });
  }

  /** Forget every cached validation (for example after replacing CRLs elsewhere). */
  clearCache(): void {
    this.#cache.clear();
  }

  async #validateUncached(
    leaf: Certificate,
    candidates: readonly Certificate[],
    t: number,
    purpose: CertificatePurpose,
  ): Promise<Outcome> {
    const peer = this.#peers.get(leaf.thumbprintSha256);
    if (this.#mode !== 'ChainTrust' && peer?.equals(leaf)) {
      return { chain: [leaf], trustedBy: 'peer', window: checkValidity(leaf, t, this.#skewMs) };
    }
    if (this.#mode === 'PeerTrust') {
      throw certificateError('CertificateUntrusted', leaf, 'is not one of the trusted peers');
    }
    checkValidity(leaf, t, this.#skewMs);
    const pool = dedupe([...this.#intermediates, ...candidates]);
    const search = buildPaths(leaf, this.#anchors, pool);
    if (search.paths.length === 0) throw noPath(leaf, search.deepest);
    let first: CertificateError | undefined;
    for (const path of search.paths) {
      try {
        let window = checkPath(path, t, this.#skewMs, purpose, this.#eku);
        if (this.#revocation) window = intersect(window, await this.#revocation.check(path, t));
        return { chain: path, trustedBy: 'chain', window };
      } catch (err) {
        if (!(err instanceof CertificateError)) throw err;
        first ??= err;
      }
    }
    throw first ?? noPath(leaf, search.deepest);
  }

  async #finish(result: ValidatedCertificate): Promise<ValidatedCertificate> {
    const custom = this.#custom;
    if (custom) {
      try {
        await custom(result.leaf, result.chain);
      } catch (err) {
        if (err instanceof CertificateError) throw err;
        throw certificateError(
          'CertificateUntrusted',
          result.leaf,
          'rejected by the custom validator',
          err,
        );
      }
    }
    return result;
  }
}

function dedupe(certs: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => {
    if (seen.has(c.thumbprintSha256)) return false;
    seen.add(c.thumbprintSha256);
    return true;
  });
}

function selfSigned(cert: Certificate): boolean {
  if (cert.node.subject !== cert.node.issuer) return false;
  try {
    return cert.node.verify(cert.publicKey);
  } catch {
    return false;
  }
}

function noPath(leaf: Certificate, deepest: readonly Certificate[]): CertificateError {
  if (deepest.length <= 1 && selfSigned(leaf)) {
    return certificateError('CertificateUntrusted', leaf, 'is self-signed and not a trusted root');
  }
  const last = deepest[deepest.length - 1] ?? leaf;
  const reason = selfSigned(last)
    ? `the chain ends at ${describe(last)}, which is not a trusted root`
    : `no trusted issuer found for ${describe(last)} (issuer "${last.issuer}")`;
  return certificateError(
    'CertificateUntrusted',
    leaf,
    `cannot build a chain to a trusted root: ${reason}`,
  );
}
