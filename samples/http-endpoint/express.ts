/** The endpoint on express 5: POST /orders with a text/xml body. */
import type { Server } from 'node:http';
import express from 'express';
import type { SoapResponse } from './endpoint.js';

export async function listenExpress(
  endpoint: (request: string) => Promise<SoapResponse>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.post(
    '/orders',
    express.text({ type: ['text/xml', 'application/soap+xml'], limit: '1mb' }),
    (req, res, next) => {
      endpoint(typeof req.body === 'string' ? req.body : '')
        .then((reply) => res.status(reply.status).type(reply.contentType).send(reply.body))
        .catch(next);
    },
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => {
      resolve(s);
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('express is not listening on TCP');
  return {
    url: `http://127.0.0.1:${address.port}/orders`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
