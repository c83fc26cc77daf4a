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
  HashSink,
  StringSink,
  apexOf,
  canonicalizeElementWithContent,
} from '../dsig/c14n-stream.js';
import type { CanonicalSink } from '../dsig/c14n-stream.js';
import type { CanonicalizeOptions } from '../dsig/c14n.js';
import type { StreamedDigest, StreamedElement } from '../dsig/verify.js';
import { TEXT_NODE, adoptNode, isElement, ownerDocumentOf } from '../xml/dom.js';
import type { Element, Node } from '../xml/dom.js';
import type { IdIndex, LazyContent } from '../xml/ids.js';
import { NS } from '../xml/ns.js';
import type { ParseLimits } from '../xml/parse.js';
import type { StartTag, TokenAttribute } from '../xml/tokenizer.js';
import { decryptData } from '../xenc/cipher.js';
import { parseFragment } from '../xenc/decrypt.js';
import type { ParsedEncryptedData } from '../xenc/decrypt.js';

/** The options the checking pass canonicalizes with: no comments, no PrefixList. */
function isPlain(options: CanonicalizeOptions): boolean {
  return options.withComments !== true && (options.inclusivePrefixes ?? []).length === 0;
}

/** Where a message keeps its Body content when it is held as text. */
export interface BodyContentSlot {
  current: StreamedBody | undefined;
}

export class StreamedBody implements LazyContent, StreamedElement {
  readonly element: Element;
  readonly #content: string;
  readonly #ids: IdIndex;
  readonly #limits: ParseLimits;
  readonly #scope: ReadonlyMap<string, string>;
  readonly #tag: StartTag;
  /** The canonical form with the usual options, made by the checking pass. */
  readonly #plain: {
    readonly chunks: readonly Buffer[];
    readonly length: number;
    readonly hadComments: boolean;
  };
  #built = false;
  /** True when the content holds an EncryptedData of its own (left to a later key). */
  readonly holdsEncryptedData: boolean;
  /** The options the Body's signature reference used, once digested. */
  digestedWith: CanonicalizeOptions | undefined;

  /**
   * Check `content` (the plaintext of `body`'s content) and index its ids.
   * @throws WsseqError `MalformedMessage`, `LimitExceeded` (callers turn them into
   *   DecryptionFailed).
   */
  constructor(body: Element, content: string, ids: IdIndex, limits: ParseLimits) {
    this.element = body;
    this.#content = content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content;
    this.#ids = ids;
    this.#limits = limits;
    const apex = apexOf(body);
    this.#scope = apex.scope;
    this.#tag = apex.tag;
    let encrypted = false;
    const baseDepth = this.#tag.depth;
    // One pass: the checks, the ids, and the canonical form with the usual options (no
    // comments, no PrefixList), so the Body's digest and `canonicalText` need no second
    // tokenization of the same text.
    const sink = new ChunkSink();
    const { hadComments } = canonicalizeElementWithContent(
      { tag: this.#tag, scope: this.#scope },
      this.#content,
      {},
      sink,
      limits,
      (tag) => {
        if (tag.local === 'Body' && (tag.uri === NS.soap11 || tag.uri === NS.soap12)) {
          throw reject(
            'MalformedMessage',
            "a SOAP Body element outside the Envelope's Body position",
          );
        }
        if (tag.depth === baseDepth + 1 && tag.uri === NS.xenc && tag.local === 'EncryptedData') {
          encrypted = true;
        }
        for (const id of idsOf(tag.attributes)) ids.addLazy(id, this);
      },
    );
    this.#plain = { chunks: sink.end(), length: sink.length, hadComments };
    this.holdsEncryptedData = encrypted;
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
    return canonicalizeElementWithContent(
      { tag: this.#tag, scope: this.#scope },
      this.#content,
      options,
      sink,
      this.#limits,
    );
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
    const doc = ownerDocumentOf(this.element);
    let nodes: Node[];
    try {
      nodes = parseFragment(this.#content, this.element, this.#limits);
    } catch (cause) {
      throw reject('MalformedMessage', 'the decrypted Body content could not be built', cause);
    }
    this.#ids.dropLazy(this);
    for (const n of nodes) {
      n.parentNode?.removeChild(n);
      this.element.appendChild(adoptNode(n, doc));
      if (isElement(n)) this.#ids.addSubtree(n);
    }
  }
}

function idsOf(attributes: readonly TokenAttribute[]): string[] {
  const out: string[] = [];
  for (const a of attributes) {
    if (
      (a.local === 'Id' && (a.uri === NS.wsu || a.uri === '')) ||
      (a.local === 'id' && a.uri === NS.xml)
    ) {
      out.push(a.value);
    }
  }
  return out;
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
    slot.current = new StreamedBody(body, before + plaintext + after, ids, limits);
  } catch (cause) {
    throw cause instanceof DecryptionError ? cause : new DecryptionError({ cause });
  }
  while (body.firstChild) body.removeChild(body.firstChild);
}
