/**
 * PKCS#12 (PFX) reading and writing. The one module that wraps node-forge: it speaks DER
 * in and out, and knows nothing of certificates or keys beyond their bytes.
 *
 * Internal: callers use `loadPfx` and `exportPfx` from `key-material.ts`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Forge from 'node-forge';
import { lazyModule } from '../lazy-module.js';

const forge = lazyModule<typeof Forge>('node-forge');

/** A private key found in a PFX: DER PKCS#8 PrivateKeyInfo (unencrypted). */
export interface PfxKey {
  readonly pkcs8: Buffer;
  /** The `localKeyId` bag attribute, lower-case hex, when present. */
  readonly localKeyId: string | undefined;
}

/** A certificate found in a PFX: its DER. */
export interface PfxCertificate {
  readonly der: Buffer;
  /** The `localKeyId` bag attribute, lower-case hex, when present. */
  readonly localKeyId: string | undefined;
}

/** What {@link decodePfx} found, in file order. */
export interface PfxContents {
  readonly keys: readonly PfxKey[];
  readonly certificates: readonly PfxCertificate[];
}

/** Options for {@link encodePfx}. */
export interface EncodePfxOptions {
  /** pbeWithSHAAnd3-KeyTripleDES-CBC and an HMAC-SHA1 MAC, for Mono and old Windows. */
  readonly legacy: boolean;
  /** The `friendlyName` bag attribute. */
  readonly friendlyName: string;
}

/** PBKDF2 / PKCS#12 KDF iterations and MAC iterations: OpenSSL 3's defaults. */
const ITERATIONS = 2048;
const MAC_SALT_BYTES = 16;

/** MAC digest OIDs we verify, with node's name and forge's KDF digest. */
const MAC_DIGESTS: Readonly<Record<string, { node: string; forge: () => Forge.md.MessageDigest }>> =
  {
    '1.3.14.3.2.26': { node: 'sha1', forge: () => forge.md.sha1.create() },
    '2.16.840.1.101.3.4.2.1': { node: 'sha256', forge: () => forge.md.sha256.create() },
    '2.16.840.1.101.3.4.2.2': { node: 'sha384', forge: () => forge.md.sha384.create() },
    '2.16.840.1.101.3.4.2.3': { node: 'sha512', forge: () => forge.md.sha512.create() },
  };

/**
 * Decrypt a PFX and return its private keys and certificates.
 *
 * Reads legacy files (PKCS#12 PBE with 3DES or RC2, SHA-1 MAC) and OpenSSL 3's default
 * (PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC). A non-ASCII passphrase
 * is applied as BMPString to the MAC and legacy PBE and as UTF-8 to PBES2, as OpenSSL does.
 * @throws TypeError when the bytes are not a PFX, or the passphrase is wrong, or the file
 * uses something node-forge cannot read; the node-forge error is the `cause`.
 */
export function decodePfx(pfx: Uint8Array, passphrase: string | undefined): PfxContents {
  const der = Buffer.from(pfx).toString('binary');
  let parsed: Forge.asn1.Asn1;
  try {
    parsed = forge.asn1.fromDer(der, false);
  } catch (cause) {
    throw new TypeError('the data is not a PKCS#12 (PFX) file', { cause });
  }
  const password = passphrase ?? '';
  let firstError: unknown;
  try {
    return contentsOf(forge.pkcs12.pkcs12FromAsn1(parsed, false, password));
  } catch (cause) {
    firstError = cause;
  }
  // PBES2 keys are derived from the UTF-8 bytes; forge would use the UTF-16 code units.
  if (/[^\x20-\x7e]/.test(password)) {
    try {
      const stripped = verifyMacAndStrip(forge.asn1.fromDer(der, false), password);
      return contentsOf(
        forge.pkcs12.pkcs12FromAsn1(stripped, false, forge.util.encodeUtf8(password)),
      );
    } catch {
      // fall through to the first error
    }
  }
  // Some tools protect "no password" files with a NULL password rather than an empty one.
  if (password === '') {
    try {
      return contentsOf(forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der, false), false));
    } catch {
      // fall through to the first error
    }
  }
  throw new TypeError(
    'cannot open the PKCS#12 (PFX) file: wrong passphrase, or a corrupt or unsupported file',
    { cause: firstError },
  );
}

/**
 * Encode a PFX holding one RSA private key and its certificates (leaf first). Certificates
 * are stored unencrypted, as node-forge writes them; the key bag is encrypted.
 *
 * Default: PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) and an HMAC-SHA256 MAC. Legacy:
 * pbeWithSHAAnd3-KeyTripleDES-CBC and an HMAC-SHA1 MAC.
 * @throws TypeError when node-forge cannot read the key or a certificate (it handles RSA only).
 */
export function encodePfx(
  rsaPkcs1: Buffer,
  certificates: readonly Buffer[],
  passphrase: string,
  options: EncodePfxOptions,
): Buffer {
  let key: Forge.pki.rsa.PrivateKey;
  let certs: Forge.pki.Certificate[];
  try {
    key = forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(rsaPkcs1.toString('binary')));
    certs = certificates.map((c) =>
      forge.pki.certificateFromAsn1(forge.asn1.fromDer(c.toString('binary'))),
    );
  } catch (cause) {
    throw new TypeError('exportPfx handles RSA keys and RSA certificates only', { cause });
  }
  const common = {
    count: ITERATIONS,
    // 8 bytes as OpenSSL's legacy mode writes, for old readers; 16 for PBES2.
    saltSize: options.legacy ? 8 : 16,
    generateLocalKeyId: true,
    friendlyName: options.friendlyName,
  };
  if (options.legacy) {
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, passphrase, {
      ...common,
      algorithm: '3des',
      useMac: true,
    });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  }
  // `prfAlgorithm` is passed through to encryptPrivateKeyInfo; the typings omit it.
  const aes = { ...common, algorithm: 'aes256' as const, prfAlgorithm: 'sha256', useMac: false };
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, forge.util.encodeUtf8(passphrase), aes);
  const authSafe = octets(child(child(child(asn1, 1), 1), 0));
  const salt = randomBytes(MAC_SALT_BYTES).toString('binary');
  const mac = pkcs12Mac('2.16.840.1.101.3.4.2.1', passphrase, salt, ITERATIONS, authSafe);
  const { Class, Type } = forge.asn1;
  const seq = (items: Forge.asn1.Asn1[]): Forge.asn1.Asn1 =>
    forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
  const macData = seq([
    seq([
      seq([
        forge.asn1.create(
          Class.UNIVERSAL,
          Type.OID,
          false,
          forge.asn1.oidToDer('2.16.840.1.101.3.4.2.1').getBytes(),
        ),
        forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, ''),
      ]),
      forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, mac.toString('binary')),
    ]),
    forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, salt),
    forge.asn1.create(
      Class.UNIVERSAL,
      Type.INTEGER,
      false,
      forge.asn1.integerToDer(ITERATIONS).getBytes(),
    ),
  ]);
  children(asn1).push(macData);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** Collect keys and certificates from every safe bag, in file order. */
function contentsOf(p12: Forge.pkcs12.Pkcs12Pfx): PfxContents {
  const { oids } = forge.pki;
  const keys: PfxKey[] = [];
  const certificates: PfxCertificate[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      // forge leaves `key`/`cert` null and keeps `asn1` when it cannot parse the key type
      // (EC, RSA-PSS) or certificate (non-RSA public key).
      const raw = bag.asn1 as Forge.asn1.Asn1 | undefined;
      const localKeyId = localKeyIdOf(bag.attributes as unknown);
      if (bag.type === oids.pkcs8ShroudedKeyBag || bag.type === oids.keyBag) {
        const info = bag.key
          ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
          : raw;
        if (info) keys.push({ pkcs8: toBuffer(info), localKeyId });
      } else if (bag.type === oids.certBag) {
        const cert = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : raw;
        if (cert) certificates.push({ der: toBuffer(cert), localKeyId });
      }
    }
  }
  return { keys, certificates };
}

function localKeyIdOf(attributes: unknown): string | undefined {
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const ids: unknown = (attributes as Record<string, unknown>)['localKeyId'];
  if (!Array.isArray(ids)) return undefined;
  const first: unknown = ids[0];
  return typeof first === 'string' ? Buffer.from(first, 'binary').toString('hex') : undefined;
}

/**
 * Check the PFX MAC with the passphrase as BMPString, then drop the MacData so node-forge can
 * be given the UTF-8 passphrase for PBES2 without checking the MAC with it.
 */
function verifyMacAndStrip(pfx: Forge.asn1.Asn1, password: string): Forge.asn1.Asn1 {
  const [version, authSafe, macData] = children(pfx);
  if (!version || !authSafe || !macData) throw new Error('PFX without MacData');
  const digestInfo = child(macData, 0);
  const oid = forge.asn1.derToOid(octets(child(child(digestInfo, 0), 0)));
  const expected = Buffer.from(octets(child(digestInfo, 1)), 'binary');
  const salt = octets(child(macData, 1));
  const iterNode = children(macData)[2];
  const iterations = iterNode ? forge.asn1.derToInteger(octets(iterNode)) : 1;
  const data = octets(child(child(authSafe, 1), 0));
  const actual = pkcs12Mac(oid, password, salt, iterations, data);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new Error('PKCS#12 MAC could not be verified');
  }
  return forge.asn1.create(pfx.tagClass, pfx.type, true, [version, authSafe]);
}

/** HMAC over `data` with the PKCS#12 KDF (ID 3) key: RFC 7292 appendix B. */
function pkcs12Mac(
  digestOid: string,
  password: string,
  salt: string,
  iterations: number,
  data: string,
): Buffer {
  const digest = MAC_DIGESTS[digestOid];
  if (!digest) throw new Error(`unsupported PKCS#12 MAC digest ${digestOid}`);
  if (!(iterations >= 1 && iterations <= 10_000_000)) throw new Error('bad MAC iterations');
  const md = digest.forge();
  const key = forge.pkcs12.generateKey(
    password,
    forge.util.createBuffer(salt),
    3,
    iterations,
    md.digestLength,
    md,
  );
  return createHmac(digest.node, Buffer.from(key.getBytes(), 'binary'))
    .update(Buffer.from(data, 'binary'))
    .digest();
}

function children(node: Forge.asn1.Asn1): Forge.asn1.Asn1[] {
  if (!Array.isArray(node.value)) throw new Error('unexpected primitive ASN.1 value');
  return node.value;
}

function child(node: Forge.asn1.Asn1, index: number): Forge.asn1.Asn1 {
  const found = children(node)[index];
  if (!found) throw new Error('missing ASN.1 element');
  return found;
}

/** The content octets of a primitive, or of a constructed (BER chunked) string. */
function octets(node: Forge.asn1.Asn1): string {
  return typeof node.value === 'string' ? node.value : node.value.map(octets).join('');
}

function toBuffer(node: Forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}
