import { describe, expect, it } from 'vitest';
import type { AlgorithmSuiteName } from '../../../src/policy/algorithms.js';
import type { ProtectionOrder } from '../../../src/policy/policy.js';
import type { KeyReferenceStyle } from '../../../src/wss/token-reference.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

const suites: AlgorithmSuiteName[] = [
  'Basic256GCMSha256',
  'Basic192GCMSha256',
  'Basic128GCMSha256',
  'Basic256Sha256',
  'Basic192Sha256',
  'Basic128Sha256',
];
const orders: ProtectionOrder[] = [
  'SignBeforeEncrypt',
  'SignBeforeEncryptAndEncryptSignature',
  'EncryptBeforeSign',
];
const signerRefs: KeyReferenceStyle[] = ['bst', 'thumbprint', 'ski', 'issuer-serial'];
const serviceRefs = ['thumbprint', 'ski', 'issuer-serial'] as const;

describe('secure → open round trips', () => {
  for (const version of ['1.1', '1.2'] as const) {
    for (const suite of suites) {
      it(`SOAP ${version}, ${suite}`, async () => {
        const pki = await getTestPki();
        const wire = secureAs(pki, orderEnvelope(version), { algorithmSuite: suite });
        expect(wire).not.toContain('widget');
        const result = await testOpener(pki, { algorithmSuites: [suite] }).open(wire);
        expect(result.body).toContain('<m:Item>widget</m:Item>');
        expect(result.context.soapVersion).toBe(version);
        expect(result.context.identity.certificate?.emails).toContain('alice@example.com');
        expect(result.context.signed).toEqual(['Body', 'Timestamp', 'BinarySecurityToken']);
        expect(result.context.encrypted).toEqual(['Body']);
        expect(result.envelope).not.toContain('Security');
      });
    }
  }

  for (const order of orders) {
    it(`protection order ${order}`, async () => {
      const pki = await getTestPki();
      const wire = secureAs(pki, orderEnvelope(), { protectionOrder: order });
      const result = await testOpener(pki).open(wire);
      expect(result.body).toContain('widget');
      if (order === 'SignBeforeEncryptAndEncryptSignature') {
        expect(result.context.encrypted).toEqual(['Body', 'Signature']);
        expect(wire).not.toContain('SignatureValue');
      }
    });
  }

  for (const style of signerRefs) {
    it(`signer referenced by ${style}`, async () => {
      const pki = await getTestPki();
      const wire = secureAs(pki, orderEnvelope(), { signerKeyReference: style });
      const opener = testOpener(pki, {}, { knownCertificates: [pki.client.certificate] });
      const result = await opener.open(wire);
      expect(result.context.signingCertificate?.equals(pki.client.certificate)).toBe(true);
    });
  }

  for (const style of serviceRefs) {
    it(`service certificate referenced by ${style}`, async () => {
      const pki = await getTestPki();
      const wire = secureAs(pki, orderEnvelope(), { serviceKeyReference: style });
      const result = await testOpener(pki).open(wire);
      expect(result.body).toContain('widget');
    });
  }

  it('xmlenc11 rsa-oaep key transport', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { keyTransport: 'rsa-oaep' });
    expect(wire).toContain('http://www.w3.org/2009/xmlenc11#rsa-oaep');
    expect((await testOpener(pki).open(wire)).body).toContain('widget');
  });

  it('Sign only, opened by a receiver that does not require encryption', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    expect(wire).toContain('widget');
    const result = await testOpener(pki, { protectionLevel: 'Sign' }).open(wire);
    expect(result.context.encrypted).toEqual([]);
  });

  it('keeps the Security header when asked', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope());
    const result = await testOpener(pki, {}, { keepSecurityHeader: true }).open(wire);
    expect(result.envelope).toContain('wsse:Security');
  });
});
