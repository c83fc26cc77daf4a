/**
 * The canonicalizer the c14n differential corpus (`c14n-corpus.test.ts`) checks. Today: the
 * DOM canonicalizer (`src/dsig/c14n.ts`) over the hardened parser's DOM. When the streaming
 * canonicalizer lands, point these functions at it; the corpus test does not change.
 */
import { canonicalize } from '../../../src/dsig/c14n.js';
import { createStrictParser, isElement } from '../../../src/xml/dom.js';
import type { Element, Node } from '../../../src/xml/dom.js';

export interface C14nTestOptions {
  /** InclusiveNamespaces PrefixList; `#default` names the default namespace. */
  inclusivePrefixes?: string[];
  /** The #WithComments variant. */
  withComments?: boolean;
}

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

function parseDocumentElement(xml: string): Element {
  const root = createStrictParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error('no document element');
  return root;
}

function options(o: C14nTestOptions): { withComments: boolean; inclusivePrefixes: string[] } {
  return { withComments: o.withComments === true, inclusivePrefixes: o.inclusivePrefixes ?? [] };
}

/** Exclusive c14n of the document element of `xml`. */
export function canonicalizeXmlForTest(xml: string, o: C14nTestOptions): string {
  return canonicalize(parseDocumentElement(xml), options(o)).text;
}

/**
 * Exclusive c14n of the one element of `xml` carrying `wsu:Id="<id>"` (a subtree deep in the
 * document, with namespaces inherited from its ancestors), as a signature reference does.
 */
export function canonicalizeSubtreeForTest(xml: string, id: string, o: C14nTestOptions): string {
  const found: Element[] = [];
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (!isElement(c)) continue;
      if (c.getAttributeNS(WSU, 'Id') === id) found.push(c);
      walk(c);
    }
  };
  const root = parseDocumentElement(xml);
  if (root.getAttributeNS(WSU, 'Id') === id) found.push(root);
  walk(root);
  const [apex] = found;
  if (found.length !== 1 || !apex) throw new Error(`${found.length} elements with wsu:Id ${id}`);
  return canonicalize(apex, options(o)).text;
}
