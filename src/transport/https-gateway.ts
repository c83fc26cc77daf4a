/**
 * The receiving end of an HTTPS hop (MSMQ over HTTPS): a TLS server that accepts messages by
 * POST and enqueues them, authenticating clients by certificate as IIS does (Ignore, Accept,
 * Require), with our own validation so the rejection codes are ours.
 *
 * Wire format: `POST <path>` with `Content-Type: application/json` and the body
 * `{ "id"?: string, "body": base64, "properties"?: { [name]: string }, "ttlMs"?: number }`.
 * Answers: 202 `{ "id" }`; 400 `{ "code": "MalformedMessage" }`; 403 `{ "code", "message" }`
 * for a client certificate that is required and missing, untrusted, expired or revoked;
 * 404, 405, 413; 503 when the queue failed.
 *
 * What is enqueued: a message that already carries a transport signature (a `queue` hop
 * signed by the sender) is enqueued as posted: the service verifies the sender's signature.
 * Otherwise the gateway attests the hop: it signs the message as an `https` hop with its own
 * key (by default its TLS key and certificate), naming the TLS client certificate, which
 * becomes the hop's transport certificate (the one `Both` compares with the message signer).
 * Services accept such attestations only from gateways they list in `trustedGateways`;
 * services in mode None or Message ignore them (they do not rely on the hop).
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { DetailedPeerCertificate } from 'node:tls';
import { CertificateError, isWsseqError } from '../errors.js';
import type { WsseqError } from '../errors.js';
import { loadPrivateKey } from '../credentials/key-material.js';
import { Certificate } from '../trust/certificate.js';
import type { TrustStore } from '../trust/validate.js';
import type { QueueAdapter } from './queue/types.js';
import {
  hasTransportSignature,
  protectTransportMessage,
  withoutTransportProperties,
} from './transport-security.js';
import type { TransportCredential } from './transport-security.js';
import { checkHttpsGatewayOptions } from './transport-options.js';

/** IIS's client certificate settings. */
export type ClientCertificateMode = 'Ignore' | 'Accept' | 'Require';

export interface HttpsGatewayOptions {
  /** The gateway's TLS private key (KeyObject or PEM). */
  readonly key: KeyObject | string;
  /** The gateway's TLS certificate; intermediates may follow it in `chain`. */
  readonly cert: Certificate | string;
  readonly chain?: readonly Certificate[];
  /** Where accepted messages go; its name is the destination an attestation binds. */
  readonly queue: Pick<QueueAdapter, 'name' | 'send'>;
  /**
   * - `Ignore`: no client certificate is asked for.
   * - `Accept`: one is asked for; when given it must validate, when not the client is anonymous.
   * - `Require`: one must be given and validate.
   */
  readonly clientCertificate: ClientCertificateMode;
  /** Validates client certificates (purpose client). Required unless Ignore. */
  readonly trust?: TrustStore;
  /** Who signs attestations. Default: the TLS key and certificate. */
  readonly attestWith?: TransportCredential;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default `/queue`. */
  readonly path?: string;
  /** Largest accepted request body. Default 16 MiB. */
  readonly maxRequestBytes?: number;
  /** The clock for certificate validation and attestations. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Each request's outcome, for logs. */
  readonly onRequest?: (outcome: GatewayOutcome) => void;
}

/** What the gateway did with one request. */
export type GatewayOutcome =
  | { readonly status: 202; readonly id: string; readonly client: string | undefined }
  | { readonly status: number; readonly code: string; readonly detail: string };

export interface HttpsGateway {
  /** `https://host:port/path`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

interface PostedMessage {
  readonly id: string;
  readonly body: Buffer;
  readonly properties: Record<string, string>;
  readonly ttlMs: number | undefined;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Start a gateway.
 * @throws TypeError for a bad mode, a missing trust store when client certificates are asked
 *   for, or a key that does not parse.
 * @example
 * const gateway = await createHttpsGateway({
 *   key: serviceKeyPem, cert: serviceCertPem, queue,
 *   clientCertificate: 'Require', trust: new TrustStore({ trustedRoots: [root] }),
 * });
 */
export async function createHttpsGateway(options: HttpsGatewayOptions): Promise<HttpsGateway> {
  checkHttpsGatewayOptions(options);
  const mode = options.clientCertificate;
  if (mode !== 'Ignore' && !options.trust) {
    throw new TypeError(`clientCertificate ${mode} needs a trust store`);
  }
  const privateKey = typeof options.key === 'string' ? loadPrivateKey(options.key) : options.key;
  const cert = typeof options.cert === 'string' ? Certificate.fromPem(options.cert) : options.cert;
  const attest = options.attestWith ?? { certificate: cert, privateKey };
  const path = options.path ?? '/queue';
  const maxBytes = options.maxRequestBytes ?? 16 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  const report = (outcome: GatewayOutcome): void => {
    try {
      options.onRequest?.(outcome);
    } catch {
      // logging must not change the answer
    }
  };

  const server = createServer({
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: [cert, ...(options.chain ?? [])].map((c) => c.toPem()).join(''),
    requestCert: mode !== 'Ignore',
    // We validate the client certificate ourselves so the answer carries our codes.
    rejectUnauthorized: false,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'https://gateway');
      if (url.pathname !== path)
        throw new HttpFailure(404, 'NotFound', `no queue at ${url.pathname}`);
      if (req.method !== 'POST') throw new HttpFailure(405, 'MethodNotAllowed', 'POST only');
      const client =
        mode === 'Ignore' ? undefined : await authenticateClient(req, mode, options.trust, now());
      const posted = parsePosted(await readBody(req, maxBytes));
      let body = posted.body;
      let properties = posted.properties;
      if (!hasTransportSignature(properties)) {
        properties = withoutTransportProperties(properties);
        const sealed = protectTransportMessage(body, {
          id: posted.id,
          destination: options.queue.name,
          credential: attest,
          hop: 'https',
          sentAt: now(),
          ...(client ? { hopClientCertificate: client } : {}),
          ...(posted.ttlMs === undefined ? {} : { ttlMs: posted.ttlMs }),
        });
        body = sealed.body;
        properties = { ...properties, ...sealed.properties };
      }
      let id: string;
      try {
        id = await options.queue.send(body, {
          id: posted.id,
          properties,
          ...(posted.ttlMs === undefined ? {} : { ttlMs: posted.ttlMs }),
        });
      } catch (cause) {
        throw new HttpFailure(503, 'QueueUnavailable', `the queue failed: ${String(cause)}`);
      }
      answer(res, 202, { id });
      report({ status: 202, id, client: client?.subject });
    } catch (err) {
      const failure = toFailure(err);
      answer(res, failure.status, {
        code: failure.code,
        message: failure.publicMessage,
      });
      report({ status: failure.status, code: failure.code, detail: failure.detail });
    }
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${address.port}${path}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/**
 * The TLS client certificate, validated; undefined for an anonymous client under Accept.
 * @throws CertificateError `CertificateRequired` (Require, none given), or what the trust
 *   store throws.
 */
async function authenticateClient(
  req: IncomingMessage,
  mode: 'Accept' | 'Require',
  trust: TrustStore | undefined,
  at: Date,
): Promise<Certificate | undefined> {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket)) throw new TypeError('not a TLS connection');
  const peer = socket.getPeerCertificate(true) as Partial<DetailedPeerCertificate>;
  if (!peer.raw) {
    if (mode === 'Require') {
      throw new CertificateError('CertificateRequired', 'the TLS client sent no certificate');
    }
    return undefined;
  }
  const leaf = Certificate.fromDer(peer.raw);
  const candidates: Certificate[] = [];
  let next = peer.issuerCertificate as Partial<DetailedPeerCertificate> | undefined;
  for (let i = 0; next?.raw && i < 8; i++) {
    const c = Certificate.fromDer(next.raw);
    if (c.equals(leaf) || candidates.some((x) => x.equals(c))) break;
    candidates.push(c);
    next = next.issuerCertificate;
  }
  if (!trust) throw new TypeError('no trust store');
  await trust.validate(leaf, candidates, at, 'client');
  return leaf;
}

function parsePosted(raw: Buffer): PostedMessage {
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpFailure(400, 'MalformedMessage', 'the request is not JSON');
  }
  if (typeof data !== 'object' || data === null) {
    throw new HttpFailure(400, 'MalformedMessage', 'the request is not a JSON object');
  }
  const o = data as Record<string, unknown>;
  if (typeof o.body !== 'string') throw new HttpFailure(400, 'MalformedMessage', 'no body');
  const id = o.id === undefined ? randomUUID() : o.id;
  if (typeof id !== 'string' || id === '' || id.length > 256) {
    throw new HttpFailure(400, 'MalformedMessage', 'bad id');
  }
  const properties: Record<string, string> = {};
  if (o.properties !== undefined) {
    if (typeof o.properties !== 'object' || o.properties === null) {
      throw new HttpFailure(400, 'MalformedMessage', 'bad properties');
    }
    for (const [k, v] of Object.entries(o.properties)) {
      if (typeof v !== 'string')
        throw new HttpFailure(400, 'MalformedMessage', `bad property ${k}`);
      properties[k] = v;
    }
  }
  const ttl = o.ttlMs;
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl > 0)) {
    throw new HttpFailure(400, 'MalformedMessage', 'bad ttlMs');
  }
  return { id, body: Buffer.from(o.body, 'base64'), properties, ttlMs: ttl };
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new HttpFailure(413, 'LimitExceeded', 'the request is too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function toFailure(err: unknown): {
  status: number;
  code: string;
  publicMessage: string;
  detail: string;
} {
  if (err instanceof HttpFailure) {
    return { status: err.status, code: err.code, publicMessage: err.message, detail: err.message };
  }
  if (isWsseqError(err)) {
    const e: WsseqError = err;
    const status =
      e.code === 'MalformedMessage' || e.code === 'UnsupportedSecurityToken' ? 400 : 403;
    return { status, code: e.code, publicMessage: e.publicMessage, detail: e.message };
  }
  return {
    status: 500,
    code: 'InternalError',
    publicMessage: 'internal error',
    detail: err instanceof Error ? err.message : String(err),
  };
}

function answer(res: ServerResponse, status: number, body: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
