/**
 * Certificate revocation lists: parsing (@peculiar/x509) and signature verification with
 * node:crypto over the exact to-be-signed bytes.
 * @internal
 */
import { constants, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Certificate } from './certificate.js';
import * as px from './x509-lib.js';

/** A parsed CRL with what revocation checking needs. */
export interface ParsedCrl {
  readonly crl: px.X509Crl;
  readonly der: Buffer;
  /** The tbsCertList bytes, as signed. */
  readonly tbs: Buffer;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  /** OIDs of critical CRL extensions (wsseq processes none: such a CRL is not used). */
  readonly criticalExtensions: readonly string[];
}

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/**
 * Parse CRLs given as PEM text (one or more blocks) or DER bytes.
 * @throws TypeError when an input is not a CRL.
 */
export function parseCrls(inputs: readonly (string | Uint8Array)[]): ParsedCrl[] {
  const out: ParsedCrl[] = [];
  for (const input of inputs) {
    if (typeof input === 'string') {
      const blocks = [...input.matchAll(PEM_CRL)].map((m) =>
        Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'),
      );
      if (blocks.length === 0) throw new TypeError('a CRL text has no X509 CRL PEM block');
      for (const der of blocks) out.push(parseCrl(der));
    } else {
      out.push(parseCrl(Buffer.from(input)));
    }
  }
  return out;
}

/**
 * Parse one DER CRL.
 * @throws TypeError when the bytes are not a CRL.
 */
export function parseCrl(der: Buffer): ParsedCrl {
  try {
    const crl = new px.X509Crl(der);
    return {
      crl,
      der,
      tbs: firstElement(der),
      thisUpdate: crl.thisUpdate.getTime(),
      nextUpdate: crl.nextUpdate?.getTime(),
      criticalExtensions: crl.extensions.filter((e) => e.critical).map((e) => e.type),
    };
  } catch (cause) {
    throw new TypeError('the data is not a valid X.509 CRL', { cause });
  }
}

/** Length of the DER header at `offset` and of the content it announces. */
function header(der: Buffer, offset: number): { headerLength: number; length: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new RangeError('truncated DER');
  if (first < 0x80) return { headerLength: 2, length: first };
  const count = first & 0x7f;
  if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
  let length = 0;
  for (let i = 0; i < count; i++) {
    const b = der[offset + 2 + i];
    if (b === undefined) throw new RangeError('truncated DER');
    length = length * 256 + b;
  }
  return { headerLength: 2 + count, length };
}

/** The first element (with its header) inside the outer SEQUENCE: the tbsCertList. */
function firstElement(der: Buffer): Buffer {
  if (der[0] !== 0x30) throw new RangeError('not a DER SEQUENCE');
  const outer = header(der, 0);
  const start = outer.headerLength;
  if (der[start] !== 0x30) throw new RangeError('tbsCertList is not a SEQUENCE');
  const inner = header(der, start);
  const end = start + inner.headerLength + inner.length;
  if (end > der.length) throw new RangeError('truncated DER');
  return der.subarray(start, end);
}

/** True when the CRL is signed by `issuer`'s key (RSA PKCS#1 v1.5, RSA-PSS, ECDSA, EdDSA). */
export function verifyCrlSignature(parsed: ParsedCrl, issuer: Certificate): boolean {
  try {
    const alg = parsed.crl.signatureAlgorithm as {
      name: string;
      hash?: { name: string };
      saltLength?: number;
    };
    const signature = Buffer.from(parsed.crl.signature);
    const key: KeyObject = issuer.publicKey;
    const hash = alg.hash?.name.replace('-', '').toLowerCase() ?? null;
    switch (alg.name) {
      case 'RSASSA-PKCS1-v1_5':
        return cryptoVerify(hash, parsed.tbs, key, signature);
      case 'RSA-PSS':
        return cryptoVerify(
          hash,
          parsed.tbs,
          {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: alg.saltLength ?? constants.RSA_PSS_SALTLEN_DIGEST,
          },
          signature,
        );
      case 'ECDSA':
        return cryptoVerify(hash, parsed.tbs, { key, dsaEncoding: 'der' }, signature);
      case 'Ed25519':
      case 'Ed448':
        return cryptoVerify(null, parsed.tbs, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
