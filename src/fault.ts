/**
 * Turn a rejection into a SOAP fault (1.1 or 1.2) that reveals nothing beyond the code: the
 * WS-Security fault code and the code's fixed public message. Detail stays on the error.
 */
import { isWsseqError } from './errors.js';
import type { WssFaultCode } from './errors.js';
import { NS } from './xml/ns.js';

export interface SoapFaultOptions {
  /** Default '1.1'. */
  readonly soapVersion?: '1.1' | '1.2';
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Build a SOAP fault envelope for `error`. A WsseqError maps to its WS-Security fault; anything
 * else becomes a generic wsse:InvalidSecurity (never its message).
 * @example
 * catch (err) { reply(toSoapFault(err, { soapVersion: '1.2' })); }
 */
export function toSoapFault(error: unknown, options: SoapFaultOptions = {}): string {
  const fault: WssFaultCode = isWsseqError(error) ? error.fault : 'wsse:InvalidSecurity';
  const reason = isWsseqError(error) ? error.publicMessage : 'The message could not be processed.';
  const wsse = `xmlns:wsse="${NS.wsse}"`;
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
