/**
 * The SOAP 1.1 / 1.2 envelope model: exactly one Envelope, at most one Header (first), exactly
 * one Body, found by position and nowhere else.
 */
import { reject } from '../errors.js';
import { attr, childElements } from './dom.js';
import type { Document, Element } from './dom.js';
import { NS } from './ns.js';

export type SoapVersion = '1.1' | '1.2';

export interface SoapEnvelope {
  readonly version: SoapVersion;
  /** The envelope namespace URI. */
  readonly soapNs: string;
  readonly envelope: Element;
  /** The Header element, when the message has one. */
  readonly header: Element | undefined;
  /** The Envelope's own Body child. */
  readonly body: Element;
}

/**
 * Locate Envelope, Header and Body by position.
 * @throws WsseqError `MalformedMessage` when the document is not exactly one SOAP envelope
 *   with at most one Header followed by exactly one Body.
 */
export function locateEnvelope(doc: Document): SoapEnvelope {
  const envelope = doc.documentElement;
  if (!envelope || envelope.localName !== 'Envelope') {
    throw reject('MalformedMessage', 'the document element is not a SOAP Envelope');
  }
  const soapNs = envelope.namespaceURI;
  let version: SoapVersion;
  if (soapNs === NS.soap11) version = '1.1';
  else if (soapNs === NS.soap12) version = '1.2';
  else throw reject('MalformedMessage', `unknown SOAP envelope namespace "${soapNs ?? ''}"`);

  let header: Element | undefined;
  let body: Element | undefined;
  for (const child of childElements(envelope)) {
    if (child.namespaceURI === soapNs && child.localName === 'Header' && !header && !body) {
      header = child;
    } else if (child.namespaceURI === soapNs && child.localName === 'Body' && !body) {
      body = child;
    } else {
      throw reject(
        'MalformedMessage',
        `unexpected element ${child.tagName} in the Envelope (one Header, then one Body)`,
      );
    }
  }
  if (!body) throw reject('MalformedMessage', 'the Envelope has no Body');
  return { version, soapNs, envelope, header, body };
}

/** The role a header is targeted at: SOAP 1.1 `actor`, SOAP 1.2 `role` (undefined: ultimate). */
export function headerRole(el: Element, env: SoapEnvelope): string | undefined {
  const value = attr(el, env.soapNs, env.version === '1.1' ? 'actor' : 'role');
  if (value === undefined) return undefined;
  // The ultimate receiver's role in SOAP 1.2, spelled out.
  if (value === 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver') return undefined;
  return value;
}

/** The `mustUnderstand` value for a version: "1" (1.1) or "true" (1.2). */
export function mustUnderstandValue(version: SoapVersion): string {
  return version === '1.1' ? '1' : 'true';
}

/** True when `el` is a SOAP 1.1 or 1.2 Body element (used to refuse stray Bodies). */
export function isSoapBody(el: Element): boolean {
  return (
    el.localName === 'Body' && (el.namespaceURI === NS.soap11 || el.namespaceURI === NS.soap12)
  );
}
