/**
 * The tokenizer's fast paths (ASCII name tables with the NCName expression behind them,
 * shared name splits, the attribute-value scan, the Char scan by code units) against the
 * rules they stand for, at their edges: non-ASCII names, characters either side of U+0080,
 * surrogates, and the `normal` and text-span reports the streaming c14n copies from.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { DEFAULT_PARSE_LIMITS } from '../../../src/xml/parse.js';
import { tokenize } from '../../../src/xml/tokenizer.js';
import type { StartTag } from '../../../src/xml/tokenizer.js';

function codeOf(xml: string): string {
  try {
    tokenize(xml, {}, { limits: DEFAULT_PARSE_LIMITS });
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

// The rule the tables stand for (Namespaces in XML: NCName), written out.
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class
const QNAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*(:[${NAME_START}][${NAME_CHAR}]*)?$`, 'u');

/** Characters either side of every boundary the tables and the scans draw. */
const EDGE_CHARS = [
  'a',
  'Z',
  '_',
  '-',
  '.',
  '0',
  ':',
  '\u007F',
  '\u0080',
  '\u00B7',
  '\u00BF',
  '\u00C0',
  '\u00D7',
  '\u00F7',
  '\u0300',
  '\u037E',
  '\u2040',
  '\uFFFD',
  '\u{10000}',
  '\u{EFFFF}',
  '\u{F0000}',
];

describe('tokenizer fast paths: names', () => {
  it('accepts exactly the QNames, for every pair of edge characters', () => {
    for (const x of EDGE_CHARS) {
      for (const y of EDGE_CHARS) {
        for (const name of [`${x}${y}`, `a${x}${y}`, `a:${x}${y}`, `${x}:a${y}`, `a${x}:b${y}`]) {
          const declared = name.includes(':') ? name.slice(0, name.indexOf(':')) : '';
          const xmlns =
            declared && QNAME.test(declared) && !declared.includes(':')
              ? ` xmlns:${declared}="urn:x"`
              : '';
          const expected = QNAME.test(name) ? 'accepted' : 'MalformedMessage';
          expect(codeOf(`<${name}${xmlns}/>`), `<${name}>`).toBe(expected);
          expect(codeOf(`<r${xmlns} ${name}="v"/>`), `attribute ${name}`).toBe(expected);
        }
      }
    }
  });

  it('refuses a name that ends with ":" at the end of the text', () => {
    expect(codeOf('<a:')).toBe('MalformedMessage');
    expect(codeOf('<r xmlns:a="urn:a"><a:')).toBe('MalformedMessage');
  });

  it('splits every name right, however many names share a slot of the name table', () => {
    const names: string[] = [];
    for (let i = 0; i < 3000; i++) names.push(i % 3 === 0 ? `p${i % 7}:n${i}` : `n${i}x`);
    const declarations = Array.from({ length: 7 }, (_, i) => ` xmlns:p${i}="urn:${i}"`).join('');
    const body = names.map((n) => `<${n} ${n.replace(/^p\d:/, 'a')}="1"></${n}>`).join('');
    const seen: StartTag[] = [];
    tokenize(
      `<r${declarations}>${body}${body}</r>`,
      { startElement: (t) => seen.push(t) },
      { limits: { ...DEFAULT_PARSE_LIMITS, maxElements: 10_000 } },
    );
    for (const tag of seen.slice(1)) {
      const colon = tag.qname.indexOf(':');
      expect([tag.prefix, tag.local]).toEqual(
        colon === -1 ? ['', tag.qname] : [tag.qname.slice(0, colon), tag.qname.slice(colon + 1)],
      );
      expect(tag.uri).toBe(colon === -1 ? '' : `urn:${tag.prefix.slice(1)}`);
      const a = tag.attributes[0];
      expect([a?.prefix, a?.local, a?.qname]).toEqual(['', a?.qname, a?.qname]);
    }
  });

  it('matches end tags by name, with or without space, and refuses a longer or shorter one', () => {
    expect(codeOf('<ab></ab >')).toBe('accepted');
    expect(codeOf('<ab></ab\n>')).toBe('accepted');
    expect(codeOf('<ab></abc>')).toBe('MalformedMessage');
    expect(codeOf('<ab></a>')).toBe('MalformedMessage');
    expect(codeOf('<ab></abé>')).toBe('MalformedMessage');
    expect(codeOf('<é></é>')).toBe('accepted');
    expect(codeOf('<ab></ab')).toBe('MalformedMessage');
  });
});

describe('tokenizer fast paths: characters', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['\uD7FF', 'accepted'],
    ['\uE000', 'accepted'],
    ['\uFFFD', 'accepted'],
    ['\uFFFE', 'MalformedMessage'],
    ['\u007F\u0080\u009F', 'accepted'],
    ['\u001F', 'MalformedMessage'],
    ['\uD800\uDC00', 'accepted'],
    ['\uDBFF\uDFFF', 'accepted'],
    ['\uD800', 'MalformedMessage'],
    ['\uDC00', 'MalformedMessage'],
    ['\uDC00\uD800', 'MalformedMessage'],
    ['\uD83D\uDE00\uD83D', 'MalformedMessage'],
    ['\uD83D\uDE00x\uDE00', 'MalformedMessage'],
    ['\uD83D\uDE00\u0001', 'MalformedMessage'],
    ['\uD83D\uDE00\uFFFF', 'MalformedMessage'],
    ['\uD83D\uDE00\uD83D\uDE00é', 'accepted'],
  ];
  for (const [chars, expected] of cases) {
    it(`${JSON.stringify(chars)} in text and in an attribute: ${expected}`, () => {
      expect(codeOf(`<a>${chars}</a>`)).toBe(expected);
      expect(codeOf(`<a b="${chars}"/>`)).toBe(expected);
    });
  }

  it('checks only the span it is given', () => {
    const text = '\u0001<a>x</a>\uD800';
    expect(() =>
      tokenize(text, {}, { limits: DEFAULT_PARSE_LIMITS, mode: 'content', start: 1, end: 9 }),
    ).not.toThrow();
  });
});

describe('tokenizer fast paths: what the streaming c14n copies from', () => {
  function normals(xml: string): boolean[] {
    const out: boolean[] = [];
    tokenize(
      xml,
      { startElement: (_t, _s, normal) => out.push(normal === true) },
      { limits: DEFAULT_PARSE_LIMITS },
    );
    return out;
  }

  it('calls a start tag normal only when its text is `<qname( qname="value")*>`', () => {
    expect(normals('<a><b x="1" y="2"></b></a>')).toEqual([true, true]);
    expect(normals('<a xmlns="urn:a" x="é"></a>')).toEqual([true]);
    for (const tag of [
      '<a  x="1">',
      '<a\tx="1">',
      '<a x="1" >',
      '<a x ="1">',
      '<a x= "1">',
      "<a x='1'>",
      '<a x="&amp;">',
      '<a x="1\t2">',
      '<a x="1\n2">',
      '<a x="&#xD;">',
    ]) {
      expect(normals(`${tag}</a>`), tag).toEqual([false]);
    }
    expect(normals('<a/>')).toEqual([false]);
  });

  it('reports the span each text was read from', () => {
    const spans: [string, string][] = [];
    const xml = '<a>x&amp;y<![CDATA[<c>]]>z</a>';
    tokenize(
      xml,
      {
        text: (value, start, end) => spans.push([value, xml.slice(start ?? 0, end ?? 0)]),
      },
      { limits: DEFAULT_PARSE_LIMITS },
    );
    expect(spans).toEqual([
      ['x&y', 'x&amp;y'],
      ['<c>', '<c>'],
      ['z', 'z'],
    ]);
  });
});
