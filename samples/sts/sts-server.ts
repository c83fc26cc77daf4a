/**
 * A small security token service over HTTPS: authenticates the client by its TLS client
 * certificate (mutual TLS) or, when configured, by HTTP Basic over TLS, and returns a
 * holder-of-key JWT for one of the services it knows.
 *
 * POST /token?audience=URI[&lifetime=SECONDS] → 200 { token, tokenType, expiresAt }
 *
 * - Client certificate: the token's `sub` is the certificate's CN (or its subject DN), its
 *   `cnf` is the certificate's `x5t#S256`; the TLS handshake proved possession of its key.
 * - Basic: the body must be JSON `{ "certificate": "<PEM>" }`, the certificate the token is
 *   bound to. This sample does not ask for proof of possession of that key, so a user can
 *   bind their token to someone else's certificate: that only lets that certificate's
 *   holder act as the user (a delegation the user chose), never the reverse.
 *
 * It never issues bearer tokens. It is a sample: no rate limiting, no audit log, keys in
 * files.
 */
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Certificate, JWT_TOKEN_TYPE, describeIdentity, issueToken } from 'wsseq';
import type { StsKey } from 'wsseq';
import { verifyPassword } from './passwords.js';
import type { PasswordRecord } from './passwords.js';

export interface StsServerOptions {
  /** The token signing key and certificate. */
  readonly stsKey: StsKey;
  /** `iss` of the tokens. */
  readonly issuer: string;
  /** The services (audiences) this STS issues tokens for. */
  readonly audiences: readonly string[];
  /** TLS server certificate chain (PEM) and key (PEM). */
  readonly tlsCertificate: string;
  readonly tlsKey: string;
  /** CA certificates (PEM) that client certificates must chain to. */
  readonly clientCa: string;
  /** With users, HTTP Basic is accepted besides client certificates. */
  readonly users?: ReadonlyMap<string, PasswordRecord>;
  /** Default and longest token lifetime, seconds. Default 3600 and 8 hours. */
  readonly lifetimeSeconds?: number;
  readonly maxLifetimeSeconds?: number;
  readonly host?: string;
  /** 0 for any free port. */
  readonly port?: number;
  readonly now?: () => Date;
}

export interface RunningSts {
  readonly server: Server;
  /** `https://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 16_384;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Start the STS; resolves once it listens. */
export async function startStsServer(options: StsServerOptions): Promise<RunningSts> {
  const passwordsAllowed = options.users !== undefined && options.users.size > 0;
  const server = createServer(
    {
      cert: options.tlsCertificate,
      key: options.tlsKey,
      ca: options.clientCa,
      requestCert: true,
      // Certificate-only: the handshake fails without a trusted client certificate. With
      // passwords, a client may come without one; a presented but untrusted certificate is
      // still refused below.
      rejectUnauthorized: !passwordsAllowed,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      handle(req, res, options).catch((err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, 'internal error');
        if (!(err instanceof HttpError)) console.error(err);
        res.writeHead(e.status, { 'content-type': 'application/json', ...e.headers });
        res.end(JSON.stringify({ error: e.message }));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8443, options.host ?? '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `https://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: StsServerOptions,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sts.invalid');
  if (url.pathname !== '/token') throw new HttpError(404, 'not found');
  if (req.method !== 'POST') throw new HttpError(405, 'use POST', { allow: 'POST' });
  const audience = url.searchParams.get('audience') ?? '';
  if (!options.audiences.includes(audience)) {
    throw new HttpError(
      400,
      'unknown audience: this STS issues tokens for its known services only',
    );
  }
  const defaultLifetime = options.lifetimeSeconds ?? 3600;
  const maxLifetime = options.maxLifetimeSeconds ?? 8 * 3600;
  const lifetimeParam = url.searchParams.get('lifetime');
  const lifetime = lifetimeParam === null ? defaultLifetime : Number(lifetimeParam);
  if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > maxLifetime) {
    throw new HttpError(400, `lifetime must be an integer from 1 to ${maxLifetime}`);
  }
  const body = await readBody(req);
  const client = authenticateClient(req, body, options);
  const now = options.now?.() ?? new Date();
  const token = issueToken({
    signingKey: options.stsKey.signingKey,
    signingCertificate: options.stsKey.signingCertificate,
    issuer: options.issuer,
    audience,
    subject: client.subject,
    lifetimeSeconds: lifetime,
    claims: client.claims,
    confirmation: { certificate: client.certificate },
    now,
  });
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + lifetime) * 1000);
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ token, tokenType: JWT_TOKEN_TYPE, expiresAt: expiresAt.toISOString() }));
}

interface AuthenticatedClient {
  readonly subject: string;
  readonly certificate: Certificate;
  readonly claims: Record<string, unknown>;
}

function authenticateClient(
  req: IncomingMessage,
  body: string,
  options: StsServerOptions,
): AuthenticatedClient {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket)) throw new HttpError(400, 'TLS required');
  const peer = socket.getPeerX509Certificate();
  if (peer) {
    // Presented: it must be trusted, even where passwords are also accepted.
    if (!socket.authorized) throw new HttpError(403, 'client certificate not trusted');
    const certificate = Certificate.fromDer(peer.raw);
    const id = describeIdentity(certificate);
    return {
      subject: id.commonName ?? id.subject,
      certificate,
      claims: {
        auth_method: 'tls_client_auth',
        ...(id.emails[0] === undefined ? {} : { email: id.emails[0] }),
        ...(id.upns[0] === undefined ? {} : { upn: id.upns[0] }),
      },
    };
  }
  const users = options.users;
  const challenge = { 'www-authenticate': 'Basic realm="wsseq sts", charset="UTF-8"' };
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  if (!users || !basic?.[1]) throw new HttpError(401, 'authentication required', challenge);
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  if (!verifyPassword(users, user, password)) {
    throw new HttpError(401, 'authentication failed', challenge);
  }
  let pem: unknown;
  try {
    pem = (JSON.parse(body) as { certificate?: unknown }).certificate;
  } catch {
    pem = undefined;
  }
  if (typeof pem !== 'string') {
    throw new HttpError(400, 'send { "certificate": PEM }: the certificate the token is bound to');
  }
  let certificate: Certificate;
  try {
    certificate = Certificate.fromDer(new X509Certificate(pem).raw);
  } catch {
    throw new HttpError(400, 'the certificate is not a PEM certificate');
  }
  return { subject: user, certificate, claims: { auth_method: 'password' } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
