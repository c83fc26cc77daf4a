/**
 * The X.509 extensions path validation acts on, read once per certificate with
 * @peculiar/x509 and memoized (store certificates are read once per process).
 * @internal
 */
import { CertificateError } from '../errors.js';
import type { Certificate } from './certificate.js';
import * as px from './x509-lib.js';

/** OIDs of the extensions wsseq understands (RFC 5280 section 4.2). */
const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  certificatePolicies: '2.5.29.32',
  crlDistributionPoints: '2.5.29.31',
} as const;

/** Extensions that may be critical without wsseq rejecting the certificate. */
const HANDLED = new Set<string>(Object.values(OID));

/** The extension values path validation needs. */
export interface CertificateConstraints {
  /** basicConstraints cA (false when the extension is absent). */
  readonly isCa: boolean;
  /** basicConstraints pathLenConstraint, when set. */
  readonly pathLen: number | undefined;
  /** keyUsage bits (px.KeyUsageFlags), or undefined when the extension is absent. */
  readonly keyUsage: number | undefined;
  /** extKeyUsage OIDs, or undefined when the extension is absent. */
  readonly extKeyUsage: readonly string[] | undefined;
  /** URLs from cRLDistributionPoints (fullName uniformResourceIdentifier entries). */
  readonly crlUrls: readonly string[];
  /** OIDs of critical extensions wsseq does not process. */
  readonly unhandledCritical: readonly string[];
}

/** The keyUsage bits path validation tests. */
export const KEY_USAGE = {
  digitalSignature: px.KeyUsageFlags.digitalSignature,
  keyEncipherment: px.KeyUsageFlags.keyEncipherment,
  keyCertSign: px.KeyUsageFlags.keyCertSign,
  cRLSign: px.KeyUsageFlags.cRLSign,
} as const;

const memo = new WeakMap<Certificate, CertificateConstraints>();

/**
 * Read the constraints of `cert` (memoized per Certificate object).
 * @throws CertificateError `CertificateUntrusted` when an extension cannot be decoded.
 */
export function readConstraints(cert: Certificate): CertificateConstraints {
  const known = memo.get(cert);
  if (known) return known;
  let out: CertificateConstraints;
  try {
    out = decode(cert.parsed);
  } catch (cause) {
    throw new CertificateError(
      'CertificateUntrusted',
      `certificate ${describe(cert)}: an extension cannot be decoded`,
      { cause, thumbprint: cert.thumbprintSha256 },
    );
  }
  memo.set(cert, out);
  return out;
}

function decode(parsed: px.X509Certificate): CertificateConstraints {
  const bc = parsed.getExtension(px.BasicConstraintsExtension);
  const ku = parsed.getExtension(px.KeyUsagesExtension);
  const eku = parsed.getExtension(px.ExtendedKeyUsageExtension);
  const cdp = parsed.getExtension(px.CRLDistributionPointsExtension);
  const crlUrls: string[] = [];
  for (const dp of cdp?.distributionPoints ?? []) {
    for (const name of dp.distributionPoint?.fullName ?? []) {
      if (name.uniformResourceIdentifier !== undefined)
        crlUrls.push(name.uniformResourceIdentifier);
    }
  }
  return {
    isCa: bc?.ca ?? false,
    pathLen: bc?.pathLength,
    keyUsage: ku ? ku.usages : undefined,
    extKeyUsage: eku ? eku.usages.map((u) => String(u)) : undefined,
    crlUrls,
    unhandledCritical: parsed.extensions
      .filter((e) => e.critical && !HANDLED.has(e.type))
      .map((e) => e.type),
  };
}

/** A short name for a certificate in error details: its subject, or its thumbprint. */
export function describe(cert: Certificate): string {
  try {
    return `"${cert.subject}"`;
  } catch {
    return `sha256:${cert.thumbprintSha256}`;
  }
}
