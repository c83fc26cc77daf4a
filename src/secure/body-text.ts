/**
 * Sender: the envelope to secure read without a DOM of its Body. One tokenizer pass checks
 * the whole input (limits, well-formedness), finds the Envelope's Body by position and, when
 * asked, canonicalizes and digests the Body in the same pass (its start tag as the sender will
 * write it: with the wsu:Id it is given). Only the rest (Envelope, Header, the Body's start
 * tag) becomes elements. The Body content stays text: encrypted as bytes, spliced back on
 * output.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  ExclusiveCanonicalizer,
  HashSink,
  StringSink,
  apexOf,
  canonicalizeElementWithContent,
} from '../dsig/c14n-stream.js';
import type { ApexElement } from '../dsig/c14n-stream.js';
import { reject } from '../errors.js';
import { decodeMessage } from '../xml/decode.js';
import { COMMENT_NODE, parseTrusted } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { NS, PREFIX } from '../xml/ns.js';
import type { ParseLimits } from '../xml/parse.js';
import { tokenize } from '../xml/tokenizer.js';
import type { NamespaceScope, StartTag } from '../xml/tokenizer.js';

/**
 * The Body's digest found by the reading pass, valid while the Body's start tag canonicalizes
 * (and its namespaces are in scope) exactly as predicted.
 */
interface EarlyDigest {
  readonly hash: string;
  readonly apexKey: string;
  readonly digest: Buffer;
}

/** The Body content of an envelope being secured, held as text. */
export class BodyText {
  readonly #content: string;
  readonly #marker: string;
  readonly #limits: ParseLimits;
  #element: Element | undefined;
  #encrypted = false;
  /** Where the plaintext needs declarations, found by the digest pass, for that scope. */
  #inserts: { readonly scope: string; readonly inserts: readonly Insert[] } | undefined;
  #early: EarlyDigest | undefined;
  #placeholder: string | undefined;
  #cipherValue: string | undefined;
  /** True when the last {@link digest} was the reading pass's (one pass over the content). */
  digestedWhileRead = false;
  /** The wsu:Id to give the Body when it has no id (the reading pass digested it so). */
  readonly bodyId: string;

  constructor(
    content: string,
    marker: string,
    limits: ParseLimits,
    bodyId: string,
    early?: { readonly digest: EarlyDigest; readonly scope: string; inserts: readonly Insert[] },
  ) {
    this.#content = content;
    this.#marker = marker;
    this.#limits = limits;
    this.bodyId = bodyId;
    if (early) {
      this.#early = early.digest;
      this.#inserts = { scope: early.scope, inserts: early.inserts };
    }
  }

  /** The DOM Body element (empty but for the marker) that stands for this content. */
  attach(body: Element): void {
    this.#element = body;
  }

  /** True when `el` is the Body whose content this holds, and it is not yet encrypted. */
  holds(el: Element): boolean {
    return !this.#encrypted && el === this.#element;
  }

  /** The digest of the Body (start tag as it stands now + content), exclusive c14n. */
  digest(algorithm: string): Buffer {
    const apex = apexOf(this.#body());
    const early = this.#early;
    // The reading pass's digest holds only for the start tag and scope it predicted.
    if (early?.hash === algorithm && early.apexKey === apexKey(apex)) {
      this.digestedWhileRead = true;
      return early.digest;
    }
    this.digestedWhileRead = false;
    const sink = new HashSink(createHash(algorithm));
    // The same pass finds where the plaintext needs namespace declarations (takePlaintext).
    const inserts: Insert[] = [];
    canonicalizeElementWithContent(apex, this.#content, {}, sink, this.#limits, (t) => {
      insertFor(t, apex, inserts);
    });
    this.#inserts = { scope: scopeKey(apex.scope), inserts };
    return sink.end().digest();
  }

  /**
   * The content as bytes to encrypt, self-contained: each top-level element also declares
   * the namespaces in scope at the Body that it does not declare itself, so the plaintext
   * reads the same wherever a receiver parses it. Marks the content encrypted (the marker
   * leaves the Body).
   */
  takePlaintext(): Buffer {
    return Buffer.from(this.takePlaintextParts().join(''), 'utf8');
  }

  /** {@link takePlaintext} as pieces of text (slices of the content and the declarations). */
  takePlaintextParts(): string[] {
    const body = this.#body();
    const apex = apexOf(body);
    // Reuse the digest pass's findings when the namespaces in scope are still the same.
    let inserts = this.#inserts?.scope === scopeKey(apex.scope) ? this.#inserts.inserts : undefined;
    if (!inserts) {
      const found: Insert[] = [];
      tokenize(
        this.#content,
        {
          startElement: (t: StartTag) => {
            insertFor(t, apex, found);
          },
        },
        { limits: this.#limits, mode: 'content', context: apex.scope, baseDepth: apex.tag.depth },
      );
      inserts = found;
    }
    const parts: string[] = [];
    let last = 0;
    for (const { at, text } of inserts) {
      parts.push(this.#content.slice(last, at), text);
      last = at;
    }
    parts.push(this.#content.slice(last));
    for (let c = body.firstChild; c;) {
      const next = c.nextSibling;
      if (c.nodeType === COMMENT_NODE && c.nodeValue === this.#marker) body.removeChild(c);
      c = next;
    }
    this.#encrypted = true;
    return parts;
  }

  /**
   * The text that stands for the CipherValue of the encrypted content until {@link splice}
   * puts the value given to {@link deferCipherValue} in its place.
   */
  get cipherPlaceholder(): string {
    this.#placeholder ??= `wsseq-cipher-${randomUUID()}`;
    return this.#placeholder;
  }

  /** The CipherValue text that {@link splice} puts in place of {@link cipherPlaceholder}. */
  deferCipherValue(cipherValue: string): void {
    this.#cipherValue = cipherValue;
  }

  /**
   * Put the content back into the serialized envelope (unless it was encrypted), or the
   * deferred CipherValue of the encrypted content.
   */
  splice(serialized: string): string {
    const placeholder = this.#placeholder;
    const cipherValue = this.#cipherValue;
    if (placeholder !== undefined && cipherValue !== undefined) {
      const at = serialized.lastIndexOf(placeholder);
      if (at === -1) throw new Error('the CipherValue placeholder is missing');
      return serialized.slice(0, at) + cipherValue + serialized.slice(at + placeholder.length);
    }
    if (this.#encrypted) return serialized;
    const marker = `<!--${this.#marker}-->`;
    const at = serialized.indexOf(marker);
    if (at === -1) throw new Error('the Body content marker is missing');
    return serialized.slice(0, at) + this.#content + serialized.slice(at + marker.length);
  }

  #body(): Element {
    if (!this.#element) throw new Error('the Body content is not attached');
    return this.#element;
  }
}

/**
 * Read an envelope to secure: checked by the tokenizer within `limits`, built as elements
 * except for the Body's content (returned as {@link BodyText}, attach it to the Body). With
 * `digestHash` (a node:crypto hash name), the same pass digests the Body as it will be signed
 * (with `bodyId`, default a fresh one, as its wsu:Id when it has no id).
 * @throws WsseqError `MalformedMessage`, `LimitExceeded`.
 */
export function readEnvelopeToSecure(
  input: string | Uint8Array,
  limits: ParseLimits,
  options: { readonly digestHash?: string | undefined; readonly bodyId?: string } = {},
): { document: Document; bodyText: BodyText | undefined } {
  const text = decodeMessage(input, limits.maxBytes);
  const { digestHash, bodyId = `Body-${randomUUID()}` } = options;
  let root: StartTag | undefined;
  let body: StartTag | undefined;
  let bodyEnd = -1;
  let early: BodyDigestPass | undefined;
  tokenize(
    text,
    {
      startElement(tag, scope) {
        if (early?.inBody) early.startElement(tag, scope);
        else if (tag.depth === 1) root = tag;
        else if (
          tag.depth === 2 &&
          body === undefined &&
          root?.local === 'Envelope' &&
          tag.local === 'Body' &&
          tag.uri === root.uri &&
          (tag.uri === NS.soap11 || tag.uri === NS.soap12)
        ) {
          body = tag;
          if (digestHash !== undefined && !tag.selfClosing) {
            early = BodyDigestPass.start(tag, scope, bodyId, digestHash);
          }
        }
      },
      endElement(tag, end) {
        if (tag === body) {
          bodyEnd = end;
          early?.endBody();
        } else if (early?.inBody) early.endElement(tag);
      },
      text(value) {
        if (early?.inBody) early.text(value);
      },
    },
    { limits },
  );
  if (!body || body.selfClosing || bodyEnd <= body.contentStart) {
    return { document: parseChecked(text), bodyText: undefined };
  }
  const marker = `wsseq-body-${randomUUID()}`;
  const document = parseChecked(
    `${text.slice(0, body.contentStart)}<!--${marker}-->${text.slice(bodyEnd)}`,
  );
  return {
    document,
    bodyText: new BodyText(
      text.slice(body.contentStart, bodyEnd),
      marker,
      limits,
      bodyId,
      early?.result(),
    ),
  };
}

/**
 * The Body canonicalized and digested while the envelope is read: its start tag as the
 * sender will write it (given `wsu:Id` when it has no id), then its content as tokenized.
 * Comments are not part of exclusive c14n without comments, so they are not fed.
 */
class BodyDigestPass {
  inBody = true;
  readonly #apex: ApexElement;
  readonly #c14n: ExclusiveCanonicalizer;
  readonly #sink: HashSink;
  readonly #hash: string;
  readonly #inserts: Insert[] = [];
  /** Where the content starts in the text read (inserts are offsets into the content). */
  readonly #offset: number;
  #digest: Buffer | undefined;

  private constructor(apex: ApexElement, hash: string) {
    this.#apex = apex;
    this.#offset = apex.tag.contentStart;
    this.#hash = hash;
    this.#sink = new HashSink(createHash(hash));
    this.#c14n = new ExclusiveCanonicalizer(this.#sink);
    this.#c14n.startElement(apex.tag, { lookup: (p) => apex.scope.get(p) });
  }

  /** Undefined when the Body's start tag cannot be predicted (wsu bound elsewhere). */
  static start(
    tag: StartTag,
    scope: NamespaceScope,
    bodyId: string,
    hash: string,
  ): BodyDigestPass | undefined {
    const inScope = new Map(scope.entries());
    inScope.set('xml', NS.xml);
    const hasId = tag.attributes.some(
      (a) =>
        (a.local === 'Id' && (a.uri === NS.wsu || a.uri === '')) ||
        (a.local === 'id' && a.uri === NS.xml),
    );
    if (hasId) return new BodyDigestPass({ tag, scope: inScope }, hash);
    const bound = inScope.get(PREFIX.wsu);
    if (bound !== undefined && bound !== NS.wsu) return undefined;
    inScope.set(PREFIX.wsu, NS.wsu);
    const withId: StartTag = {
      ...tag,
      attributes: [
        ...tag.attributes,
        { qname: `${PREFIX.wsu}:Id`, prefix: PREFIX.wsu, local: 'Id', uri: NS.wsu, value: bodyId },
      ],
      namespaces: [
        ...tag.namespaces.filter((d) => d.prefix !== PREFIX.wsu),
        { prefix: PREFIX.wsu, uri: NS.wsu },
      ],
    };
    return new BodyDigestPass({ tag: withId, scope: inScope }, hash);
  }

  startElement(tag: StartTag, scope: NamespaceScope): void {
    insertFor(tag, this.#apex, this.#inserts, this.#offset);
    this.#c14n.startElement(tag, scope);
  }

  endElement(tag: StartTag): void {
    this.#c14n.endElement(tag);
  }

  text(value: string): void {
    this.#c14n.text(value);
  }

  endBody(): void {
    this.#c14n.endElement(this.#apex.tag);
    this.#digest = this.#sink.end().digest();
    this.inBody = false;
  }

  result(): { digest: EarlyDigest; scope: string; inserts: readonly Insert[] } | undefined {
    if (!this.#digest) return undefined;
    return {
      digest: { hash: this.#hash, apexKey: apexKey(this.#apex), digest: this.#digest },
      scope: scopeKey(this.#apex.scope),
      inserts: this.#inserts,
    };
  }
}

/** What the content's canonical form depends on: the scope and the apex's canonical start tag. */
function apexKey(apex: ApexElement): string {
  const sink = new StringSink();
  new ExclusiveCanonicalizer(sink).startElement(apex.tag, { lookup: (p) => apex.scope.get(p) });
  return `${scopeKey(apex.scope)}\u0000${sink.text}`;
}

function parseChecked(text: string): Document {
  try {
    return parseTrusted(text);
  } catch (cause) {
    throw reject('MalformedMessage', 'the envelope is not well-formed XML', cause);
  }
}

interface Insert {
  readonly at: number;
  readonly text: string;
}

function sortedEntries(scope: ReadonlyMap<string, string>): [string, string][] {
  return [...scope].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function scopeKey(scope: ReadonlyMap<string, string>): string {
  return JSON.stringify(sortedEntries(scope));
}

/**
 * For a top-level element of the content: the namespaces in scope at the Body it does not
 * declare itself, as declarations to insert after its name.
 */
function insertFor(t: StartTag, apex: ApexElement, inserts: Insert[], offset = 0): void {
  if (t.depth !== apex.tag.depth + 1) return;
  let decls = '';
  // In prefix order, so the plaintext does not depend on how the scope was gathered.
  for (const [prefix, uri] of sortedEntries(apex.scope)) {
    if (prefix === 'xml' || t.namespaces.some((d) => d.prefix === prefix)) continue;
    if (prefix === '' && uri === '') continue;
    decls +=
      prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
  }
  if (decls !== '') inserts.push({ at: t.start - offset + 1 + t.qname.length, text: decls });
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
