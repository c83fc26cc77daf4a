/**
 * The sender digests the Body while it reads the envelope (one pass over the content): the
 * digest must be the one the two-pass path computes from the Body as it is finally written,
 * for every form of the Body's start tag; where the start tag cannot be predicted the sender
 * falls back to the second pass.
 */
import { describe, expect, it } from 'vitest';
import { readEnvelopeToSecure } from '../../../src/secure/body-text.js';
import { declareNamespace } from '../../../src/xml/build.js';
import { idsOf } from '../../../src/xml/ids.js';
import { NS, PREFIX } from '../../../src/xml/ns.js';
import type { ParseLimits } from '../../../src/xml/parse.js';
import { locateEnvelope } from '../../../src/xml/soap.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const LIMITS: ParseLimits = {
  maxBytes: 1 << 24,
  maxDepth: 100,
  maxElements: 100_000,
  maxAttributesPerElement: 100,
  maxNamespaceDeclarations: 1000,
};

/** The Body's digest and plaintext as the sender computes them, with or without the early pass. */
function digestOf(
  xml: string,
  early: boolean,
  hash = 'sha256',
): { digest: string; early: boolean; plaintext: string } {
  const { document, bodyText } = readEnvelopeToSecure(xml, LIMITS, {
    digestHash: early ? hash : undefined,
    bodyId: 'Body-1',
  });
  if (!bodyText) throw new Error('no Body content');
  const body = locateEnvelope(document).body;
  bodyText.attach(body);
  // As the sender does (secure-envelope.ts ensureBodyId).
  if (idsOf(body).length === 0) {
    declareNamespace(body, PREFIX.wsu, NS.wsu);
    body.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, bodyText.bodyId);
  }
  const digest = bodyText.digest(hash).toString('base64');
  return {
    digest,
    early: bodyText.digestedWhileRead,
    plaintext: bodyText.takePlaintext().toString('utf8'),
  };
}

const CONTENT =
  '\n <m:Order a="1" m:b="&lt;2&gt;"><m:Item xmlns="urn:d">w&amp;x<i>y</i><![CDATA[<z>]]></m:Item><!-- c --></m:Order>\n<n:Other xmlns:n="urn:n"/>';

const CASES: readonly [string, string][] = [
  [
    'a plain Body',
    `<soap:Envelope xmlns:soap="${SOAP11}" xmlns:m="urn:m"><soap:Header/><soap:Body>${CONTENT}</soap:Body></soap:Envelope>`,
  ],
  [
    'SOAP 1.2, default-namespace Envelope',
    `<Envelope xmlns="${SOAP12}" xmlns:m="urn:m"><Body>${CONTENT}</Body></Envelope>`,
  ],
  [
    'a Body with its own wsu:Id',
    `<s:Envelope xmlns:s="${SOAP11}" xmlns:m="urn:m" xmlns:wsu="${NS.wsu}"><s:Body wsu:Id="given">${CONTENT}</s:Body></s:Envelope>`,
  ],
  [
    'a Body with an unqualified Id',
    `<s:Envelope xmlns:s="${SOAP11}" xmlns:m="urn:m"><s:Body Id="given" m:x="1">${CONTENT}</s:Body></s:Envelope>`,
  ],
  [
    'a Body with other attributes and declarations',
    `<s:Envelope xmlns:s="${SOAP11}"><s:Body xmlns:m="urn:m" xmlns:q="urn:q" q:a="1" b="2">${CONTENT}</s:Body></s:Envelope>`,
  ],
  [
    'wsu declared on the Envelope',
    `<s:Envelope xmlns:s="${SOAP11}" xmlns:m="urn:m" xmlns:wsu="${NS.wsu}"><s:Body>${CONTENT}<m:U wsu:Id="u1"/></s:Body></s:Envelope>`,
  ],
  [
    'the default namespace on the Body',
    `<s:Envelope xmlns:s="${SOAP11}" xmlns:m="urn:m"><s:Body xmlns="urn:default">${CONTENT}<plain/></s:Body></s:Envelope>`,
  ],
];

describe('the Body digested in the reading pass', () => {
  for (const [name, xml] of CASES) {
    it(`${name}: the same digest and plaintext as the second pass`, () => {
      const one = digestOf(xml, true);
      const two = digestOf(xml, false);
      expect(one.early).toBe(true);
      expect(two.early).toBe(false);
      expect(one.digest).toBe(two.digest);
      expect(one.plaintext).toBe(two.plaintext);
      for (const hash of ['sha1', 'sha512']) {
        expect(digestOf(xml, true, hash).digest).toBe(digestOf(xml, false, hash).digest);
      }
    });
  }
});

describe('where the Body cannot be predicted, the second pass', () => {
  it('wsu bound to another namespace above the Body: the digest is not taken early', () => {
    const xml = `<s:Envelope xmlns:s="${SOAP11}" xmlns:wsu="urn:not-wsu"><s:Body><wsu:x/></s:Body></s:Envelope>`;
    const one = digestOf(xml, true);
    expect(one.early).toBe(false);
    expect(one.digest).toBe(digestOf(xml, false).digest);
  });

  it('another hash than the one read with: the second pass', () => {
    const xml = CASES[0]?.[1] ?? '';
    const { document, bodyText } = readEnvelopeToSecure(xml, LIMITS, { digestHash: 'sha256' });
    bodyText?.attach(locateEnvelope(document).body);
    bodyText?.digest('sha512');
    expect(bodyText?.digestedWhileRead).toBe(false);
  });

  it('a Body changed after it was read (an attribute added): the second pass', () => {
    const xml = CASES[3]?.[1] ?? '';
    const { document, bodyText } = readEnvelopeToSecure(xml, LIMITS, { digestHash: 'sha256' });
    const body = locateEnvelope(document).body;
    bodyText?.attach(body);
    body.setAttribute('late', 'yes');
    bodyText?.digest('sha256');
    expect(bodyText?.digestedWhileRead).toBe(false);
  });
});
