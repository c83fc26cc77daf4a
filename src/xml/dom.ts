/**
 * The xmldom wrapper: the only module that imports @xmldom/xmldom's classes. Narrowing
 * helpers keep `any` out of the code that walks documents.
 */
import { createRequire } from 'node:module';
import { DOMImplementation, DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Attr, Document, Element, Node } from '@xmldom/xmldom';
import { NS } from './ns.js';
import type { StartTag } from './tokenizer.js';

export type { Attr, Document, Element, Node };

export const ELEMENT_NODE = 1;
export const ATTRIBUTE_NODE = 2;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;
export const DOCUMENT_TYPE_NODE = 10;

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

/** True when `el` is `{ns}localName`. */
export function isNamed(node: Node | null | undefined, ns: string, localName: string): boolean {
  return isElement(node) && node.localName === localName && node.namespaceURI === ns;
}

/** The element children of `el`, in document order. */
export function childElements(el: Node): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (isElement(c)) out.push(c);
  return out;
}

/** The attribute `{ns}name` (ns null: unqualified) or undefined. */
export function attr(el: Element, ns: string | null, localName: string): string | undefined {
  const a = ns === null ? el.getAttributeNode(localName) : el.getAttributeNodeNS(ns, localName);
  return a ? a.value : undefined;
}

/** The text content of an element, without comments. */
export function textOf(el: Node): string {
  let s = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE) s += c.nodeValue ?? '';
  }
  return s;
}

let tuned = false;

/**
 * xmldom 0.9 compiles a fresh RegExp for every end tag it parses (`grammar.reg`), a few
 * percent of the cost of opening a message. The expressions depend only on their arguments
 * and carry no `g` flag (no state), so they are compiled once and reused. Done on the first
 * parse, not at import; if xmldom's internals differ, nothing is changed.
 */
function tuneXmldom(): void {
  if (tuned) return;
  tuned = true;
  try {
    const grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as {
      reg?: (...parts: (RegExp | string)[]) => RegExp;
    };
    const original = grammar.reg;
    if (typeof original !== 'function') return;
    const cache = new Map<string, RegExp>();
    // Expressions passed in are keyed by identity (xmldom passes its grammar's constants),
    // not by their source: the sources are long Unicode classes, costly to join per tag.
    const ids = new WeakMap<RegExp, number>();
    let next = 0;
    const idOf = (r: RegExp): string => {
      let id = ids.get(r);
      if (id === undefined) {
        id = next++;
        ids.set(r, id);
      }
      return `r${String(id)}`;
    };
    grammar.reg = function memoizedReg(this: unknown, ...parts: (RegExp | string)[]): RegExp {
      let key = '';
      for (const p of parts) key += (typeof p === 'string' ? `s${p}` : idOf(p)) + '\u0000';
      let found = cache.get(key);
      if (!found) {
        found = original.apply(this, parts);
        if (found.global || found.sticky) return found;
        cache.set(key, found);
      }
      return found;
    };
  } catch {
    // Another xmldom layout: keep it as it is.
  }
}

/** Parse without any hardening: only for XML that wsseq itself produced or already checked. */
export function parseTrusted(xml: string): Document {
  tuneXmldom();
  return new DOMParser({ onError: failOnAnyError, locator: false }).parseFromString(
    xml,
    'text/xml',
  );
}

/** An xmldom DOMParser with hardened settings (see xml/parse.ts for the limits). */
export function createStrictParser(): DOMParser {
  tuneXmldom();
  return new DOMParser({
    onError: failOnAnyError,
    locator: false,
    normalizeLineEndings: normalizeXml10LineEndings,
  });
}

/** XML 1.0 end-of-line handling (section 2.11): CRLF and CR become LF; nothing else. */
export function normalizeXml10LineEndings(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

function failOnAnyError(level: string, message: string): never {
  throw new Error(`XML ${level}: ${message}`);
}

const serializer = new XMLSerializer();

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '\r': '&#xD;',
};

/**
 * Character data holding a carriage return is written with `&#xD;`: xmldom writes it raw, and
 * a parser reading it back turns it into a line feed (XML 1.0 section 2.11), so the text read
 * (and its canonical form, hence any digest over it) would change. CDATA with one is written as
 * escaped text, which reads the same. xmldom takes a string from the filter as the node's
 * serialization (its typings say only Node).
 */
function keepCarriageReturns(node: Node): Node | string {
  if (node.nodeType !== TEXT_NODE && node.nodeType !== CDATA_SECTION_NODE) return node;
  const data = node.nodeValue ?? '';
  if (!data.includes('\r')) return node;
  return data.replace(/[<>&\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Serialize a node as it stands (prefixes and namespace declarations kept). */
export function serialize(node: Node): string {
  return serializer.serializeToString(node, {
    nodeFilter: keepCarriageReturns as (node: Node) => Node,
  });
}

/** The namespace declarations in scope at `el` (nearest wins), as prefix → URI ('' default). */
export function inScopeNamespaces(el: Element): Map<string, string> {
  const out = new Map<string, string>();
  for (let n: Node | null = el; isElement(n); n = n.parentNode) {
    const attrs = n.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i);
      if (!a) continue;
      if (a.name === 'xmlns') {
        if (!out.has('')) out.set('', a.value);
      } else if (a.prefix === 'xmlns' && a.localName !== null && !out.has(a.localName)) {
        out.set(a.localName, a.value);
      }
    }
  }
  return out;
}

/** The document a node belongs to. */
export function ownerDocumentOf(node: Node): Document {
  const doc = node.ownerDocument;
  if (!doc) throw new TypeError('the node belongs to no document');
  return doc;
}

/**
 * Move `node` (parsed in another document) under `doc` without copying it: xmldom's
 * importNode clones every node, which dominates the cost of decrypting a large Body.
 * The node must already be detached from its old parent.
 */
export function adoptNode(node: Node, doc: Document): Node {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    (n as { ownerDocument: Document | null }).ownerDocument = doc;
    if (isElement(n)) {
      const attrs = n.attributes;
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i);
        if (a) (a as { ownerDocument: Document | null }).ownerDocument = doc;
      }
    }
    for (let c = n.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  return node;
}

/** An empty XML document, as xmldom's parser starts one. */
export function createDocument(): Document {
  return new DOMImplementation().createDocument(null, '');
}

/** Makes the nodes of one document from start tags the hardened tokenizer checked. */
export interface DomFactory {
  /** The element of `tag` (read from `text`) with its attributes in document order. */
  element(tag: StartTag, text: string): Element;
  append(parent: Node, child: Node): void;
}

export function domFactory(doc: Document): DomFactory {
  const fast = fastConstructors();
  if (fast) {
    return {
      element(tag, text) {
        const el = fast.element(
          doc,
          tag.uri === '' ? null : tag.uri,
          tag.qname,
          tag.prefix,
          tag.local,
        );
        for (const [qname, value, uri] of attributesInOrder(tag, text)) {
          const colon = qname.indexOf(':');
          const a = fast.attr(
            doc,
            uri,
            qname,
            colon === -1 ? null : qname.slice(0, colon),
            colon === -1 ? qname : qname.slice(colon + 1),
          );
          a.value = a.nodeValue = value;
          el.setAttributeNode(a);
        }
        return el;
      },
      append(parent, child) {
        parent.appendChild(child);
      },
    };
  }
  return {
    element(tag, text) {
      const el = doc.createElementNS(tag.uri === '' ? null : tag.uri, tag.qname);
      for (const [qname, value, uri] of attributesInOrder(tag, text)) {
        const a = doc.createAttributeNS(uri, qname);
        a.value = a.nodeValue = value;
        el.setAttributeNode(a);
      }
      return el;
    },
    append(parent, child) {
      parent.appendChild(child);
    },
  };
}

interface FastConstructors {
  element(doc: Document, ns: string | null, qname: string, prefix: string, local: string): Element;
  attr(doc: Document, ns: string | null, qname: string, prefix: string | null, local: string): Attr;
}

let fastMemo: FastConstructors | null | undefined;

/**
 * Element and attribute construction as xmldom's createElementNS and createAttributeNS do it,
 * without their name validation (a few regular expressions per name, a large part of building
 * a tree): the tokenizer already checked every name and namespace. Checked once against
 * xmldom's own methods (the same properties, the same values); if they differ, undefined and
 * the public methods are used.
 */
function fastConstructors(): FastConstructors | undefined {
  if (fastMemo !== undefined) return fastMemo ?? undefined;
  fastMemo = null;
  try {
    const dom = createRequire(import.meta.url)('@xmldom/xmldom/lib/dom.js') as Record<
      string,
      { prototype: object } | undefined
    >;
    const { Element: E, Attr: A, NamedNodeMap: M, NodeList: L } = dom;
    if (!E || !A || !M || !L) return undefined;
    const make = (c: { prototype: object }): Record<string, unknown> =>
      Object.create(c.prototype) as Record<string, unknown>;
    const list = (): object => new (L as unknown as new () => object)();
    const candidate: FastConstructors = {
      element(doc, ns, qname, prefix, local) {
        const el = make(E);
        el._nsMap = Object.create(null);
        const attrs = new (M as unknown as new () => Record<string, unknown>)();
        el.attributes = attrs;
        el.childNodes = list();
        el.ownerDocument = doc;
        el.nodeName = qname;
        el.tagName = qname;
        el.namespaceURI = ns;
        el.prefix = prefix === '' ? null : prefix;
        el.localName = local;
        attrs._ownerElement = el;
        return el as unknown as Element;
      },
      attr(doc, ns, qname, prefix, local) {
        const a = make(A);
        a.namespaceURI = ns;
        a.prefix = prefix;
        a.ownerElement = null;
        a.ownerDocument = doc;
        a.childNodes = list();
        a.nodeName = qname;
        a.name = qname;
        a.specified = true;
        a.localName = local;
        return a as unknown as Attr;
      },
    };
    const doc = createDocument();
    const same = (x: object, y: object): boolean => {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      if (kx.join() !== ky.join() || Object.getPrototypeOf(x) !== Object.getPrototypeOf(y))
        return false;
      const rx = x as Record<string, unknown>;
      const ry = y as Record<string, unknown>;
      return kx.every((k) => typeof rx[k] === 'object' || rx[k] === ry[k]);
    };
    const el = candidate.element(doc, 'urn:x', 'p:e', 'p', 'e');
    const a = candidate.attr(doc, 'urn:y', 'q:a', 'q', 'a');
    const refEl = doc.createElementNS('urn:x', 'p:e');
    const refA = doc.createAttributeNS('urn:y', 'q:a');
    if (!same(el, refEl) || !same(a, refA) || !same(el.attributes, refEl.attributes)) {
      return undefined;
    }
    fastMemo = candidate;
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * The attributes and namespace declarations of `tag` as [qname, value, namespace] in the order
 * they are written (the tokenizer reports the two apart; xmldom keeps them interleaved).
 */
function attributesInOrder(tag: StartTag, text: string): [string, string, string | null][] {
  const out: [string, string, string | null][] = [];
  for (const d of tag.namespaces)
    out.push([d.prefix === '' ? 'xmlns' : `xmlns:${d.prefix}`, d.uri, NS.xmlns]);
  for (const a of tag.attributes) out.push([a.qname, a.value, a.uri === '' ? null : a.uri]);
  if (tag.namespaces.length === 0 || tag.attributes.length === 0) return out;
  // Both kinds: read the order of the names from the tag (already checked well-formed).
  const order = new Map<string, number>();
  let pos = tag.start + 1 + tag.qname.length;
  for (let i = 0; ; i++) {
    while (/[ \t\n]/.test(text.charAt(pos))) pos++;
    const c = text.charAt(pos);
    if (c === '>' || c === '/' || c === '') break;
    let eq = pos;
    while (!/[ \t\n=]/.test(text.charAt(eq))) eq++;
    order.set(text.slice(pos, eq), i);
    const q = text.indexOf('=', eq) + 1;
    let open = q;
    while (/[ \t\n]/.test(text.charAt(open))) open++;
    pos = text.indexOf(text.charAt(open), open + 1) + 1;
  }
  return out.sort((x, y) => (order.get(x[0]) ?? 0) - (order.get(y[0]) ?? 0));
}

/** True when trees are built without xmldom's name validation (see fastConstructors). */
export function fastNodeConstruction(): boolean {
  return fastConstructors() !== undefined;
}
