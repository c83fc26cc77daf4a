import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportPfx,
  loadCertificates,
  loadPem,
  loadPfx,
  loadPrivateKey,
} from '../../../src/credentials/key-material.js';
import type { KeyMaterial } from '../../../src/credentials/key-material.js';

const PASS = 's3cret-Pass';
const UNICODE_PASS = 'pässwörd-€';

let dir: string;
const file = (name: string): Buffer => readFileSync(join(dir, name));
const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
/** Run `openssl` in the temp dir; `args` is split on spaces (no argument contains one). */
function sh(args: string): string {
  return execFileSync('openssl', args.split(' '), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

/**
 * `openssl pkcs12 -info` of a file: what it prints on stderr (MAC, algorithms). It exits
 * non-zero on RC2 without the legacy provider, after printing the MAC line.
 */
function pfxInfo(name: string, passphrase: string): string {
  const args = ['pkcs12', '-in', name, '-info', '-noout', '-passin', `pass:${passphrase}`];
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  return run.stderr + run.stdout;
}

/** `openssl pkcs12 -export -legacy`, or the explicit legacy algorithms without that provider. */
function exportLegacyPfx(args: string): void {
  try {
    sh(`pkcs12 -export -legacy ${args}`);
  } catch {
    sh(`pkcs12 -export ${args} -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1`);
  }
}

function spki(material: KeyMaterial): Buffer {
  return createPublicKey(material.privateKey).export({ type: 'spki', format: 'der' });
}

function expectSignatureVerifies(material: KeyMaterial): void {
  const data = Buffer.from('<soap:Body>payload</soap:Body>');
  const signature = sign('sha256', data, material.privateKey);
  expect(verify('sha256', data, material.certificate.publicKey, signature)).toBe(true);
}

/** The TypeError thrown by `fn`, for assertions on it. */
function typeErrorOf(fn: () => unknown): TypeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    return err as TypeError;
  }
  throw new Error('expected a TypeError');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsseq-km-'));
  // Self-signed RSA leaf; OpenSSL 3 writes the key as plain PKCS#8. Then the other encodings.
  sh('req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.crt -subj /CN=rsa-leaf -days 2');
  sh(`pkcs8 -topk8 -v2 aes-256-cbc -in rsa.key -out rsa-enc.key -passout pass:${PASS}`);
  sh('rsa -in rsa.key -traditional -out rsa-pkcs1.key');
  sh(`rsa -in rsa.key -traditional -aes256 -passout pass:${PASS} -out rsa-pkcs1-enc.key`);
  sh('x509 -in rsa.crt -outform DER -out rsa.der');
  // EC P-256, key also as SEC1.
  sh(
    'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.crt ' +
      '-subj /CN=ec-leaf -days 2',
  );
  sh('ec -in ec.key -out ec-sec1.key');
  // A CA signing a leaf.
  sh(
    'req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -subj /CN=Test-CA -days 2 ' +
      '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
  );
  sh('req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj /CN=chained-leaf');
  sh('x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -set_serial 4660 -out leaf.crt -days 2');
  // PFX files: OpenSSL 3's default (PBES2/AES-256, HMAC-SHA256) and legacy (3DES, SHA-1 MAC).
  const rsa = '-in rsa.crt -inkey rsa.key';
  sh(`pkcs12 -export ${rsa} -passout pass:${PASS} -out default.p12`);
  exportLegacyPfx(`${rsa} -passout pass:${PASS} -out legacy.p12`);
  sh(
    `pkcs12 -export ${rsa} -passout pass:${PASS} -out legacy-3des.p12 ` +
      '-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1',
  );
  sh(`pkcs12 -export ${rsa} -passout pass:${UNICODE_PASS} -out unicode.p12`);
  exportLegacyPfx(`${rsa} -passout pass:${UNICODE_PASS} -out unicode-legacy.p12`);
  sh(`pkcs12 -export -in ec.crt -inkey ec.key -passout pass:${PASS} -out ec.p12`);
  sh(
    'pkcs12 -export -in leaf.crt -inkey leaf.key -certfile ca.crt ' +
      `-passout pass:${PASS} -out chain.p12`,
  );
  sh(`pkcs12 -export ${rsa} -passout pass: -out empty.p12`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadPrivateKey', () => {
  it('reads plain PKCS#8', () => {
    const key = loadPrivateKey(text('rsa.key'));
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe('rsa');
  });

  it('reads encrypted PKCS#8 with the right passphrase', () => {
    const key = loadPrivateKey(file('rsa-enc.key'), PASS);
    expect(key.export({ type: 'pkcs8', format: 'pem' })).toBe(text('rsa.key'));
  });

  it('rejects encrypted PKCS#8 with a wrong passphrase, keeping the cause and no secret', () => {
    const err = typeErrorOf(() => loadPrivateKey(text('rsa-enc.key'), 'Hunter2-guess'));
    expect(err.cause).toBeInstanceOf(Error);
    expect(err.message).not.toContain('Hunter2');
  });

  it('rejects encrypted PKCS#8 without a passphrase', () => {
    typeErrorOf(() => loadPrivateKey(text('rsa-enc.key')));
  });

  it('reads PKCS#1, plain and legacy-encrypted (Proc-Type: 4,ENCRYPTED)', () => {
    expect(text('rsa-pkcs1.key')).toContain('BEGIN RSA PRIVATE KEY');
    expect(text('rsa-pkcs1-enc.key')).toContain('Proc-Type: 4,ENCRYPTED');
    const plain = loadPrivateKey(text('rsa-pkcs1.key'));
    const decrypted = loadPrivateKey(text('rsa-pkcs1-enc.key'), PASS);
    expect(decrypted.export({ type: 'pkcs8', format: 'pem' })).toBe(text('rsa.key'));
    expect(plain.export({ type: 'pkcs8', format: 'pem' })).toBe(text('rsa.key'));
    typeErrorOf(() => loadPrivateKey(text('rsa-pkcs1-enc.key'), 'wrong'));
  });

  it('reads a SEC1 EC key', () => {
    expect(text('ec-sec1.key')).toContain('BEGIN EC PRIVATE KEY');
    expect(loadPrivateKey(text('ec-sec1.key')).asymmetricKeyType).toBe('ec');
  });

  it('rejects text without a private key', () => {
    typeErrorOf(() => loadPrivateKey(text('rsa.crt')));
    typeErrorOf(() => loadPrivateKey('not a key'));
  });
});

describe('loadCertificates', () => {
  it('reads a PEM bundle in order and a single DER certificate', () => {
    const bundle = loadCertificates(text('ca.crt') + text('leaf.crt'));
    expect(bundle.map((c) => c.subject)).toEqual(['CN=Test-CA', 'CN=chained-leaf']);
    const [der] = loadCertificates(file('rsa.der'));
    expect(der?.der.equals(file('rsa.der'))).toBe(true);
  });

  it('rejects input without a certificate or with a broken one', () => {
    typeErrorOf(() => loadCertificates('nothing here'));
    typeErrorOf(() => loadCertificates(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])));
    typeErrorOf(() =>
      loadCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    );
  });
});

describe('loadPem', () => {
  it('loads PKCS#8 key and certificate, and the key signs for the certificate', () => {
    const material = loadPem({ certificate: text('rsa.crt'), privateKey: text('rsa.key') });
    expect(material.certificate.subject).toBe('CN=rsa-leaf');
    expect(material.chain).toEqual([]);
    expectSignatureVerifies(material);
  });

  it('loads an encrypted PKCS#8 key given as bytes', () => {
    const material = loadPem({
      certificate: file('rsa.crt'),
      privateKey: file('rsa-enc.key'),
      passphrase: PASS,
    });
    expectSignatureVerifies(material);
  });

  it('rejects a wrong passphrase', () => {
    const err = typeErrorOf(() =>
      loadPem({ certificate: text('rsa.crt'), privateKey: text('rsa-enc.key'), passphrase: 'x' }),
    );
    expect(err.cause).toBeDefined();
  });

  it('loads a PKCS#1 key', () => {
    expectSignatureVerifies(
      loadPem({ certificate: text('rsa.crt'), privateKey: text('rsa-pkcs1.key') }),
    );
  });

  it('loads an EC (SEC1) key', () => {
    const material = loadPem({ certificate: text('ec.crt'), privateKey: text('ec-sec1.key') });
    expect(material.privateKey.asymmetricKeyType).toBe('ec');
    expectSignatureVerifies(material);
  });

  it('rejects a key that does not match the certificate', () => {
    const err = typeErrorOf(() =>
      loadPem({ certificate: text('rsa.crt'), privateKey: text('leaf.key') }),
    );
    expect(err.message).toBe('the private key does not match the certificate');
    typeErrorOf(() => loadPem({ certificate: text('ec.crt'), privateKey: text('rsa.key') }));
  });

  it('picks the leaf matching the key from a bundle, CA first, and returns the rest as chain', () => {
    const material = loadPem({
      certificate: text('ca.crt') + text('leaf.crt'),
      privateKey: text('leaf.key'),
    });
    expect(material.certificate.subject).toBe('CN=chained-leaf');
    expect(material.chain.map((c) => c.subject)).toEqual(['CN=Test-CA']);
  });

  it('takes the chain from the chain option, without duplicates', () => {
    const material = loadPem({
      certificate: text('leaf.crt'),
      privateKey: text('leaf.key'),
      chain: text('ca.crt') + text('leaf.crt') + text('ca.crt'),
    });
    expect(material.certificate.subject).toBe('CN=chained-leaf');
    expect(material.chain.map((c) => c.subject)).toEqual(['CN=Test-CA']);
  });
});

describe('loadPfx', () => {
  it('reads OpenSSL 3 default PFX (PBES2 AES-256-CBC, HMAC-SHA256 MAC)', () => {
    const info = pfxInfo('default.p12', PASS);
    expect(info).toMatch(/MAC: sha256/);
    const material = loadPfx(file('default.p12'), PASS);
    expect(material.certificate.der.equals(loadCertificates(text('rsa.crt'))[0]!.der)).toBe(true);
    expect(material.chain).toEqual([]);
    expectSignatureVerifies(material);
  });

  it('reads legacy PFX files (RC2-40 or 3DES certificates, 3DES key, SHA-1 MAC)', () => {
    for (const name of ['legacy.p12', 'legacy-3des.p12']) {
      expect(pfxInfo(name, PASS)).toMatch(/MAC: sha1/);
      const material = loadPfx(file(name), PASS);
      expect(material.certificate.subject).toBe('CN=rsa-leaf');
      expectSignatureVerifies(material);
    }
  });

  it('reads PFX files with a non-ASCII passphrase, default and legacy', () => {
    expectSignatureVerifies(loadPfx(file('unicode.p12'), UNICODE_PASS));
    expectSignatureVerifies(loadPfx(file('unicode-legacy.p12'), UNICODE_PASS));
    typeErrorOf(() => loadPfx(file('unicode.p12'), 'passwörd-€'));
  });

  it('reads a PFX with an empty passphrase', () => {
    expectSignatureVerifies(loadPfx(file('empty.p12')));
  });

  it('reads an EC PFX', () => {
    const material = loadPfx(file('ec.p12'), PASS);
    expect(material.privateKey.asymmetricKeyType).toBe('ec');
    expect(material.certificate.subject).toBe('CN=ec-leaf');
    expectSignatureVerifies(material);
  });

  it('rejects a wrong passphrase with a TypeError keeping the cause', () => {
    for (const name of ['default.p12', 'legacy.p12']) {
      const err = typeErrorOf(() => loadPfx(file(name), 'not-the-passphrase'));
      expect(err.cause).toBeInstanceOf(Error);
      expect(err.message).not.toContain('not-the-passphrase');
    }
  });

  it('rejects data that is not a PFX', () => {
    typeErrorOf(() => loadPfx(Buffer.from('definitely not DER'), PASS));
    typeErrorOf(() => loadPfx(file('rsa.der'), PASS));
  });

  it('picks the leaf and returns the CA as chain', () => {
    const material = loadPfx(file('chain.p12'), PASS);
    expect(material.certificate.subject).toBe('CN=chained-leaf');
    expect(material.chain.map((c) => c.subject)).toEqual(['CN=Test-CA']);
    expect(
      spki(material).equals(material.certificate.publicKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true);
    expectSignatureVerifies(material);
  });
});

describe('exportPfx', () => {
  const chained = (): KeyMaterial =>
    loadPem({ certificate: text('leaf.crt'), privateKey: text('leaf.key'), chain: text('ca.crt') });

  for (const legacy of [false, true]) {
    it(`round-trips through loadPfx and OpenSSL (${legacy ? 'legacy 3DES' : 'AES-256'})`, () => {
      const material = chained();
      const pfx = exportPfx(material, UNICODE_PASS, { legacy });
      const loaded = loadPfx(pfx, UNICODE_PASS);
      expect(loaded.certificate.equals(material.certificate)).toBe(true);
      expect(loaded.chain.map((c) => c.thumbprintSha256)).toEqual(
        material.chain.map((c) => c.thumbprintSha256),
      );
      expect(spki(loaded).equals(spki(material))).toBe(true);
      expectSignatureVerifies(loaded);
      typeErrorOf(() => loadPfx(pfx, PASS));

      const name = legacy ? 'out-legacy.p12' : 'out-aes.p12';
      writeFileSync(join(dir, name), pfx);
      const info = pfxInfo(name, UNICODE_PASS);
      expect(info).toMatch(legacy ? /MAC: sha1/ : /MAC: sha256/);
      expect(info).toMatch(
        legacy ? /pbeWithSHA1And3-KeyTripleDES-CBC/ : /AES-256-CBC.*hmacWithSHA256/,
      );
      const pem = sh(`pkcs12 -in ${name} -nodes -passin pass:${UNICODE_PASS}`);
      expect(pem).toContain('friendlyName: wsseq');
      const fromOpenssl = loadPem({ certificate: pem, privateKey: pem });
      expect(fromOpenssl.certificate.equals(material.certificate)).toBe(true);
    });
  }

  it('refuses a non-RSA key and an empty passphrase', () => {
    const ec = loadPem({ certificate: text('ec.crt'), privateKey: text('ec.key') });
    typeErrorOf(() => exportPfx(ec, PASS));
    typeErrorOf(() => exportPfx(chained(), ''));
  });
});
