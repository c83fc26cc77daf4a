/**
 * The identity a certificate asserts: subject and issuer names, thumbprints, serial number
 * and the subjectAltName entries identity mapping uses (e-mail, UPN, DNS).
 */
import type { Identity } from '../credentials/types.js';
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

/**
 * The {@link Identity} a certificate establishes, the same in every mode that rests on one
 * (Message: the certificate that signed the Body; Transport: the one that signed the queued
 * message): name the subject DN, credential type `Certificate`, claims subject, issuer,
 * thumbprint, commonName (when present), e-mails and UPNs, no roles.
 *
 * Like {@link describeIdentity}, it reads the certificate only: call it on a validated one.
 * `described` is the certificate's {@link describeIdentity} result when the caller has it.
 */
export function certificateIdentity(
  cert: Certificate,
  described: CertificateIdentity = describeIdentity(cert),
): Identity {
  return {
    name: described.subject,
    credentialType: 'Certificate',
    claims: {
      subject: described.subject,
      issuer: described.issuer,
      thumbprint: described.thumbprint,
      ...(described.commonName === undefined ? {} : { commonName: described.commonName }),
      emails: described.emails,
      upns: described.upns,
    },
    roles: [],
    certificate: described,
  };
}
