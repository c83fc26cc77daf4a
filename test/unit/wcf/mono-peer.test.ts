/**
 * What the securer does so that Mono's WCF service (test/interop/mono-service.test.ts, which
 * needs Mono) accepts its messages, checked here without Mono: the DerivedKeyToken references
 * without ValueType on request, the addressing headers added and signed with WCF's `u:Id` and
 * `mustUnderstand="1"`, and the issuer name of MutualCertificate10 in .NET's order; each
 * message still opens in wsseq.
 */
import { describe, expect, it } from 'vitest';
import type { AlgorithmSuiteName } from '../../../src/policy/algorithms.js';
import { createWcfSecurer } from '../../../src/secure/wcf-layout.js';
import type { WcfSecureOptions } from '../../../src/secure/wcf-layout.js';
import { clientCredential, keys, wcfOpener } from './wcf-fixtures.js';

const NOW = new Date('2027-03-01T10:00:00Z');
const TO = 'http://127.0.0.1:8080/orders/';
const ACTION = 'urn:example:orders/PlaceOrder';
const BARE =
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  '<PlaceOrder xmlns="urn:example:orders"><item>widget</item></PlaceOrder></s:Body></s:Envelope>';
const DK_VALUE_TYPE = 'ValueType="http://schemas.xmlsoap.org/ws/2005/02/sc/dk"';
const POLICY = {
  algorithmSuites: ['Basic256Sha256'] as AlgorithmSuiteName[],
  relaxations: { allowMissingValueType: true },
};

function secure(options: Partial<WcfSecureOptions> = {}, envelope = BARE): string {
  return createWcfSecurer({
    layout: 'MutualCertificate11',
    credential: clientCredential(),
    serviceCertificate: keys.service.certificate,
    now: () => NOW,
    addressing: { action: ACTION, to: TO, messageId: 'urn:uuid:1' },
    ...options,
  }).secure(envelope);
}

describe('createWcfSecurer for a Mono WCF service', () => {
  it('references its DerivedKeyTokens with ValueType by default, without on request', async () => {
    expect(secure()).toContain(DK_VALUE_TYPE);
    const wire = secure({ derivedKeyValueType: false });
    expect(wire).not.toContain(DK_VALUE_TYPE);
    expect(wire).toMatch(/<wsse:Reference URI="#DK-[^"]+"\/>/);
    const result = await wcfOpener(NOW, POLICY).open(wire);
    expect(result.body).toContain('<item>widget</item>');
    expect(result.context.credentialType).toBe('Certificate');
  });

  it('adds Action, MessageID, ReplyTo and To as WCF writes them, signed', async () => {
    const wire = secure({ protectionOrder: 'SignBeforeEncrypt' });
    const header = /<s:Header>(.*?)<wsse:Security /.exec(wire)?.[1] ?? '';
    expect(header).toMatch(
      /^<a:Action [^>]*s:mustUnderstand="1"[^>]* u:Id="(WSA-[^"]+)">urn:example:orders\/PlaceOrder<\/a:Action>/,
    );
    expect(header).toContain('>urn:uuid:1</a:MessageID>');
    expect(header).toContain(
      '<a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>',
    );
    expect(header).toMatch(
      /<a:To [^>]*s:mustUnderstand="1"[^>]*>http:\/\/127\.0\.0\.1:8080\/orders\/<\/a:To>$/,
    );
    for (const id of header.matchAll(/u:Id="([^"]+)"/g)) {
      expect(wire).toContain(`URI="#${id[1] ?? ''}"`);
    }
    expect([...header.matchAll(/u:Id=/g)]).toHaveLength(4);
    await expect(wcfOpener(NOW, POLICY).open(wire)).resolves.toBeDefined();
  });

  it("keeps the envelope's own addressing headers and adds only the missing ones", () => {
    const own =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">' +
      '<s:Header><a:Action s:mustUnderstand="1">urn:other</a:Action></s:Header>' +
      '<s:Body><x/></s:Body></s:Envelope>';
    const wire = secure({}, own);
    expect(wire).toContain('>urn:other</a:Action>');
    expect(wire).not.toContain(`>${ACTION}<`);
    expect(wire).toContain(`>${TO}</a:To>`);
  });

  it('gives existing addressing headers ids with the u prefix unless u means something else', () => {
    const clash =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:u="urn:not-wsu">' +
      '<s:Body><x/></s:Body></s:Envelope>';
    const wire = secure({}, clash);
    expect(wire).toMatch(/<a:Action [^>]*wsu:Id="WSA-/);
  });

  it('MutualCertificate10 names the issuer in .NET order (RFC 4514), and opens', async () => {
    const wire = secure({ layout: 'MutualCertificate10' });
    expect(wire).toContain(
      '<ds:X509IssuerName>O=wsseq test data, CN=wsseq WCF vectors test root</ds:X509IssuerName>',
    );
    const result = await wcfOpener(NOW, POLICY).open(wire);
    expect(result.body).toContain('<item>widget</item>');
  });
});
