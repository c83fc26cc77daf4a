/**
 * The identity a certificate asserts: subject and issuer names, thumbprints, serial number
 * and the subjectAltName entries identity mapping uses (e-mail, UPN, DNS).
 */
import type { Certificate } from './certificate.js';
import * as px from './x509-lib.js';

/** What a certificate says about its holder. */
export interface CertificateIdentity {
  /** Subject DN as RFC 4514 text. */
  readonly subject: string;
  /** Issuer DN as RFC 4514 text. */
  readonly issuer: string;
  /** SHA-256 of the DER, lower-case hex. */
  readonly thumbprint: string;
  /** SHA-1 of the DER, lower-case hex (as WS-Security ThumbprintSHA1 and Windows show it). */
  readonly thumbprintSha1: string;
  /** Serial number, upper-case hex. */
  readonly serialNumber: string;
  /** The subject's first CN, if any. */
  readonly commonName?: string;
  /** SAN rfc822Name entries. */
  readonly emails: readonly string[];
  /** SAN otherName UPN entries (1.3.6.1.4.1.311.20.2.3). */
  readonly upns: readonly string[];
  /** SAN dNSName entries. */
  readonly dnsNames: readonly string[];
}

/**
 * Describe the identity `cert` asserts. This reads the certificate only: call it on a
 * certificate {@link TrustStore.validate} accepted.
 *
 * Limits: a subjectAltName that @peculiar/x509 cannot decode (an otherName other than UPN
 * or GUID, an X.400 address...) yields no SAN entries at all rather than a partial list.
 */
export function describeIdentity(cert: Certificate): CertificateIdentity {
  const parsed = cert.parsed;
  const emails: string[] = [];
  const upns: string[] = [];
  const dnsNames: string[] = [];
  let names: readonly px.GeneralName[];
  try {
    names = parsed.getExtension(px.SubjectAlternativeNameExtension)?.names.items ?? [];
  } catch {
    names = [];
  }
  for (const name of names) {
    if (name.type === 'email') emails.push(name.value);
    else if (name.type === 'upn') upns.push(name.value);
    else if (name.type === 'dns') dnsNames.push(name.value);
  }
  const commonName = parsed.subjectName.getField('CN')[0];
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    thumbprint: cert.thumbprintSha256,
    thumbprintSha1: cert.thumbprintSha1.toString('hex'),
    serialNumber: cert.serialNumberHex,
    ...(commonName === undefined ? {} : { commonName }),
    emails,
    upns,
    dnsNames,
  };
}
