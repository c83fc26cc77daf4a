/**
 * Receiver stage: SOAP mustUnderstand (SOAP 1.1 section 4.2.3, SOAP 1.2 section 5.2.3). A
 * header block targeted at this node that says mustUnderstand, and that neither wsseq nor the
 * service understands, fails the whole message with a MustUnderstand fault.
 *
 * Targeted at this node: no actor/role, SOAP 1.1 actor `.../soap/actor/next`, SOAP 1.2 role
 * `.../role/next` or `.../role/ultimateReceiver`, or the receiver's own Security actor when it
 * has one. SOAP 1.2's `.../role/none` is never processed; other actors are left alone.
 *
 * Understood by default: the Security header this receiver processed, and every WS-Addressing
 * header (2004/08 and 2005/08). The service declares the rest (`understoodHeaders`).
 *
 * When: after the security processing and the authentication of the sender, as WCF does, so an
 * unauthenticated sender learns nothing from the fault but the names of the headers it sent.
 */
import { MustUnderstandError, reject } from '../errors.js';
import type { HeaderName } from '../errors.js';
import { attr, childElements } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import type { SoapVersion } from '../xml/soap.js';

/** SOAP 1.1's "next" actor. */
export const SOAP11_ACTOR_NEXT = 'http://schemas.xmlsoap.org/soap/actor/next';
/** SOAP 1.2's roles (section 5.2.2). */
export const SOAP12_ROLE = Object.freeze({
  next: 'http://www.w3.org/2003/05/soap-envelope/role/next',
  none: 'http://www.w3.org/2003/05/soap-envelope/role/none',
  ultimateReceiver: 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver',
});

/** The WS-Addressing namespaces whose headers wsseq understands (passes to the service). */
const ADDRESSING_NAMESPACES: ReadonlySet<string> = new Set([
  NS.wsa,
  'http://schemas.xmlsoap.org/ws/2004/08/addressing',
]);

/** What {@link checkMustUnderstand} looks at. */
export interface MustUnderstandInput {
  /** The SOAP Header element, when the message has one. */
  readonly header: Element | undefined;
  readonly soapVersion: SoapVersion;
  /** The Security header this receiver processed (understood), when there was one. */
  readonly security: Element | undefined;
  /** The receiver's Security actor/role, when it has one (a role this node plays). */
  readonly actor: string | undefined;
  /** Further headers the service understands, from {@link parseUnderstoodHeaders}. */
  readonly understood: ReadonlySet<string>;
}

/**
 * Fail when a header block targeted at this node must be understood and is not.
 * @throws MustUnderstandError `MustUnderstand`, naming every such header;
 *   WsseqError `MalformedMessage` for a mustUnderstand value the SOAP version does not allow.
 */
export function checkMustUnderstand(input: MustUnderstandInput): void {
  if (!input.header) return;
  const soapNs = input.soapVersion === '1.1' ? NS.soap11 : NS.soap12;
  const notUnderstood: HeaderName[] = [];
  for (const block of childElements(input.header)) {
    if (!mustUnderstand(block, input.soapVersion, soapNs)) continue;
    if (!targetsThisNode(block, input.soapVersion, soapNs, input.actor)) continue;
    if (isUnderstood(block, input)) continue;
    notUnderstood.push({ namespaceURI: block.namespaceURI ?? '', localName: localNameOf(block) });
  }
  if (notUnderstood.length > 0) throw new MustUnderstandError(notUnderstood);
}

/**
 * The header's `mustUnderstand`: SOAP 1.1 allows "1" and "0" only; SOAP 1.2 an xs:boolean
 * ("true", "false", "1", "0", surrounding whitespace collapsed).
 * @throws WsseqError `MalformedMessage` for any other value.
 */
export function mustUnderstand(block: Element, version: SoapVersion, soapNs: string): boolean {
  const raw = attr(block, soapNs, 'mustUnderstand');
  if (raw === undefined) return false;
  const value = raw.trim();
  if (value === '1') return true;
  if (value === '0') return false;
  if (version === '1.2' && value === 'true') return true;
  if (version === '1.2' && value === 'false') return false;
  throw reject(
    'MalformedMessage',
    `mustUnderstand="${raw}" on ${block.tagName} is not a SOAP ${version} value (${
      version === '1.1' ? '"1" or "0"' : 'an xs:boolean'
    })`,
  );
}

/** True when this node plays the role the header is targeted at. */
export function targetsThisNode(
  block: Element,
  version: SoapVersion,
  soapNs: string,
  actor: string | undefined,
): boolean {
  const role = attr(block, soapNs, version === '1.1' ? 'actor' : 'role')?.trim();
  if (role === undefined || role === '') return true;
  if (actor !== undefined && role === actor) return true;
  if (version === '1.1') return role === SOAP11_ACTOR_NEXT;
  return role === SOAP12_ROLE.next || role === SOAP12_ROLE.ultimateReceiver;
}

function isUnderstood(block: Element, input: MustUnderstandInput): boolean {
  if (block === input.security) return true;
  const ns = block.namespaceURI ?? '';
  if (ADDRESSING_NAMESPACES.has(ns)) return true;
  return input.understood.has(clark(ns, localNameOf(block)));
}

function localNameOf(el: Element): string {
  return el.localName ?? el.tagName;
}

function clark(namespaceURI: string, localName: string): string {
  return `{${namespaceURI}}${localName}`;
}

const CLARK = /^\{([^{}]*)\}([^{}\s:]+)$/;

/**
 * Check the service's `understoodHeaders` once: each a qualified name in Clark notation,
 * `{namespace}localName` (`{}localName` for no namespace).
 * @throws TypeError for anything else.
 */
export function parseUnderstoodHeaders(names: readonly string[] | undefined): ReadonlySet<string> {
  const set = new Set<string>();
  for (const name of names ?? []) {
    const match = CLARK.exec(name.trim());
    if (!match) {
      throw new TypeError(
        `understoodHeaders: "${name}" is not a qualified name {namespace}localName`,
      );
    }
    set.add(clark(match[1] ?? '', match[2] ?? ''));
  }
  return set;
}
