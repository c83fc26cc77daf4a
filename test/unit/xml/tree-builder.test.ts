import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDocument,
  createStrictParser,
  fastNodeConstruction,
  isElement,
  serialize,
} from '../../../src/xml/dom.js';
import type { Node } from '../../../src/xml/dom.js';
import { decodeMessage } from '../../../src/xml/decode.js';
import { DEFAULT_PARSE_LIMITS } from '../../../src/xml/parse.js';
import { buildContent, buildDocument } from '../../../src/xml/tree-builder.js';

/** Every property of every node the code reads, in document order. */
function dump(node: Node): unknown[] {
  const out: unknown[] = [];
  const walk = (n: Node): void => {
    const row: unknown[] = [n.nodeType, n.nodeName, n.nodeValue, n.namespaceURI, n.prefix];
    row.push(n.localName);
    if (isElement(n)) {
      for (let i = 0; i < n.attributes.length; i++) {
        const a = n.attributes.item(i);
        if (a) row.push([a.name, a.value, a.namespaceURI, a.prefix, a.localName]);
      }
    }
    out.push(row);
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    out.push('end');
  };
  walk(node);
  return out;
}

function same(xml: string): void {
  const expected = createStrictParser().parseFromString(xml, 'text/xml');
  const { document } = buildDocument(xml, DEFAULT_PARSE_LIMITS);
  expect(dump(document)).toEqual(dump(expected));
  expect(serialize(document)).toBe(serialize(expected));
  expect(document.documentElement?.tagName).toBe(expected.documentElement?.tagName);
}

const CASES = [
  '<a/>',
  '  <a/>',
  '<a/>\n',
  "<?xml version='1.0' encoding='utf-8'?>\n<!--c-->\n<a x='1&#9;\t2'><![CDATA[x<y]]>t&amp;u<b/>v<!--k--><![CDATA[]]></a>\n<!--e-->\n",
  '<?xml version="1.0"?><a/><!--x-->',
  '<!-- one --> <!-- two --><a/> <!--three-->  <!--four-->',
  '<p:a xmlns:p="urn:p" p:x="1" xmlns="urn:d" y="2" xmlns:q="urn:q"><b q:z="3" w="4"/><p:c/></p:a>',
  '<a xmlns:x="urn:x" xml:lang="en" x:id = \'q\'  ><b xmlns="">t</b><c xmlns="urn:c"><d/></c></a>',
  '<a>&lt;&gt;&amp;&apos;&quot;&#x10000;&#13;</a>',
  '<a><![CDATA[one]]><![CDATA[two]]>three<b/>\n\n<c>  </c></a>',
  '<a\n b="x\ny"\tc="&#10;"/>',
];

describe('buildDocument: the nodes xmldom would make, from one tokenizer pass', () => {
  for (const xml of CASES)
    it(JSON.stringify(xml).slice(0, 60), () => {
      same(xml);
    });

  it('builds nodes without re-validating names the tokenizer checked', () => {
    expect(fastNodeConstruction()).toBe(true);
  });

  it('the WCF vectors', () => {
    const dir = join(import.meta.dirname, '../../vectors/wcf');
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) same(decodeMessage(readFileSync(join(dir, f)), 1 << 24));
  });

  it('content built under an element with the namespaces in scope there', () => {
    const doc = createDocument();
    const root = doc.createElementNS('urn:r', 'r:root');
    doc.appendChild(root);
    const nodes = buildContent(
      '\n<r:x a="1"><![CDATA[c]]></r:x><!--k-->t',
      root,
      [['r', 'urn:r']],
      1,
      DEFAULT_PARSE_LIMITS,
    );
    expect(nodes.map((n) => n.nodeType)).toEqual([3, 1, 8, 3]);
    expect(serialize(root)).toBe(
      '<r:root xmlns:r="urn:r">\n<r:x a="1"><![CDATA[c]]></r:x><!--k-->t</r:root>',
    );
  });
});
