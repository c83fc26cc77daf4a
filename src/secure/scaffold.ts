/**
 * What every sender layout does first: read the envelope to secure, find (or add) its Header,
 * and build the wsse:Security element for it.
 */
import { randomUUID } from 'node:crypto';
import { createElement, declareNamespace } from '../xml/build.js';
import type { Document, Element } from '../xml/dom.js';
import { NS, PREFIX } from '../xml/ns.js';
import { parseUntrusted } from '../xml/parse.js';
import type { ParseLimits } from '../xml/parse.js';
import { locateEnvelope, mustUnderstandValue } from '../xml/soap.js';
import type { SoapEnvelope } from '../xml/soap.js';

/**
 * The envelope to secure as a DOM (a Document given is used, and changed, in place).
 * @throws TypeError when the input is not well-formed XML within the parse limits.
 */
export function envelopeDocument(
  input: string | Uint8Array | Document,
  limits?: ParseLimits,
): Document {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input;
  try {
    return parseUntrusted(input, limits).document;
  } catch (cause) {
    throw new TypeError('the envelope to secure is not well-formed XML within the limits', {
      cause,
    });
  }
}

/** The envelope's parts and its Header (added when missing). @throws TypeError for a non-SOAP document. */
export function envelopeToSecure(doc: Document): {
  readonly env: SoapEnvelope;
  readonly header: Element;
} {
  let env: SoapEnvelope;
  try {
    env = locateEnvelope(doc);
  } catch (cause) {
    throw new TypeError('the input is not a SOAP 1.1 or 1.2 envelope', { cause });
  }
  if (env.header) return { env, header: env.header };
  const prefix = env.envelope.prefix;
  const header = doc.createElementNS(env.soapNs, prefix ? `${prefix}:Header` : 'Header');
  env.envelope.insertBefore(header, env.body);
  return { env, header };
}

/**
 * A wsse:Security element (not yet inserted) with mustUnderstand, the optional actor/role, and
 * the wsse, wsu, ds and xenc namespaces declared once for everything beneath it.
 */
export function createSecurityElement(doc: Document, env: SoapEnvelope, actor?: string): Element {
  const security = createElement(doc, NS.wsse, `${PREFIX.wsse}:Security`);
  declareNamespace(security, PREFIX.wsse, NS.wsse);
  declareNamespace(security, PREFIX.wsu, NS.wsu);
  declareNamespace(security, PREFIX.ds, NS.ds);
  declareNamespace(security, PREFIX.xenc, NS.xenc);
  const soapPrefix = env.envelope.prefix ?? 'soap';
  security.setAttributeNS(
    env.soapNs,
    `${soapPrefix}:mustUnderstand`,
    mustUnderstandValue(env.version),
  );
  if (actor !== undefined) {
    security.setAttributeNS(
      env.soapNs,
      `${soapPrefix}:${env.version === '1.1' ? 'actor' : 'role'}`,
      actor,
    );
  }
  return security;
}

/** Fresh, unique wsu:Id values with a readable prefix. */
export function newId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
