import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrderClient } from '../../../samples/node-soap/client.js';
import { ORDER_WSDL, runNodeSoapSample } from '../../../samples/node-soap/run.js';
import { listenOrderService } from '../../../samples/node-soap/server.js';
import type { ReceivedRequest } from '../../../samples/node-soap/server.js';
import { sampleCast } from '../../../samples/shared/dev-pki.js';

const ORDER = { OrderId: 'o-7', Item: 'widget', Quantity: 3 };

/** The fault code of a node-soap call that failed, or 'accepted'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'accepted';
  } catch (err) {
    const body = (err as { body?: unknown }).body;
    return /<faultcode[^>]*>([^<]*)</.exec(String(body))?.[1] ?? 'no fault';
  }
}

describe('samples/node-soap', () => {
  it('the service sees alice through her node-soap request; mallory gets a SOAP fault', async () => {
    const lines: string[] = [];
    const { received, outcomes } = await runNodeSoapSample(
      mkdtempSync(join(tmpdir(), 'wsseq-node-soap-')),
      (line) => lines.push(line),
    );
    const logged = lines.filter((l) => l.includes('service log'));
    expect(logged.map((l) => /"event":"([^"]+)"/.exec(l)?.[1])).toEqual([
      'wsseq.accepted',
      'wsseq.rejected',
    ]);
    expect(logged.join('\n')).not.toContain('widget');
    expect(outcomes).toEqual(['alice:accepted', 'mallory:wsse:InvalidSecurityToken']);
    expect(received).toHaveLength(1);
    expect(received[0]?.caller).toMatch(/alice/);
    expect(received[0]?.body).toContain('<Item>widget</Item>');
  }, 120_000);

  it('a request tampered with after wsseq secured it is answered with a SOAP fault', async () => {
    const cast = await sampleCast(mkdtempSync(join(tmpdir(), 'wsseq-node-soap-')));
    const received: ReceivedRequest[] = [];
    const server = await listenOrderService(
      { serviceKeys: [cast.service], trust: cast.trust },
      (request) => received.push(request),
    );
    try {
      const client = await createOrderClient({
        wsdl: ORDER_WSDL,
        endpoint: server.url,
        client: cast.alice,
        serviceCertificate: cast.service.certificate,
      });
      // node-soap's per-call postProcess runs after the security hook: the wire copy.
      let secured = '';
      const honest = await outcome(
        client.submitOrder(ORDER, {
          postProcess: (xml: string) => {
            secured = xml;
            return xml;
          },
        }),
      );
      expect(honest).toBe('accepted');
      expect(secured).toContain('wsse:Security');
      expect(secured).not.toContain('widget');
      const tamperedTimestamp = await outcome(
        client.submitOrder(ORDER, {
          postProcess: (xml: string) =>
            xml.replace(
              /(<wsu:Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:)(\d)/,
              (_m, a: string, d: string) => `${a}${String((Number(d) + 1) % 6)}`,
            ),
        }),
      );
      expect(tamperedTimestamp).toBe('wsse:FailedCheck');
      const flippedCipher = await outcome(
        client.submitOrder(ORDER, {
          postProcess: (xml: string) =>
            xml.replace(
              /(<(?:xenc:)?CipherValue>)([A-Za-z0-9+/])/g,
              (_m, a: string, c: string) => `${a}${c === 'A' ? 'B' : 'A'}`,
            ),
        }),
      );
      expect(flippedCipher).toMatch(/^wsse:(FailedCheck|FailedAuthentication|InvalidSecurity)$/);
      expect(received).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 120_000);
});
