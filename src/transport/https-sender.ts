/**
 * The sending end of an HTTPS hop (MSMQ over HTTPS): POST one message to a gateway over TLS,
 * checking that the gateway's certificate chains to `ca` and names the destination host.
 * Every failure is thrown at once, with a clear error: nothing waits silently in an outgoing
 * queue (MSMQ's failure mode when the names differ).
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { CertificateError, wsseqError } from '../errors.js';
import type { CertificateErrorCode, WsseqErrorCode } from '../errors.js';
import { loadPrivateKey } from '../credentials/key-material.js';
import { Certificate } from '../trust/certificate.js';
import type { SendOptions } from './queue/types.js';

/** Where and how to reach a gateway. */
export interface HttpsHopOptions {
  /** The gateway's URL, e.g. `https://queues.example:8443/queue`. */
  readonly url: string | URL;
  /** The certificates that anchor the gateway's certificate (PEM text or parsed). */
  readonly ca: Certificate | string | readonly (Certificate | string)[];
  /** The client's TLS private key, for a gateway that accepts or requires certificates. */
  readonly key?: KeyObject | string;
  /** The client's TLS certificate (and `chain`, intermediates sent with it). */
  readonly cert?: Certificate | string;
  readonly chain?: readonly Certificate[];
  /**
   * The host name the gateway's certificate must carry (subjectAltName DNS, as node's
   * checkServerIdentity checks it). Default: the URL's host. Also sent as SNI.
   */
  readonly expectedHost?: string;
  /** Default 30000. */
  readonly timeoutMs?: number;
}

/** One message to send over the hop. */
export interface HttpsSendOptions extends HttpsHopOptions {
  readonly body: Uint8Array;
  readonly id?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly ttlMs?: number;
}

const CERTIFICATE_CODES: ReadonlySet<string> = new Set<CertificateErrorCode>([
  'CertificateRequired',
  'CertificateUntrusted',
  'CertificateRevoked',
  'CertificateExpired',
  'CertificateNotValidForPurpose',
  'CertificateMismatch',
]);
const MESSAGE_CODES: ReadonlySet<string> = new Set<WsseqErrorCode>([
  'MalformedMessage',
  'LimitExceeded',
  'UnsupportedAlgorithm',
  'UnsupportedSecurityToken',
  'PolicyViolation',
  'SignatureInvalid',
  'MessageExpired',
  'AuthenticationFailed',
]);

/** TLS verification codes (OpenSSL's, as node reports them) by our certificate code. */
const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'INVALID_CA',
]);

/**
 * Send one message to a gateway; resolves with the message id once the gateway enqueued it.
 * @throws CertificateError `CertificateUntrusted` when the gateway's certificate does not name
 *   `expectedHost` (detail says so) or does not chain to `ca`; `CertificateExpired`;
 *   `CertificateRevoked`; or the code the gateway answered with (`CertificateRequired`,
 *   `CertificateUntrusted`, `CertificateExpired`, `CertificateRevoked` for our certificate).
 * @throws WsseqError for a message the gateway refused (`MalformedMessage`...).
 * @throws Error when the gateway cannot be reached or fails (the message was not sent).
 * @throws TypeError for a URL that is not https, or a key without a certificate.
 * @example
 * await sendOverHttps({ url: 'https://queues.example/queue', ca: rootPem, key, cert, body });
 */
export async function sendOverHttps(options: HttpsSendOptions): Promise<string> {
  const url = new URL(options.url);
  if (url.protocol !== 'https:') throw new TypeError('the HTTPS hop needs an https: URL');
  if ((options.key === undefined) !== (options.cert === undefined)) {
    throw new TypeError('give both key and cert, or neither');
  }
  const expectedHost = options.expectedHost ?? url.hostname.replace(/^\[|\]$/g, '');
  const cas = (Array.isArray(options.ca) ? options.ca : [options.ca]) as readonly (
    Certificate | string
  )[];
  const id = options.id ?? randomUUID();
  const payload = JSON.stringify({
    id,
    body: Buffer.from(options.body).toString('base64'),
    properties: options.properties ?? {},
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
  });
  const key =
    options.key === undefined
      ? undefined
      : (typeof options.key === 'string' ? loadPrivateKey(options.key) : options.key).export({
          type: 'pkcs8',
          format: 'pem',
        });
  const cert =
    options.cert === undefined
      ? undefined
      : [
          typeof options.cert === 'string' ? Certificate.fromPem(options.cert) : options.cert,
          ...(options.chain ?? []),
        ]
          .map((c) => c.toPem())
          .join('');

  const { status, text } = await new Promise<{ status: number; text: string }>(
    (resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          ca: cas.map((c) => (typeof c === 'string' ? c : c.toPem())),
          ...(key === undefined ? {} : { key }),
          ...(cert === undefined ? {} : { cert }),
          rejectUnauthorized: true,
          ...(isIP(expectedHost) === 0 ? { servername: expectedHost } : {}),
          checkServerIdentity: (_host: string, peer: PeerCertificate) =>
            checkServerIdentity(expectedHost, peer),
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
          timeout: options.timeoutMs ?? 30_000,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => {
        req.destroy(new Error(`the HTTPS hop to ${url.host} timed out`));
      });
      req.on('error', (err) => {
        reject(tlsFailure(err, url, expectedHost));
      });
      req.end(payload);
    },
  );
  if (status === 202) return id;
  throw refusal(status, text, url);
}

/** A queue sink (for {@link createClient}) that sends each message over an HTTPS hop. */
export interface HttpsQueueSinkOptions extends HttpsHopOptions {
  /** The name of the queue behind the gateway: the destination transport signatures bind. */
  readonly destination: string;
}

/**
 * A destination reached through a gateway: `name` is the queue behind it, `send` posts.
 * @example
 * const client = createClient({ queue: createHttpsQueueSink({ url, ca, key, cert, destination: 'orders' }), mode: 'Message', secure });
 */
export function createHttpsQueueSink(options: HttpsQueueSinkOptions): {
  readonly name: string;
  send(body: Buffer, sendOptions?: SendOptions): Promise<string>;
} {
  if (options.destination === '') throw new TypeError('the destination queue name is empty');
  return {
    name: options.destination,
    send: (body: Buffer, sendOptions: SendOptions = {}) =>
      sendOverHttps({
        ...options,
        body,
        ...(sendOptions.id === undefined ? {} : { id: sendOptions.id }),
        ...(sendOptions.properties === undefined ? {} : { properties: sendOptions.properties }),
        ...(sendOptions.ttlMs === undefined ? {} : { ttlMs: sendOptions.ttlMs }),
      }),
  };
}

function tlsFailure(err: Error, url: URL, expectedHost: string): Error {
  const code = (err as { code?: unknown }).code;
  const detail = `the HTTPS gateway at ${url.host}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new CertificateError(
      'CertificateUntrusted',
      `${detail} presented a certificate that does not name "${expectedHost}": ${err.message}`,
      { cause: err },
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new CertificateError('CertificateExpired', `${detail}: ${err.message}`, { cause: err });
  }
  if (code === 'CERT_REVOKED') {
    return new CertificateError('CertificateRevoked', `${detail}: ${err.message}`, { cause: err });
  }
  if (typeof code === 'string' && TLS_UNTRUSTED.has(code)) {
    return new CertificateError(
      'CertificateUntrusted',
      `${detail} presented a certificate that does not chain to the given CA: ${err.message}`,
      { cause: err },
    );
  }
  return new Error(`the HTTPS hop to ${url.host} failed: ${err.message}`, { cause: err });
}

function refusal(status: number, text: string, url: URL): Error {
  let code: unknown;
  let message: unknown;
  try {
    ({ code, message } = JSON.parse(text) as { code?: unknown; message?: unknown });
  } catch {
    // not our gateway's JSON
  }
  const detail = `the HTTPS gateway at ${url.host} refused the message (${status}${
    typeof message === 'string' ? `: ${message}` : ''
  })`;
  if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) {
    return new CertificateError(code as CertificateErrorCode, detail);
  }
  if (typeof code === 'string' && MESSAGE_CODES.has(code)) {
    return wsseqError(code as WsseqErrorCode, detail);
  }
  return new Error(detail);
}
