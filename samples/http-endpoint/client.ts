/**
 * The client: secures an order as alice, posts it, and opens the secured reply. The reply must
 * be signed by a server certificate (serverAuth) from the CA the client trusts, and by the very
 * service it wrote to (the certificate it holds out of band).
 */
import { TrustStore, certificateCredential, createOpener, createSecurer } from 'wsseq';
import type { Certificate, KeyMaterial } from 'wsseq';

/** A certificate and its private key. */
export type ClientKey = Pick<KeyMaterial, 'certificate' | 'privateKey'>;

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export interface ClientOptions {
  readonly client: ClientKey;
  readonly serviceCertificate: Certificate;
  readonly trustedRoots: readonly Certificate[];
  readonly intermediates: readonly Certificate[];
}

/** Post `envelope` to `url`; returns the reply's Body, or the fault code the service answered. */
export async function callService(
  url: string,
  envelope: string,
  options: ClientOptions,
): Promise<{ ok: true; body: string } | { ok: false; status: number; fault: string }> {
  const request = createSecurer({
    credential: certificateCredential(options.client),
    serviceCertificate: options.serviceCertificate,
  }).secure(envelope);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: request,
  });
  const text = await response.text();
  if (response.status !== 200) {
    const fault = /<faultcode[^>]*>([^<]*)</.exec(text)?.[1] ?? 'unknown';
    return { ok: false, status: response.status, fault };
  }
  const opener = createOpener({
    serviceKeys: [options.client],
    trust: new TrustStore({
      trustedRoots: [...options.trustedRoots],
      intermediates: [...options.intermediates],
      requiredExtendedKeyUsage: SERVER_AUTH,
    }),
  });
  const { context, body } = await opener.open(text);
  if (!context.signingCertificate?.equals(options.serviceCertificate)) {
    throw new Error('the reply was not signed by the service this client wrote to');
  }
  return { ok: true, body };
}
