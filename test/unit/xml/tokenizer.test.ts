import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { decodeMessage } from '../../../src/xml/decode.js';
import { DEFAULT_PARSE_LIMITS } from '../../../src/xml/parse.js';
import type { ParseLimits } from '../../../src/xml/parse.js';
import { tokenize } from '../../../src/xml/tokenizer.js';
import type { StartTag } from '../../../src/xml/tokenizer.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

function read(xml: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): string {
  return codeOf(() => tokenize(xml, {}, { limits }));
}

function elements(xml: string): StartTag[] {
  const out: StartTag[] = [];
  tokenize(xml, { startElement: (t) => out.push(t) }, { limits: DEFAULT_PARSE_LIMITS });
  return out;
}

function textOf(xml: string): string {
  let s = '';
  tokenize(xml, { text: (t) => (s += t) }, { limits: DEFAULT_PARSE_LIMITS });
  return s;
}

// Each well-formedness rule: the bad case refused with its code beside the good case accepted.
const RULES: readonly (readonly [rule: string, good: string, bad: string])[] = [
  ['C0 control in text', '<a>x&#9;y</a>', '<a>x\u0001y</a>'],
  ['C0 control in an attribute', '<a b="x"/>', '<a b="x\u0002"/>'],
  ['U+FFFE', '<a>\uFFFD</a>', '<a>\uFFFE</a>'],
  ['U+FFFF', '<a>\uFFFD</a>', '<a>\uFFFF</a>'],
  ['lone high surrogate', '<a>\uD83D\uDE00</a>', '<a>\uD83D</a>'],
  ['lone low surrogate', '<a>\uD83D\uDE00</a>', '<a>\uDE00x</a>'],
  ['character reference to a non-Char', '<a>&#x41;&#65;</a>', '<a>&#x1;</a>'],
  ['character reference to a surrogate', '<a>&#x1F600;</a>', '<a>&#xD800;</a>'],
  ['malformed character reference', '<a>&#x41;</a>', '<a>&#x4G;</a>'],
  ['undeclared entity', '<a>&amp;&lt;&gt;&apos;&quot;</a>', '<a>&nbsp;</a>'],
  ['bare ampersand', '<a>&amp;</a>', '<a>a & b</a>'],
  ['name start character', '<a _b="1"/>', '<a 1b="1"/>'],
  ['element name', '<a.b/>', '<-a/>'],
  ['two colons in a name', '<p:a xmlns:p="urn:p"/>', '<p:a:b xmlns:p="urn:p"/>'],
  ['repeated attribute', '<a b="1" c="1"/>', '<a b="1" b="2"/>'],
  [
    'repeated attribute by expanded name',
    '<a xmlns:p="urn:x" xmlns:q="urn:y" p:b="1" q:b="2"/>',
    '<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>',
  ],
  ['undeclared element prefix', '<p:a xmlns:p="urn:p"/>', '<p:a/>'],
  ['undeclared attribute prefix', '<a xmlns:p="urn:p" p:b="1"/>', '<a p:b="1"/>'],
  ['empty prefixed namespace (XML 1.0)', '<a xmlns=""/>', '<a xmlns:p=""/>'],
  [
    'xml prefix bound elsewhere',
    '<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>',
    '<a xmlns:xml="urn:x"/>',
  ],
  [
    'xml namespace bound to another prefix',
    '<a xml:lang="en"/>',
    '<a xmlns:x="http://www.w3.org/XML/1998/namespace"/>',
  ],
  ['xmlns prefix declared', '<a xmlns:b="urn:b"/>', '<a xmlns:xmlns="urn:b"/>'],
  ['xmlns namespace bound', '<a xmlns="urn:b"/>', '<a xmlns="http://www.w3.org/2000/xmlns/"/>'],
  ['element prefixed xmlns', '<a/>', '<xmlns:a/>'],
  ['DOCTYPE', '<a/>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
  ['processing instruction', '<?xml version="1.0"?><a/>', '<a><?pi data?></a>'],
  ['XML declaration not first', '<?xml version="1.0"?><a/>', ' <?xml version="1.0"?><a/>'],
  [
    'malformed XML declaration',
    '<?xml version="1.0" encoding="UTF-8"?><a/>',
    '<?xml encoding="UTF-8"?><a/>',
  ],
  ['CDATA', '<a><![CDATA[<b>&]]></a>', '<a><![CDATA[x</a>'],
  ['"]]>" in text', '<a>]]&gt;</a>', '<a>]]></a>'],
  ['comment', '<a><!-- x - y --></a>', '<a><!-- x -- y --></a>'],
  ['comment ending in "-"', '<a><!-- x --></a>', '<a><!-- x ---></a>'],
  ['mismatched end tag', '<a><b></b></a>', '<a><b></a></b>'],
  ['unclosed element', '<a><b/></a>', '<a><b/>'],
  ['two document elements', '<a/>', '<a/><b/>'],
  ['text after the document element', '<a/> \n', '<a/>x'],
  ['"<" in an attribute value', '<a b="&lt;"/>', '<a b="<"/>'],
  ['unquoted attribute', '<a b="1"/>', '<a b=1/>'],
  ['attributes without space', '<a b="1" c="2"/>', '<a b="1"c="2"/>'],
  ['no element', '<a/>', '<!-- only a comment -->'],
];

describe('tokenizer: XML 1.0 and namespace well-formedness', () => {
  for (const [rule, good, bad] of RULES) {
    it(`${rule}: refused as MalformedMessage, the good form accepted`, () => {
      expect(read(good)).toBe('accepted');
      expect(read(bad)).toBe('MalformedMessage');
    });
  }

  it('reports names, namespaces and values as the XML says', () => {
    const [a, b] = elements(
      '<p:a xmlns:p="urn:p" xmlns="urn:d" x="1&#x9;&amp;&#10;\t2"><b p:y="v"/></p:a>',
    );
    expect([a?.prefix, a?.local, a?.uri]).toEqual(['p', 'a', 'urn:p']);
    expect(a?.namespaces).toEqual([
      { prefix: 'p', uri: 'urn:p' },
      { prefix: '', uri: 'urn:d' },
    ]);
    // Literal tab becomes a space; references keep their characters.
    expect(a?.attributes[0]?.value).toBe('1\t&\n 2');
    expect([b?.uri, b?.attributes[0]?.uri, b?.depth]).toEqual(['urn:d', 'urn:p', 2]);
  });

  it('restores namespace scopes at the end of each element', () => {
    const tags = elements('<a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></a>');
    expect(tags.map((t) => t.uri)).toEqual(['', 'urn:2', 'urn:1']);
    expect(read('<a><b xmlns:p="urn:1"/><p:c/></a>')).toBe('MalformedMessage');
  });

  it('replaces the predefined entities and reads CDATA as text', () => {
    expect(textOf('<a>&lt;&gt;&amp;&apos;&quot;&#x1F600;<![CDATA[&lt;]]></a>')).toBe(
      `<>&'"\u{1F600}&lt;`,
    );
  });

  it('reads a content fragment in the namespace context it is given', () => {
    const limits = DEFAULT_PARSE_LIMITS;
    const seen: string[] = [];
    tokenize(
      'text <p:a/> more',
      { startElement: (t) => seen.push(t.uri) },
      { limits, mode: 'content', context: [['p', 'urn:p']] },
    );
    expect(seen).toEqual(['urn:p']);
    expect(codeOf(() => tokenize('<p:a/>', {}, { limits, mode: 'content' }))).toBe(
      'MalformedMessage',
    );
  });
});

describe('tokenizer: limits while tokenizing', () => {
  const small: ParseLimits = {
    maxBytes: 1 << 20,
    maxDepth: 3,
    maxElements: 4,
    maxAttributesPerElement: 2,
    maxNamespaceDeclarations: 2,
  };
  it('depth', () => {
    expect(read('<a><b><c/></b></a>', small)).toBe('accepted');
    expect(read('<a><b><c><d/></c></b></a>', small)).toBe('LimitExceeded');
  });
  it('elements', () => {
    expect(read('<a><b/><b/><b/></a>', small)).toBe('accepted');
    expect(read('<a><b/><b/><b/><b/></a>', small)).toBe('LimitExceeded');
  });
  it('attributes per element (namespace declarations included)', () => {
    expect(read('<a b="1" xmlns:c="urn:c"/>', small)).toBe('accepted');
    expect(read('<a b="1" c="2" xmlns:d="urn:d"/>', small)).toBe('LimitExceeded');
  });
  it('namespace declarations in the message', () => {
    expect(read('<a xmlns:b="urn:b"><c xmlns:d="urn:d"/></a>', small)).toBe('accepted');
    expect(read('<a xmlns:b="urn:b"><c xmlns:d="urn:d"/><e xmlns="urn:e"/></a>', small)).toBe(
      'LimitExceeded',
    );
  });
  it('depth counted from where decrypted content goes', () => {
    const limits = small;
    expect(codeOf(() => tokenize('<c/>', {}, { limits, mode: 'content', baseDepth: 2 }))).toBe(
      'accepted',
    );
    expect(codeOf(() => tokenize('<c/>', {}, { limits, mode: 'content', baseDepth: 3 }))).toBe(
      'LimitExceeded',
    );
  });
});

describe('decodeMessage: the encoding as XML 1.0 Appendix F decides it', () => {
  const decl = (enc: string): string => `<?xml version="1.0" encoding="${enc}"?><a>é</a>`;
  const decode = (input: string | Uint8Array): string => decodeMessage(input, 1 << 20);
  const bom8 = Buffer.from([0xef, 0xbb, 0xbf]);

  it('UTF-8 with and without a byte order mark', () => {
    expect(decode(Buffer.from(decl('UTF-8')))).toContain('<a>é</a>');
    expect(decode(Buffer.concat([bom8, Buffer.from(decl('utf-8'))]))).toMatch(/^<\?xml/);
    expect(decode(Buffer.from('<a>é</a>'))).toBe('<a>é</a>');
  });

  it('UTF-16 LE and BE with a byte order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(decl('UTF-16'), 'utf16le')]);
    expect(decode(le)).toContain('<a>é</a>');
    const be = Buffer.from(le);
    be.swap16();
    expect(decode(be)).toContain('<a>é</a>');
  });

  it('ISO-8859-1 when declared', () => {
    expect(decode(Buffer.from(decl('ISO-8859-1'), 'latin1'))).toContain('<a>é</a>');
  });

  it('a declaration that contradicts the bytes is MalformedMessage', () => {
    expect(codeOf(() => decode(Buffer.from(decl('UTF-16'))))).toBe('MalformedMessage');
    expect(codeOf(() => decode(decl('UTF-16')))).toBe('MalformedMessage');
    expect(codeOf(() => decode(Buffer.concat([bom8, Buffer.from(decl('ISO-8859-1'))])))).toBe(
      'MalformedMessage',
    );
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(decl('UTF-8'), 'utf16le')]);
    expect(codeOf(() => decode(le))).toBe('MalformedMessage');
    expect(codeOf(() => decode(Buffer.from('<a/>', 'utf16le')))).toBe('MalformedMessage');
  });

  it('invalid UTF-8 and unknown encodings are MalformedMessage', () => {
    expect(
      codeOf(() => decode(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x3c, 0x2f, 0x61, 0x3e]))),
    ).toBe('MalformedMessage');
    expect(codeOf(() => decode(Buffer.from(decl('EBCDIC-XYZ'))))).toBe('MalformedMessage');
  });

  it('normalizes line endings and enforces the byte limit', () => {
    expect(decode('<a>x\r\ny\rz</a>')).toBe('<a>x\ny\nz</a>');
    expect(codeOf(() => decodeMessage('<a/>', 3))).toBe('LimitExceeded');
  });
});

describe('tokenizer agrees with libxml2 (xmllint) on every forbidden character', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-chars-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const xmllintAccepts = (xml: string): boolean => {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml, 'utf8');
    try {
      execFileSync('xmllint', ['--noout', file], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  // Every C0 control, the edges of the surrogate range (lone), U+FFFE/U+FFFF, and neighbours
  // that are allowed. Written as UTF-8 (a lone surrogate cannot be, so it goes as a reference).
  const codes = [
    ...Array.from({ length: 0x20 }, (_, i) => i),
    0x20,
    0x7f,
    0xd7ff,
    0xe000,
    0xfffd,
    0xfffe,
    0xffff,
    0x10000,
  ];
  for (const code of codes) {
    it(`U+${code.toString(16).padStart(4, '0')} in text, in an attribute, as a reference`, () => {
      const ch = String.fromCodePoint(code);
      for (const xml of [`<a>x${ch}y</a>`, `<a b="x${ch}y"/>`, `<a>&#x${code.toString(16)};</a>`]) {
        // A literal CR is a line end, not a character: compare the decoded forms.
        const oracle = xmllintAccepts(xml);
        const ours = read(decodeMessage(xml, 1 << 20)) === 'accepted';
        expect(ours, xml).toBe(oracle);
      }
    });
  }
  for (const code of [0xd800, 0xdbff, 0xdc00, 0xdfff]) {
    it(`surrogate U+${code.toString(16)} as a reference is refused by both`, () => {
      const xml = `<a>&#x${code.toString(16)};</a>`;
      expect(xmllintAccepts(xml)).toBe(false);
      expect(read(xml)).toBe('MalformedMessage');
      // A lone surrogate in a JS string (what a decoder never yields) is refused too.
      expect(read(`<a>${String.fromCharCode(code)}</a>`)).toBe('MalformedMessage');
    });
  }
});
