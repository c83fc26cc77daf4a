/** RFC 3961, RFC 3962 and RFC 8009 test vectors for the Kerberos crypto on node:crypto. */
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../kerberos/codes.js';
import {
  checksum,
  ctsDecrypt,
  ctsEncrypt,
  decrypt,
  encrypt,
  nfold,
  stringToKey,
} from '../../../src/kerberos/crypto.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('RFC 3961 A.1 n-fold', () => {
  const cases: [number, string, string][] = [
    [64, '012345', 'be072631276b1955'],
    [56, 'password', '78a07b6caf85fa'],
    [64, 'Rough Consensus, and Running Code', 'bb6ed30870b7f0e0'],
    [168, 'password', '59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e'],
    [
      192,
      'MASSACHVSETTS INSTITVTE OF TECHNOLOGY',
      'db3b0d8f0b061e603282b308a50841229ad798fab9540c1b',
    ],
    [64, 'kerberos', '6b65726265726f73'],
    [128, 'kerberos', '6b65726265726f737b9b5b2b93132b93'],
    [168, 'kerberos', '8372c236344e5f1550cd0747e15d62ca7a5a3bcea4'],
    [256, 'kerberos', '6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4'],
  ];
  for (const [bits, input, out] of cases) {
    it(`${String(bits)}-fold("${input}")`, () => {
      expect(nfold(Buffer.from(input), bits / 8).toString('hex')).toBe(out);
    });
  }
});

describe('RFC 3962 B string-to-key (PBKDF2 + DK)', () => {
  const salt = 'ATHENA.MIT.EDUraeburn';
  const cases: [number, string, string][] = [
    [
      1,
      '42263c6e89f4fc28b8df68ee09799f15',
      'fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161',
    ],
    [
      2,
      'c651bf29e2300ac27fa469d693bdda13',
      'a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff',
    ],
    [
      1200,
      '4c01cd46d632d01e6dbe230a01ed642a',
      '55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a',
    ],
  ];
  for (const [iterations, k128, k256] of cases) {
    it(`iterations ${String(iterations)}`, () => {
      expect(stringToKey(17, 'password', salt, iterations).value.toString('hex')).toBe(k128);
      expect(stringToKey(18, 'password', salt, iterations).value.toString('hex')).toBe(k256);
    });
  }
});

describe('RFC 3962 B AES-CTS (key "chicken teriyaki", zero IV)', () => {
  const key = Buffer.from('chicken teriyaki');
  const cases: [string, string][] = [
    ['I would like the ', 'c6353568f2bf8cb4d8a580362da7ff7f97'],
    [
      "I would like the General Gau's ",
      'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5',
    ],
    [
      "I would like the General Gau's C",
      '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584',
    ],
  ];
  for (const [plain, cipher] of cases) {
    it(`${String(plain.length)} bytes`, () => {
      expect(ctsEncrypt(key, Buffer.from(plain)).toString('hex')).toBe(cipher);
      expect(ctsDecrypt(key, hex(cipher)).toString()).toBe(plain);
    });
  }
});

describe('RFC 8009 §7 aes-sha2', () => {
  it('checksum with Kc (usage 2), aes128-cts-hmac-sha256-128', () => {
    const key = { enctype: 19, value: hex('3705D96080C17728A0E800EAB6E0D23C') };
    const data = hex('000102030405060708090A0B0C0D0E0F1011121314');
    expect(checksum(key, 2, data).toString('hex')).toBe('d78367186643d67b411cba9139fc1dee');
  });
  it('checksum with Kc (usage 2), aes256-cts-hmac-sha384-192', () => {
    const key = {
      enctype: 20,
      value: hex('6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52'),
    };
    const data = hex('000102030405060708090A0B0C0D0E0F1011121314');
    expect(checksum(key, 2, data).toString('hex')).toBe(
      '45ee791567eefca37f4ac1e0222de80d43c3bfa06699672a',
    );
  });
  it('encrypts the empty plaintext (aes128, usage 2)', () => {
    const key = { enctype: 19, value: hex('3705D96080C17728A0E800EAB6E0D23C') };
    const out = encrypt(key, 2, Buffer.alloc(0), hex('7E5895EAF2672435BAD817F545A37148'));
    expect(out.toString('hex')).toBe(
      'ef85fb890bb8472f4dab20394dca781dad877eda39d50c870c0d5a0a8e48c718',
    );
    expect(decrypt(key, 2, out).length).toBe(0);
  });
});

describe('encrypt/decrypt round trip and integrity', () => {
  for (const enctype of [17, 18, 19, 20]) {
    it(`enctype ${String(enctype)}: round trip; a flipped bit is AuthenticationFailed`, () => {
      const key = stringToKey(enctype, 'secret', 'QUEUE.TESTalice', 2);
      const plain = Buffer.from('the authenticator, 37 bytes of it!!!');
      const c = encrypt(key, 11, plain);
      expect(decrypt(key, 11, c)).toEqual(plain);
      const bad = Buffer.from(c);
      bad[20] = (bad[20] ?? 0) ^ 1;
      expect(codeOf(() => decrypt(key, 11, bad))).toBe('AuthenticationFailed');
      expect(codeOf(() => decrypt(key, 12, c))).toBe('AuthenticationFailed');
    });
  }
  it('rc4-hmac and DES are UnsupportedAlgorithm', () => {
    for (const enctype of [23, 1, 3, 16]) {
      expect(codeOf(() => decrypt({ enctype, value: Buffer.alloc(16) }, 2, Buffer.alloc(40)))).toBe(
        'UnsupportedAlgorithm',
      );
    }
  });
});
