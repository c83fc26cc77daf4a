/**
 * A node-soap client whose requests are secured by wsseq: node-soap builds the envelope from
 * the WSDL, and its security hook (`postProcess`) hands the finished envelope to a wsseq
 * securer, which signs it with the caller's certificate and encrypts the Body for the service.
 */
import { createClientAsync } from 'soap';
import type { ISecurity } from 'soap';
import { certificateCredential, createSecurer } from 'wsseq';
import type { Certificate, KeyMaterial } from 'wsseq';

export interface OrderClientOptions {
  /** The order service's WSDL (a path or URL). */
  readonly wsdl: string;
  /** Where to post, overriding the WSDL's address. */
  readonly endpoint: string;
  /** The caller's certificate and key: it signs each request. */
  readonly client: Pick<KeyMaterial, 'certificate' | 'privateKey'>;
  /** The service's certificate: each request's Body is encrypted for it. */
  readonly serviceCertificate: Certificate;
}

/** node-soap's security hook, backed by a wsseq securer. */
export function wsseqSecurity(secure: (envelope: string) => string): ISecurity {
  return {
    // node-soap adds this to the Header when there is no postProcess; wsseq writes its own.
    toXML: () => '',
    postProcess: (xml: unknown) => {
      if (typeof xml !== 'string')
        throw new TypeError('node-soap handed over a non-string envelope');
      return secure(xml);
    },
  };
}

/** The WSDL's SubmitOrder input. */
export interface SubmitOrder {
  readonly OrderId: string;
  readonly Item: string;
  readonly Quantity: number;
}

/** The operations this sample calls, typed (node-soap's generated methods are untyped). */
export interface OrderClient {
  /** Resolves with node-soap's result; rejects with its error (`body` holds a fault's XML). */
  submitOrder(
    order: SubmitOrder,
    callOptions?: { postProcess?: (xml: string) => string },
  ): Promise<unknown>;
}

type SoapAsyncMethod = (args: unknown, options?: unknown) => Promise<unknown>;

/** A node-soap client for the order service whose every request wsseq secures. */
export async function createOrderClient(options: OrderClientOptions): Promise<OrderClient> {
  const client = await createClientAsync(options.wsdl, { endpoint: options.endpoint });
  const securer = createSecurer({
    credential: certificateCredential(options.client),
    serviceCertificate: options.serviceCertificate,
  });
  client.setSecurity(wsseqSecurity((envelope) => securer.secure(envelope)));
  const submit = (client as unknown as { SubmitOrderAsync: SoapAsyncMethod }).SubmitOrderAsync;
  return { submitOrder: (order, callOptions) => submit.call(client, order, callOptions) };
}
