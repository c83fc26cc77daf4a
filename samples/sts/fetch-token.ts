/** The client side of the sample STS: POST /token over HTTPS, with a client certificate or Basic. */
import { request } from 'node:https';

export interface FetchTokenOptions {
  /** The STS base URL, e.g. `https://localhost:8443`. */
  readonly url: string;
  readonly audience: string;
  /** CA certificates (PEM) the STS's TLS certificate chains to. */
  readonly ca: string;
  /** Client certificate chain (PEM, leaf first) and key (PEM) for mutual TLS. */
  readonly certificate?: string;
  readonly key?: string;
  /** HTTP Basic instead; `bindTo` is the certificate (PEM) the token is bound to. */
  readonly username?: string;
  readonly password?: string;
  readonly bindTo?: string;
  /** TLS server name to check, when it differs from the URL's host. */
  readonly servername?: string;
  readonly lifetimeSeconds?: number;
}

export interface FetchedToken {
  readonly token: string;
  readonly tokenType: string;
  readonly expiresAt: string;
}

/** Ask the STS for a token. Rejects with the STS's error text on a non-200 answer. */
export function fetchToken(options: FetchTokenOptions): Promise<FetchedToken> {
  const url = new URL('/token', options.url);
  url.searchParams.set('audience', options.audience);
  if (options.lifetimeSeconds !== undefined) {
    url.searchParams.set('lifetime', String(options.lifetimeSeconds));
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.username !== undefined) {
    const credentials = `${options.username}:${options.password ?? ''}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const body = options.bindTo === undefined ? '' : JSON.stringify({ certificate: options.bindTo });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers,
        ca: options.ca,
        ...(options.certificate === undefined ? {} : { cert: options.certificate }),
        ...(options.key === undefined ? {} : { key: options.key }),
        ...(options.servername === undefined ? {} : { servername: options.servername }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new Error(`STS answered ${String(res.statusCode)}: ${text}`));
            return;
          }
          resolve(JSON.parse(text) as FetchedToken);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
