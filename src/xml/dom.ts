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

/** Serialize a node as it stands (prefixes and namespace declarations kept). */
export function serialize(node: Node): string {
  return serializer.serializeToString(node);
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
