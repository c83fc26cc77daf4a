/**
 * Key material for senders and receivers: a private key, its end-entity certificate and
 * the intermediates that go with it, loaded from PEM or PKCS#12 (PFX) and checked to belong
 * together.
 *
 * Every failure here is caller misuse of configuration (a wrong file, a wrong passphrase),
 * so it is a `TypeError` with the underlying error as `cause`. Messages never contain a
 * passphrase or key bytes.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject, PrivateKeyInput } from 'node:crypto';
import { Certificate } from '../trust/certificate.js';
import { decodePfx, encodePfx } from './pfx.js';
import type { PfxKey } from './pfx.js';

/** A private key with the certificate it belongs to. */
export interface KeyMaterial {
  /** The end-entity certificate: its public key is the private key's. */
  readonly certificate: Certificate;
  /** The other certificates supplied (intermediates, maybe a root), leaf excluded, in input order. */
  readonly chain: readonly Certificate[];
  /** The private key, as a node:crypto key object. */
  readonly privateKey: KeyObject;
}

/** Input for {@link loadPem}. */
export interface LoadPemOptions {
  /** PEM with one or more certificates (leaf and chain, in any order), or one DER certificate. */
  readonly certificate: string | Uint8Array;
  /** PEM private key: PKCS#8, encrypted PKCS#8, PKCS#1 RSA (also legacy-encrypted) or SEC1 EC. */
  readonly privateKey: string | Uint8Array;
  /** Passphrase for an encrypted private key. */
  readonly passphrase?: string;
  /** More certificates (intermediates), PEM bundle or one DER certificate. */
  readonly chain?: string | Uint8Array;
}

/** Options for {@link exportPfx}. */
export interface ExportPfxOptions {
  /**
   * Write 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC) and an HMAC-SHA1 MAC, which Mono, WCF on
   * older Windows and OpenSSL 1.x read. The default is PBES2 with AES-256-CBC and
   * PBKDF2-HMAC-SHA256 and an HMAC-SHA256 MAC (OpenSSL 3's default).
   */
  readonly legacy?: boolean;
}

/**
 * Load a private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`), encrypted PKCS#8
 * (`BEGIN ENCRYPTED PRIVATE KEY`), PKCS#1 RSA (`BEGIN RSA PRIVATE KEY`, also the legacy
 * `Proc-Type: 4,ENCRYPTED` form) or SEC1 EC (`BEGIN EC PRIVATE KEY`). DER is not accepted.
 *
 * @param passphrase Needed for an encrypted key; ignored for a plain one.
 * @throws TypeError when the text holds no readable private key, when the key is encrypted
 * and no passphrase is given, or when the passphrase is wrong (`cause`: node's error).
 */
export function loadPrivateKey(pem: string | Uint8Array, passphrase?: string): KeyObject {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/.test(text);
  if (encrypted && passphrase === undefined) {
    throw new TypeError('the private key is encrypted: a passphrase is required');
  }
  const input: PrivateKeyInput =
    passphrase === undefined
      ? { key: text, format: 'pem' }
      : { key: text, format: 'pem', passphrase };
  try {
    return createPrivateKey(input);
  } catch (cause) {
    throw new TypeError(
      encrypted
        ? 'cannot decrypt the private key: wrong passphrase or corrupt key'
        : 'no readable private key (PKCS#8, PKCS#1 or SEC1 PEM) in the text',
      { cause },
    );
  }
}

/**
 * Parse certificates: every `BEGIN CERTIFICATE` block of a PEM text, in order, or a single
 * DER certificate (bytes without a `-----BEGIN` line).
 *
 * @throws TypeError when no certificate is found or one does not parse (`cause`: the parse
 * error).
 */
export function loadCertificates(pemOrDer: string | Uint8Array): Certificate[] {
  let certificates: Certificate[];
  try {
    if (typeof pemOrDer === 'string') {
      certificates = Certificate.allFromPem(pemOrDer);
    } else {
      const bytes = Buffer.from(pemOrDer);
      certificates = bytes.includes('-----BEGIN')
        ? Certificate.allFromPem(bytes.toString('utf8'))
        : [Certificate.fromDer(bytes)];
    }
  } catch (cause) {
    throw new TypeError('a certificate could not be parsed', { cause });
  }
  if (certificates.length === 0) throw new TypeError('no certificate found (PEM or DER expected)');
  return certificates;
}

/**
 * Load key material from PEM. The certificate text may hold the leaf and its chain; the leaf
 * is the certificate whose public key matches the private key (not necessarily the first),
 * every other certificate (from `certificate` and `chain`, duplicates dropped) goes to
 * `chain` in input order.
 *
 * Limits: no validation of the chain, dates or key usage happens here (that is `trust/`'s
 * job); the chain is not reordered.
 *
 * @example
 * const material = loadPem({
 *   certificate: readFileSync('client.crt'),
 *   privateKey: readFileSync('client.key'),
 *   passphrase: process.env.CLIENT_KEY_PASSPHRASE,
 * });
 * @throws TypeError when a file cannot be read (see {@link loadPrivateKey} and
 * {@link loadCertificates}) or when no certificate matches the private key ("the private
 * key does not match the certificate").
 */
export function loadPem(options: LoadPemOptions): KeyMaterial {
  const privateKey = loadPrivateKey(options.privateKey, options.passphrase);
  const certificates = loadCertificates(options.certificate);
  if (options.chain !== undefined) certificates.push(...loadCertificates(options.chain));
  return assemble(privateKey, certificates, undefined);
}

/**
 * Load key material from a PKCS#12 (PFX) file. Reads legacy files (3DES or RC2, SHA-1 MAC)
 * and OpenSSL 3's default (PBES2 with AES-256-CBC, HMAC-SHA256 MAC); RSA and EC keys.
 *
 * The leaf is the certificate that matches the private key (preferring the one with the
 * key's `localKeyId`); the other certificates are returned as `chain`, in file order.
 *
 * Limits: the file must hold exactly one private key. RSA certificates pass through
 * node-forge and are re-encoded from its parse (byte-identical for ordinary certificates).
 * No validation of the chain, dates or key usage happens here.
 *
 * @example
 * const material = loadPfx(readFileSync('service.pfx'), process.env.PFX_PASSPHRASE);
 * @param passphrase The file's password; omitted means empty (and also tries a NULL password).
 * @throws TypeError when the data is not a PFX, the passphrase is wrong, the file is corrupt
 * or unsupported (`cause`: node-forge's error), it holds no or several private keys, or no
 * certificate matches the key.
 */
export function loadPfx(pfx: Uint8Array, passphrase?: string): KeyMaterial {
  const contents = decodePfx(pfx, passphrase);
  const [keyEntry, ...others] = contents.keys;
  if (!keyEntry) throw new TypeError('the PKCS#12 file holds no private key');
  if (others.length > 0) {
    throw new TypeError(
      `the PKCS#12 file holds ${contents.keys.length} private keys; expected one`,
    );
  }
  const privateKey = keyFromPkcs8(keyEntry);
  let certificates: Certificate[];
  try {
    certificates = contents.certificates.map((c) => Certificate.fromDer(c.der));
  } catch (cause) {
    throw new TypeError('a certificate in the PKCS#12 file could not be parsed', { cause });
  }
  const preferred = contents.certificates.findIndex(
    (c) => keyEntry.localKeyId !== undefined && c.localKeyId === keyEntry.localKeyId,
  );
  return assemble(privateKey, certificates, preferred < 0 ? undefined : preferred);
}

/**
 * Write key material as a PKCS#12 (PFX) file: the key (encrypted), the certificate and the
 * chain, with a `localKeyId` tying key and leaf and the friendly name `wsseq`. For the
 * development PKI and for Mono/WCF interop (`legacy`).
 *
 * Limits: RSA keys and certificates only (node-forge writes the file); certificates are not
 * encrypted, only the key bag is; 2048 iterations (OpenSSL 3's default).
 *
 * @throws TypeError when the key is not RSA, or the passphrase is empty.
 */
export function exportPfx(
  material: KeyMaterial,
  passphrase: string,
  options?: ExportPfxOptions,
): Buffer {
  if (material.privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('exportPfx handles RSA keys only');
  }
  if (passphrase === '') throw new TypeError('exportPfx needs a non-empty passphrase');
  const pkcs1 = material.privateKey.export({ type: 'pkcs1', format: 'der' });
  const certs = [material.certificate, ...material.chain].map((c) => c.der);
  return encodePfx(pkcs1, certs, passphrase, {
    legacy: options?.legacy ?? false,
    friendlyName: 'wsseq',
  });
}

function keyFromPkcs8(entry: PfxKey): KeyObject {
  try {
    return createPrivateKey({ key: entry.pkcs8, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new TypeError('the private key in the PKCS#12 file could not be read', { cause });
  }
}

/** Pick the certificate matching the key as leaf (trying `preferred` first); the rest are chain. */
function assemble(
  privateKey: KeyObject,
  certificates: readonly Certificate[],
  preferred: number | undefined,
): KeyMaterial {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const matches = (c: Certificate): boolean =>
    c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki);
  const candidate = preferred === undefined ? undefined : certificates[preferred];
  const certificate =
    candidate && matches(candidate) ? candidate : certificates.find((c) => matches(c));
  if (!certificate) throw new TypeError('the private key does not match the certificate');
  const chain: Certificate[] = [];
  for (const c of certificates) {
    if (!c.equals(certificate) && !chain.some((d) => d.equals(c))) chain.push(c);
  }
  return { certificate, chain, privateKey };
}
