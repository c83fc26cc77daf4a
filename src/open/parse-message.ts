/**
 * Receiver stage 1: parse (hardened) in one tokenizer pass that builds the Envelope and the
 * Header as elements, indexes ids, refuses stray Bodies and finds our Security header as it
 * goes. The Body's content is built as elements only when it is one EncryptedData (decryption
 * reads it); any other content is kept as the span of the message it is (see body-content.ts).
 */
import { reject } from '../errors.js';
import type { ResolvedReceiverPolicy } from '../policy/policy.js';
import { createDocument } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { decodeMessage } from '../xml/decode.js';
import { IdIndex, idsOfTag } from '../xml/ids.js';
import { NS } from '../xml/ns.js';
import type { ParseLimits } from '../xml/parse.js';
import { headerRole, locateEnvelope } from '../xml/soap.js';
import type { SoapEnvelope } from '../xml/soap.js';
import { tokenize } from '../xml/tokenizer.js';
import type { NamespaceScope, StartTag, TokenHandler } from '../xml/tokenizer.js';
import { TreeBuilder } from '../xml/tree-builder.js';
import { WireSpan } from './body-content.js';
import type { BodyContentSlot } from './body-content.js';

export interface ParsedMessage {
  readonly document: Document;
  readonly soap: SoapEnvelope;
  /** Our Security header, when there is one. */
  readonly security: Element | undefined;
  readonly ids: IdIndex;
  /** Size of the message as received, in bytes. */
  readonly bytes: number;
  /** The Body's content when it is held as text (a span of the message, a decrypted Body). */
  readonly bodyContent: BodyContentSlot;
}

/**
 * @throws WsseqError `MalformedMessage` (not one envelope, two Security headers for our role,
 *   a Body outside its place, duplicate ids), `LimitExceeded`.
 */
export function parseMessage(
  input: string | Uint8Array,
  policy: ResolvedReceiverPolicy,
): ParsedMessage {
  const text = decodeMessage(input, policy.limits.maxBytes);
  const document = createDocument();
  const pass = new MessagePass(text, document, policy.limits);
  tokenize(text, pass, { limits: policy.limits });
  pass.builder.finish();
  const soap = locateEnvelope(document);
  for (const b of pass.bodies) {
    if (b !== soap.body) {
      throw reject('MalformedMessage', "a SOAP Body element outside the Envelope's Body position");
    }
  }
  const ours = pass.securityHeaders.filter(
    (h) => h.parentNode === soap.header && headerRole(h, soap) === policy.actor,
  );
  if (ours.length > 1)
    throw reject('MalformedMessage', 'more than one Security header for our role');
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  return {
    document,
    soap,
    security: ours[0],
    ids: pass.ids,
    bytes,
    bodyContent: pass.bodyContent,
  };
}

function isSoap(uri: string): boolean {
  return uri === NS.soap11 || uri === NS.soap12;
}

/** The one pass over a message: the builder, plus what stage 1 needs from the same tokens. */
class MessagePass implements TokenHandler {
  readonly builder: TreeBuilder;
  readonly ids = new IdIndex();
  /** Every SOAP Body element built (one is the Envelope's). */
  readonly bodies: Element[] = [];
  /** wsse:Security elements at header-entry depth. */
  readonly securityHeaders: Element[] = [];
  readonly bodyContent: BodyContentSlot = { current: undefined };
  readonly #text: string;
  readonly #limits: ParseLimits;
  #envelopeUri = '';
  /** The Envelope's Body while its content is read (before its first child element). */
  #body: { tag: StartTag; el: Element; scope: ReadonlyMap<string, string> } | undefined;
  #bodySeen = false;
  #span: WireSpan | undefined;

  constructor(text: string, document: Document, limits: ParseLimits) {
    this.#text = text;
    this.#limits = limits;
    this.builder = new TreeBuilder(text, document);
  }

  startElement(tag: StartTag, scope: NamespaceScope): void {
    if (this.#span) {
      this.#span.startElement(tag, scope);
      return;
    }
    const body = this.#body;
    if (body && tag.depth === body.tag.depth + 1) {
      this.#body = undefined;
      // Not one EncryptedData: the content stays the span of the message it is.
      if (!(tag.uri === NS.xenc && tag.local === 'EncryptedData')) {
        this.#span = new WireSpan(body.el, body.tag, body.scope);
        this.#span.startElement(tag, scope);
        return;
      }
    }
    this.builder.startElement(tag);
    const el = this.builder.lastElement;
    if (!el) return;
    for (const id of idsOfTag(tag.attributes)) this.ids.add(id, el);
    if (tag.local === 'Body' && isSoap(tag.uri)) {
      this.bodies.push(el);
      if (tag.depth === 2 && tag.uri === this.#envelopeUri && !this.#bodySeen && !tag.selfClosing) {
        this.#bodySeen = true;
        this.#body = { tag, el, scope: new Map(scope.entries()) };
      }
    } else if (tag.depth === 1) {
      if (tag.local === 'Envelope') this.#envelopeUri = tag.uri;
    } else if (tag.depth === 3 && tag.local === 'Security' && tag.uri === NS.wsse) {
      this.securityHeaders.push(el);
    }
  }

  endElement(tag: StartTag, end: number, after: number): void {
    const span = this.#span;
    if (span) {
      if (tag.depth > span.depth) {
        span.endElement(tag);
        return;
      }
      this.#span = undefined;
      this.bodyContent.current = span.finish(
        this.#text.slice(tag.contentStart, end),
        this.ids,
        this.#limits,
      );
    } else if (this.#body?.tag === tag) {
      this.#body = undefined;
    }
    this.builder.endElement(tag, end, after);
  }

  text(value: string): void {
    if (this.#span) this.#span.text(value);
    else this.builder.text(value);
  }

  cdata(value: string): void {
    if (this.#span) this.#span.text(value);
    else this.builder.cdata(value);
  }

  comment(value: string): void {
    if (this.#span) this.#span.comment(value);
    else this.builder.comment(value);
  }
}
