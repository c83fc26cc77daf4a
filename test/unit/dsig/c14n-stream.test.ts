import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/dsig/c14n.js';
import type { CanonicalizeOptions } from '../../../src/dsig/c14n.js';
import {
  ChunkSink,
  ExclusiveCanonicalizer,
  HashSink,
  StringSink,
  canonicalizeDocument,
  canonicalizeElementWithContent,
} from '../../../src/dsig/c14n-stream.js';
import type { Element } from '../../../src/xml/dom.js';
import { DEFAULT_PARSE_LIMITS } from '../../../src/xml/parse.js';
import { tokenize } from '../../../src/xml/tokenizer.js';
import type { StartTag } from '../../../src/xml/tokenizer.js';

/** A small seeded generator, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PREFIXES = ['a', 'b', 'soap', 'wsu', 'z'];
const URIS = ['urn:a', 'urn:b', 'http://x.example/ns#1', 'urn:a'];
const TEXTS = [
  't',
  ' ',
  'a&amp;b',
  '&lt;x&gt;',
  'é€😀',
  '"q\'',
  '\n  ',
  '&#xD;',
  '&#x9;x',
  ']]&gt;',
];

/** A random well-formed document: namespace declarations and reuse, attributes, mixed content. */
function generate(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const element = (depth: number, inScope: readonly string[]): string => {
    const declared: string[] = [];
    let attrs = '';
    const nDecl = Math.floor(random() * 3);
    for (let i = 0; i < nDecl; i++) {
      const p = pick(PREFIXES);
      if (declared.includes(p)) continue;
      declared.push(p);
      attrs += ` xmlns:${p}="${pick(URIS)}"`;
    }
    if (random() < 0.2) attrs += random() < 0.5 ? ' xmlns="urn:d"' : ' xmlns=""';
    const scope = [...new Set([...inScope, ...declared])];
    const prefix = scope.length > 0 && random() < 0.6 ? `${pick(scope)}:` : '';
    const name = `${prefix}e${String(Math.floor(random() * 3))}`;
    const used = new Set<string>();
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      const p = scope.length > 0 && random() < 0.5 ? pick(scope) : '';
      const local = `at${String(Math.floor(random() * 3))}`;
      const qn = p ? `${p}:${local}` : local;
      if (used.has(qn) || (p && [...used].some((u) => u.endsWith(`:${local}`)))) continue;
      used.add(qn);
      attrs += ` ${qn}="${pick(['v', 'a&amp;b', '&lt;', 'x\ty', '&#xA;', '"'.replace('"', '&quot;')])}"`;
    }
    if (random() < 0.1) attrs += ' xml:lang="en"';
    let content = '';
    if (depth < 4) {
      for (let i = Math.floor(random() * 4); i > 0; i--) {
        const r = random();
        if (r < 0.4) content += element(depth + 1, scope);
        else if (r < 0.75) content += pick(TEXTS);
        else if (r < 0.9) content += '<!-- c -->';
        else content += '<![CDATA[<&>]]>';
      }
    }
    return content === '' && random() < 0.5
      ? `<${name}${attrs}/>`
      : `<${name}${attrs}>${content}</${name}>`;
  };
  return element(0, []);
}

function corpus(n: number, seed: number): string[] {
  const random = rng(seed);
  const out: string[] = [];
  while (out.length < n) {
    const xml = generate(random);
    try {
      tokenize(xml, {}, { limits: DEFAULT_PARSE_LIMITS });
      out.push(xml);
    } catch {
      // A generated name clash (e.g. an attribute whose prefix was redeclared): skip it.
    }
  }
  return out;
}

function domElements(xml: string): Element[] {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error('no element');
  return [root, ...Array.from(root.getElementsByTagName('*'))];
}

/** Every element of `xml` canonicalized the way open does the Body: start tag + content span. */
function streamedElements(xml: string, options: CanonicalizeOptions): string[] {
  const found: { tag: StartTag; scope: Map<string, string>; end: number }[] = [];
  const open: { tag: StartTag; scope: Map<string, string>; end: number }[] = [];
  tokenize(
    xml,
    {
      startElement(tag, scope) {
        const entry = { tag, scope: new Map(scope.entries()), end: tag.contentStart };
        found.push(entry);
        open.push(entry);
      },
      endElement(_tag, end) {
        const entry = open.pop();
        if (entry) entry.end = end;
      },
    },
    { limits: DEFAULT_PARSE_LIMITS },
  );
  return found.map(({ tag, scope, end }) => {
    const sink = new StringSink();
    const content = tag.selfClosing ? '' : xml.slice(tag.contentStart, end);
    canonicalizeElementWithContent({ tag, scope }, content, options, sink, DEFAULT_PARSE_LIMITS);
    return sink.text;
  });
}

const OPTION_SETS: readonly CanonicalizeOptions[] = [
  {},
  { withComments: true },
  { inclusivePrefixes: ['a', '#default'] },
  { inclusivePrefixes: ['soap', 'z'], withComments: true },
];

describe('streaming exclusive c14n', () => {
  const docs = corpus(400, 20261203);

  it('agrees with the DOM canonicalizer on every element of a generated corpus, for every option set', () => {
    for (const xml of docs) {
      const dom = domElements(xml);
      for (const options of OPTION_SETS) {
        expect(streamedElements(xml, options), xml).toEqual(
          dom.map((e) => canonicalize(e, options).text),
        );
      }
    }
  });

  it('agrees with libxml2 (lxml) on the document element, with and without comments', () => {
    const script = [
      'import sys, json',
      'from lxml import etree',
      'out = []',
      'for xml in json.load(sys.stdin):',
      '    root = etree.fromstring(xml.encode())',
      '    out.append([etree.tostring(root, method="c14n", exclusive=True, with_comments=c).decode() for c in (False, True)])',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(docs) }).toString(
        'utf8',
      ),
    ) as string[][];
    docs.forEach((xml, i) => {
      expect(
        [canonicalizeDocument(xml), canonicalizeDocument(xml, { withComments: true })],
        xml,
      ).toEqual(theirs[i]);
    });
  });

  it('hashes in chunks exactly what it would write as text', () => {
    const big = `<r xmlns="urn:r">${'<e a="1&amp;2">t&lt;é😀</e>'.repeat(20_000)}</r>`;
    const text = canonicalizeDocument(big);
    const sink = new HashSink(createHash('sha256'));
    tokenize(big, new ExclusiveCanonicalizer(sink), {
      limits: { ...DEFAULT_PARSE_LIMITS, maxElements: 1e6 },
    });
    expect(sink.end().digest('hex')).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect(sink.length).toBe(text.length);
  });

  it('copies runs of the source exactly where it would rebuild the same text', () => {
    const LARGE = { ...DEFAULT_PARSE_LIMITS, maxElements: 1e6 };
    const shapes = [
      ...corpus(300, 11),
      `<r xmlns:m="urn:m">${Array.from({ length: 3000 }, (_, i) => `<m:Line n="${String(i)}">item-${String(i)}-${'x'.repeat(30)}</m:Line>`).join('')}</r>`,
      `<r>${'<e b="2" a="1">t</e><e a="1" b="2" >u</e ><e a=\'1\'/><![CDATA[c>]]>x&gt;y'.repeat(9000)}</r>`,
      '<a xmlns="urn:a"><b xmlns="urn:a" x="1">t</b><c xmlns="">&#xD;</c><!-- c --></a>',
    ];
    for (const options of [{}, { withComments: true }, { inclusivePrefixes: ['m', '#default'] }]) {
      for (const xml of shapes) {
        const rebuilt = new StringSink();
        tokenize(xml, new ExclusiveCanonicalizer(rebuilt, options), { limits: LARGE });
        expect(canonicalizeDocument(xml, options), xml.slice(0, 200)).toBe(rebuilt.text);
      }
    }
  });

  it('never copies the apex of a content span (its offsets are not in the content)', () => {
    const content = `<m:Line n="1">x</m:Line>${'<m:Line n="2">y</m:Line>'.repeat(5000)}`;
    const scope = new Map([
      ['xml', 'http://www.w3.org/XML/1998/namespace'],
      ['m', 'urn:m'],
    ]);
    const tag: StartTag = {
      qname: 'm:Body',
      prefix: 'm',
      local: 'Body',
      uri: 'urn:m',
      attributes: [],
      namespaces: [],
      start: 3,
      contentStart: 40,
      selfClosing: false,
      depth: 2,
    };
    const limits = { ...DEFAULT_PARSE_LIMITS, maxElements: 1e6 };
    const text = new StringSink();
    canonicalizeElementWithContent({ tag, scope }, content, {}, text, limits);
    expect(text.text).toBe(`<m:Body xmlns:m="urn:m">${content}</m:Body>`);
    const chunks = new ChunkSink();
    canonicalizeElementWithContent({ tag, scope }, content, {}, chunks, limits, () => undefined);
    expect(Buffer.concat(chunks.end()).toString('utf8')).toBe(text.text);
    expect(chunks.length).toBe(text.text.length);
    const hash = new HashSink(createHash('sha256'));
    canonicalizeElementWithContent({ tag, scope }, content, {}, hash, limits);
    expect(hash.end().digest('hex')).toBe(
      createHash('sha256').update(text.text, 'utf8').digest('hex'),
    );
  });

  it('renders the inherited context only for prefixes the element uses', () => {
    const xml =
      '<s:Envelope xmlns:s="urn:s" xmlns:u="urn:u" xmlns:x="urn:x"><s:Body u:Id="b"><m xmlns="urn:m">x</m></s:Body></s:Envelope>';
    expect(streamedElements(xml, {})[1]).toBe(
      '<s:Body xmlns:s="urn:s" xmlns:u="urn:u" u:Id="b"><m xmlns="urn:m">x</m></s:Body>',
    );
    expect(streamedElements(xml, { inclusivePrefixes: ['x'] })[1]).toBe(
      '<s:Body xmlns:s="urn:s" xmlns:u="urn:u" xmlns:x="urn:x" u:Id="b"><m xmlns="urn:m">x</m></s:Body>',
    );
  });
});
