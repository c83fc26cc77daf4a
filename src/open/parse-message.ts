/**
 * Receiver stage 1: parse (hardened), locate Envelope/Header/Body by position, find our one
 * Security header, index ids once, and refuse stray Bodies.
 */
import { reject } from '../errors.js';
import type { ResolvedReceiverPolicy } from '../policy/policy.js';
import { childElements, isElement } from '../xml/dom.js';
import type { Document, Element, Node } from '../xml/dom.js';
import { IdIndex } from '../xml/ids.js';
import { NS } from '../xml/ns.js';
import { parseUntrusted } from '../xml/parse.js';
import { headerRole, isSoapBody, locateEnvelope } from '../xml/soap.js';
import type { SoapEnvelope } from '../xml/soap.js';
import type { BodyContentSlot } from './body-content.js';

export interface ParsedMessage {
  readonly document: Document;
  readonly soap: SoapEnvelope;
  /** Our Security header, when there is one. */
  readonly security: Element | undefined;
  readonly ids: IdIndex;
  /** Size of the message as received, in bytes. */
  readonly bytes: number;
  /** The Body's content when it is held as text (a decrypted Body), not as elements. */
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
  const { document } = parseUntrusted(input, policy.limits);
  const soap = locateEnvelope(document);
  const ours = soap.header
    ? childElements(soap.header).filter(
        (h) =>
          h.namespaceURI === NS.wsse &&
          h.localName === 'Security' &&
          headerRole(h, soap) === policy.actor,
      )
    : [];
  if (ours.length > 1)
    throw reject('MalformedMessage', 'more than one Security header for our role');
  refuseStrayBodies(document, soap.body);
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  return {
    document,
    soap,
    security: ours[0],
    ids: IdIndex.build(document),
    bytes,
    bodyContent: { current: undefined },
  };
}

function refuseStrayBodies(doc: Document, body: Element): void {
  const stack: Node[] = [doc];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (!isElement(c)) continue;
      if (c !== body && isSoapBody(c)) {
        throw reject(
          'MalformedMessage',
          "a SOAP Body element outside the Envelope's Body position",
        );
      }
      stack.push(c);
    }
  }
}
