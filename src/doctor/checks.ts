/**
 * The individual certificate checks of the doctor: each one question about the certificate,
 * answered with findings in plain words.
 * @internal
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../trust/certificate.js';
import { EKU } from '../trust/dev-pki.js';
import { KEY_USAGE, readConstraints } from '../trust/extensions.js';
import { describeIdentity } from '../trust/identity.js';
import type { CertificatePurpose } from '../trust/path.js';
import type { CertificateFinding } from './findings.js';

const DAY_MS = 86_400_000;
const ANY_EKU = '2.5.29.37.0';

/** A readable name: the subject's CN, else the whole subject. */
export function nameOf(cert: Certificate): string {
  try {
    return `"${describeIdentity(cert).commonName ?? cert.subject}"`;
  } catch {
    return `sha256:${cert.thumbprintSha256}`;
  }
}

/** True when `cert` names itself as issuer and its own key verifies its signature. */
export function isSelfSigned(cert: Certificate): boolean {
  if (cert.node.subject !== cert.node.issuer) return false;
  try {
    return cert.node.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export function checkValidity(cert: Certificate, at: Date): CertificateFinding {
  const t = at.getTime();
  const from = cert.notBefore;
  const to = cert.notAfter;
  if (t < from.getTime()) {
    return {
      check: 'validity',
      ok: false,
      code: 'CertificateExpired',
      message: `not valid yet: valid from ${from.toISOString()} (it is ${at.toISOString()}). Check the clock, or wait.`,
    };
  }
  if (t > to.getTime()) {
    return {
      check: 'validity',
      ok: false,
      code: 'CertificateExpired',
      message: `expired on ${to.toISOString()} (it is ${at.toISOString()}). Renew it: an expired certificate is refused whatever else is right.`,
    };
  }
  const left = Math.floor((to.getTime() - t) / DAY_MS);
  return {
    check: 'validity',
    ok: true,
    ...(left < 30 ? { severity: 'warning' as const } : {}),
    message: `valid from ${from.toISOString()} to ${to.toISOString()}${left < 30 ? ` — expires in ${left} day(s): renew it soon` : ''}`,
  };
}

export function checkEndEntity(cert: Certificate, purpose: CertificatePurpose): CertificateFinding {
  if (readConstraints(cert).isCa) {
    return {
      check: 'end-entity',
      ok: false,
      code: 'CertificateNotValidForPurpose',
      message: `this is a CA certificate (basicConstraints cA=true): it issues certificates, it is not a ${purpose} certificate. Use a certificate the CA issued to the ${purpose}.`,
    };
  }
  return { check: 'end-entity', ok: true, message: 'an end-entity certificate (not a CA)' };
}

export function checkKeyUsage(cert: Certificate, purpose: CertificatePurpose): CertificateFinding {
  const ku = readConstraints(cert).keyUsage;
  const [bit, name, why] =
    purpose === 'client'
      ? [KEY_USAGE.digitalSignature, 'digitalSignature', 'a client signs its messages']
      : [
          KEY_USAGE.keyEncipherment,
          'keyEncipherment',
          'clients wrap the message key for the service',
        ];
  if (ku === undefined) {
    return {
      check: 'key-usage',
      ok: true,
      message: 'no keyUsage extension: every key usage is allowed',
    };
  }
  if ((ku & bit) === 0) {
    return {
      check: 'key-usage',
      ok: false,
      code: 'CertificateNotValidForPurpose',
      message: `key usage does not include ${name}, which a ${purpose} certificate needs (${why})`,
    };
  }
  return { check: 'key-usage', ok: true, message: `key usage includes ${name}` };
}

export function checkExtendedKeyUsage(
  cert: Certificate,
  purpose: CertificatePurpose,
): CertificateFinding {
  const eku = readConstraints(cert).extKeyUsage;
  const [wanted, label, other, otherLabel] =
    purpose === 'client'
      ? [EKU.clientAuth, 'Client Authentication', EKU.serverAuth, 'Server Authentication']
      : [EKU.serverAuth, 'Server Authentication', EKU.clientAuth, 'Client Authentication'];
  if (eku === undefined) {
    return {
      check: 'extended-key-usage',
      ok: true,
      message: 'no extended key usage extension: any purpose is accepted',
    };
  }
  if (eku.includes(wanted) || eku.includes(ANY_EKU)) {
    return {
      check: 'extended-key-usage',
      ok: true,
      message: `extended key usage includes ${label} (${wanted})`,
    };
  }
  const mixUp = eku.includes(other)
    ? ` It is a ${purpose === 'client' ? 'server (TLS/SSL)' : 'client'} certificate: it lists ${otherLabel} only. ` +
      `A ${purpose} certificate is a different certificate, issued for ${label} (for example from the CA's ${purpose === 'client' ? 'User or client-authentication' : 'Web Server'} template).`
    : ` Ask the CA for a certificate whose extended key usage lists ${label}.`;
  return {
    check: 'extended-key-usage',
    ok: false,
    code: 'CertificateNotValidForPurpose',
    message: `extended key usage (${eku.join(', ')}) does not include ${label} (${wanted}).${mixUp}`,
  };
}

export function checkKeyStrength(cert: Certificate): CertificateFinding[] {
  const out: CertificateFinding[] = [];
  const key = cert.publicKey;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    out.push(
      bits < 2048
        ? {
            check: 'key-strength',
            ok: false,
            message: `RSA key of ${bits} bits: too weak (at least 2048). OpenSSL 3 and current Windows refuse such keys; issue a new certificate with a 2048-bit or larger key.`,
          }
        : { check: 'key-strength', ok: true, message: `RSA key of ${bits} bits` },
    );
  } else {
    out.push({
      check: 'key-strength',
      ok: false,
      message: `${String(key.asymmetricKeyType)} key: wsseq signs with RSA (RSA-SHA256) and wraps keys with RSA-OAEP, so the certificate needs an RSA key`,
    });
  }
  const alg = signatureAlgorithm(cert);
  const hash = alg.hash?.toUpperCase().replace('-', '') ?? '';
  out.push(
    hash === 'SHA1' || hash === 'MD5' || hash === 'MD2'
      ? {
          check: 'signature-algorithm',
          ok: false,
          message: `signed with ${alg.name} over ${hash}: ${hash} signatures are forgeable and refused by current stacks; have the CA reissue it with SHA-256`,
        }
      : {
          check: 'signature-algorithm',
          ok: true,
          message: `signed with ${alg.name}${alg.hash === undefined ? '' : ` over ${alg.hash}`}`,
        },
  );
  return out;
}

function signatureAlgorithm(cert: Certificate): { name: string; hash: string | undefined } {
  try {
    const alg = cert.parsed.signatureAlgorithm as { name: string; hash?: { name: string } };
    return { name: alg.name, hash: alg.hash?.name };
  } catch {
    return { name: 'an unknown algorithm', hash: undefined };
  }
}

export function checkPrivateKey(
  cert: Certificate,
  privateKey: KeyObject | undefined,
  purpose: CertificatePurpose,
): CertificateFinding {
  if (!privateKey) {
    return {
      check: 'private-key',
      ok: true,
      severity: 'warning',
      message: `no private key given: the ${purpose} needs the key that goes with this certificate (${purpose === 'client' ? 'to sign' : 'to decrypt'}); check it with --pfx, or --key`,
    };
  }
  const a = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const b = cert.publicKey.export({ type: 'spki', format: 'der' });
  if (!a.equals(b)) {
    return {
      check: 'private-key',
      ok: false,
      message:
        'the private key does not belong to this certificate (their public keys differ): find the key the certificate was issued for',
    };
  }
  return {
    check: 'private-key',
    ok: true,
    message: 'the private key is present and matches the certificate',
  };
}

/** RFC 6125 matching of one presented DNS name (a leftmost `*` label matches one label). */
function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const rest = p.slice(1); // ".example.com"
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === rest;
}

export function checkHostName(cert: Certificate, host: string): CertificateFinding {
  const id = describeIdentity(cert);
  const cn = id.commonName;
  if (id.dnsNames.length > 0) {
    if (id.dnsNames.some((d) => dnsMatches(d, host))) {
      return {
        check: 'host-name',
        ok: true,
        message: `"${host}" is one of its DNS names (${id.dnsNames.join(', ')})`,
      };
    }
    const cnNote =
      cn !== undefined && dnsMatches(cn, host)
        ? ` The CN is "${cn}", but a certificate with subjectAltName DNS names is matched on those only (RFC 6125): the CN is ignored.`
        : '';
    return {
      check: 'host-name',
      ok: false,
      code: 'CertificateNotValidForPurpose',
      message: `"${host}" is not among its DNS names (${id.dnsNames.join(', ')}).${cnNote} Use the name the certificate was issued for, or reissue it with "${host}" in subjectAltName.`,
    };
  }
  if (cn !== undefined && dnsMatches(cn, host)) {
    return {
      check: 'host-name',
      ok: true,
      severity: 'warning',
      message: `"${host}" matches the CN only: the certificate has no subjectAltName DNS names, which current TLS clients require; reissue it with "${host}" in subjectAltName`,
    };
  }
  return {
    check: 'host-name',
    ok: false,
    code: 'CertificateNotValidForPurpose',
    message: `"${host}" matches neither a subjectAltName DNS name (there are none) nor the CN${cn === undefined ? '' : ` ("${cn}")`}`,
  };
}
