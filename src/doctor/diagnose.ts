/**
 * The certificate doctor: explains, in plain words, whether and why a certificate will or
 * will not work as a client or a service certificate, with the codes the receiver uses.
 */
import type { KeyObject } from 'node:crypto';
import { CertificateError } from '../errors.js';
import type { Certificate } from '../trust/certificate.js';
import { parseCrls } from '../trust/crl.js';
import { describeIdentity } from '../trust/identity.js';
import type { CertificatePurpose } from '../trust/path.js';
import { RevocationChecker } from '../trust/revocation.js';
import { readConstraints } from '../trust/extensions.js';
import { TrustStore } from '../trust/validate.js';
import { checkDiagnoseOptions } from '../policy/tooling-options.js';
import {
  checkEndEntity,
  checkExtendedKeyUsage,
  checkHostName,
  checkKeyStrength,
  checkKeyUsage,
  checkPrivateKey,
  checkValidity,
  isSelfSigned,
  nameOf,
} from './checks.js';
import type { CertificateFinding } from './findings.js';

export type { CertificateCheck, CertificateFinding } from './findings.js';
export { isCertificateUsable } from './findings.js';

/** What to examine and against what. */
export interface DiagnoseCertificateOptions {
  readonly certificate: Certificate;
  /** Certificates that travel with it (the rest of a PFX or PEM bundle): intermediates, never roots. */
  readonly chain?: readonly Certificate[];
  /** Its private key, to check that it is there and matches. */
  readonly privateKey?: KeyObject;
  /** The roots the other side trusts. Without them the chain and the receiver's verdict are not checked. */
  readonly trustedRoots?: readonly Certificate[];
  /** Intermediate CAs the other side holds. */
  readonly intermediates?: readonly Certificate[];
  /** CRLs (PEM or DER) to check revocation against, as a service in Offline mode does. */
  readonly crls?: readonly (string | Uint8Array)[];
  /** `client` (default): signs messages, clientAuth; `service`: receives them, serverAuth. */
  readonly purpose?: CertificatePurpose;
  /** The destination host name the certificate must match (a service certificate). */
  readonly host?: string;
  /** The instant to judge at. Default now. */
  readonly at?: Date;
}

const MAX_PATH = 8;

/**
 * Examine a certificate for a purpose and return one finding per question: identity,
 * CA used as an end-entity certificate, validity dates, key usage and extended key usage
 * (clientAuth for a client — a server certificate is not a client certificate — serverAuth
 * for a service), key size and signature algorithm, the private key, self-signed, the chain
 * to a trusted root (and which link is missing), revocation against the CRLs given, the name
 * of the destination host, and finally the verdict of a {@link TrustStore} holding the same
 * roots, intermediates and CRLs — what the receiver would say, with its code.
 *
 * Limits: no OCSP, no CRL fetching (give the CRLs), no name constraints or policies; the
 * host-name check is RFC 6125 DNS matching (no IP addresses).
 * @example
 * const findings = await diagnoseCertificate({ certificate, privateKey, trustedRoots: [root], purpose: 'client' });
 * if (!isCertificateUsable(findings)) console.log(findings.filter((f) => !f.ok));
 * @throws TypeError when `at` is not a valid date or a CRL does not parse.
 */
export async function diagnoseCertificate(
  options: DiagnoseCertificateOptions,
): Promise<CertificateFinding[]> {
  checkDiagnoseOptions(options);
  const cert = options.certificate;
  const purpose = options.purpose ?? 'client';
  const at = options.at ?? new Date();
  if (Number.isNaN(at.getTime()))
    throw new TypeError('diagnoseCertificate: `at` is not a valid Date');
  const crls = options.crls ?? [];
  const parsedCrls = parseCrls(crls);
  const findings: CertificateFinding[] = [identity(cert)];

  findings.push(checkEndEntity(cert, purpose));
  findings.push(checkValidity(cert, at));
  findings.push(checkKeyUsage(cert, purpose));
  findings.push(checkExtendedKeyUsage(cert, purpose));
  findings.push(...checkKeyStrength(cert));
  findings.push(checkPrivateKey(cert, options.privateKey, purpose));

  const roots = options.trustedRoots ?? [];
  const pool = [...(options.chain ?? []), ...(options.intermediates ?? [])];
  const selfSigned = isSelfSigned(cert);
  const rootedInSelf = roots.some((r) => r.equals(cert));
  if (selfSigned) findings.push(selfSignedFinding(rootedInSelf));
  let path: Certificate[] | undefined;
  if (roots.length === 0) {
    findings.push({
      check: 'chain',
      ok: true,
      severity: 'warning',
      message:
        'not checked: no trusted roots given (--trust). Give the roots the other side trusts to learn whether it will trust this certificate.',
    });
  } else if (!selfSigned || rootedInSelf) {
    const walk = walkChain(cert, roots, pool);
    findings.push(...chainFindings(walk, at));
    if (walk.trusted) path = walk.path;
  }

  if (parsedCrls.length === 0) {
    const urls = readConstraints(cert).crlUrls;
    findings.push({
      check: 'revocation',
      ok: true,
      severity: 'info',
      message: `not checked: no CRLs given (--crl)${urls.length > 0 ? `; the certificate names its CRL at ${urls.join(', ')}` : '; the certificate names no CRL distribution point'}`,
    });
  } else if (path) {
    findings.push(await revocationFinding(path, parsedCrls, at));
  }

  if (options.host !== undefined) findings.push(checkHostName(cert, options.host));
  if (roots.length > 0) findings.push(await receiverVerdict(options, purpose, at, crls));
  return findings;
}

function identity(cert: Certificate): CertificateFinding {
  const id = describeIdentity(cert);
  const san = [
    ...id.dnsNames.map((d) => `DNS ${d}`),
    ...id.emails.map((e) => `e-mail ${e}`),
    ...id.upns.map((u) => `UPN ${u}`),
  ];
  return {
    check: 'identity',
    ok: true,
    severity: 'info',
    message:
      `subject "${id.subject}", issuer "${id.issuer}", serial ${id.serialNumber}, SHA-1 thumbprint ${id.thumbprintSha1}` +
      (san.length > 0 ? `, subjectAltName ${san.join(', ')}` : ', no subjectAltName'),
  };
}

function selfSignedFinding(trusted: boolean): CertificateFinding {
  return trusted
    ? {
        check: 'self-signed',
        ok: true,
        severity: 'warning',
        message:
          'self-signed, and itself one of the trusted roots: it is trusted as itself only (every holder must be pinned one by one, as PeerTrust does)',
      }
    : {
        check: 'self-signed',
        ok: false,
        code: 'CertificateUntrusted',
        message:
          'self-signed: it vouches for itself and no CA vouches for it, so a service using chain trust refuses it. Either the service pins this very certificate (PeerTrust), or use a certificate issued by a CA the service trusts.',
      };
}

interface ChainWalk {
  readonly path: Certificate[];
  readonly trusted: boolean;
  /** A certificate with the right name whose key did not sign the last link. */
  readonly impostor: Certificate | undefined;
}

function issued(child: Certificate, parent: Certificate): boolean {
  if (child.node.issuer !== parent.node.subject) return false;
  try {
    return child.node.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** Follow issuers from the leaf: trusted roots first, then the intermediates. */
function walkChain(
  leaf: Certificate,
  roots: readonly Certificate[],
  pool: readonly Certificate[],
): ChainWalk {
  const path = [leaf];
  for (let current = leaf; path.length <= MAX_PATH;) {
    if (roots.some((r) => r.equals(current))) return { path, trusted: true, impostor: undefined };
    const root = roots.find((r) => issued(current, r));
    if (root) return { path: [...path, root], trusted: true, impostor: undefined };
    const next = pool.find((p) => !path.some((q) => q.equals(p)) && issued(current, p));
    if (!next) {
      const impostor = [...roots, ...pool].find(
        (c) => c.node.subject === current.node.issuer && !c.equals(current),
      );
      return { path, trusted: false, impostor };
    }
    path.push(next);
    current = next;
  }
  return { path, trusted: false, impostor: undefined };
}

function chainFindings(walk: ChainWalk, at: Date): CertificateFinding[] {
  const names = walk.path.map(nameOf).join(' → ');
  const last = walk.path[walk.path.length - 1];
  if (!last) return [];
  if (!walk.trusted) {
    let message: string;
    if (walk.impostor) {
      message = `${nameOf(last)} names "${last.issuer}" as its issuer, and a certificate with that name was given, but its key did not sign ${nameOf(last)}: it is another CA with the same name, or the CA's key was renewed. Get the certificate of the CA that actually issued it.`;
    } else if (isSelfSigned(last)) {
      message = `the chain ${names} ends at the root ${nameOf(last)}, which is not in your trust store: add its certificate to the trusted roots (--trust) — only if you trust that CA.`;
    } else {
      message = `${names === nameOf(last) ? 'the certificate' : `the chain ${names} stops: ${nameOf(last)}`} is issued by "${last.issuer}", which is not in your trust store: add the certificate of "${last.issuer}" as an intermediate (--intermediate) or, if it is a root, as a trusted root (--trust).`;
    }
    return [{ check: 'chain', ok: false, code: 'CertificateUntrusted', message }];
  }
  const out: CertificateFinding[] = [
    { check: 'chain', ok: true, message: `chains to a trusted root: ${names}` },
  ];
  for (const ca of walk.path.slice(1)) {
    const v = checkValidity(ca, at);
    if (!v.ok) {
      out.push({
        check: 'chain',
        ok: false,
        code: 'CertificateExpired',
        message: `the issuing CA ${nameOf(ca)} is ${v.message}`,
      });
    }
    if (!readConstraints(ca).isCa) {
      out.push({
        check: 'chain',
        ok: false,
        code: 'CertificateUntrusted',
        message: `${nameOf(ca)} issued a certificate but is not a CA (basicConstraints cA is not true)`,
      });
    }
  }
  return out;
}

async function revocationFinding(
  path: readonly Certificate[],
  crls: ReturnType<typeof parseCrls>,
  at: Date,
): Promise<CertificateFinding> {
  try {
    await new RevocationChecker(crls, undefined, 0).check(path, at.getTime());
    return {
      check: 'revocation',
      ok: true,
      message: `not revoked: every certificate below the root is covered by a current CRL of its issuer`,
    };
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    const unknown = err.code === 'CertificateUntrusted';
    return {
      check: 'revocation',
      ok: false,
      code: err.code,
      message: unknown
        ? `${err.message}. A service checking revocation (Offline or Online) refuses it; give the CRL of that issuer (--crl), or make sure the service can fetch it.`
        : `${err.message}. A revoked certificate is refused whatever else is right: get a new one.`,
    };
  }
}

async function receiverVerdict(
  options: DiagnoseCertificateOptions,
  purpose: CertificatePurpose,
  at: Date,
  crls: readonly (string | Uint8Array)[],
): Promise<CertificateFinding> {
  const store = new TrustStore({
    trustedRoots: options.trustedRoots ?? [],
    intermediates: options.intermediates ?? [],
    revocationMode: crls.length > 0 ? 'Offline' : 'NoCheck',
    crls,
    cacheTtlSeconds: 0,
    maxClockSkewSeconds: 0,
  });
  const revocation =
    crls.length > 0 ? 'with Offline revocation checking' : 'without revocation checking';
  try {
    const { chain } = await store.validate(options.certificate, options.chain ?? [], at, purpose);
    return {
      check: 'receiver-verdict',
      ok: true,
      message: `a ${purpose === 'client' ? 'service' : 'client'} trusting these roots (ChainTrust, ${revocation}) accepts it as a ${purpose} certificate (path of ${chain.length})`,
    };
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    return {
      check: 'receiver-verdict',
      ok: false,
      code: err.code,
      message: `a ${purpose === 'client' ? 'service' : 'client'} trusting these roots (ChainTrust, ${revocation}) refuses it: ${err.code} — ${err.message}`,
    };
  }
}
