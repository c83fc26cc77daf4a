/**
 * A purpose-built, hardened XML tokenizer over a string: one pass, cost linear in the input
 * for every shape, limits enforced as it goes, and full well-formedness as SOAP needs it —
 * XML 1.0 characters, names, unique attributes (also by expanded name), namespace
 * well-formedness, the five predefined entities and character references that are Chars, no
 * DTD, no processing instruction but the XML declaration.
 *
 * It reports elements, text and comments to a handler; it builds nothing itself. Namespace
 * scopes are a stack of changes (never a map copied per element).
 */
import { reject } from '../errors.js';
import { NS } from './ns.js';
import type { ParseLimits } from './parse.js';

/** An attribute (not a namespace declaration) of a start tag. */
export interface TokenAttribute {
  readonly qname: string;
  /** '' when unprefixed. */
  readonly prefix: string;
  readonly local: string;
  /** '' for no namespace. */
  readonly uri: string;
  /** The value, references replaced and whitespace normalized (XML 1.0 section 3.3.3). */
  readonly value: string;
}

/** A namespace declaration; prefix '' is the default namespace (uri '' undeclares it). */
export interface NamespaceDeclaration {
  readonly prefix: string;
  readonly uri: string;
}

export interface StartTag {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  readonly uri: string;
  readonly attributes: readonly TokenAttribute[];
  readonly namespaces: readonly NamespaceDeclaration[];
  /** Offset of its '<'. */
  readonly start: number;
  /** Offset just after the start tag's '>'. */
  readonly contentStart: number;
  readonly selfClosing: boolean;
  /** Nesting depth; the document element is 1 (plus the base depth of a fragment). */
  readonly depth: number;
}

/** What the tokenizer reports. Every method is optional. */
export interface TokenHandler {
  /**
   * `normal` is true when the start tag is written `<qname` then ` qname="value"` for each
   * attribute and declaration, in the order given, then `>`: one space before each, none
   * around '=', double quotes, values holding no reference, tab, newline or CR, and not
   * self-closing. Its text, `tag.start` to `tag.contentStart`, is then its canonical form but
   * for the order of attributes and the namespaces (see c14n-stream's verbatim runs).
   */
  startElement?(tag: StartTag, scope: NamespaceScope, normal?: boolean): void;
  /** `end` is the offset of '</' (or of '/>'); `after` the offset after the end tag. */
  endElement?(tag: StartTag, end: number, after: number): void;
  /**
   * Character data (CDATA sections included, unless `cdata` is given), references replaced.
   * `start` and `end` are the span of the text it was read from (for a CDATA section, the
   * section's content).
   */
  text?(value: string, start?: number, end?: number): void;
  /** A CDATA section's content, when the handler tells them apart from text. */
  cdata?(value: string): void;
  comment?(value: string): void;
}

export interface TokenizeOptions {
  readonly limits: ParseLimits;
  /**
   * `document`: a prolog (XML declaration, comments), one element, comments. `content`: the
   * content of an element (elements, text, comments), e.g. decrypted content or a span.
   */
  readonly mode?: 'document' | 'content';
  /** Namespaces in scope around a `content` span: prefix ('' default) → URI. */
  readonly context?: Iterable<readonly [string, string]>;
  /** Depth of the element a `content` span sits in (the document element being 1). */
  readonly baseDepth?: number;
  /** The span of the text to read. Default: all of it. */
  readonly start?: number;
  readonly end?: number;
}

/** What a pass saw. */
export interface TokenizeResult {
  readonly elements: number;
  readonly hasComments: boolean;
}

/**
 * The namespaces in scope as the tokenizer goes: one map of current bindings and an undo log
 * of the changes each element made, restored at its end.
 */
export class NamespaceScope {
  readonly #bindings = new Map<string, string>([['xml', NS.xml]]);
  /** The undo log as two parallel stacks: the prefix changed, and what it was bound to. */
  readonly #undoPrefixes: string[] = [];
  readonly #undoUris: (string | undefined)[] = [];

  /** The URI bound to `prefix` ('' for the default namespace), or undefined. */
  lookup(prefix: string): string | undefined {
    return this.#bindings.get(prefix);
  }

  /** Every binding in scope, the default namespace as ''. */
  entries(): IterableIterator<[string, string]> {
    return this.#bindings.entries();
  }

  bind(prefix: string, uri: string): void {
    this.#undoPrefixes.push(prefix);
    this.#undoUris.push(this.#bindings.get(prefix));
    this.#bindings.set(prefix, uri);
  }

  mark(): number {
    return this.#undoPrefixes.length;
  }

  restore(mark: number): void {
    const prefixes = this.#undoPrefixes;
    const uris = this.#undoUris;
    while (prefixes.length > mark) {
      const prefix = prefixes.pop() ?? '';
      const uri = uris.pop();
      if (uri === undefined) this.#bindings.delete(prefix);
      else this.#bindings.set(prefix, uri);
    }
  }
}

// XML 1.0 (fifth edition) section 2.2 Char, and Namespaces' NCName.
const NOT_CHAR = /[^\t\n\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** Not a Char, or a surrogate (code units: a pair is then judged by NOT_CHAR). */
const BMP_SUSPECT = /[^\t\n\x20-\uD7FF\uE000-\uFFFD]/g;
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// The ranges include combining marks (NameChar allows them); they are ranges, not characters.
// eslint-disable-next-line no-misleading-character-class
const NCNAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const XML_DECL =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1([ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(yes|no)\5)?[ \t\n]*\?>/y;
const DEFAULT_MAX_DECLARATIONS = 200_000;
const ONLY_SPACE = /^[ \t\n]*$/;
const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  apos: "'",
  quot: '"',
};

/**
 * The ASCII part of NAME_START and NAME_CHAR as tables (1: may start a name, 2: may only
 * continue one). A name that meets a character above U+007F is matched by NCNAME instead.
 */
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Z_a-z]/.test(ch)) ASCII_NAME[c] = 1;
  else if (/[-.0-9]/.test(ch)) ASCII_NAME[c] = 2;
}

/**
 * What an attribute value's characters ask for, below '=' (0x3D): 1 for '&', tab, newline
 * and CR (references, normalization, escaping), 2 for '<' (refused).
 */
const VALUE_SPECIAL = new Uint8Array(0x3d);
VALUE_SPECIAL[0x26] = 1;
VALUE_SPECIAL[0x09] = 1;
VALUE_SPECIAL[0x0a] = 1;
VALUE_SPECIAL[0x0d] = 1;
VALUE_SPECIAL[0x3c] = 2;

/** Size of the table of names already read (direct-mapped by a hash of the name). */
const NAME_SLOTS = 512;

/** A qualified name, split once and shared by every tag and attribute that spells it. */
interface QName {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
}

const NONE: readonly never[] = Object.freeze([]);

/** An attribute as read; its namespace is filled in once the tag's declarations are bound. */
interface RawAttribute {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  uri: string;
  readonly value: string;
}

/**
 * Read `text` (already decoded, line endings normalized) and report it to `handler`.
 * @throws WsseqError `MalformedMessage` (not well-formed, a DTD, a processing instruction),
 *   `LimitExceeded` (depth, elements, attributes, namespace declarations).
 */
export function tokenize(
  text: string,
  handler: TokenHandler,
  options: TokenizeOptions,
): TokenizeResult {
  return new Tokenizer(text, handler, options).run();
}

/** The line and column (1-based) of an offset, for error messages. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

class Tokenizer {
  readonly #s: string;
  readonly #h: TokenHandler;
  readonly #limits: ParseLimits;
  readonly #document: boolean;
  readonly #baseDepth: number;
  readonly #start: number;
  readonly #end: number;
  readonly #scope = new NamespaceScope();
  /** Open elements and the scope mark each restores at its end (parallel stacks). */
  readonly #tags: StartTag[] = [];
  readonly #marks: number[] = [];
  readonly #names: (QName | undefined)[] = new Array<QName | undefined>(NAME_SLOTS);
  #lastDeclaration: readonly NamespaceDeclaration[] | undefined;
  /** Namespace names declared lately, most recent first. */
  readonly #uris: string[] = [];
  #elements = 0;
  #namespaceDeclarations = 0;
  #hasComments = false;
  #rootSeen = false;
  /** Where the last name read by `#qname` ends. */
  #nameEnd = 0;

  constructor(text: string, handler: TokenHandler, options: TokenizeOptions) {
    this.#s = text;
    this.#h = handler;
    this.#limits = options.limits;
    this.#document = (options.mode ?? 'document') === 'document';
    this.#baseDepth = options.baseDepth ?? 0;
    this.#start = options.start ?? 0;
    this.#end = options.end ?? text.length;
    for (const [prefix, uri] of options.context ?? []) {
      if (prefix !== 'xml') this.#scope.bind(prefix, uri);
    }
  }

  run(): TokenizeResult {
    const s = this.#s;
    const end = this.#end;
    this.#checkChars();
    let pos = this.#start;
    if (this.#document && s.startsWith('<?xml', pos)) pos = this.#xmlDeclaration(pos);
    while (pos < end) {
      let lt = s.indexOf('<', pos);
      if (lt === -1 || lt > end) lt = end;
      if (lt > pos) this.#text(pos, lt);
      if (lt >= end) break;
      const c = s.charCodeAt(lt + 1);
      if (c === 0x2f /* / */) pos = this.#endTag(lt);
      else if (c === 0x21 /* ! */) pos = this.#markup(lt);
      else if (c === 0x3f /* ? */) this.#fail(lt, 'processing instructions are not allowed');
      else pos = this.#startTag(lt);
    }
    const open = this.#tags.length;
    if (open > 0) {
      this.#fail(end, `element ${this.#tags[open - 1]?.qname ?? ''} is not closed`);
    }
    if (this.#document && !this.#rootSeen) this.#fail(end, 'the document has no element');
    return { elements: this.#elements, hasComments: this.#hasComments };
  }

  #fail(offset: number, detail: string): never {
    const { line, column } = positionOf(this.#s, offset);
    throw reject('MalformedMessage', `${detail} (line ${line}, column ${column})`);
  }

  /**
   * The Char production over the span: one native scan for what is not a Char in the BMP or
   * is a surrogate (about 1.6x faster than the same class with the `u` flag); a well-formed
   * surrogate pair goes on with the exact `u` expression from there.
   */
  #checkChars(): void {
    const s = this.#s;
    BMP_SUSPECT.lastIndex = this.#start;
    let bad = BMP_SUSPECT.exec(s);
    if (bad && bad.index < this.#end) {
      const c = s.charCodeAt(bad.index);
      const next = s.charCodeAt(bad.index + 1);
      if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        NOT_CHAR.lastIndex = bad.index;
        bad = NOT_CHAR.exec(s);
      }
    }
    if (bad && bad.index < this.#end) {
      const code = bad[0].codePointAt(0) ?? 0;
      this.#fail(
        bad.index,
        `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
      );
    }
  }

  #xmlDeclaration(pos: number): number {
    if (pos !== 0) this.#fail(pos, 'the XML declaration must come first');
    XML_DECL.lastIndex = pos;
    if (!XML_DECL.test(this.#s)) this.#fail(pos, 'malformed XML declaration');
    return XML_DECL.lastIndex;
  }

  #text(from: number, to: number): void {
    const raw = this.#s.slice(from, to);
    if (this.#tags.length === 0 && this.#document) {
      if (!ONLY_SPACE.test(raw)) this.#fail(from, 'text outside the document element');
      return;
    }
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd !== -1) this.#fail(from + cdataEnd, '"]]>" is not allowed in text');
    const value = raw.includes('&') ? this.#references(raw, from) : raw;
    this.#h.text?.(value, from, to);
  }

  /** Replace the references in `raw` (text or an attribute value found at `offset`). */
  #references(raw: string, offset: number): string {
    let out = '';
    let last = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', last)) {
      const semi = raw.indexOf(';', amp + 1);
      if (semi === -1 || semi - amp > 12)
        this.#fail(offset + amp, 'a "&" that starts no reference');
      const name = raw.slice(amp + 1, semi);
      let replacement: string | undefined;
      if (name.startsWith('#')) {
        const hex = name.startsWith('#x');
        const digits = name.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) {
          this.#fail(offset + amp, `malformed character reference &${name};`);
        }
        const code = Number.parseInt(digits, hex ? 16 : 10);
        if (!isChar(code)) this.#fail(offset + amp, `character reference &${name}; is not a Char`);
        replacement = String.fromCodePoint(code);
      } else {
        replacement = PREDEFINED[name];
        if (replacement === undefined) this.#fail(offset + amp, `undeclared entity &${name};`);
      }
      out += raw.slice(last, amp) + replacement;
      last = semi + 1;
    }
    return out + raw.slice(last);
  }

  #markup(lt: number): number {
    const s = this.#s;
    if (s.startsWith('<!--', lt)) {
      const close = s.indexOf('-->', lt + 4);
      if (close === -1 || close + 3 > this.#end) this.#fail(lt, 'unterminated comment');
      const value = s.slice(lt + 4, close);
      if (value.includes('--') || value.endsWith('-')) this.#fail(lt, '"--" inside a comment');
      this.#hasComments = true;
      this.#h.comment?.(value);
      return close + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      if (this.#tags.length === 0 && this.#document)
        this.#fail(lt, 'CDATA outside the document element');
      const close = s.indexOf(']]>', lt + 9);
      if (close === -1 || close + 3 > this.#end) this.#fail(lt, 'unterminated CDATA section');
      const value = s.slice(lt + 9, close);
      if (this.#h.cdata) this.#h.cdata(value);
      else this.#h.text?.(value, lt + 9, close);
      return close + 3;
    }
    if (s.startsWith('<!DOCTYPE', lt)) this.#fail(lt, 'a DOCTYPE is not allowed');
    return this.#fail(lt, 'markup declarations are not allowed');
  }

  /**
   * Match a QName at `pos` and return it, split; its end is left in `#nameEnd`. An ASCII
   * name is matched with a table and shared through `#names` (no string per name read
   * again); a name with any other character goes to the exact NCName expression.
   */
  #qname(pos: number): QName {
    const s = this.#s;
    let c = s.charCodeAt(pos);
    if (c >= 128 || ASCII_NAME[c] !== 1) return this.#unicodeQname(pos);
    let colon = -1;
    let hash = c;
    let i = pos + 1;
    for (; ; i++) {
      c = s.charCodeAt(i);
      if (c < 128) {
        const kind = ASCII_NAME[c];
        if (kind === 0) {
          if (c !== 0x3a /* : */) break;
          if (colon !== -1) this.#fail(i, 'a name with more than one ":"');
          colon = i;
          const next = s.charCodeAt(i + 1);
          // A character above U+007F is for NCNAME to judge; the end of the text is not a name.
          if (!(next >= 128) && ASCII_NAME[next] !== 1) {
            this.#fail(i, 'a name with a misplaced ":"');
          }
        }
        hash = (Math.imul(hash, 31) + c) | 0;
      } else if (c >= 128) {
        return this.#unicodeQname(pos);
      } else break; // the end of the text
    }
    this.#nameEnd = i;
    const length = i - pos;
    const slot = hash & (NAME_SLOTS - 1);
    const known = this.#names[slot];
    if (known?.qname.length === length && s.startsWith(known.qname, pos)) return known;
    const qname = s.slice(pos, i);
    const name: QName =
      colon === -1
        ? { qname, prefix: '', local: qname }
        : { qname, prefix: qname.slice(0, colon - pos), local: qname.slice(colon - pos + 1) };
    this.#names[slot] = name;
    return name;
  }

  /** `#qname` for a name with a character above U+007F: the exact NCName expression. */
  #unicodeQname(pos: number): QName {
    const s = this.#s;
    NCNAME.lastIndex = pos;
    if (!NCNAME.test(s)) this.#fail(pos, 'a name was expected');
    const end = NCNAME.lastIndex;
    if (s.charCodeAt(end) !== 0x3a /* : */) {
      this.#nameEnd = end;
      const qname = s.slice(pos, end);
      return { qname, prefix: '', local: qname };
    }
    NCNAME.lastIndex = end + 1;
    if (!NCNAME.test(s)) this.#fail(end, 'a name with a misplaced ":"');
    const localEnd = NCNAME.lastIndex;
    if (s.charCodeAt(localEnd) === 0x3a) this.#fail(localEnd, 'a name with more than one ":"');
    this.#nameEnd = localEnd;
    return {
      qname: s.slice(pos, localEnd),
      prefix: s.slice(pos, end),
      local: s.slice(end + 1, localEnd),
    };
  }

  #skipSpace(pos: number): number {
    const s = this.#s;
    for (;;) {
      const c = s.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x09) return pos;
      pos++;
    }
  }

  #startTag(lt: number): number {
    const s = this.#s;
    const limits = this.#limits;
    if (this.#document && this.#tags.length === 0 && this.#rootSeen) {
      this.#fail(lt, 'more than one document element');
    }
    const name = this.#qname(lt + 1);
    const depth = this.#baseDepth + this.#tags.length + 1;
    if (++this.#elements > limits.maxElements) {
      throw reject('LimitExceeded', `more than ${limits.maxElements} elements`);
    }
    if (depth > limits.maxDepth) {
      throw reject('LimitExceeded', `elements nested deeper than ${limits.maxDepth}`);
    }
    let raw: RawAttribute[] | undefined;
    let declarations: NamespaceDeclaration[] | undefined;
    let count = 0;
    let seen: Set<string> | undefined;
    let pos = this.#nameEnd;
    let selfClosing = false;
    let normal = true;
    for (;;) {
      const afterSpace = this.#skipSpace(pos);
      const c = s.charCodeAt(afterSpace);
      if (c === 0x3e /* > */) {
        if (afterSpace !== pos) normal = false;
        pos = afterSpace + 1;
        break;
      }
      if (c === 0x2f /* / */ && s.charCodeAt(afterSpace + 1) === 0x3e) {
        selfClosing = true;
        pos = afterSpace + 2;
        break;
      }
      if (afterSpace === pos) this.#fail(pos, 'a space or the end of the tag was expected');
      if (afterSpace !== pos + 1 || s.charCodeAt(pos) !== 0x20) normal = false;
      const attribute = this.#qname(afterSpace);
      const { qname, prefix, local } = attribute;
      let p = this.#nameEnd;
      if (s.charCodeAt(p) !== 0x3d /* = */) {
        normal = false;
        p = this.#skipSpace(p);
        if (s.charCodeAt(p) !== 0x3d) this.#fail(p, `"=" expected after ${qname}`);
      }
      if (s.charCodeAt(p + 1) === 0x22 /* " */) p++;
      else {
        normal = false;
        p = this.#skipSpace(p + 1);
      }
      const quote = s.charCodeAt(p);
      if (quote !== 0x22 && quote !== 0x27) this.#fail(p, `a quoted value expected for ${qname}`);
      // The value: its end, and whether it needs more than a slice.
      let close = p + 1;
      let special = 0;
      for (const end = this.#end; ; close++) {
        if (close >= end) this.#fail(p, `unterminated value of ${qname}`);
        const v = s.charCodeAt(close);
        if (v === quote) break;
        if (v < 0x3d) special |= VALUE_SPECIAL[v] ?? 0;
      }
      if (special > 1) this.#fail(p, `"<" in the value of ${qname}`);
      if (special !== 0 || quote !== 0x22) normal = false;
      const value =
        special !== 0
          ? this.#attributeValue(s.slice(p + 1, close), p + 1)
          : prefix === 'xmlns' || qname === 'xmlns'
            ? this.#namespaceName(p + 1, close)
            : s.slice(p + 1, close);
      pos = close + 1;
      if (count >= limits.maxAttributesPerElement) {
        throw reject(
          'LimitExceeded',
          `more than ${limits.maxAttributesPerElement} attributes on ${name.qname}`,
        );
      }
      // Unique by qualified name (a Set only past a few, to keep small tags cheap).
      if (count >= 8) {
        if (!seen) {
          seen = new Set((raw ?? []).map((a) => a.qname));
          for (const d of declarations ?? NONE) seen.add(declarationName(d));
        }
        if (seen.has(qname)) this.#fail(afterSpace, `attribute ${qname} is repeated`);
        seen.add(qname);
      } else if (count > 0) {
        for (const a of raw ?? NONE)
          if (a.qname === qname) this.#fail(afterSpace, `attribute ${qname} is repeated`);
        for (const d of declarations ?? NONE) {
          if (declarationName(d) === qname) {
            this.#fail(afterSpace, `attribute ${qname} is repeated`);
          }
        }
      }
      count++;
      if (qname === 'xmlns' || prefix === 'xmlns') {
        const declared = qname === 'xmlns' ? '' : local;
        this.#checkDeclaration(declared, value, afterSpace);
        (declarations ??= []).push({ prefix: declared, uri: value });
      } else {
        (raw ??= []).push({ qname, prefix, local, uri: '', value });
      }
    }
    if (pos > this.#end) this.#fail(lt, 'unterminated start tag');
    const mark = this.#scope.mark();
    if (declarations) {
      this.#namespaceDeclarations += declarations.length;
      const maxDeclarations = limits.maxNamespaceDeclarations ?? DEFAULT_MAX_DECLARATIONS;
      if (this.#namespaceDeclarations > maxDeclarations) {
        throw reject('LimitExceeded', `more than ${maxDeclarations} namespace declarations`);
      }
      for (const d of declarations) this.#scope.bind(d.prefix, d.uri);
    }
    if (raw) this.#resolveAttributes(raw, lt);
    const tagPrefix = name.prefix;
    if (tagPrefix === 'xmlns') this.#fail(lt, 'an element may not have the prefix xmlns');
    const uri = this.#scope.lookup(tagPrefix);
    if (tagPrefix !== '' && uri === undefined) {
      this.#fail(lt, `undeclared namespace prefix "${tagPrefix}"`);
    }
    const tag: StartTag = {
      qname: name.qname,
      prefix: tagPrefix,
      local: name.local,
      uri: uri ?? '',
      attributes: raw ?? NONE,
      namespaces: declarations ? this.#shared(declarations) : NONE,
      start: lt,
      contentStart: pos,
      selfClosing,
      depth,
    };
    this.#rootSeen = true;
    this.#h.startElement?.(tag, this.#scope, normal && !selfClosing);
    if (selfClosing) {
      this.#scope.restore(mark);
      this.#h.endElement?.(tag, pos - 2, pos);
    } else {
      this.#tags.push(tag);
      this.#marks.push(mark);
    }
    return pos;
  }

  /**
   * One declaration like the last lone one (a namespace declared on every element, as
   * generated XML does): the same frozen list, not a new one per element.
   */
  #shared(declarations: NamespaceDeclaration[]): readonly NamespaceDeclaration[] {
    const [d] = declarations;
    if (declarations.length !== 1 || d === undefined) return declarations;
    const last = this.#lastDeclaration;
    const known = last?.[0];
    if (last && known?.prefix === d.prefix && known.uri === d.uri) return last;
    const shared = Object.freeze([Object.freeze(d)]);
    this.#lastDeclaration = shared;
    return shared;
  }

  /** The namespace name at `from`..`to`, shared with the last ones declared (no new string). */
  #namespaceName(from: number, to: number): string {
    const s = this.#s;
    const uris = this.#uris;
    for (const uri of uris) {
      if (uri.length === to - from && s.startsWith(uri, from)) return uri;
    }
    const uri = s.slice(from, to);
    if (uris.length >= 8) uris.pop();
    uris.unshift(uri);
    return uri;
  }

  /** Attribute value normalization: literal tab and newline become spaces, references not. */
  #attributeValue(raw: string, offset: number): string {
    const spaced = normalizeSpace(raw);
    return spaced.includes('&') ? this.#references(spaced, offset) : spaced;
  }

  #checkDeclaration(prefix: string, uri: string, offset: number): void {
    if (prefix === 'xmlns') this.#fail(offset, 'the prefix xmlns may not be declared');
    if (uri === NS.xmlns) this.#fail(offset, 'the xmlns namespace may not be bound');
    if (prefix === 'xml' ? uri !== NS.xml : uri === NS.xml) {
      this.#fail(offset, 'the xml prefix and namespace belong only to each other');
    }
    if (prefix !== '' && uri === '')
      this.#fail(offset, `xmlns:${prefix}="" is not allowed in XML 1.0`);
  }

  #resolveAttributes(raw: RawAttribute[], lt: number): void {
    let qualified = 0;
    for (const a of raw) {
      if (a.prefix === '') continue;
      const bound = this.#scope.lookup(a.prefix);
      if (bound === undefined) this.#fail(lt, `undeclared namespace prefix "${a.prefix}"`);
      a.uri = bound;
      qualified++;
    }
    if (qualified > 1) {
      const expanded = new Set<string>();
      for (const a of raw) {
        if (a.prefix === '') continue;
        const key = `${a.uri} ${a.local}`;
        if (expanded.has(key)) this.#fail(lt, `attribute {${a.uri}}${a.local} is repeated`);
        expanded.add(key);
      }
    }
  }

  #endTag(lt: number): number {
    const tag = this.#tags.pop();
    const mark = this.#marks.pop();
    if (!tag || mark === undefined) this.#fail(lt, 'an end tag without a start tag');
    const s = this.#s;
    const tagQname = tag.qname;
    // The name is the start tag's (a QName already) when it is followed by '>' or a space.
    let nameEnd = lt + 2 + tagQname.length;
    const after = s.charCodeAt(nameEnd);
    if (
      !s.startsWith(tagQname, lt + 2) ||
      (after !== 0x3e && after !== 0x20 && after !== 0x0a && after !== 0x09)
    ) {
      this.#qname(lt + 2);
      nameEnd = this.#nameEnd;
      this.#fail(lt, `end tag ${s.slice(lt + 2, nameEnd)} does not match ${tagQname}`);
    }
    const close = after === 0x3e ? nameEnd : this.#skipSpace(nameEnd);
    if (s.charCodeAt(close) !== 0x3e || close >= this.#end) {
      this.#fail(close, 'the end tag is not closed');
    }
    this.#scope.restore(mark);
    this.#h.endElement?.(tag, lt, close + 1);
    return close + 1;
  }
}

function declarationName(d: NamespaceDeclaration): string {
  return d.prefix === '' ? 'xmlns' : `xmlns:${d.prefix}`;
}

function normalizeSpace(raw: string): string {
  return /[\t\n]/.test(raw) ? raw.replace(/[\t\n]/g, ' ') : raw;
}

function isChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
