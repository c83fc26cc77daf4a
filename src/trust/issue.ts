/**
 * Certificate and CRL issuance for the development PKI: RSA keys from node:crypto,
 * certificates and CRLs from @peculiar/x509.
 *
 * **For development and tests only.** Keys are generated in memory and returned in the clear;
 * nothing here is hardened for a production certificate authority (no key protection, no
 * audit, no policy). Use it for demos, `wsseq pki init` and test fixtures.
 */
import { generateKeyPair, randomBytes, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as px from './x509-lib.js';
import { Certificate } from './certificate.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** OIDs of the extended key usages wsseq cares about. */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  any: '2.5.29.37.0',
} as const;

/** Key usage bits by their RFC 5280 names. */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';

/** A certificate with its private key, as objects and as PEM (PKCS#8, unencrypted). */
export interface DevelopmentCredential {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  /** Unencrypted PKCS#8 PEM. Development only. */
  readonly privateKeyPem: string;
}

/** The signer of a certificate or CRL: a CA certificate and its private key. */
export interface DevelopmentIssuer {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
}

/** Input of {@link issueCertificate}. */
export interface IssueCertificateOptions {
  /** Subject DN as RFC 4514 text, for example `CN=alice, O=Contoso`. */
  readonly subject: string;
  /** The signing CA; omitted for a self-signed certificate. */
  readonly issuer?: DevelopmentIssuer;
  /** The subject's key pair; a fresh RSA-2048 pair when omitted. */
  readonly keyPair?: { readonly publicKey: KeyObject; readonly privateKey: KeyObject };
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** basicConstraints cA (always present, critical). Default false. */
  readonly isCa?: boolean;
  /** basicConstraints pathLenConstraint (CA only). */
  readonly pathLen?: number;
  /** Extended key usage OIDs; no extension when omitted or empty. */
  readonly eku?: readonly string[];
  /** Key usage bits; default keyCertSign+cRLSign for a CA, digitalSignature+keyEncipherment otherwise. */
  readonly keyUsage?: readonly KeyUsageName[];
  readonly dnsNames?: readonly string[];
  /** rfc822Name SAN entries. */
  readonly emails?: readonly string[];
  /** Microsoft UPN otherName SAN entries (1.3.6.1.4.1.311.20.2.3). */
  readonly upns?: readonly string[];
  /** A cRLDistributionPoints URL. */
  readonly crlUrl?: string;
  /** Serial number in hex; 16 random bytes when omitted. */
  readonly serial?: string;
  /** Extra raw extensions (for tests of unusual certificates). */
  readonly extensions?: readonly {
    readonly oid: string;
    readonly critical: boolean;
    readonly value: Uint8Array;
  }[];
}

/** Input of {@link issueCrl}. */
export interface IssueCrlOptions {
  readonly issuer: DevelopmentIssuer;
  readonly revoked?: readonly { readonly serialHex: string; readonly date: Date }[];
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

/** A CRL in both encodings. */
export interface DevelopmentCrl {
  readonly pem: string;
  readonly der: Buffer;
}

const KEY_USAGE_FLAGS: Readonly<Record<KeyUsageName, px.KeyUsageFlags>> = {
  digitalSignature: px.KeyUsageFlags.digitalSignature,
  nonRepudiation: px.KeyUsageFlags.nonRepudiation,
  keyEncipherment: px.KeyUsageFlags.keyEncipherment,
  dataEncipherment: px.KeyUsageFlags.dataEncipherment,
  keyAgreement: px.KeyUsageFlags.keyAgreement,
  keyCertSign: px.KeyUsageFlags.keyCertSign,
  cRLSign: px.KeyUsageFlags.cRLSign,
};

/** Generate an RSA-2048 key pair (asynchronously, so several run in parallel). */
export async function generateRsaKeyPair(): Promise<{
  publicKey: KeyObject;
  privateKey: KeyObject;
}> {
  return generateKeyPairAsync('rsa', { modulusLength: 2048 });
}

/** The WebCrypto signing algorithm for a private key (RSA PKCS#1 v1.5 or ECDSA, SHA-256). */
function signingAlgorithm(
  key: KeyObject,
): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : 'P-256';
    return { name: 'ECDSA', namedCurve };
  }
  throw new TypeError(`unsupported issuer key type ${String(key.asymmetricKeyType)}`);
}

async function importSigningKey(
  key: KeyObject,
): Promise<{ key: webcrypto.CryptoKey; alg: webcrypto.Algorithm }> {
  const importAlg = signingAlgorithm(key);
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const cryptoKey = await webcrypto.subtle.importKey('pkcs8', der, importAlg, false, ['sign']);
  const alg: webcrypto.Algorithm & { hash?: string } =
    importAlg.name === 'ECDSA'
      ? { name: 'ECDSA', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { key: cryptoKey, alg };
}

function spki(key: KeyObject): ArrayBuffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength);
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10; // positive, no leading zero byte
  return bytes.toString('hex');
}

function toCredential(certificate: Certificate, privateKey: KeyObject): DevelopmentCredential {
  return {
    certificate,
    privateKey,
    certificatePem: certificate.toPem(),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/**
 * Issue an X.509 v3 certificate (self-signed when `issuer` is omitted), signed with
 * SHA-256 (RSA PKCS#1 v1.5 or ECDSA, after the issuer's key). Development only.
 * @throws TypeError for an unsupported issuer key type.
 */
export async function issueCertificate(
  options: IssueCertificateOptions,
): Promise<DevelopmentCredential> {
  const keyPair = options.keyPair ?? (await generateRsaKeyPair());
  const signerKey = options.issuer?.privateKey ?? keyPair.privateKey;
  const signer = await importSigningKey(signerKey);
  const isCa = options.isCa ?? false;
  const usages =
    options.keyUsage ??
    (isCa
      ? (['keyCertSign', 'cRLSign'] as const)
      : (['digitalSignature', 'keyEncipherment'] as const));
  const extensions: px.Extension[] = [
    new px.BasicConstraintsExtension(isCa, isCa ? options.pathLen : undefined, true),
    new px.KeyUsagesExtension(
      // KeyUsageFlags is a bit set: a combination is a number by design.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
      usages.reduce<number>((acc, u) => acc | KEY_USAGE_FLAGS[u], 0),
      true,
    ),
    await px.SubjectKeyIdentifierExtension.create(spki(keyPair.publicKey), false, webcrypto),
  ];
  if (options.issuer) {
    extensions.push(
      await px.AuthorityKeyIdentifierExtension.create(
        spki(options.issuer.certificate.publicKey),
        false,
        webcrypto,
      ),
    );
  }
  if (options.eku && options.eku.length > 0) {
    extensions.push(new px.ExtendedKeyUsageExtension([...options.eku], false));
  }
  const names: px.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(options.upns ?? []).map((value) => ({ type: 'upn' as const, value })),
  ];
  if (names.length > 0) extensions.push(new px.SubjectAlternativeNameExtension(names, false));
  if (options.crlUrl !== undefined) {
    extensions.push(new px.CRLDistributionPointsExtension([options.crlUrl], false));
  }
  for (const e of options.extensions ?? []) {
    extensions.push(new px.Extension(e.oid, e.critical, Buffer.from(e.value)));
  }
  const generated = await px.X509CertificateGenerator.create(
    {
      serialNumber: options.serial ?? randomSerial(),
      subject: derName(options.subject),
      issuer: options.issuer
        ? options.issuer.certificate.parsed.subjectName
        : derName(options.subject),
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      publicKey: spki(keyPair.publicKey),
      signingKey: signer.key,
      signingAlgorithm: signer.alg,
      extensions,
    },
    webcrypto,
  );
  const certificate = Certificate.fromDer(new Uint8Array(generated.rawData));
  return toCredential(certificate, keyPair.privateKey);
}

/**
 * The DER form of a name written as RFC 4514 text (`CN=alice, O=Contoso`: most specific
 * first), so that the certificate prints back the same way.
 */
function derName(rfc4514Text: string): px.JsonName {
  return new px.Name(rfc4514Text).toJSON().reverse();
}

/**
 * Issue a CRL signed by `issuer` (SHA-256), listing `revoked` serial numbers. Development only.
 * @throws TypeError for an unsupported issuer key type.
 */
export async function issueCrl(options: IssueCrlOptions): Promise<DevelopmentCrl> {
  const signer = await importSigningKey(options.issuer.privateKey);
  const crl = await px.X509CrlGenerator.create(
    {
      issuer: options.issuer.certificate.parsed.subjectName,
      thisUpdate: options.thisUpdate,
      ...(options.nextUpdate ? { nextUpdate: options.nextUpdate } : {}),
      signingKey: signer.key,
      signingAlgorithm: signer.alg,
      entries: (options.revoked ?? []).map((r) => ({
        serialNumber: r.serialHex,
        revocationDate: r.date,
      })),
    },
    webcrypto,
  );
  const der = Buffer.from(crl.rawData);
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return { der, pem: `-----BEGIN X509 CRL-----\n${b64.trimEnd()}\n-----END X509 CRL-----\n` };
}
