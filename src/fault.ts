/**
 * Turn a rejection into a SOAP fault (1.1 or 1.2) that reveals nothing beyond the code: the
 * WS-Security fault code and the code's fixed public message. Detail stays on the error.
 */
import { MustUnderstandError, isWsseqError } from './errors.js';
import type { HeaderName, WssFaultCode } from './errors.js';
import { NS } from './xml/ns.js';

export interface SoapFaultOptions {
  /** Default '1.1'. */
  readonly soapVersion?: '1.1' | '1.2';
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/** SOAP 1.2 section 5.4.8.1: one NotUnderstood header block per header not understood. */
function notUnderstoodHeader(headers: readonly HeaderName[]): string {
  if (headers.length === 0) return '';
  const blocks = headers.map((h, i) =>
    h.namespaceURI === ''
      ? `<env:NotUnderstood qname="${escapeAttr(h.localName)}"/>`
      : `<env:NotUnderstood qname="h${i}:${escapeAttr(h.localName)}" xmlns:h${i}="${escapeAttr(h.namespaceURI)}"/>`,
  );
  return `<env:Header>${blocks.join('')}</env:Header>`;
}

/**
 * Build a SOAP fault envelope for `error`. A WsseqError maps to its WS-Security fault; anything
 * else becomes a generic wsse:InvalidSecurity (never its message). A `MustUnderstand` rejection
 * is SOAP's own MustUnderstand fault (SOAP 1.2: with a NotUnderstood header block naming each
 * header, and nothing more).
 * @example
 * catch (err) { reply(toSoapFault(err, { soapVersion: '1.2' })); }
 */
export function toSoapFault(error: unknown, options: SoapFaultOptions = {}): string {
  const fault: WssFaultCode = isWsseqError(error) ? error.fault : 'wsse:InvalidSecurity';
  const reason = isWsseqError(error) ? error.publicMessage : 'The message could not be processed.';
  const wsse = `xmlns:wsse="${NS.wsse}"`;
  if (error instanceof MustUnderstandError) {
    return mustUnderstandFault(error, reason, options.soapVersion ?? '1.1');
  }
  if (options.soapVersion === '1.2') {
    return (
      `<env:Envelope xmlns:env="${NS.soap12}"><env:Body><env:Fault>` +
      `<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value ${wsse}>${fault}</env:Value></env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${escapeText(reason)}</env:Text></env:Reason>` +
      `</env:Fault></env:Body></env:Envelope>`
    );
  }
  return (
    `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body><soap:Fault>` +
    `<faultcode ${wsse}>${fault}</faultcode><faultstring>${escapeText(reason)}</faultstring>` +
    `</soap:Fault></soap:Body></soap:Envelope>`
  );
}

function mustUnderstandFault(
  error: MustUnderstandError,
  reason: string,
  version: '1.1' | '1.2',
): string {
  if (version === '1.2') {
    return (
      `<env:Envelope xmlns:env="${NS.soap12}">${notUnderstoodHeader(error.notUnderstood)}` +
      `<env:Body><env:Fault><env:Code><env:Value>env:MustUnderstand</env:Value></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${escapeText(reason)}</env:Text></env:Reason>` +
      `</env:Fault></env:Body></env:Envelope>`
    );
  }
  return (
    `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body><soap:Fault>` +
    `<faultcode>soap:MustUnderstand</faultcode><faultstring>${escapeText(reason)}</faultstring>` +
    `</soap:Fault></soap:Body></soap:Envelope>`
  );
}
