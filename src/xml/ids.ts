/**
 * One id index per message: every `wsu:Id`, unqualified `Id` and `xml:id` value maps to
 * exactly one element. Built in one walk; references are then O(1) lookups, never a
 * document-wide search an attacker could redirect. A duplicate value is a rejection.
 */
import { reject } from '../errors.js';
import { isElement } from './dom.js';
import type { Element, Node } from './dom.js';
import type { TokenAttribute } from './tokenizer.js';
import { NS } from './ns.js';

/** Content held as text (a decrypted Body) whose ids are known but whose elements are not built. */
export interface LazyContent {
  /** Build the elements (and add their ids to the index) on first need. */
  materialize(): void;
}

export class IdIndex {
  readonly #byId = new Map<string, Element>();
  readonly #lazy = new Map<string, LazyContent>();

  /** Index every element under `root` (inclusive). */
  static build(root: Node): IdIndex {
    const index = new IdIndex();
    index.addSubtree(root);
    return index;
  }

  /**
   * Add the ids of `root` and its descendants (used after decryption inserts new content).
   * @throws WsseqError `MalformedMessage` when an id is already taken.
   */
  addSubtree(root: Node): void {
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n) break;
      if (isElement(n)) this.#addElement(n);
      for (let c = n.lastChild; c; c = c.previousSibling) if (isElement(c)) stack.push(c);
    }
  }

  /**
   * Note that `el` carries `id` (the parse pass indexes start tags as it builds them).
   * @throws WsseqError `MalformedMessage` when the id is already taken.
   */
  add(id: string, el: Element): void {
    const prior = this.#byId.get(id);
    if ((prior && prior !== el) || this.#lazy.has(id)) {
      throw reject('MalformedMessage', `duplicate id "${id}"`);
    }
    this.#byId.set(id, el);
  }

  /** Forget the ids of `root` and its descendants (before it leaves the document). */
  removeSubtree(root: Node): void {
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n) break;
      if (isElement(n))
        for (const id of idsOf(n)) if (this.#byId.get(id) === n) this.#byId.delete(id);
      for (let c = n.firstChild; c; c = c.nextSibling) if (isElement(c)) stack.push(c);
    }
  }

  /**
   * Note an id carried by content not yet built as elements: a reference to it builds them
   * (the slow path). A duplicate of any id known is a rejection.
   * @throws WsseqError `MalformedMessage` when the id is already taken.
   */
  addLazy(id: string, owner: LazyContent): void {
    if (this.#byId.has(id) || this.#lazy.has(id)) {
      throw reject('MalformedMessage', `duplicate id "${id}"`);
    }
    this.#lazy.set(id, owner);
  }

  /** Forget the lazy ids of `owner` (it is being built; its elements are added next). */
  dropLazy(owner: LazyContent): void {
    for (const [id, o] of this.#lazy) if (o === owner) this.#lazy.delete(id);
  }

  /** The element with this id, or undefined. */
  get(id: string): Element | undefined {
    const found = this.#byId.get(id);
    if (found) return found;
    const lazy = this.#lazy.get(id);
    if (!lazy) return undefined;
    lazy.materialize();
    return this.#byId.get(id);
  }

  /**
   * Resolve a same-document reference (`#id`).
   * @throws WsseqError `MalformedMessage` for anything but `#id`, `SecurityTokenUnavailable`
   *   when nothing carries the id.
   */
  resolve(uri: string): Element {
    if (!uri.startsWith('#') || uri.length < 2) {
      throw reject('MalformedMessage', `reference "${uri}" is not a same-document #id reference`);
    }
    const el = this.get(uri.slice(1));
    if (!el)
      throw reject('SecurityTokenUnavailable', `nothing in the message has id "${uri.slice(1)}"`);
    return el;
  }

  #addElement(el: Element): void {
    for (const id of idsOf(el)) this.add(id, el);
  }
}

/** The id values an element carries. */
export function idsOf(el: Element): string[] {
  const out: string[] = [];
  const wsu = el.getAttributeNodeNS(NS.wsu, 'Id');
  if (wsu) out.push(wsu.value);
  const plain = el.getAttributeNode('Id');
  if (plain && !plain.namespaceURI) out.push(plain.value);
  const xmlId = el.getAttributeNodeNS(NS.xml, 'id');
  if (xmlId) out.push(xmlId.value);
  return out;
}

/** The id values a start tag carries (as {@link idsOf} reads them from an element). */
export function idsOfTag(attributes: readonly TokenAttribute[]): readonly string[] {
  let out: string[] | undefined;
  for (const a of attributes) {
    if (
      (a.local === 'Id' && (a.uri === NS.wsu || a.uri === '')) ||
      (a.local === 'id' && a.uri === NS.xml)
    ) {
      (out ??= []).push(a.value);
    }
  }
  // Most tags carry no id: no array made for them.
  return out ?? NO_IDS;
}

const NO_IDS: readonly string[] = Object.freeze([]);
