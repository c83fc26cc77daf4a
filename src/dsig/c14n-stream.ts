/**
 * Exclusive XML Canonicalization 1.0 as a stream: fed by the hardened tokenizer, written
 * straight into a sink (a hash, chunk by chunk, or a string), with no tree and no array of
 * pieces. With and without comments, with an InclusiveNamespaces PrefixList, and with the
 * namespace context the canonicalized element inherits (its ancestors' declarations matter
 * only for the prefixes it visibly uses).
 */
import type { Hash } from 'node:crypto';
import { inScopeNamespaces, isElement } from '../xml/dom.js';
import type { Element, Node } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import type { ParseLimits } from '../xml/parse.js';
import { NamespaceScope, tokenize } from '../xml/tokenizer.js';
import type { StartTag, TokenHandler, TokenAttribute } from '../xml/tokenizer.js';
import type { CanonicalizeOptions } from './c14n.js';

/** Where canonical text goes. */
export interface CanonicalSink {
  write(text: string): void;
}

const CHUNK = 1 << 16;

/** Writes into a hash in chunks of about 64 Ki characters. Call `end()` before digesting. */
export class HashSink implements CanonicalSink {
  readonly #hash: Hash;
  #buffer = '';
  /** Characters written in all. */
  length = 0;

  constructor(hash: Hash) {
    this.#hash = hash;
  }

  write(text: string): void {
    this.length += text.length;
    if (this.#buffer.length + text.length < CHUNK) {
      this.#buffer += text;
      return;
    }
    if (this.#buffer.length > 0) this.#hash.update(this.#buffer, 'utf8');
    this.#hash.update(text, 'utf8');
    this.#buffer = '';
  }

  end(): Hash {
    if (this.#buffer.length > 0) this.#hash.update(this.#buffer, 'utf8');
    this.#buffer = '';
    return this.#hash;
  }
}

/**
 * Keeps canonical text as UTF-8 chunks of about 64 Ki characters (flat, encoded once), to
 * be hashed or read later without canonicalizing again.
 */
export class ChunkSink implements CanonicalSink {
  readonly #chunks: Buffer[] = [];
  #buffer = '';
  /** Characters written in all. */
  length = 0;

  write(text: string): void {
    this.length += text.length;
    this.#buffer += text;
    if (this.#buffer.length >= CHUNK) {
      this.#chunks.push(Buffer.from(this.#buffer, 'utf8'));
      this.#buffer = '';
    }
  }

  /** The chunks written, once writing is over. */
  end(): readonly Buffer[] {
    if (this.#buffer.length > 0) this.#chunks.push(Buffer.from(this.#buffer, 'utf8'));
    this.#buffer = '';
    return this.#chunks;
  }
}

/** Collects canonical text as a string. */
export class StringSink implements CanonicalSink {
  text = '';
  write(text: string): void {
    this.text += text;
  }
}

/**
 * The canonicalizer as a tokenizer handler. Elements at depth 0 of what it is fed (outside
 * the element canonicalized) are not written: only elements, and text and comments inside
 * them.
 *
 * Given the `source` the tokenizer reads, it copies the spans of it that are already in
 * canonical form (a start tag the tokenizer calls normal, with its attributes in canonical
 * order and no namespace to declare or drop; an end tag without space; text without a
 * reference or a character to escape) as runs of the source, written when something else
 * must be written: most of a typical Body is written as a few large slices, not piece by
 * piece. Without `source` (or for events that carry no offsets) every piece is rebuilt.
 */
export class ExclusiveCanonicalizer implements TokenHandler {
  readonly #sink: CanonicalSink;
  readonly #withComments: boolean;
  readonly #inclusive: readonly string[];
  /** Namespace declarations rendered by output ancestors, as a stack of changes. */
  readonly #rendered = new NamespaceScope();
  readonly #marks: number[] = [];
  readonly #source: string | undefined;
  /** The run of `#source` waiting to be written, or -1. */
  #runStart = -1;
  #runEnd = -1;
  /** True when a comment was met inside the output (written or not). */
  hadComments = false;

  /**
   * @param source the text the tokenizer feeding this canonicalizer reads (and only that
   *   text): its offsets are trusted to locate the pieces written verbatim.
   */
  constructor(sink: CanonicalSink, options: CanonicalizeOptions = {}, source?: string) {
    this.#sink = sink;
    this.#withComments = options.withComments === true;
    this.#inclusive = (options.inclusivePrefixes ?? []).map((p) => (p === '#default' ? '' : p));
    this.#source = source;
  }

  startElement(tag: StartTag, scope: Pick<NamespaceScope, 'lookup'>, normal?: boolean): void {
    const rendered = this.#rendered;
    const attributes = tag.attributes;
    this.#marks.push(rendered.mark());
    const toRender = this.#namespacesToRender(tag, scope);
    if (
      toRender === undefined &&
      normal === true &&
      this.#source !== undefined &&
      tag.namespaces.length === 0 &&
      inCanonicalOrder(attributes)
    ) {
      this.#copy(tag.start, tag.contentStart);
      return;
    }
    let out = `<${tag.qname}`;
    if (toRender !== undefined) {
      if (toRender.length > 1) toRender.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [prefix, uri] of toRender) {
        rendered.bind(prefix, uri);
        out +=
          prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
      }
    }
    if (attributes.length > 0) {
      const attrs = attributes.length > 1 ? [...attributes].sort(compareAttributes) : attributes;
      for (const a of attrs) out += ` ${a.qname}="${escapeAttr(a.value)}"`;
    }
    this.#write(`${out}>`);
  }

  /**
   * The namespace declarations `tag` must render (prefix, URI), or undefined for none: the
   * visibly utilized prefixes (xml excepted) and those the inclusive list names, unless an
   * output ancestor rendered the same binding.
   */
  #namespacesToRender(
    tag: StartTag,
    scope: Pick<NamespaceScope, 'lookup'>,
  ): [string, string][] | undefined {
    const rendered = this.#rendered;
    let onlyTagPrefix = this.#inclusive.length === 0;
    if (onlyTagPrefix) {
      for (const a of tag.attributes) {
        if (a.prefix !== '' && a.prefix !== 'xml') {
          onlyTagPrefix = false;
          break;
        }
      }
    }
    if (onlyTagPrefix) {
      return isRendered(rendered, tag.prefix, tag.uri) ? undefined : [[tag.prefix, tag.uri]];
    }
    const utilized = new Map<string, string>([[tag.prefix, tag.uri]]);
    for (const a of tag.attributes) {
      if (a.prefix !== '' && a.prefix !== 'xml') utilized.set(a.prefix, a.uri);
    }
    for (const prefix of this.#inclusive) {
      if (utilized.has(prefix)) continue;
      const uri = scope.lookup(prefix);
      if (uri !== undefined) utilized.set(prefix, uri);
    }
    const toRender: [string, string][] = [];
    for (const [prefix, uri] of utilized) {
      if (!isRendered(rendered, prefix, uri)) toRender.push([prefix, uri]);
    }
    return toRender.length > 0 ? toRender : undefined;
  }

  endElement(tag: StartTag, end?: number, after?: number): void {
    // `</qname>` exactly (the tokenizer checked the name) when there is no space before '>'.
    if (
      this.#source !== undefined &&
      end !== undefined &&
      after !== undefined &&
      after - end === tag.qname.length + 3
    ) {
      this.#copy(end, after);
    } else {
      this.#write(`</${tag.qname}>`);
    }
    this.#rendered.restore(this.#marks.pop() ?? 0);
  }

  text(value: string, start?: number, end?: number): void {
    if (this.#marks.length === 0) return;
    // Text as long as its source holds no reference (each is longer than what it stands for).
    if (
      this.#source !== undefined &&
      start !== undefined &&
      end !== undefined &&
      end - start === value.length &&
      !TEXT_SPECIAL.test(value)
    ) {
      this.#copy(start, end);
    } else {
      this.#write(escapeText(value));
    }
  }

  comment(value: string): void {
    if (this.#marks.length === 0) return;
    this.hadComments = true;
    if (this.#withComments) this.#write(`<!--${value}-->`);
  }

  /** Write the pending run of the source, if any. Call once the tokenizer is done. */
  flush(): void {
    if (this.#runStart === -1 || this.#source === undefined) return;
    this.#sink.write(this.#source.slice(this.#runStart, this.#runEnd));
    this.#runStart = -1;
    this.#runEnd = -1;
  }

  /** Write `from`..`to` of the source: extend the pending run, or start a new one. */
  #copy(from: number, to: number): void {
    if (this.#runStart !== -1 && this.#runEnd === from) this.#runEnd = to;
    else {
      this.flush();
      this.#runStart = from;
      this.#runEnd = to;
    }
    if (this.#runEnd - this.#runStart >= CHUNK) this.flush();
  }

  #write(text: string): void {
    if (this.#runStart !== -1) this.flush();
    this.#sink.write(text);
  }
}

/** True when an output ancestor rendered `prefix` as `uri` (an empty default needs none). */
function isRendered(rendered: NamespaceScope, prefix: string, uri: string): boolean {
  const current = rendered.lookup(prefix);
  return prefix === '' ? (current ?? '') === uri : current === uri;
}

function inCanonicalOrder(attributes: readonly TokenAttribute[]): boolean {
  for (let i = 1; i < attributes.length; i++) {
    const a = attributes[i - 1];
    const b = attributes[i];
    if (a === undefined || b === undefined || compareAttributes(a, b) > 0) return false;
  }
  return true;
}

const TEXT_SPECIAL = /[&<>\r]/;

function compareAttributes(a: TokenAttribute, b: TokenAttribute): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.local < b.local ? -1 : a.local > b.local ? 1 : 0;
}

/** An element given apart from its content: its start tag and the namespaces in scope there. */
export interface ApexElement {
  readonly tag: StartTag;
  /** Every namespace binding in scope at the element (its own declarations included). */
  readonly scope: ReadonlyMap<string, string>;
}

/**
 * Canonicalize an element whose start tag is known (read from the header's tree) and whose
 * content is a string (`content`; this pass checks it too), into `sink`.
 * Returns whether the content held a comment.
 */
export function canonicalizeElementWithContent(
  apex: ApexElement,
  content: string,
  options: CanonicalizeOptions,
  sink: CanonicalSink,
  limits: ParseLimits,
  observe?: (tag: StartTag) => void,
): { hadComments: boolean } {
  const c14n = new ExclusiveCanonicalizer(sink, options, content);
  // The apex comes from elsewhere (its offsets are not in `content`): never copied verbatim.
  c14n.startElement(apex.tag, { lookup: (p) => apex.scope.get(p) });
  // `observe` sees every start tag of the same pass (checks, ids), before it is written.
  const handler: TokenHandler = observe
    ? {
        startElement: (tag, scope, normal) => {
          observe(tag);
          c14n.startElement(tag, scope, normal);
        },
        endElement: (tag, end, after) => {
          c14n.endElement(tag, end, after);
        },
        text: (value, start, end) => {
          c14n.text(value, start, end);
        },
        comment: (value) => {
          c14n.comment(value);
        },
      }
    : c14n;
  tokenize(content, handler, {
    limits,
    mode: 'content',
    context: apex.scope,
    baseDepth: apex.tag.depth,
  });
  c14n.endElement(apex.tag);
  c14n.flush();
  return { hadComments: c14n.hadComments };
}

const UNLIMITED: ParseLimits = {
  maxBytes: Number.MAX_SAFE_INTEGER,
  maxDepth: Number.MAX_SAFE_INTEGER,
  maxElements: Number.MAX_SAFE_INTEGER,
  maxAttributesPerElement: Number.MAX_SAFE_INTEGER,
  maxNamespaceDeclarations: Number.MAX_SAFE_INTEGER,
};

/**
 * Canonicalize the document element of `xml` (a whole document, line endings as given are
 * normalized) and return the text. For tests and tools; the pipeline streams into hashes.
 */
export function canonicalizeDocument(xml: string, options: CanonicalizeOptions = {}): string {
  const sink = new StringSink();
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  const c14n = new ExclusiveCanonicalizer(sink, options, text);
  tokenize(text, c14n, { limits: UNLIMITED });
  c14n.flush();
  return sink.text;
}

function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;');
}

function escapeAttr(s: string): string {
  if (!/[&<"\t\n\r]/.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

/**
 * A DOM element as the apex of a streamed canonicalization: its start tag as the tokenizer
 * would report it, and the namespaces in scope there.
 */
export function apexOf(el: Element): ApexElement {
  const scope = inScopeNamespaces(el);
  scope.set('xml', NS.xml);
  return { tag: startTagOf(el, scope), scope };
}

/** The start tag of a DOM element, as the tokenizer would have reported it. */
function startTagOf(el: Element, scope: ReadonlyMap<string, string>): StartTag {
  const attributes: TokenAttribute[] = [];
  const namespaces: { prefix: string; uri: string }[] = [];
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list.item(i);
    if (!a) continue;
    if (a.name === 'xmlns') namespaces.push({ prefix: '', uri: a.value });
    else if (a.prefix === 'xmlns') namespaces.push({ prefix: a.localName ?? '', uri: a.value });
    else {
      attributes.push({
        qname: a.name,
        prefix: a.prefix ?? '',
        local: a.localName ?? a.name,
        uri: a.namespaceURI ?? '',
        value: a.value,
      });
    }
  }
  let depth = 0;
  for (let n: Node | null = el; isElement(n); n = n.parentNode) depth++;
  const prefix = el.prefix ?? '';
  return {
    qname: el.tagName,
    prefix,
    local: el.localName ?? el.tagName,
    uri: el.namespaceURI ?? scope.get(prefix) ?? '',
    attributes,
    namespaces,
    start: 0,
    contentStart: 0,
    selfClosing: false,
    depth,
  };
}
