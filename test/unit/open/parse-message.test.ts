import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/dsig/c14n.js';
import { isWsseqError } from '../../../src/errors.js';
import { parseMessage } from '../../../src/open/parse-message.js';
import { resolveReceiverPolicy } from '../../../src/policy/policy.js';
import { serialize } from '../../../src/xml/dom.js';
import { parseUntrusted } from '../../../src/xml/parse.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const policy = resolveReceiverPolicy({});

function envelope(content: string, header = ''): string {
  return `<?xml version="1.0"?>\n<soap:Envelope xmlns:soap="${SOAP11}" xmlns:wsu="${WSU}" xmlns:m="urn:m"><soap:Header>${header}</soap:Header><soap:Body wsu:Id="B" m:a="1">${content}</soap:Body></soap:Envelope>`;
}

function code(f: () => unknown): string {
  try {
    f();
    return 'accepted';
  } catch (err) {
    return isWsseqError(err) ? err.code : 'other';
  }
}

describe('parseMessage: one pass; a Body that is not one EncryptedData is kept as text', () => {
  const content =
    '\n  <!--c--><m:Order wsu:Id="o" xmlns:p="urn:p"><m:Note p:x="&lt;">a <![CDATA[<b>]]> &amp; c</m:Note></m:Order>\n';

  it('keeps the content as a span, digested as the DOM would be, built on first need', () => {
    const wire = envelope(content);
    const msg = parseMessage(wire, policy);
    const streamed = msg.bodyContent.current;
    expect(streamed?.decrypted).toBe(false);
    expect(msg.soap.body.firstChild).toBeNull();
    const expected = parseUntrusted(wire).document;
    const body = expected.getElementsByTagNameNS(SOAP11, 'Body').item(0);
    if (!body || !streamed) throw new Error('no Body');
    const c14n = canonicalize(body).text;
    expect(streamed.digest({}, 'sha256').digest).toEqual(
      createHash('sha256').update(c14n).digest(),
    );
    expect(streamed.canonicalText()).toBe(c14n);
    expect(msg.ids.get('B')).toBe(msg.soap.body);
    // A reference inside the content builds it: then the DOM is what xmldom made.
    const order = msg.ids.get('o');
    expect(streamed.built).toBe(true);
    expect(order?.localName).toBe('Order');
    expect(serialize(msg.document)).toBe(serialize(expected));
  });

  it('builds one EncryptedData as elements (decryption reads them)', () => {
    const ed = `\n<xenc:EncryptedData xmlns:xenc="${XENC}" Id="ed"><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>\n`;
    const msg = parseMessage(envelope(ed), policy);
    expect(msg.bodyContent.current).toBeUndefined();
    expect(msg.ids.get('ed')?.parentNode).toBe(msg.soap.body);
    expect(serialize(msg.soap.body)).toContain('<xenc:CipherValue>AAAA</xenc:CipherValue>');
  });

  it('finds our Security header and refuses two', () => {
    const sec = `<wsse:Security xmlns:wsse="${WSSE}"><wsu:Timestamp wsu:Id="t"/></wsse:Security>`;
    const msg = parseMessage(envelope(content, sec), policy);
    expect(msg.security?.localName).toBe('Security');
    expect(msg.ids.get('t')?.parentNode).toBe(msg.security);
    expect(
      code(() => parseMessage(envelope(content, sec + sec.replace('"t"', '"u"')), policy)),
    ).toBe('MalformedMessage');
  });

  it('refuses duplicate ids across the header and the span, and within the span', () => {
    expect(code(() => parseMessage(envelope(content, '<m:h wsu:Id="o"/>'), policy))).toBe(
      'MalformedMessage',
    );
    expect(code(() => parseMessage(envelope(`${content}<m:x xml:id="o"/>`), policy))).toBe(
      'MalformedMessage',
    );
    expect(code(() => parseMessage(envelope('<m:x Id="B"/>'), policy))).toBe('MalformedMessage');
  });

  it('refuses a SOAP Body anywhere but its place', () => {
    const stray = `<soap:Body/>`;
    expect(code(() => parseMessage(envelope(`<m:a>${stray}</m:a>`), policy))).toBe(
      'MalformedMessage',
    );
    expect(code(() => parseMessage(envelope(content, `<m:h>${stray}</m:h>`), policy))).toBe(
      'MalformedMessage',
    );
    expect(code(() => parseMessage(envelope(`text${stray}`), policy))).toBe('MalformedMessage');
  });

  it('enforces the limits inside the span', () => {
    const deep = '<m:d>'.repeat(70) + '</m:d>'.repeat(70);
    expect(code(() => parseMessage(envelope(deep), policy))).toBe('LimitExceeded');
  });
});
