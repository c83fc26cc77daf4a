/**
 * Reading an envelope that carries no message security (modes None and Transport): hardened
 * parse, Envelope/Body by position, and a refusal of envelopes that do carry a WS-Security
 * header (a message in another mode).
 */
import { PolicyError } from '../errors.js';
import { childElements, serialize } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import { parseUntrusted } from '../xml/parse.js';
import { locateEnvelope } from '../xml/soap.js';

/** The clear envelope and its Body, serialized. */
export interface PlainEnvelope {
  readonly envelope: string;
  readonly body: string;
}

const WSSE_NAMESPACES: ReadonlySet<string> = new Set([NS.wsse, NS.wsse11]);

/**
 * Parse a plain SOAP envelope.
 * @throws WsseqError `MalformedMessage`, `LimitExceeded` (from the hardened parser);
 *   PolicyError `PolicyViolation` when the envelope has a WS-Security header (this receiver
 *   is not configured for message security).
 */
export function readPlainEnvelope(bytes: Uint8Array): PlainEnvelope {
  const { document } = parseUntrusted(bytes);
  const soap = locateEnvelope(document);
  const secured =
    soap.header !== undefined &&
    childElements(soap.header).some(
      (el) => el.localName === 'Security' && WSSE_NAMESPACES.has(el.namespaceURI ?? ''),
    );
  if (secured) {
    throw new PolicyError(
      'PolicyViolation',
      'the envelope carries a WS-Security header but this receiver has no message security',
    );
  }
  let envelope: string | undefined;
  let body: string | undefined;
  return {
    get envelope() {
      return (envelope ??= serialize(document));
    },
    get body() {
      return (body ??= serialize(soap.body));
    },
  };
}
