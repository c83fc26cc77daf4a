/**
 * Build xmldom nodes from one pass of the hardened tokenizer: no second parser reads the
 * text. The nodes are those xmldom's own parser makes for the same text (elements with their
 * attributes in document order, text, CDATA sections, comments, the XML declaration as a
 * processing instruction, whitespace between top-level nodes), so serialization and every
 * Element API give what they gave before.
 *
 * The builder is a token handler: callers that need more from the same pass (ids, checks, a
 * span of the text kept apart) wrap it, and read the element each start tag built.
 */
import { createDocument, domFactory } from './dom.js';
import type { Document, DomFactory, Element, Node } from './dom.js';
import type { ParseLimits } from './parse.js';
import { tokenize } from './tokenizer.js';
import type { StartTag, TokenHandler } from './tokenizer.js';

export class TreeBuilder implements TokenHandler {
  readonly #text: string;
  readonly #factory: DomFactory;
  readonly #document: Document;
  /** Where nodes go: the document, or the element being filled. */
  #parent: Document | Element;
  /** The element the last start tag built. */
  lastElement: Element | undefined;
  /** True for a whole document (its prolog and epilog are rebuilt from the text). */
  readonly #whole: boolean;
  #prologEnd = 0;

  constructor(text: string, parent: Document | Element) {
    this.#text = text;
    this.#parent = parent;
    this.#whole = parent.nodeType === 9;
    const document = this.#whole ? (parent as Document) : parent.ownerDocument;
    if (!document) throw new TypeError('the node belongs to no document');
    this.#document = document;
    this.#factory = domFactory(document);
  }

  startElement(tag: StartTag): void {
    if (this.#whole && tag.depth === 1) this.#prolog(tag.start);
    const el = this.#factory.element(tag, this.#text);
    this.#factory.append(this.#parent, el);
    if (!tag.selfClosing) this.#parent = el;
    this.lastElement = el;
  }

  endElement(tag: StartTag, _end: number, after: number): void {
    if (!tag.selfClosing) {
      const up = this.#parent.parentNode;
      if (up) this.#parent = up as Element;
    }
    if (this.#whole && tag.depth === 1) this.#prologEnd = after;
  }

  text(value: string): void {
    if (this.#parent.nodeType !== 9 && value !== '')
      this.#factory.append(this.#parent, this.#document.createTextNode(value));
  }

  cdata(value: string): void {
    if (value !== '') this.#factory.append(this.#parent, this.#document.createCDATASection(value));
  }

  comment(value: string): void {
    // Top-level comments are rebuilt with the whitespace around them (see #prolog).
    if (this.#parent.nodeType !== 9)
      this.#factory.append(this.#parent, this.#document.createComment(value));
  }

  /**
   * The nodes before the document element (from `#prologEnd`, 0 at first) or after it: the XML
   * declaration, comments and whitespace, as xmldom keeps them (whitespace after the last of
   * them is dropped, as xmldom does). The tokenizer already checked this text.
   */
  #prolog(to: number): void {
    const s = this.#text;
    const doc = this.#document;
    let pos = this.#prologEnd;
    if (pos === 0 && s.startsWith('<?xml')) {
      const close = s.indexOf('?>', 5);
      doc.appendChild(doc.createProcessingInstruction('xml', s.slice(5, close).trim()));
      pos = close + 2;
    }
    while (pos < to) {
      const lt = s.indexOf('<', pos);
      if (lt === -1 || lt >= to) break;
      if (lt > pos) doc.appendChild(doc.createTextNode(s.slice(pos, lt)));
      const close = s.indexOf('-->', lt + 4);
      doc.appendChild(doc.createComment(s.slice(lt + 4, close)));
      pos = close + 3;
    }
    if (pos < to && to < s.length) doc.appendChild(doc.createTextNode(s.slice(pos, to)));
  }

  /** Add the nodes after the document element; call once the pass is over. */
  finish(): void {
    if (this.#whole) this.#prolog(this.#text.length);
  }
}

/**
 * Build a whole document from `text` (decoded, line endings normalized) in one tokenizer pass.
 * @throws WsseqError `MalformedMessage`, `LimitExceeded` (see {@link tokenize}).
 */
export function buildDocument(
  text: string,
  limits: ParseLimits,
): { document: Document; hasComments: boolean } {
  const document = createDocument();
  const builder = new TreeBuilder(text, document);
  const { hasComments } = tokenize(text, builder, { limits });
  builder.finish();
  return { document, hasComments };
}

/**
 * Build `text` as the content of `parent` (appended after its children), checked in the
 * namespace context and at the depth of `parent` (`scope`: every binding in scope there).
 * Returns the nodes added.
 * @throws WsseqError `MalformedMessage`, `LimitExceeded`.
 */
export function buildContent(
  text: string,
  parent: Element,
  scope: Iterable<readonly [string, string]>,
  depth: number,
  limits: ParseLimits,
): Node[] {
  const last = parent.lastChild;
  tokenize(text, new TreeBuilder(text, parent), {
    limits,
    mode: 'content',
    context: scope,
    baseDepth: depth,
  });
  const out: Node[] = [];
  for (let c = last ? last.nextSibling : parent.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}
