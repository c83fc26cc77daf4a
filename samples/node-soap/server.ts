/**
 * A tiny node:http SOAP endpoint that opens each request with wsseq. An accepted request is
 * answered with an empty SOAP 1.1 envelope (HTTP 200) and handed to `onRequest` with the
 * caller's identity; a rejected one with `toSoapFault` (HTTP 500).
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createOpener, toSoapFault } from 'wsseq';
import type { OpenOptions } from 'wsseq';

export interface ReceivedRequest {
  readonly caller: string;
  readonly body: string;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const MAX_BYTES = 1 << 20;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) throw new RangeError('request too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Listen on 127.0.0.1 (a free port); returns the URL and a close function. */
export async function listenOrderService(
  opener: OpenOptions,
  onRequest: (request: ReceivedRequest) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const open = createOpener(opener);
  const server = createServer((req, res) => {
    readBody(req)
      .then((text) => open.open(text))
      .then(({ context, body }) => {
        onRequest({ caller: context.identity.name, body });
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(`<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body/></soap:Envelope>`);
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(toSoapFault(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('not listening on TCP');
  return {
    url: `http://127.0.0.1:${String(address.port)}/orders`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
