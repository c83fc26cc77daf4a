/**
 * Request/response over HTTP, secured both ways, on express and on fastify:
 *
 *   node --import tsx samples/http-endpoint/run.ts
 *
 * alice's order is answered with a reply the service signed and encrypted for her; mallory's
 * (a certificate from a CA nobody trusts) gets a SOAP fault.
 */
import { sampleCast } from '../shared/dev-pki.js';
import type { SampleCast } from '../shared/dev-pki.js';
import { callService } from './client.js';
import { createSoapEndpoint } from './endpoint.js';
import { listenExpress } from './express.js';
import { listenFastify } from './fastify.js';

const ORDER =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
  '<PlaceOrder xmlns="urn:example:orders"><Item>widget</Item></PlaceOrder></soap:Body></soap:Envelope>';

/** Run the sample on both frameworks; returns each call's outcome. */
export async function runHttpEndpointSample(
  dir: string,
  write: (line: string) => void,
): Promise<string[]> {
  const cast: SampleCast = await sampleCast(dir);
  const endpoint = createSoapEndpoint({
    service: cast.service,
    trust: cast.trust,
    handle: (_body, caller) =>
      `<OrderAccepted xmlns="urn:example:orders"><For>${caller.replace(/[<&]/g, '')}</For></OrderAccepted>`,
    log: (code, detail) => {
      write(`  service log: ${code} (${detail})`);
    },
  });
  const outcomes: string[] = [];
  for (const [name, listen] of [
    ['express', listenExpress],
    ['fastify', listenFastify],
  ] as const) {
    const server = await listen(endpoint);
    try {
      for (const [who, client] of [
        ['alice', cast.alice],
        ['mallory', cast.mallory],
      ] as const) {
        const result = await callService(server.url, ORDER, {
          client,
          serviceCertificate: cast.service.certificate,
          trustedRoots: [cast.root.certificate],
          intermediates: [cast.intermediate.certificate],
        });
        const outcome = result.ok ? 'reply' : `${String(result.status)} ${result.fault}`;
        write(`${name}: ${who} → ${outcome}${result.ok ? `: ${result.body}` : ''}`);
        outcomes.push(
          `${name}:${who}:${result.ok ? (result.body.includes('OrderAccepted') ? 'reply' : 'other') : result.fault}`,
        );
      }
    } finally {
      await server.close();
    }
  }
  return outcomes;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const outcomes = await runHttpEndpointSample('.wsseq-demo', (l) =>
    process.stdout.write(`${l}\n`),
  );
  process.stdout.write(`outcomes: ${outcomes.join(', ')}\n`);
}
