/**
 * A decrypted Body kept as text: tokenized and checked once (limits, characters, names,
 * namespaces; ids joined to the message's index; a stray SOAP Body refused), canonicalized
 * and digested straight from the text, and built as elements only when someone needs them
 * (a reference to an element inside it, or the application reading the DOM).
 */
import { createHash } from 'node:crypto';
import { DecryptionError, reject } from '../errors.js';
import {
  ChunkSink,
  ExclusiveCanonicalizer,
  HashSink,
  StringSink,
  apexOf,
  canonicalizeElementWithContent,
} from '../dsig/c14n-stream.js';
import type { ApexElement, CanonicalSink } from '../dsig/c14n-stream.js';
import type { CanonicalizeOptions } from '../dsig/c14n.js';
import type { StreamedDigest, StreamedElement } from '../dsig/verify.js';
import { COMMENT_NODE, TEXT_NODE, isElement } from '../xml/dom.js';
import type { Element, Node } from '../xml/dom.js';
import { idsOfTag } from '../xml/ids.js';
import type { IdIndex, LazyContent } from '../xml/ids.js';
import { NS } from '../xml/ns.js';
import type { ParseLimits } from '../xml/parse.js';
import type { NamespaceScope, StartTag } from '../xml/tokenizer.js';
import { buildContent } from '../xml/tree-builder.js';
import { decryptData } from '../xenc/cipher.js';
import type { ParsedEncryptedData } from '../xenc/decrypt.js';

/** The options the checking pass canonicalizes with: no comments, no PrefixList. */
function isPlain(options: CanonicalizeOptions): boolean {
  return options.withComments !== true && (options.inclusivePrefixes ?? []).length === 0;
}

/** Where a message keeps its Body content when it is held as text. */
export interface BodyContentSlot {
  current: StreamedBody | undefined;
}

/** The canonical form with the usual options (no comments, no PrefixList), made in the pass. */
interface PlainForm {
  readonly chunks: readonly Buffer[];
  readonly length: number;
  readonly hadComments: boolean;
}

/**
 * Reads the start tags of Body content as they pass (the message's parse pass or the checking
 * pass over a decrypted Body): a stray SOAP Body is refused, ids are noted, and an
 * EncryptedData child is seen.
 */
class ContentObserver {
  readonly #baseDepth: number;
  readonly ids: string[] = [];
  encrypted = false;

  constructor(baseDepth: number) {
    this.#baseDepth = baseDepth;
  }

  /** @throws WsseqError `MalformedMessage` for a SOAP Body. */
  see(tag: StartTag): void {
    if (tag.local === 'Body' && (tag.uri === NS.soap11 || tag.uri === NS.soap12)) {
      throw reject('MalformedMessage', "a SOAP Body element outside the Envelope's Body position");
    }
    if (tag.depth === this.#baseDepth + 1 && tag.uri === NS.xenc && tag.local === 'EncryptedData') {
      this.encrypted = true;
    }
    for (const id of idsOfTag(tag.attributes)) this.ids.push(id);
  }
}

/**
 * The Body's content held as text: a span of the message as received (a Body that is not one
 * EncryptedData), or the plaintext of an encrypted Body. Checked once, its ids joined to the
 * message's index (lazily), canonicalized and digested from the text, built as elements only
 * on first need.
 */
export class StreamedBody implements LazyContent, StreamedElement {
  readonly element: Element;
  readonly #content: string;
  readonly #ids: IdIndex;
  readonly #limits: ParseLimits;
  readonly #apex: ApexElement;
  readonly #plain: PlainForm;
  #built = false;
  /** True when the content holds an EncryptedData of its own (left to a later key). */
  readonly holdsEncryptedData: boolean;
  /**
   * True for the plaintext of an encrypted Body (its text is the Body as digested); false for
   * a span of the message as received (read as the DOM serializes it).
   */
  readonly decrypted: boolean;
  /** The options the Body's signature reference used, once digested. */
  digestedWith: CanonicalizeOptions | undefined;

  private constructor(
    body: Element,
    content: string,
    parts: {
      readonly ids: IdIndex;
      readonly limits: ParseLimits;
      readonly apex: ApexElement;
      readonly plain: PlainForm;
      readonly observed: ContentObserver;
      readonly decrypted: boolean;
    },
  ) {
    this.element = body;
    this.#content = content;
    this.#ids = parts.ids;
    this.#limits = parts.limits;
    this.#apex = parts.apex;
    this.#plain = parts.plain;
    this.holdsEncryptedData = parts.observed.encrypted;
    this.decrypted = parts.decrypted;
    for (const id of parts.observed.ids) parts.ids.addLazy(id, this);
  }

  /**
   * Check `content` (the plaintext of `body`'s content) and index its ids: one pass makes the
   * checks, the ids, and the canonical form with the usual options.
   * @throws WsseqError `MalformedMessage`, `LimitExceeded` (callers turn them into
   *   DecryptionFailed).
   */
  static decrypted(
    body: Element,
    content: string,
    ids: IdIndex,
    limits: ParseLimits,
  ): StreamedBody {
    const text = content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content;
    const apex = apexOf(body);
    const observed = new ContentObserver(apex.tag.depth);
    const sink = new ChunkSink();
    const { hadComments } = canonicalizeElementWithContent(apex, text, {}, sink, limits, (tag) => {
      observed.see(tag);
    });
    const plain = { chunks: sink.end(), length: sink.length, hadComments };
    return new StreamedBody(body, text, { ids, limits, apex, plain, observed, decrypted: true });
  }

  /** True once the content was built as elements (the DOM is then the truth). */
  get built(): boolean {
    return this.#built;
  }

  /** Canonicalize the Body (start tag + content) into `sink`. */
  canonicalize(options: CanonicalizeOptions, sink: CanonicalSink): { hadComments: boolean } {
    if (isPlain(options)) {
      sink.write(Buffer.concat(this.#plain.chunks).toString('utf8'));
      return { hadComments: this.#plain.hadComments };
    }
    return canonicalizeElementWithContent(this.#apex, this.#content, options, sink, this.#limits);
  }

  digest(options: CanonicalizeOptions, algorithm: string): StreamedDigest {
    if (isPlain(options)) {
      const hash = createHash(algorithm);
      for (const chunk of this.#plain.chunks) hash.update(chunk);
      this.digestedWith = options;
      const { length, hadComments } = this.#plain;
      return { digest: hash.digest(), hadComments, length };
    }
    const sink = new HashSink(createHash(algorithm));
    const { hadComments } = this.canonicalize(options, sink);
    this.digestedWith = options;
    return { digest: sink.end().digest(), hadComments, length: sink.length };
  }

  /** The Body as digested (exclusive c14n with the reference's options; no comments). */
  canonicalText(): string {
    const sink = new StringSink();
    this.canonicalize({ ...this.digestedWith, withComments: false }, sink);
    return sink.text;
  }

  /** Build the content as elements under the Body (the slow path), once. */
  materialize(): void {
    if (this.#built) return;
    this.#built = true;
    let nodes: Node[];
    try {
      nodes = buildContent(
        this.#content,
        this.element,
        this.#apex.scope,
        this.#apex.tag.depth,
        this.#limits,
      );
    } catch (cause) {
      throw reject('MalformedMessage', 'the Body content could not be built', cause);
    }
    this.#ids.dropLazy(this);
    for (const n of nodes) if (isElement(n)) this.#ids.addSubtree(n);
  }

  /** Called by {@link WireSpan.finish}. */
  static fromSpan(
    body: Element,
    content: string,
    parts: {
      ids: IdIndex;
      limits: ParseLimits;
      apex: ApexElement;
      plain: PlainForm;
      observed: ContentObserver;
    },
  ): StreamedBody {
    return new StreamedBody(body, content, { ...parts, decrypted: false });
  }
}

/**
 * The Body's content as the message's parse pass reads it (a token handler fed only with the
 * content's tokens): checked, ids noted, canonicalized into chunks with the usual options.
 */
export class WireSpan {
  readonly #body: Element;
  readonly #apex: ApexElement;
  readonly #observed: ContentObserver;
  readonly #sink = new ChunkSink();
  readonly #c14n: ExclusiveCanonicalizer;

  /** Depth of the Body. */
  readonly depth: number;

  constructor(body: Element, tag: StartTag, scope: ReadonlyMap<string, string>) {
    this.#body = body;
    this.depth = tag.depth;
    this.#apex = { tag, scope };
    this.#observed = new ContentObserver(tag.depth);
    this.#c14n = new ExclusiveCanonicalizer(this.#sink);
    this.#c14n.startElement(tag, { lookup: (p) => scope.get(p) });
    // What the builder made of the content before the first child element: text, comments.
    while (body.firstChild) {
      const c = body.firstChild;
      if (c.nodeType === COMMENT_NODE) this.#c14n.comment(c.nodeValue ?? '');
      else this.#c14n.text(c.nodeValue ?? '');
      body.removeChild(c);
    }
  }

  startElement(tag: StartTag, scope: NamespaceScope): void {
    this.#observed.see(tag);
    this.#c14n.startElement(tag, scope);
  }

  endElement(tag: StartTag): void {
    this.#c14n.endElement(tag);
  }

  text(value: string): void {
    this.#c14n.text(value);
  }

  comment(value: string): void {
    this.#c14n.comment(value);
  }

  /** The Body ended: its content is `content` (the text between its tags). */
  finish(content: string, ids: IdIndex, limits: ParseLimits): StreamedBody {
    this.#c14n.endElement(this.#apex.tag);
    const plain = {
      chunks: this.#sink.end(),
      length: this.#sink.length,
      hadComments: this.#c14n.hadComments,
    };
    return StreamedBody.fromSpan(this.#body, content, {
      ids,
      limits,
      apex: this.#apex,
      plain,
      observed: this.#observed,
    });
  }
}

/**
 * True when `data` is the whole content of the Envelope's Body (nothing beside it but
 * whitespace) and the Body is not already held as text: then it is decrypted as text.
 */
export function isWholeBodyContent(
  data: ParsedEncryptedData,
  body: Element,
  slot: BodyContentSlot,
): boolean {
  if (slot.current || data.type !== 'Content' || data.element.parentNode !== body) return false;
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (c === data.element) continue;
    if (c.nodeType !== TEXT_NODE || !/^[ \t\n]*$/.test(c.nodeValue ?? '')) return false;
  }
  return true;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decrypt the Body's content to text and keep it in `slot` (see {@link isWholeBodyContent}).
 * The whitespace around the EncryptedData stays part of the content.
 * @throws DecryptionError for every failure, including plaintext that is not well-formed,
 *   exceeds a limit, repeats an id or holds a SOAP Body.
 */
export function decryptBodyContent(
  data: ParsedEncryptedData,
  key: Buffer,
  body: Element,
  ids: IdIndex,
  slot: BodyContentSlot,
  limits: ParseLimits,
): void {
  ids.removeSubtree(data.element);
  let before = '';
  let after = '';
  let seen = false;
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (c === data.element) seen = true;
    else if (seen) after += c.nodeValue ?? '';
    else before += c.nodeValue ?? '';
  }
  try {
    const plaintext = UTF8.decode(decryptData(data.algorithm, key, data.cipherValue));
    slot.current = StreamedBody.decrypted(body, before + plaintext + after, ids, limits);
  } catch (cause) {
    throw cause instanceof DecryptionError ? cause : new DecryptionError({ cause });
  }
  while (body.firstChild) body.removeChild(body.firstChild);
}
