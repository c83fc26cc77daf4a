import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWsseqError } from 'wsseq';
import { callService } from '../../../samples/http-endpoint/client.js';
import { createSoapEndpoint } from '../../../samples/http-endpoint/endpoint.js';
import { listenExpress } from '../../../samples/http-endpoint/express.js';
import { runHttpEndpointSample } from '../../../samples/http-endpoint/run.js';
import { sampleCast } from '../../../samples/shared/dev-pki.js';

const ORDER =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
  '<PlaceOrder xmlns="urn:example:orders"><Item>widget</Item></PlaceOrder></soap:Body></soap:Envelope>';

describe('samples/http-endpoint', () => {
  it('answers alice with a secured reply and a stranger with a SOAP fault, on express and fastify', async () => {
    const outcomes = await runHttpEndpointSample(
      mkdtempSync(join(tmpdir(), 'wsseq-http-')),
      () => undefined,
    );
    expect(outcomes).toEqual([
      'express:alice:reply',
      'express:mallory:wsse:InvalidSecurityToken',
      'fastify:alice:reply',
      'fastify:mallory:wsse:InvalidSecurityToken',
    ]);
  }, 120_000);

  it('the client refuses a reply signed by a certificate not issued for a server', async () => {
    const cast = await sampleCast(mkdtempSync(join(tmpdir(), 'wsseq-http-')));
    // An endpoint posing as a service with bob's certificate (clientAuth only, same CA).
    const impostor = createSoapEndpoint({
      service: cast.bob,
      trust: cast.trust,
      handle: () => '<OrderAccepted xmlns="urn:example:orders"/>',
    });
    const server = await listenExpress(impostor);
    try {
      const error: unknown = await callService(server.url, ORDER, {
        client: cast.alice,
        serviceCertificate: cast.bob.certificate,
        trustedRoots: [cast.root.certificate],
        intermediates: [cast.intermediate.certificate],
      }).catch((e: unknown) => e);
      expect(isWsseqError(error) && error.code).toBe('CertificateNotValidForPurpose');
    } finally {
      await server.close();
    }
  }, 120_000);
});
