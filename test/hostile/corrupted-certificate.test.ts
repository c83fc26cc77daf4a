/**
 * Issue 9 item 9: a certificate from the message (a BinarySecurityToken) that parses but whose
 * key, algorithm or encoding is corrupted must be rejected with a WsseqError code, never a
 * library exception escaping `open` (which a host would retry as HandlerFailed).
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../src/errors.js';
import { issueCertificate } from '../../src/trust/dev-pki.js';
import { VALID_FROM, VALID_TO } from '../fixtures/pki.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';

const pki = await getTestPki();
const DER = pki.client.certificate.der;

const OID = {
  rsaEncryption: Buffer.from('06092a864886f70d0101010500', 'hex'),
  sha256WithRsa: Buffer.from('06092a864886f70d01010b', 'hex'),
};

function replaceAll(der: Buffer, from: Buffer, to: Buffer): Buffer {
  expect(to.length).toBe(from.length);
  const out = Buffer.from(der);
  let at = out.indexOf(from);
  expect(at).toBeGreaterThan(0);
  while (at >= 0) {
    to.copy(out, at);
    at = out.indexOf(from, at + 1);
  }
  return out;
}

/** The honest message with its BinarySecurityToken replaced by `der`. */
function withToken(der: Buffer, protectionLevel: 'Sign' | 'EncryptAndSign' = 'Sign'): string {
  const wire = secureAs(pki, orderEnvelope(), { protectionLevel });
  const honest = DER.toString('base64');
  expect(wire).toContain(honest);
  return wire.replace(honest, der.toString('base64'));
}

async function codeOf(wire: string, protectionLevel: 'Sign' | 'EncryptAndSign' = 'Sign') {
  const err: unknown = await testOpener(pki, { protectionLevel })
    .open(wire)
    .then(
      () => 'accepted',
      (e: unknown) => e,
    );
  if (!isWsseqError(err)) throw new Error(`not a WsseqError: ${String(err)}`, { cause: err });
  return err.code;
}

async function certificateWithKey(keyType: 'ec' | 'ed25519' | 'dsa'): Promise<Buffer> {
  const keyPair =
    keyType === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : keyType === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
  const issued = await issueCertificate({
    subject: 'CN=alice, O=wsseq tests, C=US',
    issuer: pki.intermediate,
    keyPair,
    notBefore: VALID_FROM,
    notAfter: VALID_TO,
    eku: ['1.3.6.1.5.5.7.3.2'],
    keyUsage: ['digitalSignature'],
  });
  return issued.certificate.der;
}

describe('corrupted certificates in the BinarySecurityToken (issue 9 item 9)', () => {
  it('the honest message opens', async () => {
    const result = await testOpener(pki, { protectionLevel: 'Sign' }).open(withToken(DER));
    expect(result.context.identity.credentialType).toBe('Certificate');
  });

  const corruptions: readonly [string, () => Buffer | Promise<Buffer>, readonly string[]][] = [
    [
      'public-key algorithm identifier corrupted (rsaEncryption -> unknown OID)',
      () => replaceAll(DER, OID.rsaEncryption, Buffer.from('06092a864886f70d01017f0500', 'hex')),
      ['UnsupportedSecurityToken', 'SignatureInvalid', 'CertificateUntrusted'],
    ],
    [
      'public-key algorithm identifier says EC on an RSA key',
      () =>
        replaceAll(
          DER,
          OID.rsaEncryption,
          Buffer.from('0607' + '2a8648ce3d0201' + '0500' + '0000', 'hex').subarray(0, 13),
        ),
      ['UnsupportedSecurityToken', 'SignatureInvalid', 'CertificateUntrusted'],
    ],
    [
      'truncated SubjectPublicKeyInfo (the modulus cut short)',
      () => truncateModulus(DER),
      ['UnsupportedSecurityToken', 'SignatureInvalid', 'CertificateUntrusted'],
    ],
    [
      'signature algorithm identifier corrupted',
      () => replaceAll(DER, OID.sha256WithRsa, Buffer.from('06092a864886f70d01017e', 'hex')),
      ['UnsupportedSecurityToken', 'CertificateUntrusted', 'SignatureInvalid'],
    ],
    [
      'garbage DER',
      () => Buffer.from('3082' + 'ff'.repeat(40), 'hex'),
      ['UnsupportedSecurityToken'],
    ],
    ['empty', () => Buffer.alloc(0), ['UnsupportedSecurityToken', 'MalformedMessage']],
    [
      'an EC key for RSA-SHA256',
      () => certificateWithKey('ec'),
      ['SignatureInvalid', 'UnsupportedAlgorithm', 'UnsupportedSecurityToken'],
    ],
    [
      'an Ed25519 key for RSA-SHA256',
      () => certificateWithKey('ed25519'),
      ['SignatureInvalid', 'UnsupportedAlgorithm', 'UnsupportedSecurityToken'],
    ],
    [
      'a DSA key for RSA-SHA256',
      () => certificateWithKey('dsa'),
      ['SignatureInvalid', 'UnsupportedAlgorithm', 'UnsupportedSecurityToken'],
    ],
  ];
  for (const level of ['Sign', 'EncryptAndSign'] as const) {
    for (const [what, make, codes] of corruptions) {
      it(`${level}: ${what} is a WsseqError (${codes.join(' / ')})`, async () => {
        const code = await codeOf(withToken(await make(), level), level);
        expect(codes).toContain(code);
      });
    }
  }
});

/** Shorten the RSA modulus INTEGER's declared length by 16 bytes inside its BIT STRING. */
function truncateModulus(der: Buffer): Buffer {
  const at = der.indexOf(OID.rsaEncryption);
  const out = Buffer.from(der);
  // BIT STRING 03 82 LL LL 00, SEQUENCE 30 82 LL LL, INTEGER 02 82 LL LL
  const integer = at + OID.rsaEncryption.length + 5 + 4;
  expect(out[integer]).toBe(0x02);
  out.writeUInt16BE(out.readUInt16BE(integer + 2) - 16, integer + 2);
  return out;
}
