/**
 * A parsed X.509 certificate: DER, node:crypto's fast view (public key, fingerprints, dates)
 * and, parsed lazily, @peculiar/x509's view for extensions and names.
 */
import './reflect-polyfill.js';
import { X509Certificate as NodeX509, createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as px from '@peculiar/x509';
import { isWsseqError, reject } from '../errors.js';

/** One X.509 certificate. Immutable; cheap to compare by {@link Certificate.thumbprintSha256}. */
export class Certificate {
  /** The DER encoding. */
  readonly der: Buffer;
  /** node:crypto's view of the certificate. */
  readonly node: NodeX509;
  #peculiar: px.X509Certificate | undefined;
  #sha1: Buffer | undefined;
  #sha256: string | undefined;
  #publicKey: KeyObject | undefined;

  private constructor(der: Buffer, node: NodeX509) {
    this.der = der;
    this.node = node;
  }

  /**
   * Parse a DER certificate (for example the value of a BinarySecurityToken).
   * @throws WsseqError `UnsupportedSecurityToken` when the bytes are not a certificate.
   */
  static fromDer(der: Uint8Array): Certificate {
    const buf = Buffer.from(der);
    try {
      return new Certificate(buf, new NodeX509(buf));
    } catch (cause) {
      throw reject('UnsupportedSecurityToken', 'the token is not a valid X.509 certificate', cause);
    }
  }

  /** Parse every certificate in a PEM text, in order. */
  static allFromPem(pem: string): Certificate[] {
    const out: Certificate[] = [];
    const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
    for (let m = re.exec(pem); m; m = re.exec(pem)) {
      out.push(Certificate.fromDer(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
    }
    return out;
  }

  /** Parse the first certificate in a PEM text. */
  static fromPem(pem: string): Certificate {
    const first = Certificate.allFromPem(pem)[0];
    if (!first) throw new TypeError('no CERTIFICATE block in the PEM text');
    return first;
  }

  /**
   * @peculiar/x509's view, parsed on first use.
   * @throws WsseqError `UnsupportedSecurityToken` when the certificate cannot be parsed so.
   */
  get parsed(): px.X509Certificate {
    this.#peculiar ??= readPart('structure', () => new px.X509Certificate(this.der));
    return this.#peculiar;
  }

  /**
   * The subject public key.
   * @throws WsseqError `UnsupportedSecurityToken` when the key cannot be decoded (a corrupted
   *   algorithm identifier or key, an algorithm node:crypto does not know).
   */
  get publicKey(): KeyObject {
    this.#publicKey ??= readPart('public key', () => this.node.publicKey);
    return this.#publicKey;
  }

  /** Subject DN as RFC 4514 text (for example `CN=alice, O=Contoso`). */
  get subject(): string {
    return readPart('subject', () => rfc4514(this.parsed.subjectName));
  }

  /** Issuer DN as RFC 4514 text. */
  get issuer(): string {
    return readPart('issuer', () => rfc4514(this.parsed.issuerName));
  }

  /** Serial number as an unsigned decimal string (as X509SerialNumber carries it). */
  get serialNumberDecimal(): string {
    return readPart('serial number', () => BigInt(`0x${this.node.serialNumber}`).toString(10));
  }

  /** Serial number as upper-case hex. */
  get serialNumberHex(): string {
    return this.node.serialNumber.toUpperCase();
  }

  get notBefore(): Date {
    return new Date(this.node.validFrom);
  }

  get notAfter(): Date {
    return new Date(this.node.validTo);
  }

  /** SHA-1 of the DER (WS-Security ThumbprintSHA1). */
  get thumbprintSha1(): Buffer {
    this.#sha1 ??= createHash('sha1').update(this.der).digest();
    return this.#sha1;
  }

  /** SHA-256 of the DER, lower-case hex: the identity wsseq uses to compare certificates. */
  get thumbprintSha256(): string {
    this.#sha256 ??= createHash('sha256').update(this.der).digest('hex');
    return this.#sha256;
  }

  /** The subjectKeyIdentifier extension value, when present. */
  get subjectKeyIdentifier(): Buffer | undefined {
    return readPart('subjectKeyIdentifier', () => {
      const ext = this.parsed.getExtension(px.SubjectKeyIdentifierExtension);
      return ext ? Buffer.from(ext.keyId, 'hex') : undefined;
    });
  }

  /** True when both are the same certificate (same DER). */
  equals(other: Certificate): boolean {
    return this.der.equals(other.der);
  }

  /** True when this certificate has `issuerName` as issuer and `serial` as serial number. */
  matchesIssuerSerial(issuerName: string, serialDecimal: string): boolean {
    if (serialDecimal.trim() !== this.serialNumberDecimal) return false;
    try {
      return sameName(new px.Name(issuerName.trim()), this.parsed.issuerName);
    } catch {
      return false;
    }
  }

  /** PEM text of this certificate. */
  toPem(): string {
    const b64 = this.der.toString('base64').replace(/(.{64})/g, '$1\n');
    return `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`;
  }
}

/**
 * Read a part of a certificate with a library (node:crypto, @peculiar/x509): a certificate
 * may come from a message, so what the library throws on its bytes is a rejection of the
 * token, `UnsupportedSecurityToken` (the library's error kept as `cause`), never a raw error.
 */
function readPart<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (isWsseqError(cause)) throw cause;
    throw reject('UnsupportedSecurityToken', `the certificate's ${what} cannot be read`, cause);
  }
}

/**
 * A name as RFC 4514 writes it: the RDNs of the DER sequence in reverse order, most specific
 * first (`CN=alice, O=Contoso, C=US`), as Java's X500Principal, .NET's X500DistinguishedName
 * and OpenSSL's RFC 2253 output read and print it. (@peculiar/x509 prints DER order.)
 */
export function rfc4514(name: px.Name): string {
  return new px.Name(name.toJSON().reverse()).toString();
}

/** Compare two names attribute by attribute, values case-insensitively and space-folded. */
function sameName(a: px.Name, b: px.Name): boolean {
  const norm = (n: px.Name): string[] =>
    n
      .toJSON()
      .flatMap((rdn) =>
        Object.entries(rdn).map(
          ([type, values]) =>
            `${type}=${values.map((v) => v.trim().replace(/\s+/g, ' ').toLowerCase()).join('+')}`,
        ),
      )
      .sort();
  const x = norm(a);
  const y = norm(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
