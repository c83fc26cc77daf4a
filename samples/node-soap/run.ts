/**
 * A node-soap client calling the order service over HTTP, its requests secured by wsseq:
 *
 *   node --import tsx samples/node-soap/run.ts
 *
 * alice's SubmitOrder is opened by the service, which sees her identity; mallory's (a
 * certificate from a CA nobody trusts) is answered with a SOAP fault.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'wsseq';
import { sampleCast } from '../shared/dev-pki.js';
import { createOrderClient } from './client.js';
import { listenOrderService } from './server.js';
import type { ReceivedRequest } from './server.js';

export const ORDER_WSDL = fileURLToPath(new URL('../../wsdl/order-service.wsdl', import.meta.url));

/** A pino-compatible logger writing one JSON line per entry (see docs/logging.md). */
function lineLogger(write: (line: string) => void): Logger {
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    write(`  service log: ${JSON.stringify({ level, msg, ...obj })}`);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/** Run the sample; returns what the service received and each call's outcome. */
export async function runNodeSoapSample(
  dir: string,
  write: (line: string) => void,
): Promise<{ received: ReceivedRequest[]; outcomes: string[] }> {
  const cast = await sampleCast(dir);
  const received: ReceivedRequest[] = [];
  const server = await listenOrderService(
    { serviceKeys: [cast.service], trust: cast.trust, logger: lineLogger(write) },
    (request) => received.push(request),
  );
  const outcomes: string[] = [];
  try {
    for (const [who, key] of [
      ['alice', cast.alice],
      ['mallory', cast.mallory],
    ] as const) {
      const client = await createOrderClient({
        wsdl: ORDER_WSDL,
        endpoint: server.url,
        client: key,
        serviceCertificate: cast.service.certificate,
      });
      try {
        await client.submitOrder({ OrderId: 'o-1', Item: 'widget', Quantity: 2 });
        outcomes.push(`${who}:accepted`);
      } catch (err) {
        const fault = /<faultcode[^>]*>([^<]*)</.exec(
          String((err as { body?: unknown }).body),
        )?.[1];
        outcomes.push(`${who}:${fault ?? 'error'}`);
      }
      write(`${who} → ${outcomes[outcomes.length - 1] ?? ''}`);
    }
  } finally {
    await server.close();
  }
  return { received, outcomes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runNodeSoapSample(mkdtempSync(join(tmpdir(), 'wsseq-node-soap-')), console.log);
}
