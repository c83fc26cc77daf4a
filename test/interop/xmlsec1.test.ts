/**
 * Messages wsseq secures, checked by an independent implementation: the xmlsec1 command
 * line (libxmlsec1 on OpenSSL). Signatures are verified with the client certificate given
 * on the command line (xmlsec1 does not follow wsse:SecurityTokenReference); encrypted
 * messages are decrypted after moving the EncryptedKey into the EncryptedData (xmlsec1 does
 * not read the WS-Security layout). See README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlgorithmSuiteName } from '../../src/policy/algorithms.js';
import type { ProtectionOrder } from '../../src/policy/policy.js';
import { SOAP11, SOAP12, getTestPki, orderEnvelope, secureAs } from '../helpers.js';
import type { TestPki } from '../helpers.js';
import {
  ALG,
  hasXmlsec1,
  makeWorkDir,
  moveEncryptedKeysIntoEncryptedData,
  run,
  runOk,
  xmlsec1IdAttrs,
} from './tools.js';
import type { RunResult, WorkDir } from './tools.js';

describe.skipIf(!hasXmlsec1())('xmlsec1 1.2.x reads what wsseq writes', () => {
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

  function verify(xml: string, soapNs: string, cert = 'client.pem'): RunResult {
    const file = work.write(`verify-${String(++fileCount)}.xml`, xml);
    return run('xmlsec1', [
      '--verify',
      '--pubkey-cert-pem',
      work.path(cert),
      ...xmlsec1IdAttrs(soapNs),
      file,
    ]);
  }

  function expectVerified(r: RunResult): void {
    expect(r.stderr + r.stdout, 'xmlsec1 output').toMatch(/^OK$/m);
    expect(r.stderr).toMatch(/SignedInfo References \(ok\/all\): 3\/3/);
    expect(r.status).toBe(0);
  }

  function decrypt(xml: string, key = 'service.key'): RunResult {
    const file = work.write(
      `decrypt-${String(++fileCount)}.xml`,
      moveEncryptedKeysIntoEncryptedData(xml),
    );
    return run('xmlsec1', ['--decrypt', '--privkey-pem', work.path(key), file]);
  }

  describe('signature (xmlsec1 --verify)', () => {
    for (const [version, soapNs] of [
      ['1.1', SOAP11],
      ['1.2', SOAP12],
    ] as const) {
      it(`Sign only, SOAP ${version}: Body, Timestamp and BinarySecurityToken verify`, () => {
        const wire = secureAs(pki, orderEnvelope(version), { protectionLevel: 'Sign' });
        expect(wire).toContain(ALG.rsaSha256);
        expectVerified(verify(wire, soapNs));
      });

      it(`EncryptBeforeSign, SOAP ${version}: the signature over the encrypted Body verifies`, () => {
        const wire = secureAs(pki, orderEnvelope(version), {
          protectionOrder: 'EncryptBeforeSign',
        });
        expect(wire).not.toContain('widget');
        expectVerified(verify(wire, soapNs));
      });
    }

    it('a tampered Body fails (the check is real)', () => {
      const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
      expectVerified(verify(wire, SOAP11));
      const tampered = wire.replace('<m:Item>widget</m:Item>', '<m:Item>gadget</m:Item>');
      expect(tampered).not.toBe(wire);
      const r = verify(tampered, SOAP11);
      expect(r.status).not.toBe(0);
      expect(r.stderr + r.stdout).toMatch(/^FAIL$/m);
    });

    it('the wrong certificate fails (xmlsec1 checks with the key it was given)', () => {
      const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
      const r = verify(wire, SOAP11, 'service.pem');
      expect(r.status).not.toBe(0);
    });
  });

  describe('decryption (xmlsec1 --decrypt, EncryptedKey moved into the EncryptedData)', () => {
    const cases: { suite: AlgorithmSuiteName; cipher: string }[] = [
      { suite: 'Basic256GCMSha256', cipher: ALG.aes256Gcm },
      { suite: 'Basic128Sha256', cipher: ALG.aes128Cbc },
    ];
    const orders: ProtectionOrder[] = ['SignBeforeEncrypt', 'EncryptBeforeSign'];

    for (const { suite, cipher } of cases) {
      for (const order of orders) {
        it(`${suite} (${cipher.replace(/.*#/, '')}), ${order}: the Body decrypts`, () => {
          const wire = secureAs(pki, orderEnvelope('1.1', 'sprocket'), {
            algorithmSuite: suite,
            protectionOrder: order,
          });
          expect(wire).toContain(cipher);
          expect(wire).toContain(ALG.rsaOaepMgf1p);
          expect(wire).not.toContain('sprocket');
          const plain = runOk('xmlsec1', [
            '--decrypt',
            '--privkey-pem',
            work.path('service.key'),
            work.write(`dec-${String(++fileCount)}.xml`, moveEncryptedKeysIntoEncryptedData(wire)),
          ]);
          expect(plain).toMatch(
            /<soap:Body [^>]*><m:PlaceOrder[^>]*><m:Item>sprocket<\/m:Item><m:Quantity>3<\/m:Quantity><\/m:PlaceOrder><\/soap:Body>/,
          );
          expect(plain).not.toContain('EncryptedData');
          if (order === 'SignBeforeEncrypt') {
            // The signature was made over the plaintext Body: xmlsec1 verifies it after decrypting.
            expectVerified(verify(plain, SOAP11));
          }
        });
      }
    }

    it('SOAP 1.2, default suite: the Body decrypts', () => {
      const wire = secureAs(pki, orderEnvelope('1.2', 'sprocket'));
      const r = decrypt(wire);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('<m:Item>sprocket</m:Item>');
    });

    it('the wrong private key fails (the check is real)', () => {
      const wire = secureAs(pki, orderEnvelope('1.1', 'sprocket'));
      const r = decrypt(wire, 'service2.key');
      expect(r.status).not.toBe(0);
      expect(r.stdout).not.toContain('sprocket');
    });
  });
});
