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
  const prefixes = options.inclusivePrefixes ?? [];
  const state: State = {
    out: '',
    hadComments: false,
    withComments: options.withComments === true,
    inclusive:
      prefixes.length === 0
        ? NO_PREFIXES
        : new Set(prefixes.map((p) => (p === '#default' ? '' : p))),
  };
  renderElement(apex, { rendered: new Map() }, state);
  return { text: state.out, hadComments: state.hadComments };
}

const NO_PREFIXES: ReadonlySet<string> = new Set();

interface State {
  /** The canonical text so far (one string: fewer allocations than pieces joined). */
  out: string;
  hadComments: boolean;
  readonly withComments: boolean;
  readonly inclusive: ReadonlySet<string>;
}

interface Attribute {
  readonly ns: string;
  readonly local: string;
  readonly name: string;
  readonly value: string;
}

function byNamespaceThenName(a: Attribute, b: Attribute): number {
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  return a.local < b.local ? -1 : a.local > b.local ? 1 : 0;
}

function renderElement(el: Element, frame: Frame, state: State): void {
  // The element's attributes, namespace declarations apart.
  const attrs: Attribute[] = [];
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list.item(i);
    if (!a || a.name === 'xmlns' || a.prefix === 'xmlns') continue;
    attrs.push({
      ns: a.namespaceURI ?? '',
      local: a.localName ?? a.name,
      name: a.name,
      value: a.value,
    });
  }

  // Visibly utilized prefixes, in order of first use: the element's own and its attributes'
  // (xml excepted). Parallel arrays: an element uses one to three.
  const prefixes: string[] = [el.prefix ?? ''];
  const uris: string[] = [el.namespaceURI ?? ''];
  for (const a of attrs) {
    const colon = a.name.indexOf(':');
    if (colon <= 0) continue;
    const prefix = a.name.slice(0, colon);
    if (prefix === 'xml') continue;
    const at = prefixes.indexOf(prefix);
    if (at < 0) {
      prefixes.push(prefix);
      uris.push(a.ns);
    } else uris[at] = a.ns;
  }
  // The inclusive list renders prefixes in scope here as inclusive c14n would.
  if (state.inclusive.size > 0) {
    const declared = declarationsOf(el);
    for (const prefix of state.inclusive) {
      if (prefixes.includes(prefix)) continue;
      const uri = declared.get(prefix) ?? lookupInScope(el, prefix);
      if (uri === undefined) continue;
      prefixes.push(prefix);
      uris.push(uri);
    }
  }

  const toRender: number[] = [];
  let rendered: Map<string, string> | undefined;
  for (let i = 0; i < prefixes.length; i++) {
    const prefix = prefixes[i] ?? '';
    const uri = uris[i] ?? '';
    const current = frame.rendered.get(prefix);
    // The default namespace: render when it differs from the output ancestor's. An empty
    // default needs rendering only to undo a non-empty one.
    if (prefix === '' ? (current ?? '') === uri : current === uri) continue;
    toRender.push(i);
    rendered ??= new Map(frame.rendered);
    rendered.set(prefix, uri);
  }
  if (toRender.length > 1) {
    toRender.sort((x, y) => {
      const a = prefixes[x] ?? '';
      const b = prefixes[y] ?? '';
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }
  if (attrs.length > 1) attrs.sort(byNamespaceThenName);

  let out = `<${el.tagName}`;
  for (const i of toRender) {
    const prefix = prefixes[i] ?? '';
    out += `${prefix === '' ? ' xmlns="' : ` xmlns:${prefix}="`}${escapeAttr(uris[i] ?? '')}"`;
  }
  for (const a of attrs) out += ` ${a.name}="${escapeAttr(a.value)}"`;
  state.out += `${out}>`;

  const childFrame: Frame = rendered ? { rendered } : frame;
  for (let c: Node | null = el.firstChild; c; c = c.nextSibling) {
    switch (c.nodeType) {
      case ELEMENT_NODE:
        renderElement(c as Element, childFrame, state);
        break;
      case TEXT_NODE:
      case CDATA_SECTION_NODE:
        state.out += escapeText(c.nodeValue ?? '');
        break;
      case COMMENT_NODE:
        state.hadComments = true;
        if (state.withComments) state.out += `<!--${c.nodeValue ?? ''}-->`;
        break;
      case PROCESSING_INSTRUCTION_NODE: {
        const pi = c as Node & { target?: string; data?: string };
        state.out += `<?${pi.target ?? ''}${pi.data ? ` ${pi.data}` : ''}?>`;
        break;
      }
      default:
        break;
    }
  }
  state.out += `</${el.tagName}>`;
}

/** The namespace declarations made on `el`: prefix ('' default) → URI. */
function declarationsOf(el: Element): Map<string, string> {
  const declared = new Map<string, string>();
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list.item(i);
    if (!a) continue;
    if (a.name === 'xmlns') declared.set('', a.value);
    else if (a.prefix === 'xmlns') declared.set(a.localName ?? '', a.value);
  }
  return declared;
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
