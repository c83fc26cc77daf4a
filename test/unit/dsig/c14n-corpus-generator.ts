/**
 * A seeded generator of XML documents for the exclusive c14n differential corpus: namespace
 * declarations and inheritance, default namespace undeclaration, redundant declarations,
 * prefixes used only in attributes, attribute ordering (namespaced attributes too), xml:*
 * attributes, character and entity references in text and attributes, CDATA, comments,
 * processing instructions, whitespace in and outside the document element, multi-byte UTF-8
 * (astral characters too), empty elements, and an apex for subtree canonicalization deep in
 * the document (`wsu:Id="apex"`, its prefix declared on the document element only).
 *
 * Every document is well-formed and namespace-well-formed by construction. Each carries the
 * features it uses, so a test can exclude an oracle from a case it is known to get wrong.
 */

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WSU_NS =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const APEX_ID = 'apex';

/** Things a document may use that some oracle is known to mishandle. */
export const CORPUS_FEATURES = [
  'piInElement', // a processing instruction inside the document element
  'uriNeedsEscape', // a namespace URI holding & (rendered as &amp;)
  'defaultInPrefixList', // '#default' in the InclusiveNamespaces PrefixList
  'commentMarkupChars', // a comment holding & < or > (rendered verbatim)
  'nonAsciiPrefix', // a namespace prefix outside ASCII (sorting by code point matters)
  'prolog', // comments or PIs outside the document element
] as const;
export type CorpusFeature = (typeof CORPUS_FEATURES)[number];

export interface CorpusDocument {
  readonly xml: string;
  /** An InclusiveNamespaces PrefixList to canonicalize with (may be empty). */
  readonly inclusivePrefixes: string[];
  /** Whether an element deep in the document carries wsu:Id="apex". */
  readonly hasApex: boolean;
  readonly features: ReadonlySet<CorpusFeature>;
}

const URIS = [
  'urn:a',
  'urn:b',
  'http://example.com/ns/c',
  'http://www.w3.org/2000/09/xmldsig#',
  'urn:e:%C3%A9',
  'http://example.com/%E4%B8%AD/x',
];
/** A URI with '&' (escaped in the source), used sparingly: one oracle misrenders it. */
const AMP_URI = 'urn:example:d?q=1&amp;r=2';
const PREFIXES = ['a', 'b', 'ds', 'p1', 'x-y', 'n.m', 'é'];
const LOCAL_NAMES = ['e', 'f', 'Item', 'x-y', 'n.1', 'ä', '名前', '_u'];
const ATTR_NAMES = ['a', 'b', 'Id', 'z', 'c1', 'é'];
const TEXT_PIECES = [
  'plain',
  ' ',
  '  two  spaces ',
  '&amp;',
  '&lt;',
  '&gt;',
  '>',
  '&quot;',
  '"',
  "'",
  '&apos;',
  '&#xD;',
  '&#13;',
  '&#xA;',
  '&#x9;',
  '\t',
  '\n',
  '\r\n',
  '\r',
  'é',
  '中文',
  '😀',
  '&#x1F600;',
  '&#65;',
  '&#x10000;',
  ']]&gt;',
  '#',
];
const ATTR_PIECES = [
  'v',
  ' ',
  '&amp;',
  '&lt;',
  '>',
  '&gt;',
  '&quot;',
  "'",
  '&#xD;',
  '&#xA;',
  '&#x9;',
  '&#13;',
  '&#10;',
  '&#9;',
  '\t',
  '\n',
  '\r\n',
  'é',
  '😀',
  '&#x1F600;',
  '中',
];
const CDATA_PIECES = ['<', '&', '>', ']', ']]', 'x', '\r\n', '\n', 'é', '😀', '&amp;', ' '];
const COMMENT_PIECES = [' ', 'c', '-', '<', '&', '>', 'é', '😀', '\n', '\r\n'];

class Builder {
  readonly features = new Set<CorpusFeature>();
  private elements: { depth: number; open: number }[] = [];
  private out: string[] = [];

  constructor(private readonly rnd: () => number) {}

  pick<T>(list: readonly T[]): T {
    const v = list[Math.floor(this.rnd() * list.length)];
    if (v === undefined) throw new Error('empty list');
    return v;
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }

  pieces(list: readonly string[], max: number): string {
    const n = 1 + Math.floor(this.rnd() * max);
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(list);
    return s;
  }

  uri(): string {
    const u = this.chance(0.01) ? AMP_URI : this.pick(URIS);
    if (u.includes('&')) this.features.add('uriNeedsEscape');
    return u;
  }

  attrValue(): { raw: string } {
    let v = this.pieces(ATTR_PIECES, 5);
    if (this.chance(0.2)) {
      // Single-quoted: a literal " is allowed, a ' must be escaped.
      v = `${v}"`.replace(/'/g, '&apos;');
      return { raw: `'${v}'` };
    }
    return { raw: `"${v}"` };
  }

  comment(): string {
    let c = this.pieces(COMMENT_PIECES, 6).replace(/-+/g, '-');
    if (c.endsWith('-')) c += ' ';
    if (/[&<>]/.test(c)) this.features.add('commentMarkupChars');
    return `<!--${c}-->`;
  }

  pi(): string {
    const target = this.pick(['pi', 'x-y', 'app', 'é']);
    const data = this.chance(0.3)
      ? ''
      : ` ${this.pieces(['d', ' ', '=', '"q"', 'é', '>', '?'], 5)}`;
    return `<?${target}${data.replace(/\?>/g, '? >')}?>`;
  }

  cdata(): string {
    let c = this.pieces(CDATA_PIECES, 6);
    while (c.includes(']]>')) c = c.replace(']]>', ']] >');
    return `<![CDATA[${c}]]>`;
  }

  text(): string {
    return this.pieces(TEXT_PIECES, 5);
  }

  /** An element and its subtree; `scope` maps prefixes ('' default) to URIs in scope. */
  element(depth: number, scope: ReadonlyMap<string, string>, maxDepth: number): void {
    const local = new Map(scope);
    const decls: string[] = [];
    const declared = new Set<string>();
    const declare = (prefix: string, uri: string): void => {
      if (declared.has(prefix)) return;
      declared.add(prefix);
      if (/[^\x20-\x7e]/.test(prefix)) this.features.add('nonAsciiPrefix');
      decls.push(prefix === '' ? `xmlns="${uri}"` : `xmlns:${prefix}="${uri}"`);
      local.set(prefix, uri);
    };
    // Declarations: new, redundant (same URI again) or rebinding; the default namespace set
    // or undeclared.
    const n = Math.floor(this.rnd() * 3);
    for (let i = 0; i < n; i++) {
      const prefix = this.pick(PREFIXES);
      const again = scope.get(prefix);
      declare(prefix, again !== undefined && this.chance(0.4) ? again : this.uri());
    }
    if (this.chance(0.25)) declare('', this.chance(0.4) ? '' : this.uri());

    // The element's own name: unprefixed (default namespace) or a prefix in scope or new.
    let qname = this.pick(LOCAL_NAMES);
    if (this.chance(0.6)) {
      const prefix = this.pick(PREFIXES);
      if (!local.has(prefix)) declare(prefix, this.uri());
      qname = `${prefix}:${qname}`;
    }

    // Attributes: prefixes resolved once every declaration on the element is known; unique
    // by qualified name and by expanded name.
    const wanted: [string, string][] = [];
    const na = Math.floor(this.rnd() * 5);
    for (let i = 0; i < na; i++) {
      const r = this.rnd();
      if (r < 0.45) wanted.push(['', this.pick(ATTR_NAMES)]);
      else if (r < 0.6) wanted.push(['xml', this.pick(['lang', 'space', 'base'])]);
      else {
        // A prefixed attribute: often with a prefix declared here only for it.
        const prefix = this.pick(PREFIXES);
        if (!local.has(prefix) || this.chance(0.3)) declare(prefix, this.uri());
        wanted.push([prefix, this.pick(ATTR_NAMES)]);
      }
    }
    const attrs: string[] = [];
    const seen = new Set<string>();
    for (const [prefix, name] of wanted) {
      const uri = prefix === '' ? '' : prefix === 'xml' ? 'xml' : local.get(prefix);
      if (uri === undefined || (prefix !== '' && uri === '')) continue;
      const qname = prefix === '' ? name : `${prefix}:${name}`;
      if (seen.has(`${uri}|${name}`) || seen.has(qname)) continue;
      seen.add(`${uri}|${name}`);
      seen.add(qname);
      attrs.push(`${qname}=${this.attrValue().raw}`);
    }
    const index = this.out.length;
    this.elements.push({ depth, open: index });
    const head = [qname, ...decls, ...attrs];
    // Attribute order in the source is irrelevant to c14n: shuffle it.
    for (let i = head.length - 1; i > 1; i--) {
      const j = 1 + Math.floor(this.rnd() * i);
      [head[i], head[j]] = [head[j] ?? '', head[i] ?? ''];
    }
    const ws = (): string => this.pick([' ', ' ', '\n  ', '\t', '\r\n ']);
    const open = `<${head.join(' ')}${this.chance(0.2) ? ws() : ''}`;
    const children = depth < maxDepth ? Math.floor(this.rnd() * 5) : 0;
    if (children === 0 && this.chance(0.5)) {
      this.out.push(`${open}/>`);
      return;
    }
    this.out.push(`${open}>`);
    for (let i = 0; i < children; i++) {
      const r = this.rnd();
      if (r < 0.4) this.element(depth + 1, local, maxDepth);
      else if (r < 0.65) this.out.push(this.text());
      else if (r < 0.75) this.out.push(this.cdata());
      else if (r < 0.85) this.out.push(this.comment());
      else if (r < 0.92) {
        this.features.add('piInElement');
        this.out.push(this.pi());
      } else this.out.push(this.pick([' ', '\n', '\r\n\t', '  ']));
    }
    this.out.push(`</${qname}>`);
  }

  /** The whole document, with an apex chosen among elements at depth >= 2. */
  document(maxDepth: number, withApex: boolean): { xml: string; hasApex: boolean } {
    const prolog: string[] = [];
    if (this.chance(0.3)) prolog.push('<?xml version="1.0" encoding="UTF-8"?>');
    const misc = (): string => {
      const r = this.rnd();
      if (r < 0.4) return this.pick(['\n', ' ', '\r\n', '\n\n']);
      this.features.add('prolog');
      return r < 0.7 ? this.comment() : this.pi();
    };
    const nBefore = Math.floor(this.rnd() * 3);
    for (let i = 0; i < nBefore; i++) prolog.push(misc());
    // wsu is declared on the document element only: the apex inherits it.
    this.element(1, new Map(), maxDepth);
    let hasApex = false;
    const deep = this.elements.filter((e) => e.depth >= 2);
    if (withApex && deep.length > 0) {
      const apex = this.pick(deep);
      const tag = this.out[apex.open] ?? '';
      const at = tag.search(/[\s/>]/);
      this.out[apex.open] = `${tag.slice(0, at)} wsu:Id="${APEX_ID}"${tag.slice(at)}`;
      hasApex = true;
    }
    const rootTag = this.out[0] ?? '';
    const at = rootTag.search(/[\s/>]/);
    this.out[0] = `${rootTag.slice(0, at)} xmlns:wsu="${WSU_NS}"${rootTag.slice(at)}`;
    const after: string[] = [];
    const nAfter = Math.floor(this.rnd() * 3);
    for (let i = 0; i < nAfter; i++) after.push(misc());
    return { xml: prolog.join('') + this.out.join('') + after.join(''), hasApex };
  }
}

/** `count` documents from `seed`. */
export function generateCorpus(seed: number, count: number): CorpusDocument[] {
  const rnd = seededRandom(seed);
  const docs: CorpusDocument[] = [];
  for (let i = 0; i < count; i++) {
    const b = new Builder(rnd);
    const { xml, hasApex } = b.document(2 + Math.floor(rnd() * 5), rnd() < 0.7);
    const inclusivePrefixes: string[] = [];
    if (rnd() < 0.4) {
      for (const p of [...PREFIXES, 'zz', '#default']) if (rnd() < 0.3) inclusivePrefixes.push(p);
    }
    if (inclusivePrefixes.includes('#default')) b.features.add('defaultInPrefixList');
    docs.push({ xml, inclusivePrefixes, hasApex, features: b.features });
  }
  return docs;
}
