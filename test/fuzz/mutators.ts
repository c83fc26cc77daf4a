/**
 * Seeded mutations of a secured message for the open fuzz test: byte flips, truncations,
 * duplicated and moved elements, inserted comments / processing instructions / DOCTYPE /
 * CDATA, changed prefixes and namespaces, id collisions, inserted Bodies, and huge counts.
 * Each mutator returns the mutant (string or bytes) or undefined when it does not apply.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';

export type Random = () => number;
export type Mutant = string | Uint8Array;
export type Mutator = (wire: string, rnd: Random) => Mutant | undefined;

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

const int = (rnd: Random, n: number): number => Math.floor(rnd() * n);
function pick<T>(rnd: Random, list: readonly T[]): T | undefined {
  return list[int(rnd, list.length)];
}

function parse(wire: string): Document {
  return new DOMParser({ onError: () => undefined }).parseFromString(wire, 'text/xml');
}
const serialize = (doc: Document): string => new XMLSerializer().serializeToString(doc);

function elementsOf(doc: Document): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        out.push(c as Element);
        walk(c);
      }
    }
  };
  walk(doc);
  return out;
}

/** Offsets just after a '>' (between markup), where inserted markup lands in content. */
function gaps(wire: string): number[] {
  const out: number[] = [];
  for (let i = wire.indexOf('>'); i >= 0; i = wire.indexOf('>', i + 1)) out.push(i + 1);
  return out;
}

function insertAtGap(wire: string, rnd: Random, text: string): string {
  const at = pick(rnd, gaps(wire)) ?? 0;
  return wire.slice(0, at) + text + wire.slice(at);
}

const byteFlip: Mutator = (wire, rnd) => {
  const bytes = Buffer.from(wire, 'utf8');
  const n = 1 + int(rnd, 3);
  for (let i = 0; i < n; i++) {
    const at = int(rnd, bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 << int(rnd, 8));
  }
  return rnd() < 0.5 ? new Uint8Array(bytes) : bytes.toString('utf8');
};

const charSwap: Mutator = (wire, rnd) => {
  const at = int(rnd, wire.length);
  const c = pick(rnd, ['<', '>', '"', "'", '&', '=', ' ', '/', ':', 'x', '\u0000', '\uFFFF', '😀']);
  return wire.slice(0, at) + (c ?? '') + wire.slice(at + 1);
};

const truncate: Mutator = (wire, rnd) => wire.slice(0, int(rnd, wire.length));

const duplicateElement: Mutator = (wire, rnd) => {
  const doc = parse(wire);
  const el = pick(rnd, elementsOf(doc));
  if (!el?.parentNode) return undefined;
  const copy = el.cloneNode(true);
  if (rnd() < 0.5) el.parentNode.insertBefore(copy, el.nextSibling);
  else {
    const target = pick(rnd, elementsOf(doc));
    target?.appendChild(copy);
  }
  return serialize(doc);
};

const moveElement: Mutator = (wire, rnd) => {
  const doc = parse(wire);
  const all = elementsOf(doc);
  const el = pick(rnd, all);
  const target = pick(rnd, all);
  if (!el?.parentNode || !target || el === target) return undefined;
  for (let n: Node | null = target; n; n = n.parentNode) if (n === el) return undefined;
  el.parentNode.removeChild(el);
  if (rnd() < 0.5) target.appendChild(el);
  else target.parentNode?.insertBefore(el, target);
  return serialize(doc);
};

const insertMarkup: Mutator = (wire, rnd) => {
  const markup = pick(rnd, [
    '<!-- c -->',
    '<!---->',
    '<?pi data?>',
    '<?xml-stylesheet href="x"?>',
    '<![CDATA[<x/>&]]>',
    '<!DOCTYPE x [<!ENTITY e "boom">]>',
    '<!DOCTYPE soap:Envelope SYSTEM "http://127.0.0.1:1/x.dtd">',
    '&e;',
    '&#0;',
    '&#x1;',
    '&lt;',
    ' ',
    '\r\n',
    '<x xmlns="urn:x"/>',
  ]);
  if (markup === undefined) return undefined;
  return rnd() < 0.2 ? markup + wire : insertAtGap(wire, rnd, markup);
};

const changePrefix: Mutator = (wire, rnd) => {
  const prefixes = [...new Set([...wire.matchAll(/<([A-Za-z][\w.-]*):/g)].map((m) => m[1]))];
  const p = pick(rnd, prefixes);
  if (p === undefined) return undefined;
  const occurrences = [...wire.matchAll(new RegExp(`([</])${p}:`, 'g'))];
  const m = pick(rnd, occurrences);
  if (m?.index === undefined) return undefined;
  const replacement = pick(rnd, [
    'q',
    `${p}x`,
    'wsse',
    'soap',
    'ds',
    'xenc',
    'wsu',
    'xml',
    'xmlns',
  ]);
  return (
    wire.slice(0, m.index + 1) + `${replacement ?? 'q'}:` + wire.slice(m.index + 1 + p.length + 1)
  );
};

const changeNamespace: Mutator = (wire, rnd) => {
  const decls = [...wire.matchAll(/xmlns(:[\w.-]+)?="([^"]*)"/g)];
  const m = pick(rnd, decls);
  if (m?.index === undefined) return undefined;
  const uri = m[2] ?? '';
  const options = [
    '',
    `${uri}x`,
    uri.slice(0, -1),
    'http://schemas.xmlsoap.org/soap/envelope/',
    'http://www.w3.org/2003/05/soap-envelope',
    WSU,
    'urn:evil',
  ];
  const replaced = m[0].replace(`"${uri}"`, `"${pick(rnd, options) ?? ''}"`);
  return wire.slice(0, m.index) + replaced + wire.slice(m.index + m[0].length);
};

const idCollision: Mutator = (wire, rnd) => {
  const doc = parse(wire);
  const all = elementsOf(doc);
  const withId = all.filter((e) => e.hasAttributeNS(WSU, 'Id') || e.hasAttribute('Id'));
  const source = pick(rnd, withId);
  const target = pick(rnd, all);
  if (!source || !target) return undefined;
  const id = source.getAttributeNS(WSU, 'Id') || source.getAttribute('Id') || '';
  if (rnd() < 0.5) target.setAttributeNS(WSU, 'wsu:Id', id);
  else target.setAttribute('Id', id);
  return serialize(doc);
};

const insertBody: Mutator = (wire, rnd) => {
  const doc = parse(wire);
  const envelope = doc.documentElement;
  if (!envelope) return undefined;
  const ns = envelope.namespaceURI ?? '';
  const prefix = envelope.prefix ?? 'soap';
  const all = elementsOf(doc);
  const body = all.find((e) => e.localName === 'Body' && e.namespaceURI === ns);
  let extra: Node;
  if (body && rnd() < 0.5) {
    extra = body.cloneNode(true);
  } else {
    const evil = doc.createElementNS(ns, `${prefix}:Body`);
    const order = doc.createElementNS('urn:example:orders', 'm:PlaceOrder');
    order.appendChild(doc.createTextNode('evil'));
    evil.appendChild(order);
    if (body && rnd() < 0.5) {
      const id = body.getAttributeNS(WSU, 'Id');
      if (id) evil.setAttributeNS(WSU, 'wsu:Id', id);
    }
    extra = evil;
  }
  const target = pick(rnd, all);
  if (!target) return undefined;
  if (rnd() < 0.5) target.appendChild(extra);
  else target.parentNode?.insertBefore(extra, target);
  return serialize(doc);
};

const hugeCount: Mutator = (wire, rnd) => {
  const kind = int(rnd, 6);
  switch (kind) {
    case 0: // many elements
      return insertAtGap(wire, rnd, '<x/>'.repeat(200_001 + int(rnd, 5_000)));
    case 1: {
      // deep nesting
      const depth = 60 + int(rnd, 200);
      return insertAtGap(wire, rnd, '<d>'.repeat(depth) + '</d>'.repeat(depth));
    }
    case 2: {
      // many attributes on one element
      const n = 60 + int(rnd, 200);
      const attrs = Array.from({ length: n }, (_, i) => ` a${i}="v"`).join('');
      return insertAtGap(wire, rnd, `<x${attrs}/>`);
    }
    case 3: {
      // many Security header entries: repeat the Timestamp or another child
      const m = /<wsu:Timestamp[\s\S]*?<\/wsu:Timestamp>/.exec(wire);
      if (!m) return undefined;
      const copies = m[0].repeat(30 + int(rnd, 100)).replace(/wsu:Id="[^"]*"/g, '');
      return wire.slice(0, m.index) + copies + wire.slice(m.index);
    }
    case 4: // a very long text node
      return insertAtGap(wire, rnd, 'y'.repeat(300_000 + int(rnd, 700_000)));
    default: {
      // many signature references
      const m = /<ds:Reference[\s\S]*?<\/ds:Reference>/.exec(wire);
      if (!m) return undefined;
      return wire.slice(0, m.index) + m[0].repeat(40 + int(rnd, 200)) + wire.slice(m.index);
    }
  }
};

/** Every mutator, with a weight (how often it is chosen). */
export const MUTATORS: readonly (readonly [string, Mutator, number])[] = [
  ['byteFlip', byteFlip, 6],
  ['charSwap', charSwap, 4],
  ['truncate', truncate, 2],
  ['duplicateElement', duplicateElement, 4],
  ['moveElement', moveElement, 4],
  ['insertMarkup', insertMarkup, 4],
  ['changePrefix', changePrefix, 3],
  ['changeNamespace', changeNamespace, 3],
  ['idCollision', idCollision, 3],
  ['insertBody', insertBody, 3],
  ['hugeCount', hugeCount, 0.15],
];

/** One mutant of `wire`: one to three mutations stacked. */
export function mutate(wire: string, rnd: Random): { mutant: Mutant; names: string[] } {
  const total = MUTATORS.reduce((a, m) => a + m[2], 0);
  const choose = (): readonly [string, Mutator, number] => {
    let r = rnd() * total;
    for (const m of MUTATORS) {
      r -= m[2];
      if (r <= 0) return m;
    }
    return MUTATORS[0] ?? ['byteFlip', byteFlip, 1];
  };
  let mutant: Mutant = wire;
  const names: string[] = [];
  const n = rnd() < 0.8 ? 1 : 2 + int(rnd, 2);
  for (let i = 0; i < n; i++) {
    const [name, fn] = choose();
    const input = typeof mutant === 'string' ? mutant : Buffer.from(mutant).toString('utf8');
    let next: Mutant | undefined;
    try {
      next = fn(input, rnd);
    } catch {
      // A DOM mutator over an earlier mutant that xmldom cannot build: not applicable.
      next = undefined;
    }
    if (next === undefined) continue;
    mutant = next;
    names.push(name);
  }
  return { mutant, names };
}
