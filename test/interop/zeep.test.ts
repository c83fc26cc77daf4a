/**
 * Messages made in Python, opened by wsseq: signed by zeep (zeep.wsse.signature.
 * BinarySignature, as a zeep client sends them), optionally encrypted by python-xmlsec in
 * the WS-Security layout. The Python side stamps wsu:Created at TEST_NOW so the receiver's
 * pinned clock accepts it. See README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_NOW, getTestPki, orderEnvelope, testOpener } from '../helpers.js';
import type { TestPki } from '../helpers.js';
import {
  ALG,
  PYTHON,
  hasZeep,
  makeWorkDir,
  rejectionCode,
  run,
  runOk,
  script,
  wrapSignedBody,
} from './tools.js';
import type { WorkDir } from './tools.js';

interface ZeepSignOptions {
  readonly version?: '1.1' | '1.2';
  readonly item?: string;
  /** zeep's own defaults: RSA-SHA1 and SHA-1 digests. */
  readonly zeepDefaults?: boolean;
  /** Timestamps as ...Z rather than zeep's default ...+00:00. */
  readonly zulu?: boolean;
  /** No wsu:Timestamp (what zeep sends unless the user adds one). */
  readonly noTimestamp?: boolean;
}

describe.skipIf(!hasZeep())('wsseq opens what zeep and python-xmlsec write', () => {
  let pki: TestPki;
  let work: WorkDir;
  let fileCount = 0;

  beforeAll(async () => {
    pki = await getTestPki();
    work = await makeWorkDir();
  });
  afterAll(() => {
    work.remove();
  });

  /** Sign `orderEnvelope(...)` with zeep as the client (alice). */
  function zeepSign(options: ZeepSignOptions = {}): string {
    const n = String(++fileCount);
    const input = work.write(`plain-${n}.xml`, orderEnvelope(options.version, options.item));
    const out = work.path(`zeep-signed-${n}.xml`);
    runOk(PYTHON, [
      script('zeep_sign.py'),
      input,
      work.path('client.key'),
      work.path('client.pem'),
      out,
      '--created',
      TEST_NOW.toISOString(),
      ...(options.zeepDefaults ? ['--zeep-defaults'] : []),
      ...(options.zulu ? ['--zulu'] : []),
      ...(options.noTimestamp ? ['--no-timestamp'] : []),
    ]);
    return work.read(`zeep-signed-${n}.xml`);
  }

  /** Encrypt the Body content of `signed` for the service with python-xmlsec. */
  function xmlsecEncrypt(signed: string, cipher: 'aes256-cbc' | 'aes256-gcm'): string {
    const n = String(++fileCount);
    const input = work.write(`to-encrypt-${n}.xml`, signed);
    const out = work.path(`encrypted-${n}.xml`);
    runOk(PYTHON, [
      script('xmlsec_encrypt.py'),
      input,
      work.path('service.pem'),
      out,
      '--cipher',
      cipher,
    ]);
    return work.read(`encrypted-${n}.xml`);
  }

  describe('zeep BinarySignature', () => {
    for (const version of ['1.1', '1.2'] as const) {
      it(`RSA-SHA256/SHA-256, SOAP ${version}: opened as the client, Body and Timestamp signed`, async () => {
        const wire = zeepSign({ version });
        expect(wire).toContain('<wsu:Created>2026-06-01T12:00:00+00:00</wsu:Created>');
        expect(wire).toContain(ALG.rsaSha256);
        expect(wire).toContain(ALG.sha256);
        expect(wire).toContain('BinarySecurityToken');
        const result = await testOpener(pki, { protectionLevel: 'Sign' }).open(wire);
        expect(result.context.soapVersion).toBe(version);
        expect(result.context.chain[0]?.equals(pki.client.certificate)).toBe(true);
        // The identity rests on the client certificate (alice), whatever its shape.
        expect(JSON.stringify(result.context.identity)).toContain('alice@example.com');
        expect(result.context.signed).toEqual(expect.arrayContaining(['Body', 'Timestamp']));
        expect(result.context.encrypted).toEqual([]);
        expect(result.body).toContain('<m:Item>widget</m:Item>');
      });
    }

    it('zulu timestamps (...Z) are opened too', async () => {
      const wire = zeepSign({ zulu: true });
      expect(wire).toContain('<wsu:Created>2026-06-01T12:00:00Z</wsu:Created>');
      const result = await testOpener(pki, { protectionLevel: 'Sign' }).open(wire);
      expect(result.context.timestamp?.created.toISOString()).toBe(TEST_NOW.toISOString());
    });

    it('without a Timestamp (zeep adds none by itself): PolicyViolation by default, opened with requireTimestamp: false', async () => {
      const wire = zeepSign({ noTimestamp: true });
      expect(wire).not.toContain('Timestamp');
      const code = await rejectionCode(testOpener(pki, { protectionLevel: 'Sign' }).open(wire));
      expect(code).toBe('PolicyViolation');
      const result = await testOpener(pki, {
        protectionLevel: 'Sign',
        requireTimestamp: false,
        requireSignedTimestamp: false,
      }).open(wire);
      expect(result.context.signed).toEqual(['Body']);
      expect(result.body).toContain('<m:Item>widget</m:Item>');
    });

    it("zeep's default RSA-SHA1/SHA-1 is rejected by the default policy (UnsupportedAlgorithm)", async () => {
      const wire = zeepSign({ zeepDefaults: true });
      expect(wire).toContain(ALG.rsaSha1);
      expect(wire).toContain(ALG.sha1);
      const code = await rejectionCode(testOpener(pki, { protectionLevel: 'Sign' }).open(wire));
      expect(code).toBe('UnsupportedAlgorithm');
    });

    it("zeep's default RSA-SHA1/SHA-1 is accepted with allowInsecureAlgorithms and Basic256", async () => {
      const wire = zeepSign({ zeepDefaults: true });
      const opener = testOpener(pki, {
        protectionLevel: 'Sign',
        allowInsecureAlgorithms: true,
        algorithmSuites: ['Basic256'],
      });
      const result = await opener.open(wire);
      expect(result.context.chain[0]?.equals(pki.client.certificate)).toBe(true);
      expect(result.body).toContain('<m:Item>widget</m:Item>');
    });

    it('a tampered Body is rejected (SignatureInvalid)', async () => {
      const wire = zeepSign();
      const tampered = wire.replace('<m:Item>widget</m:Item>', '<m:Item>gadget</m:Item>');
      expect(tampered).not.toBe(wire);
      const code = await rejectionCode(testOpener(pki, { protectionLevel: 'Sign' }).open(tampered));
      expect(code).toBe('SignatureInvalid');
    });

    it('Body wrapping (the signed Body moved into the Header) is rejected, though zeep accepts it', async () => {
      const wire = zeepSign();
      const wrapped = wrapSignedBody(wire, 'evil');
      // The attack keeps the signature cryptographically valid: zeep's own verify accepts it.
      const zeep = run(PYTHON, [
        script('zeep_verify.py'),
        work.write(`wrapped-${String(++fileCount)}.xml`, wrapped),
        work.path('client.pem'),
      ]);
      expect(zeep.stderr).toBe('');
      expect(zeep.status).toBe(0);
      const opener = testOpener(pki, { protectionLevel: 'Sign' });
      await expect(opener.open(wrapped)).rejects.toThrow();
      const code = await rejectionCode(opener.open(wrapped));
      expect(['MalformedMessage', 'PolicyViolation']).toContain(code);
    });
  });

  describe('zeep signature, then python-xmlsec encryption (WS-Security layout)', () => {
    it('AES-256-CBC: opened with the default EncryptAndSign policy (Basic256Sha256)', async () => {
      const wire = xmlsecEncrypt(zeepSign({ item: 'sprocket' }), 'aes256-cbc');
      expect(wire).toContain(ALG.aes256Cbc);
      expect(wire).toContain(ALG.rsaOaepMgf1p);
      expect(wire).toContain('ThumbprintSHA1');
      expect(wire).not.toContain('sprocket');
      const result = await testOpener(pki, { algorithmSuites: ['Basic256Sha256'] }).open(wire);
      expect(result.context.chain[0]?.equals(pki.client.certificate)).toBe(true);
      expect(result.context.encrypted).toEqual(['Body']);
      expect(result.context.signed).toEqual(expect.arrayContaining(['Body', 'Timestamp']));
      expect(result.body).toContain('<m:Item>sprocket</m:Item>');
    });

    it('AES-256-GCM: opened with the default policy', async () => {
      const wire = xmlsecEncrypt(zeepSign({ item: 'sprocket' }), 'aes256-gcm');
      expect(wire).toContain(ALG.aes256Gcm);
      expect(wire).not.toContain('sprocket');
      const result = await testOpener(pki).open(wire);
      expect(result.context.chain[0]?.equals(pki.client.certificate)).toBe(true);
      expect(result.context.encrypted).toEqual(['Body']);
      expect(result.body).toContain('<m:Item>sprocket</m:Item>');
    });

    it('AES-256-CBC is refused by a GCM-only receiver (UnsupportedAlgorithm)', async () => {
      const wire = xmlsecEncrypt(zeepSign(), 'aes256-cbc');
      const code = await rejectionCode(
        testOpener(pki, { algorithmSuites: ['Basic256GCMSha256'] }).open(wire),
      );
      expect(code).toBe('UnsupportedAlgorithm');
    });

    it('a flipped GCM ciphertext byte is rejected (DecryptionFailed)', async () => {
      const wire = xmlsecEncrypt(zeepSign(), 'aes256-gcm');
      const body = wire.slice(wire.lastIndexOf('<xenc:CipherValue>'));
      const cipherValue = /<xenc:CipherValue>([^<]+)</.exec(body)?.[1];
      expect(cipherValue).toBeDefined();
      const bytes = Buffer.from(cipherValue!, 'base64');
      bytes[20] = (bytes[20] ?? 0) ^ 0x01;
      const tampered = wire.replace(cipherValue!, bytes.toString('base64'));
      expect(tampered).not.toBe(wire);
      const code = await rejectionCode(testOpener(pki).open(tampered));
      expect(code).toBe('DecryptionFailed');
    });
  });
});
