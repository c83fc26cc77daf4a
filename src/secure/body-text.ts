/**
 * Sender: the envelope to secure read without a DOM of its Body. One tokenizer pass checks
 * the whole input (limits, well-formedness) and finds the Envelope's Body by position; only
 * the rest (Envelope, Header, the Body's start tag) becomes elements. The Body content stays
 * text: digested by the streaming c14n, encrypted as bytes, spliced back on output.
 */
import { createHash, randomUUID } from 'node:crypto';
import { HashSink, apexOf, canonicalizeElementWithContent } from '../dsig/c14n-stream.js';
import type { ApexElement } from '../dsig/c14n-stream.js';
import { reject } from '../errors.js';
import { decodeMessage } from '../xml/decode.js';
import { COMMENT_NODE, parseTrusted } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import type { ParseLimits } from '../xml/parse.js';
import { tokenize } from '../xml/tokenizer.js';
import type { StartTag } from '../xml/tokenizer.js';

/** The Body content of an envelope being secured, held as text. */
export class BodyText {
  readonly #content: string;
  readonly #marker: string;
  readonly #limits: ParseLimits;
  #element: Element | undefined;
  #encrypted = false;
  /** Where the plaintext needs declarations, found by the digest pass, for that scope. */
  #inserts: { readonly scope: string; readonly inserts: readonly Insert[] } | undefined;

  constructor(content: string, marker: string, limits: ParseLimits) {
    this.#content = content;
    this.#marker = marker;
    this.#limits = limits;
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
    return Buffer.from(parts.join(''), 'utf8');
  }

  /** Put the content back into the serialized envelope (unless it was encrypted). */
  splice(serialized: string): string {
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
 * except for the Body's content (returned as {@link BodyText}, attach it to the Body).
 * @throws WsseqError `MalformedMessage`, `LimitExceeded`.
 */
export function readEnvelopeToSecure(
  input: string | Uint8Array,
  limits: ParseLimits,
): { document: Document; bodyText: BodyText | undefined } {
  const text = decodeMessage(input, limits.maxBytes);
  let root: StartTag | undefined;
  let body: StartTag | undefined;
  let bodyEnd = -1;
  tokenize(
    text,
    {
      startElement(tag) {
        if (tag.depth === 1) root = tag;
        else if (
          tag.depth === 2 &&
          body === undefined &&
          root?.local === 'Envelope' &&
          tag.local === 'Body' &&
          tag.uri === root.uri &&
          (tag.uri === NS.soap11 || tag.uri === NS.soap12)
        ) {
          body = tag;
        }
      },
      endElement(tag, end) {
        if (tag === body) bodyEnd = end;
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
    bodyText: new BodyText(text.slice(body.contentStart, bodyEnd), marker, limits),
  };
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

function scopeKey(scope: ReadonlyMap<string, string>): string {
  return JSON.stringify([...scope]);
}

/**
 * For a top-level element of the content: the namespaces in scope at the Body it does not
 * declare itself, as declarations to insert after its name.
 */
function insertFor(t: StartTag, apex: ApexElement, inserts: Insert[]): void {
  if (t.depth !== apex.tag.depth + 1) return;
  let decls = '';
  for (const [prefix, uri] of apex.scope) {
    if (prefix === 'xml' || t.namespaces.some((d) => d.prefix === prefix)) continue;
    if (prefix === '' && uri === '') continue;
    decls +=
      prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
  }
  if (decls !== '') inserts.push({ at: t.start + 1 + t.qname.length, text: decls });
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
