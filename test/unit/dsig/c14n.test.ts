import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/dsig/c14n.js';
import type { Element } from '../../../src/xml/dom.js';

function parse(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const el = doc.documentElement;
  if (!el) throw new Error('no element');
  return el;
}

function find(root: Element, localName: string): Element {
  const found = root.getElementsByTagNameNS('*', localName).item(0);
  if (!found) throw new Error(`no ${localName}`);
  return found;
}

describe('exclusive c14n', () => {
  it('renders only visibly utilized namespaces from ancestors', () => {
    const root = parse(
      '<s:E xmlns:s="urn:s" xmlns:m="urn:m" xmlns:unused="urn:u"><s:B><m:x a="1">t</m:x></s:B></s:E>',
    );
    expect(canonicalize(find(root, 'B')).text).toBe(
      '<s:B xmlns:s="urn:s"><m:x xmlns:m="urn:m" a="1">t</m:x></s:B>',
    );
  });

  it('handles default namespaces and their undeclaration', () => {
    const root = parse('<a xmlns="urn:a"><b><c xmlns=""><d/></c></b></a>');
    expect(canonicalize(find(root, 'b')).text).toBe('<b xmlns="urn:a"><c xmlns=""><d></d></c></b>');
    const none = parse('<a><b xmlns=""/></a>');
    expect(canonicalize(none).text).toBe('<a><b></b></a>');
  });

  it('sorts namespace declarations by prefix and attributes by namespace URI then name', () => {
    const root = parse('<r xmlns:z="urn:a" xmlns:a="urn:z" z:b="1" a:a="2" c="3" b="4"/>');
    expect(canonicalize(root).text).toBe(
      '<r xmlns:a="urn:z" xmlns:z="urn:a" b="4" c="3" z:b="1" a:a="2"></r>',
    );
  });

  it('escapes text and attribute values as the spec says', () => {
    const root = parse('<r a="&quot;&lt;&amp;&#9;&#10;&#13;&gt;">&amp;&lt;&gt;&#13;"\'</r>');
    expect(canonicalize(root).text).toBe(
      '<r a="&quot;&lt;&amp;&#x9;&#xA;&#xD;>">&amp;&lt;&gt;&#xD;"\'</r>',
    );
  });

  it('drops comments unless asked, and reports them', () => {
    const root = parse('<r>a<!-- c -->b</r>');
    expect(canonicalize(root)).toEqual({ text: '<r>ab</r>', hadComments: true });
    expect(canonicalize(root, { withComments: true }).text).toBe('<r>a<!-- c -->b</r>');
  });

  it('renders InclusiveNamespaces prefixes in scope from ancestors', () => {
    const root = parse('<s:E xmlns:s="urn:s" xmlns:q="urn:q"><s:B><x>q:name</x></s:B></s:E>');
    expect(canonicalize(find(root, 'B'), { inclusivePrefixes: ['q'] }).text).toBe(
      '<s:B xmlns:q="urn:q" xmlns:s="urn:s"><x>q:name</x></s:B>',
    );
  });

  it('does not repeat a declaration an output ancestor rendered', () => {
    const root = parse(
      '<p:a xmlns:p="urn:p"><p:b xmlns:p="urn:p"><p:c xmlns:p="urn:other"/></p:b></p:a>',
    );
    expect(canonicalize(root).text).toBe(
      '<p:a xmlns:p="urn:p"><p:b><p:c xmlns:p="urn:other"></p:c></p:b></p:a>',
    );
  });

  const corpus = [
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsu="urn:wsu"><soap:Body wsu:Id="b"><m:Order xmlns:m="urn:m" m:x="1" y="2"><m:Item>a &amp; b</m:Item></m:Order></soap:Body></soap:Envelope>',
    '<a xmlns="urn:a" xmlns:b="urn:b"><b:c attr="v"><d xmlns="urn:d"><e/></d></b:c></a>',
    '<r xmlns:x="urn:x"><x:y x:z="1"><w xmlns:x="urn:x2" x:q="2"/></x:y></r>',
    '<r>  spaced\n text\t<c/> </r>',
  ];

  it('agrees with xml-crypto on a corpus', () => {
    const xc = new ExclusiveCanonicalization();
    for (const xml of corpus) {
      const el = parse(xml);
      for (const target of [el, ...Array.from(el.getElementsByTagName('*'))]) {
        const theirs = xc.process(target, {});
        expect(canonicalize(target).text).toBe(theirs);
      }
    }
  });

  it('agrees with libxml2 (python3-lxml) on every element of a corpus', () => {
    const script = [
      'import sys, json',
      'from lxml import etree',
      'out = []',
      'for xml in json.load(sys.stdin):',
      '    root = etree.fromstring(xml.encode())',
      '    out.append([etree.tostring(e, method="c14n", exclusive=True).decode() for e in root.iter(etree.Element)])',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(corpus) }).toString(
        'utf8',
      ),
    ) as string[][];
    corpus.forEach((xml, i) => {
      const root = parse(xml);
      const ours = [root, ...Array.from(root.getElementsByTagName('*'))].map(
        (e) => canonicalize(e).text,
      );
      expect(ours).toEqual(theirs[i]);
    });
  });
});
