/**
 * Exclusive c14n without comments does not cover comments, so a comment inside signed content
 * is not part of what was signed: `<To>bo<!---->b</To>` carries a valid signature over "bob".
 * Before the application sees a signed part, its comments are removed and the text around
 * them joined, so every consumer (`textContent`, `firstChild.nodeValue`, a serializer) reads
 * the text that was signed.
 */
import { CDATA_SECTION_NODE, COMMENT_NODE, TEXT_NODE } from '../xml/dom.js';
import type { Node } from '../xml/dom.js';

/** Remove every comment under `root` and merge the text nodes a removal leaves adjacent. */
export function stripComments(root: Node): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    let removed = false;
    for (let c = node.firstChild; c;) {
      const next = c.nextSibling;
      if (c.nodeType === COMMENT_NODE) {
        node.removeChild(c);
        removed = true;
      } else if (c.firstChild) {
        stack.push(c);
      }
      c = next;
    }
    if (removed) mergeAdjacentText(node);
  }
}

function isText(n: Node | null): boolean {
  return n?.nodeType === TEXT_NODE || n?.nodeType === CDATA_SECTION_NODE;
}

function mergeAdjacentText(parent: Node): void {
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (!isText(c) || !isText(c.nextSibling)) continue;
    let text = c.nodeValue ?? '';
    for (let next = c.nextSibling; next && isText(next); next = c.nextSibling) {
      text += next.nodeValue ?? '';
      parent.removeChild(next);
    }
    const doc = c.ownerDocument;
    if (!doc) continue;
    const joined = doc.createTextNode(text);
    parent.replaceChild(joined, c);
    c = joined;
  }
}
