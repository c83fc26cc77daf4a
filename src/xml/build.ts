/** Small helpers to build elements with explicit prefixes. */
import type { Document, Element } from './dom.js';
import { NS } from './ns.js';

/** Create `prefix:localName` in `ns`, with optional unqualified attributes and text. */
export function createElement(
  doc: Document,
  ns: string,
  qualifiedName: string,
  attributes: Readonly<Record<string, string>> = {},
  text?: string,
): Element {
  const el = doc.createElementNS(ns, qualifiedName);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (text !== undefined) el.appendChild(doc.createTextNode(text));
  return el;
}

/** Declare `xmlns:prefix="uri"` on `el`. */
export function declareNamespace(el: Element, prefix: string, uri: string): void {
  el.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
}
