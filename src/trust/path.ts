/**
 * Certification path building and the checks RFC 5280 section 6 asks of each path:
 * signatures, validity periods, CA constraints and the leaf's purpose. Revocation is in
 * revocation.ts. Signatures and dates use node:crypto's native view of the certificate.
 * @internal
 */
import { CertificateError } from '../errors.js';
import type { CertificateErrorCode } from '../errors.js';
import type { Certificate } from './certificate.js';
import { KEY_USAGE, describe, readConstraints } from './extensions.js';

/** An interval of instants (ms since the epoch) at which a result holds. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** What a validation is for: a client's certificate or a service's. */
export type CertificatePurpose = 'client' | 'service';

/** Limits on path building, so that certificates from a message cannot make it expensive. */
export interface PathLimits {
  /** Longest path, leaf and anchor included. */
  readonly maxLength: number;
  /** Most complete paths collected. */
  readonly maxPaths: number;
  /** Most signature verifications in one search. */
  readonly maxSignatureChecks: number;
}

/** The limits TrustStore uses. */
export const DEFAULT_PATH_LIMITS: PathLimits = {
  maxLength: 8,
  maxPaths: 8,
  maxSignatureChecks: 64,
};

/** The outcome of a search: complete paths (leaf first, anchor last) and the longest dead end. */
export interface PathSearch {
  readonly paths: readonly (readonly Certificate[])[];
  readonly deepest: readonly Certificate[];
}

/** Build the error every check throws: the code, the certificate concerned and why. */
export function certificateError(
  code: CertificateErrorCode,
  cert: Certificate,
  reason: string,
  cause?: unknown,
): CertificateError {
  return new CertificateError(code, `certificate ${describe(cert)}: ${reason}`, {
    thumbprint: cert.thumbprintSha256,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Find every path from `leaf` to one of `anchors`, through `pool` (intermediates the store
 * holds and candidates from the message). Links need the child's issuer name to equal the
 * parent's subject and the child's signature to verify with the parent's key. Only
 * certificates in `anchors` end a path; a self-signed certificate from `pool` never does.
 */
export function buildPaths(
  leaf: Certificate,
  anchors: ReadonlyMap<string, Certificate>,
  pool: readonly Certificate[],
  limits: PathLimits = DEFAULT_PATH_LIMITS,
): PathSearch {
  const paths: Certificate[][] = [];
  let deepest: Certificate[] = [leaf];
  let checks = 0;
  const issued = (child: Certificate, parent: Certificate): boolean => {
    if (child.node.issuer !== parent.node.subject) return false;
    if (checks >= limits.maxSignatureChecks) return false;
    checks += 1;
    try {
      return child.node.verify(parent.publicKey);
    } catch {
      return false;
    }
  };
  const anchorList = [...anchors.values()];
  const visit = (path: Certificate[]): void => {
    const current = path[path.length - 1];
    if (!current || paths.length >= limits.maxPaths) return;
    if (path.length > deepest.length) deepest = path;
    if (anchors.has(current.thumbprintSha256)) {
      paths.push(path);
      return;
    }
    if (path.length >= limits.maxLength) return;
    for (const anchor of anchorList) {
      if (paths.length < limits.maxPaths && issued(current, anchor)) paths.push([...path, anchor]);
    }
    for (const next of pool) {
      if (path.some((c) => c.thumbprintSha256 === next.thumbprintSha256)) continue;
      if (anchors.has(next.thumbprintSha256)) continue;
      if (issued(current, next)) visit([...path, next]);
    }
  };
  visit([leaf]);
  paths.sort((a, b) => a.length - b.length);
  return { paths, deepest };
}

/**
 * Check that `cert` is within its validity period at `at`, give or take `skewMs`.
 * @throws CertificateError `CertificateExpired` (expired or not yet valid).
 */
export function checkValidity(cert: Certificate, at: number, skewMs: number): TimeWindow {
  const from = cert.notBefore.getTime();
  const to = cert.notAfter.getTime();
  if (at + skewMs < from) {
    throw certificateError(
      'CertificateExpired',
      cert,
      `not valid before ${cert.notBefore.toISOString()}`,
    );
  }
  if (at - skewMs > to) {
    throw certificateError('CertificateExpired', cert, `expired at ${cert.notAfter.toISOString()}`);
  }
  return { from: from - skewMs, to: to + skewMs };
}

/** The intersection of two windows. */
export function intersect(a: TimeWindow, b: TimeWindow): TimeWindow {
  return { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
}

/**
 * Check a complete path (leaf first, anchor last): validity periods of every certificate,
 * unhandled critical extensions, CA constraints (cA, keyCertSign, pathLenConstraint) of
 * every issuer, and the leaf's purpose.
 * @returns the window of instants at which the dates in the path hold.
 * @throws CertificateError `CertificateExpired`, `CertificateUntrusted` (a constraint),
 *   `CertificateNotValidForPurpose` (the leaf's key usage or extended key usage).
 */
export function checkPath(
  path: readonly Certificate[],
  at: number,
  skewMs: number,
  purpose: CertificatePurpose,
  requiredEku: string | null,
): TimeWindow {
  let window: TimeWindow = { from: -Infinity, to: Infinity };
  for (const cert of path) window = intersect(window, checkValidity(cert, at, skewMs));
  for (const cert of path) {
    const critical = readConstraints(cert).unhandledCritical;
    if (critical.length > 0) {
      throw certificateError(
        'CertificateUntrusted',
        cert,
        `unhandled critical extension ${critical.join(', ')}`,
      );
    }
  }
  // Issuers: every certificate after the leaf.
  let intermediatesBelow = 0;
  for (let i = 1; i < path.length; i++) {
    const ca = path[i];
    const below = path[i - 1];
    if (!ca || !below) continue;
    const c = readConstraints(ca);
    if (!c.isCa) {
      throw certificateError(
        'CertificateUntrusted',
        ca,
        `is not a CA (basicConstraints cA is not true) but issued ${describe(below)}`,
      );
    }
    if (c.keyUsage !== undefined && (c.keyUsage & KEY_USAGE.keyCertSign) === 0) {
      throw certificateError('CertificateUntrusted', ca, 'key usage does not allow keyCertSign');
    }
    if (c.pathLen !== undefined && intermediatesBelow > c.pathLen) {
      throw certificateError(
        'CertificateUntrusted',
        ca,
        `pathLenConstraint ${c.pathLen} exceeded (${intermediatesBelow} CA certificates below it)`,
      );
    }
    if (ca.node.subject !== ca.node.issuer) intermediatesBelow += 1;
  }
  const leaf = path[0];
  if (leaf) checkPurpose(leaf, purpose, requiredEku);
  return window;
}

const ANY_EKU = '2.5.29.37.0';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/**
 * Check the leaf's key usage (digitalSignature for a client, keyEncipherment for a service)
 * and, when it has an extKeyUsage extension, that it lists the required purpose or
 * anyExtendedKeyUsage.
 * @throws CertificateError `CertificateNotValidForPurpose`.
 */
export function checkPurpose(
  leaf: Certificate,
  purpose: CertificatePurpose,
  requiredEku: string | null,
): void {
  const c = readConstraints(leaf);
  const bit = purpose === 'client' ? KEY_USAGE.digitalSignature : KEY_USAGE.keyEncipherment;
  if (c.keyUsage !== undefined && (c.keyUsage & bit) === 0) {
    const name = purpose === 'client' ? 'digitalSignature' : 'keyEncipherment';
    throw certificateError(
      'CertificateNotValidForPurpose',
      leaf,
      `key usage does not allow ${name}`,
    );
  }
  if (requiredEku === null || c.extKeyUsage === undefined) return;
  const wanted = purpose === 'client' ? requiredEku : SERVER_AUTH;
  if (!c.extKeyUsage.includes(wanted) && !c.extKeyUsage.includes(ANY_EKU)) {
    throw certificateError(
      'CertificateNotValidForPurpose',
      leaf,
      `extended key usage ${c.extKeyUsage.join(', ')} does not include ${wanted}`,
    );
  }
}
