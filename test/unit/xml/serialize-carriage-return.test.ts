import { describe, expect, it } from 'vitest';
import { parseTrusted, serialize } from '../../../src/xml/dom.js';

describe('serialize keeps carriage returns', () => {
  it('writes a CR in text as &#xD;, so reading it back gives the same text', () => {
    const doc = parseTrusted('<a x="1&#13;2">p&#13;q<b>&lt;&#xD;&amp;</b><!--c--></a>');
    const text = serialize(doc);
    expect(text).toBe('<a x="1&#13;2">p&#xD;q<b>&lt;&#xD;&amp;</b><!--c--></a>');
    const again = parseTrusted(text).documentElement;
    expect(again?.textContent).toBe('p\rq<\r&');
    expect(again?.getAttribute('x')).toBe('1\r2');
  });

  it('writes CDATA holding a CR as escaped text (the same characters)', () => {
    const doc = parseTrusted('<a><![CDATA[x]]></a>');
    const cdata = doc.documentElement?.firstChild;
    if (!cdata) throw new Error('no CDATA');
    cdata.nodeValue = 'r\r<s>&';
    (cdata as unknown as { data: string }).data = 'r\r<s>&';
    const text = serialize(doc);
    expect(text).toBe('<a>r&#xD;&lt;s&gt;&amp;</a>');
    expect(parseTrusted(text).documentElement?.textContent).toBe('r\r<s>&');
  });

  it('leaves text without a CR as xmldom writes it', () => {
    const doc = parseTrusted('<a>x &gt; y<![CDATA[<z>]]></a>');
    expect(serialize(doc)).toBe('<a>x &gt; y<![CDATA[<z>]]></a>');
  });
});
