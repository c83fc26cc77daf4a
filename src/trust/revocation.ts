/**
 * Revocation checking against CRLs: the ones the service holds (Offline) and, in Online
 * mode, the ones fetched from each certificate's cRLDistributionPoints. Fails closed: a
 * certificate whose status cannot be established is rejected.
 * @internal
 */
import type { Certificate } from './certificate.js';
import { parseCrl, verifyCrlSignature } from './crl.js';
import type { ParsedCrl } from './crl.js';
import { KEY_USAGE, describe, readConstraints } from './extensions.js';
import { certificateError, intersect } from './path.js';
import type { TimeWindow } from './path.js';

/** Fetches the CRL published at `url` (see TrustOptions.fetchCrl). */
export type CrlFetcher = (
  url: string,
  cert: Certificate,
) => Promise<Uint8Array | string | undefined>;

/** Upper bound on CRLs fetched and remembered by URL. */
const MAX_FETCHED = 256;

/** Checks every non-anchor certificate of a path against CRLs. */
export class RevocationChecker {
  readonly #held: readonly ParsedCrl[];
  readonly #fetchCrl: CrlFetcher | undefined;
  readonly #skewMs: number;
  readonly #fetched = new Map<string, ParsedCrl>();
  readonly #verified = new WeakMap<ParsedCrl, Set<string>>();

  constructor(held: readonly ParsedCrl[], fetchCrl: CrlFetcher | undefined, skewMs: number) {
    this.#held = held;
    this.#fetchCrl = fetchCrl;
    this.#skewMs = skewMs;
  }

  /**
   * Check each certificate of `path` (leaf first, anchor last) but the anchor.
   * @returns the window in which the CRLs used are current and the same held CRLs would be
   *   chosen (what a cached validation may rely on).
   * @throws CertificateError `CertificateRevoked` for a listed serial number,
   *   `CertificateUntrusted` when no current CRL signed by the issuer is available.
   */
  async check(path: readonly Certificate[], at: number): Promise<TimeWindow> {
    let window = this.#sameHeldCrls(at);
    for (let i = 0; i + 1 < path.length; i++) {
      const cert = path[i];
      const issuer = path[i + 1];
      if (!cert || !issuer) continue;
      const crl = await this.#findCrl(cert, issuer, at);
      if (!crl) {
        throw certificateError(
          'CertificateUntrusted',
          cert,
          `revocation status unknown: no current CRL signed by ${describe(issuer)}`,
        );
      }
      const serial = cert.node.serialNumber;
      const entry = crl.crl.findRevoked(serial.length % 2 === 0 ? serial : `0${serial}`);
      if (entry) {
        throw certificateError(
          'CertificateRevoked',
          cert,
          `revoked on ${entry.revocationDate.toISOString()} (CRL of ${describe(issuer)})`,
        );
      }
      window = intersect(window, {
        from: crl.thisUpdate - this.#skewMs,
        to: (crl.nextUpdate ?? -Infinity) + this.#skewMs,
      });
    }
    return window;
  }

  /**
   * The instants around `at` at which every held CRL is current exactly when it is at `at`:
   * within them the same held CRL is chosen for each certificate (held CRLs are tried in
   * order, so an earlier one becoming current could change the answer).
   */
  #sameHeldCrls(at: number): TimeWindow {
    let from = -Infinity;
    let to = Infinity;
    for (const crl of this.#held) {
      if (crl.nextUpdate === undefined) continue; // never current
      const first = crl.thisUpdate - this.#skewMs;
      const last = crl.nextUpdate + this.#skewMs;
      if (at < first) to = Math.min(to, first - 1);
      else if (at > last) from = Math.max(from, last + 1);
      else {
        from = Math.max(from, first);
        to = Math.min(to, last);
      }
    }
    return { from, to };
  }

  /** A CRL usable for `cert`: held first, then (Online) fetched. */
  async #findCrl(
    cert: Certificate,
    issuer: Certificate,
    at: number,
  ): Promise<ParsedCrl | undefined> {
    for (const crl of this.#held) if (this.#usable(crl, issuer, at)) return crl;
    if (!this.#fetchCrl) return undefined;
    for (const url of readConstraints(cert).crlUrls) {
      const cached = this.#fetched.get(url);
      if (cached && this.#usable(cached, issuer, at)) return cached;
      let fetched: ParsedCrl;
      try {
        const body = await this.#fetchCrl(url, cert);
        if (body === undefined) continue;
        fetched = parseCrl(toDer(body));
      } catch {
        continue; // a failed fetch or a bad body: try the next point, else fail closed
      }
      if (this.#usable(fetched, issuer, at)) {
        if (this.#fetched.size >= MAX_FETCHED) this.#fetched.clear();
        this.#fetched.set(url, fetched);
        return fetched;
      }
    }
    return undefined;
  }

  /**
   * Issued by `issuer` (name and signature), issuer allowed to sign CRLs, current at `at`
   * (thisUpdate ≤ at + skew ≤ … , nextUpdate present and ≥ at − skew), no critical
   * extension wsseq does not process (issuingDistributionPoint, deltaCRLIndicator...).
   */
  #usable(crl: ParsedCrl, issuer: Certificate, at: number): boolean {
    if (crl.criticalExtensions.length > 0) return false;
    if (crl.thisUpdate > at + this.#skewMs) return false;
    if (crl.nextUpdate === undefined || crl.nextUpdate < at - this.#skewMs) return false;
    // Both in DER order (@peculiar/x509 strings), not the RFC 4514 text Certificate prints.
    if (crl.crl.issuer !== issuer.parsed.subject) return false;
    const ku = readConstraints(issuer).keyUsage;
    if (ku !== undefined && (ku & KEY_USAGE.cRLSign) === 0) return false;
    let verified = this.#verified.get(crl);
    if (!verified) {
      verified = new Set();
      this.#verified.set(crl, verified);
    }
    if (verified.has(issuer.thumbprintSha256)) return true;
    if (!verifyCrlSignature(crl, issuer)) return false;
    verified.add(issuer.thumbprintSha256);
    return true;
  }
}

function toDer(body: Uint8Array | string): Buffer {
  if (typeof body !== 'string') return Buffer.from(body);
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(body);
  if (!m) throw new TypeError('the fetched CRL is not PEM');
  return Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
}
