/**
 * Exclusive XML Canonicalization 1.0 (http://www.w3.org/2001/10/xml-exc-c14n#) of an element
 * subtree, with and without comments, and with an InclusiveNamespaces PrefixList.
 *
 * Written here rather than taken from xml-crypto: one pass, no DOM mutation, no search, and
 * it reports what it met (comments) so the verifier can refuse them. The test suite checks it
 * against xml-crypto's and xmlsec1's output.
 */
import {
  CDATA_SECTION_NODE,
  COMMENT_NODE,
  ELEMENT_NODE,
  PROCESSING_INSTRUCTION_NODE,
  TEXT_NODE,
  isElement,
} from '../xml/dom.js';
import type { Element, Node } from '../xml/dom.js';
import { NS } from '../xml/ns.js';

export interface CanonicalizeOptions {
  /** Keep comments (the #WithComments variant). */
  readonly withComments?: boolean;
  /** InclusiveNamespaces PrefixList; `#default` stands for the default namespace. */
  readonly inclusivePrefixes?: readonly string[];
}

export interface CanonicalizeResult {
  readonly text: string;
  /** True when the subtree holds a comment (dropped unless withComments). */
  readonly hadComments: boolean;
}

interface Frame {
  /** Namespace declarations rendered by output ancestors: prefix ('' default) → URI. */
  readonly rendered: ReadonlyMap<string, string>;
}

/** Canonicalize `apex` and its descendants. */
export function canonicalize(apex: Element, options: CanonicalizeOptions = {}): CanonicalizeResult {
  const inclusive = new Set(
    (options.inclusivePrefixes ?? []).map((p) => (p === '#default' ? '' : p)),
  );
  const state = {
    out: [] as string[],
    hadComments: false,
    withComments: options.withComments === true,
  };
  renderElement(apex, { rendered: new Map() }, inclusive, state);
  return { text: state.out.join(''), hadComments: state.hadComments };
}

interface State {
  out: string[];
  hadComments: boolean;
  readonly withComments: boolean;
}

function renderElement(
  el: Element,
  frame: Frame,
  inclusive: ReadonlySet<string>,
  state: State,
): void {
  // Namespace declarations made on this element, and its attributes.
  const declared = new Map<string, string>();
  const attrs: { ns: string; local: string; name: string; value: string }[] = [];
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list.item(i);
    if (!a) continue;
    if (a.name === 'xmlns') declared.set('', a.value);
    else if (a.prefix === 'xmlns') declared.set(a.localName ?? '', a.value);
    else
      attrs.push({
        ns: a.namespaceURI ?? '',
        local: a.localName ?? a.name,
        name: a.name,
        value: a.value,
      });
  }

  // Visibly utilized prefixes: the element's own and its attributes' (xml excepted).
  const utilized = new Map<string, string>();
  utilized.set(el.prefix ?? '', el.namespaceURI ?? '');
  for (const a of attrs) {
    const colon = a.name.indexOf(':');
    if (colon > 0) {
      const prefix = a.name.slice(0, colon);
      if (prefix !== 'xml') utilized.set(prefix, a.ns);
    }
  }
  // The inclusive list renders prefixes in scope here as inclusive c14n would.
  if (inclusive.size > 0) {
    for (const prefix of inclusive) {
      if (utilized.has(prefix)) continue;
      const uri = declared.get(prefix) ?? lookupInScope(el, prefix);
      if (uri !== undefined) utilized.set(prefix, uri);
    }
  }

  const toRender: [string, string][] = [];
  let rendered: Map<string, string> | undefined;
  for (const [prefix, uri] of utilized) {
    const current = frame.rendered.get(prefix);
    if (prefix === '') {
      // The default namespace: render when it differs from the output ancestor's. An empty
      // default needs rendering only to undo a non-empty one.
      if ((current ?? '') === uri) continue;
    } else if (current === uri) {
      continue;
    }
    toRender.push([prefix, uri]);
    rendered ??= new Map(frame.rendered);
    rendered.set(prefix, uri);
  }
  toRender.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  attrs.sort((a, b) =>
    a.ns === b.ns ? (a.local < b.local ? -1 : a.local > b.local ? 1 : 0) : a.ns < b.ns ? -1 : 1,
  );

  const out = state.out;
  out.push('<', el.tagName);
  for (const [prefix, uri] of toRender) {
    out.push(prefix === '' ? ' xmlns="' : ` xmlns:${prefix}="`, escapeAttr(uri), '"');
  }
  for (const a of attrs) out.push(' ', a.name, '="', escapeAttr(a.value), '"');
  out.push('>');

  const childFrame: Frame = rendered ? { rendered } : frame;
  for (let c: Node | null = el.firstChild; c; c = c.nextSibling) {
    switch (c.nodeType) {
      case ELEMENT_NODE:
        renderElement(c as Element, childFrame, inclusive, state);
        break;
      case TEXT_NODE:
      case CDATA_SECTION_NODE:
        out.push(escapeText(c.nodeValue ?? ''));
        break;
      case COMMENT_NODE:
        state.hadComments = true;
        if (state.withComments) out.push('<!--', c.nodeValue ?? '', '-->');
        break;
      case PROCESSING_INSTRUCTION_NODE: {
        const pi = c as Node & { target?: string; data?: string };
        out.push('<?', pi.target ?? '', pi.data ? ` ${pi.data}` : '', '?>');
        break;
      }
      default:
        break;
    }
  }
  out.push('</', el.tagName, '>');
}

/** The namespace bound to `prefix` at `el` (ancestors beyond the apex included). */
function lookupInScope(el: Element, prefix: string): string | undefined {
  for (let n: Node | null = el; isElement(n); n = n.parentNode) {
    const a = prefix === '' ? n.getAttributeNode('xmlns') : n.getAttributeNodeNS(NS.xmlns, prefix);
    if (a) return a.value;
  }
  return undefined;
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
};
const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

function escapeText(s: string): string {
  return /[&<>\r]/.test(s) ? s.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c) : s;
}

function escapeAttr(s: string): string {
  return /[&<"\t\n\r]/.test(s) ? s.replace(/[&<"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c) : s;
}
