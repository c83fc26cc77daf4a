/**
 * A SOAP endpoint over HTTP that opens each request and secures its reply: the request must be
 * signed by a client the service trusts and encrypted for the service; the reply is signed
 * with the service's own certificate and encrypted for the client that signed the request.
 * A rejection is answered with `toSoapFault` (HTTP 500), which tells the sender nothing beyond
 * the WS-Security fault code. Framework-neutral: express.ts and fastify.ts mount it.
 */
import {
  certificateCredential,
  createOpener,
  createSecurer,
  isWsseqError,
  toSoapFault,
} from 'wsseq';
import type { KeyMaterial, TrustStore } from 'wsseq';

export interface EndpointOptions {
  /** The service's certificate and key: it decrypts requests and signs replies. */
  readonly service: KeyMaterial;
  /** Who may call: validates the certificate that signed each request. */
  readonly trust: TrustStore;
  /** The work: the request's Body (as the signature covered it) in, the reply's Body content out. */
  readonly handle: (body: string, caller: string) => string | Promise<string>;
  /** Where rejections are logged (the detail stays here, never in the reply). */
  readonly log?: (code: string, detail: string) => void;
}

export interface SoapResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The endpoint: a request body in, a response out. */
export function createSoapEndpoint(
  options: EndpointOptions,
): (request: string) => Promise<SoapResponse> {
  const opener = createOpener({ serviceKeys: [options.service], trust: options.trust });
  const signer = certificateCredential(options.service);
  return async (request) => {
    try {
      const { context, body } = await opener.open(request);
      const caller = context.signingCertificate;
      if (!caller)
        throw new TypeError('the opener accepted a request without a signing certificate');
      const content = await options.handle(body, context.identity.name);
      const reply = createSecurer({ credential: signer, serviceCertificate: caller }).secure(
        `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${content}</soap:Body></soap:Envelope>`,
      );
      return { status: 200, contentType: 'text/xml; charset=utf-8', body: reply };
    } catch (err) {
      if (isWsseqError(err)) options.log?.(err.code, err.message);
      else options.log?.('InternalError', String(err));
      return { status: 500, contentType: 'text/xml; charset=utf-8', body: toSoapFault(err) };
    }
  };
}
