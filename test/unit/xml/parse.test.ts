import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { parseUntrusted } from '../../../src/xml/parse.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('parseUntrusted', () => {
  it('accepts an XML declaration and a UTF-8 byte order mark (WCF sends one)', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<?xml version="1.0" encoding="utf-8"?><a><b/></a>'),
    ]);
    expect(parseUntrusted(bytes).document.documentElement?.localName).toBe('a');
  });

  it('reports comments', () => {
    expect(parseUntrusted('<a><!-- x --></a>').hasComments).toBe(true);
    expect(parseUntrusted('<a/>').hasComments).toBe(false);
  });

  it('normalizes line ends as XML 1.0 does, and nothing more', () => {
    const doc = parseUntrusted('<a>x\r\ny\u2028z</a>').document;
    expect(doc.documentElement?.textContent).toBe('x\ny\u2028z');
  });

  it('refuses what is not well-formed', () => {
    expect(codeOf(() => parseUntrusted('<a><b></a>'))).toBe('MalformedMessage');
    expect(codeOf(() => parseUntrusted('<a>&unknown;</a>'))).toBe('MalformedMessage');
    expect(codeOf(() => parseUntrusted('<p:a/>'))).toBe('MalformedMessage');
  });

  it('refuses a DOCTYPE and processing instructions inside the document', () => {
    expect(codeOf(() => parseUntrusted('<!DOCTYPE a><a/>'))).toBe('MalformedMessage');
    expect(codeOf(() => parseUntrusted('<a><?php x?></a>'))).toBe('MalformedMessage');
  });

  it('applies each limit', () => {
    const limits = { maxBytes: 1000, maxDepth: 5, maxElements: 10, maxAttributesPerElement: 3 };
    expect(codeOf(() => parseUntrusted(`<a>${'x'.repeat(1000)}</a>`, limits))).toBe(
      'LimitExceeded',
    );
    expect(codeOf(() => parseUntrusted('<a><a><a><a><a><a/></a></a></a></a></a>', limits))).toBe(
      'LimitExceeded',
    );
    expect(codeOf(() => parseUntrusted(`<a>${'<b/>'.repeat(10)}</a>`, limits))).toBe(
      'LimitExceeded',
    );
    expect(codeOf(() => parseUntrusted('<a w="1" x="2" y="3" z="4"/>', limits))).toBe(
      'LimitExceeded',
    );
    expect(parseUntrusted('<a><a><a><a><a/></a></a></a></a>', limits).document).toBeDefined();
  });
});
