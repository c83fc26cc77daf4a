import { describe, expect, it } from 'vitest';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { isWsseqError } from '../../../src/errors.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import type { SenderPolicy } from '../../../src/policy/policy.js';
import { TEST_NOW, getTestPki, testOpener } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

function envelope(content: string): string {
  return `<soap:Envelope xmlns:soap="${SOAP11}" xmlns:m="urn:example:orders"><soap:Header/><soap:Body>${content}</soap:Body></soap:Envelope>`;
}

function securer(pki: TestPki, policy: SenderPolicy = {}) {
  return createSecurer({
    credential: certificateCredential(pki.client),
    serviceCertificate: pki.service.certificate,
    policy,
    now: () => TEST_NOW,
  });
}

describe('secure and open with the Body kept as text', () => {
  it('Sign only: the Body content goes on the wire exactly as given (CDATA, references, comments)', async () => {
    const pki = await getTestPki();
    const content = '<m:Order><m:Note><![CDATA[a<b]]> &amp; &#x41;<!-- kept --></m:Note></m:Order>';
    const wire = securer(pki, { protectionLevel: 'Sign' }).secure(envelope(content));
    expect(wire).toContain(content);
    const result = await testOpener(pki, { protectionLevel: 'Sign', allowComments: true }).open(
      wire,
    );
    expect(result.context.signed).toContain('Body');
    expect(result.bodyElement.textContent).toBe('a<b & A');
  });

  it('EncryptAndSign: the plaintext reads the same although m: is declared on the Envelope', async () => {
    const pki = await getTestPki();
    const wire = securer(pki).secure(envelope('\n  <m:Order><m:Item>widget</m:Item></m:Order>\n'));
    expect(wire).not.toContain('widget');
    const result = await testOpener(pki).open(wire);
    expect(result.body).toContain(
      '<m:Order xmlns:m="urn:example:orders"><m:Item>widget</m:Item></m:Order>',
    );
    expect(result.envelope).toContain('<m:Item>widget</m:Item>');
  });

  it('the sender enforces its limits, and they can be raised', async () => {
    const pki = await getTestPki();
    const many = envelope(`<m:Order>${'<m:i/>'.repeat(210_000)}</m:Order>`);
    const refused = (policy: SenderPolicy): string => {
      try {
        securer(pki, policy).secure(many);
        return 'accepted';
      } catch (err) {
        const cause = err instanceof TypeError ? err.cause : undefined;
        return err instanceof TypeError && isWsseqError(cause) ? cause.code : 'other';
      }
    };
    expect(refused({})).toBe('LimitExceeded');
    expect(refused({ limits: { maxElements: 20 } })).toBe('LimitExceeded');
    const raised = { limits: { maxElements: 300_000 } };
    const wire = securer(pki, raised).secure(many);
    const result = await testOpener(pki, raised).open(wire);
    expect(result.body.split('<m:i>').length - 1).toBe(210_000);
    expect(() =>
      createSecurer({
        credential: certificateCredential(pki.client),
        serviceCertificate: pki.service.certificate,
        policy: { limits: { maxDepth: 0 } },
      }),
    ).toThrow(TypeError);
  });
});
