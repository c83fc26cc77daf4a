/** The endpoint on fastify 5: POST /orders with a text/xml body. */
import Fastify from 'fastify';
import type { SoapResponse } from './endpoint.js';

export async function listenFastify(
  endpoint: (request: string) => Promise<SoapResponse>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.addContentTypeParser(
    ['text/xml', 'application/soap+xml'],
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, body);
    },
  );
  app.post('/orders', async (req, reply) => {
    const response = await endpoint(typeof req.body === 'string' ? req.body : '');
    return reply.code(response.status).type(response.contentType).send(response.body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('fastify is not listening on TCP');
  return { url: `http://127.0.0.1:${address.port}/orders`, close: () => app.close() };
}
