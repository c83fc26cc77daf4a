/** Shared test helpers: envelopes, a standard sender and receiver on the test PKI. */
import { certificateCredential } from '../src/credentials/x509.js';
import { createOpener } from '../src/open/open-envelope.js';
import type { OpenOptions } from '../src/open/open-envelope.js';
import type { ReceiverPolicy, SenderPolicy } from '../src/policy/policy.js';
import { createSecurer } from '../src/secure/secure-envelope.js';
import { TrustStore } from '../src/trust/validate.js';
import type { TrustOptions } from '../src/trust/validate.js';
import { TEST_NOW, getTestPki } from './fixtures/pki.js';
import type { TestCredential, TestPki } from './fixtures/pki.js';

export { TEST_NOW, getTestPki };
export type { TestPki, TestCredential };

export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

/** A plain order envelope, SOAP 1.1 by default. */
export function orderEnvelope(version: '1.1' | '1.2' = '1.1', item = 'widget'): string {
  const ns = version === '1.1' ? SOAP11 : SOAP12;
  return (
    `<soap:Envelope xmlns:soap="${ns}" xmlns:m="urn:example:orders">` +
    `<soap:Header><m:Route>queue-a</m:Route></soap:Header>` +
    `<soap:Body><m:PlaceOrder><m:Item>${item}</m:Item><m:Quantity>3</m:Quantity></m:PlaceOrder></soap:Body>` +
    `</soap:Envelope>`
  );
}

/** Secure `envelope` as `client` for the test service, pinned at TEST_NOW. */
export function secureAs(
  pki: TestPki,
  envelope: string,
  policy: SenderPolicy = {},
  client: TestCredential = pki.client,
  now: Date = TEST_NOW,
): string {
  return createSecurer({
    credential: certificateCredential({
      certificate: client.certificate,
      privateKey: client.privateKey,
      ...(policy.signerKeyReference ? { keyReference: policy.signerKeyReference } : {}),
    }),
    serviceCertificate: pki.service.certificate,
    policy,
    now: () => now,
  }).secure(envelope);
}

/** An opener for the test service trusting the test root. */
export function testOpener(
  pki: TestPki,
  policy: ReceiverPolicy = {},
  extra: Partial<OpenOptions> = {},
  trust: TrustOptions = {},
): ReturnType<typeof createOpener> {
  return createOpener({
    serviceKeys: [pki.service],
    trust: new TrustStore({
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
      ...trust,
    }),
    policy,
    now: () => TEST_NOW,
    ...extra,
  });
}
