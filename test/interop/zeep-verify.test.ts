/**
 * Messages wsseq signs, verified by zeep (zeep.wsse.signature.verify_envelope, on
 * python-xmlsec). zeep checks the cryptography only, so this proves that wsseq's
 * references, canonicalization and RSA-SHA256 signature are what another stack computes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs } from '../helpers.js';
import type { TestPki } from '../helpers.js';
import { ALG, PYTHON, hasZeep, makeWorkDir, run, script } from './tools.js';
import type { RunResult, WorkDir } from './tools.js';

describe.skipIf(!hasZeep())('zeep verifies what wsseq signs', () => {
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

  function zeepVerify(xml: string, cert = 'client.pem'): RunResult {
    const file = work.write(`msg-${String(++fileCount)}.xml`, xml);
    return run(PYTHON, [script('zeep_verify.py'), file, work.path(cert)]);
  }

  for (const version of ['1.1', '1.2'] as const) {
    it(`Sign only, RSA-SHA256, SOAP ${version} (Body, Timestamp and the signed BinarySecurityToken)`, () => {
      const wire = secureAs(pki, orderEnvelope(version), { protectionLevel: 'Sign' });
      expect(wire).toContain(ALG.rsaSha256);
      expect(wire.match(/<ds:Reference /g)).toHaveLength(3);
      const r = zeepVerify(wire);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('OK');
      expect(r.status).toBe(0);
    });
  }

  it('Sign only without signing the token (signTokens: false)', () => {
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign', signTokens: false });
    expect(wire.match(/<ds:Reference /g)).toHaveLength(2);
    expect(zeepVerify(wire).status).toBe(0);
  });

  it('EncryptBeforeSign: the signature over the encrypted Body verifies', () => {
    const wire = secureAs(pki, orderEnvelope(), { protectionOrder: 'EncryptBeforeSign' });
    expect(wire).not.toContain('widget');
    expect(zeepVerify(wire).status).toBe(0);
  });

  it('a tampered Body fails', () => {
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const tampered = wire.replace('<m:Item>widget</m:Item>', '<m:Item>gadget</m:Item>');
    expect(tampered).not.toBe(wire);
    const r = zeepVerify(tampered);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('OK');
  });

  it('a tampered Timestamp fails', () => {
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const tampered = wire.replace(/(<wsu:Expires>)2026/, '$12099');
    expect(tampered).not.toBe(wire);
    expect(zeepVerify(tampered).status).toBe(1);
  });

  it("another certificate's key fails", () => {
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    expect(zeepVerify(wire, 'client2.pem').status).toBe(1);
  });
});
