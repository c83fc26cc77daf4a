/** What xml-crypto needs to canonicalize a subtree of an xmldom document, for test oracles. */
import type { Element } from '@xmldom/xmldom';

/** Namespaces in scope at `el` from its ancestors (nearest binding wins), as xml-crypto wants. */
export function ancestorNamespaces(el: Element): { prefix: string; namespaceURI: string }[] {
  const seen = new Map<string, string>();
  for (let n = el.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i);
      if (a?.prefix === 'xmlns' && !seen.has(a.localName ?? '')) {
        seen.set(a.localName ?? '', a.value);
      }
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}
