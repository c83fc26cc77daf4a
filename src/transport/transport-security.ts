/**
 * Transport security for one queue hop, as MSMQ signs whole messages: the sender signs the
 * whole queued message (SOAP bytes and the properties that matter) with its transport
 * certificate, detached, in message properties, and may encrypt the body for the destination.
 * Knows nothing of XML: bytes and properties in, bytes and a certificate out.
 *
 * The signed bytes are a canonical string of length-prefixed fields (see
 * {@link transportSignedBytes}). Encryption is encrypt-then-sign: the signature covers the
 * ciphertext, IV, tag and wrapped key, so the receiver verifies before it decrypts; the GCM
 * additional data binds the signer's thumbprint, so a stripped and re-signed message does not
 * decrypt (no surreptitious forwarding).
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CertificateError, DecryptionError, PolicyError, reject } from '../errors.js';
import type { ServiceKey } from '../open/keys.js';
import { Certificate } from '../trust/certificate.js';
import type { TrustStore } from '../trust/validate.js';
import { checkProtectTransportOptions, checkVerifyTransportOptions } from './transport-options.js';

/** Message properties transport security reads and writes. */
export const TRANSPORT_PROPERTY = {
  /** Base64 RSA-SHA256 signature over {@link transportSignedBytes}. */
  signature: 'wsseq-transport-signature',
  /** Base64 DER of the certificate that made the signature. */
  certificate: 'wsseq-transport-certificate',
  algorithm: 'wsseq-transport-alg',
  /** `queue` (signed by the sender) or `https` (signed by a gateway for its TLS client). */
  hop: 'wsseq-transport-hop',
  /** ISO 8601 time the message was sent (signed). */
  sentAt: 'wsseq-sent-at',
  /** The destination queue name (signed): a message moved to another queue is rejected. */
  destination: 'wsseq-destination',
  /** Time to live in milliseconds (signed), when the sender gave one. */
  ttlMs: 'wsseq-ttl-ms',
  /** Base64 DER of the TLS client certificate an HTTPS gateway attests (signed). */
  hopClientCertificate: 'wsseq-hop-client-certificate',
  encryption: 'wsseq-transport-enc',
  /** SHA-256 thumbprint of the certificate the content key is wrapped for. */
  recipient: 'wsseq-transport-recipient',
  encryptedKey: 'wsseq-transport-key',
  iv: 'wsseq-transport-iv',
  tag: 'wsseq-transport-tag',
} as const;

/** The only transport signature algorithm: RSASSA-PKCS1-v1_5 with SHA-256. */
export const TRANSPORT_SIGNATURE_ALGORITHM = 'rsa-sha256';
/** The only transport encryption: AES-256-GCM, key wrapped with RSA-OAEP (SHA-256). */
export const TRANSPORT_ENCRYPTION_ALGORITHM = 'aes-256-gcm+rsa-oaep-sha256';

const SIGNED_LABEL = 'wsseq-transport-v1';
const AAD_LABEL = 'wsseq-transport-aad-v1';
const DEFAULT_SKEW_SECONDS = 300;

/** A transport certificate and its private key. */
export interface TransportCredential {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
}

export interface ProtectTransportOptions {
  /** The message id the queue will carry (the receiver compares it). */
  readonly id: string;
  /** The destination queue's name. */
  readonly destination: string;
  readonly credential: TransportCredential;
  /** Encrypt the body for this certificate (the destination service's). */
  readonly recipient?: Certificate;
  /** Time to live in milliseconds, bound by the signature. */
  readonly ttlMs?: number;
  /** Default now. */
  readonly sentAt?: Date;
  /**
   * `queue` (default): the sender signs for itself. `https`: a gateway signs for the TLS
   * client of the hop; the receiver must list the signing certificate among its trusted
   * gateways.
   */
  readonly hop?: 'queue' | 'https';
  /** `https` hop only: the TLS client certificate this signature attests, if the client gave one. */
  readonly hopClientCertificate?: Certificate;
}

/** A protected message: the body to enqueue (ciphertext when encrypted) and its properties. */
export interface ProtectedTransportMessage {
  readonly body: Buffer;
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * Sign (and optionally encrypt) a queued message for one hop.
 * @throws TypeError when the credential's key is not an RSA private key, the id or
 *   destination is empty, or the TTL is not a positive integer.
 */
export function protectTransportMessage(
  body: Uint8Array,
  options: ProtectTransportOptions,
): ProtectedTransportMessage {
  checkProtectTransportOptions(options);
  const { credential } = options;
  if (
    credential.privateKey.type !== 'private' ||
    credential.privateKey.asymmetricKeyType !== 'rsa'
  ) {
    throw new TypeError('the transport credential needs an RSA private key');
  }
  const hop = options.hop ?? 'queue';
  if (hop === 'queue' && options.hopClientCertificate) {
    throw new TypeError('hopClientCertificate is for the https hop only');
  }
  if (options.id === '' || options.destination === '') {
    throw new TypeError('a transport signature needs a message id and a destination');
  }
  if (options.ttlMs !== undefined && !(Number.isSafeInteger(options.ttlMs) && options.ttlMs > 0)) {
    throw new TypeError('ttlMs must be a positive integer');
  }
  const props: Record<string, string> = {
    [TRANSPORT_PROPERTY.algorithm]: TRANSPORT_SIGNATURE_ALGORITHM,
    [TRANSPORT_PROPERTY.hop]: hop,
    [TRANSPORT_PROPERTY.certificate]: credential.certificate.der.toString('base64'),
    [TRANSPORT_PROPERTY.sentAt]: (options.sentAt ?? new Date()).toISOString(),
    [TRANSPORT_PROPERTY.destination]: options.destination,
  };
  if (options.ttlMs !== undefined) props[TRANSPORT_PROPERTY.ttlMs] = String(options.ttlMs);
  if (options.hopClientCertificate) {
    props[TRANSPORT_PROPERTY.hopClientCertificate] =
      options.hopClientCertificate.der.toString('base64');
  }
  let payload: Buffer = Buffer.from(body);
  if (options.recipient) {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    props[TRANSPORT_PROPERTY.encryption] = TRANSPORT_ENCRYPTION_ALGORITHM;
    props[TRANSPORT_PROPERTY.recipient] = options.recipient.thumbprintSha256;
    props[TRANSPORT_PROPERTY.encryptedKey] = publicEncrypt(
      {
        key: options.recipient.publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      key,
    ).toString('base64');
    props[TRANSPORT_PROPERTY.iv] = iv.toString('base64');
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(options.id, props, credential.certificate));
    payload = Buffer.concat([cipher.update(payload), cipher.final()]);
    props[TRANSPORT_PROPERTY.tag] = cipher.getAuthTag().toString('base64');
  }
  const signature = sign('sha256', transportSignedBytes(options.id, payload, props), {
    key: credential.privateKey,
    padding: constants.RSA_PKCS1_PADDING,
  });
  props[TRANSPORT_PROPERTY.signature] = signature.toString('base64');
  return { body: payload, properties: props };
}

/**
 * The canonical byte string a transport signature covers: each field as a 4-byte big-endian
 * length and its bytes, in this order: the label `wsseq-transport-v1`, algorithm, hop,
 * message id, destination, time sent, TTL, signer certificate (base64 DER), hop client
 * certificate, encryption algorithm, recipient thumbprint, wrapped key, IV, tag, then the
 * body as enqueued. Absent fields are empty.
 */
export function transportSignedBytes(
  id: string,
  body: Uint8Array,
  properties: Readonly<Record<string, string>>,
): Buffer {
  const p = (name: string): string => properties[name] ?? '';
  return lengthPrefixed([
    SIGNED_LABEL,
    p(TRANSPORT_PROPERTY.algorithm),
    p(TRANSPORT_PROPERTY.hop),
    id,
    p(TRANSPORT_PROPERTY.destination),
    p(TRANSPORT_PROPERTY.sentAt),
    p(TRANSPORT_PROPERTY.ttlMs),
    p(TRANSPORT_PROPERTY.certificate),
    p(TRANSPORT_PROPERTY.hopClientCertificate),
    p(TRANSPORT_PROPERTY.encryption),
    p(TRANSPORT_PROPERTY.recipient),
    p(TRANSPORT_PROPERTY.encryptedKey),
    p(TRANSPORT_PROPERTY.iv),
    p(TRANSPORT_PROPERTY.tag),
    body,
  ]);
}

/** True when the properties carry a transport signature (of either hop). */
export function hasTransportSignature(properties: Readonly<Record<string, string>>): boolean {
  return properties[TRANSPORT_PROPERTY.signature] !== undefined;
}

/**
 * The hop a transport signature claims (`queue`: the sender signed; `https`: a gateway
 * attested), unverified; undefined without a signature.
 */
export function claimedTransportHop(
  properties: Readonly<Record<string, string>>,
): string | undefined {
  if (!hasTransportSignature(properties)) return undefined;
  return properties[TRANSPORT_PROPERTY.hop] ?? 'queue';
}

/** The properties without any transport security property (what a gateway re-signs). */
export function withoutTransportProperties(
  properties: Readonly<Record<string, string>>,
): Record<string, string> {
  const reserved = new Set<string>(Object.values(TRANSPORT_PROPERTY));
  return Object.fromEntries(Object.entries(properties).filter(([k]) => !reserved.has(k)));
}

export interface VerifyTransportOptions {
  /** The queue the message was received from: it must be the signed destination. */
  readonly queueName: string;
  /** Validates the transport certificate (purpose `client`). */
  readonly trust: TrustStore;
  /** Keys to decrypt with (the destination service's certificates and private keys). */
  readonly keys?: readonly ServiceKey[];
  /** HTTPS gateways whose attestations are accepted (compared by DER). */
  readonly trustedGateways?: readonly Certificate[];
  readonly now: Date;
  /** Tolerance on the time sent and the TTL. Default 300. */
  readonly maxClockSkewSeconds?: number;
}

/** A verified hop. */
export interface VerifiedTransportMessage {
  /** The clear body (decrypted when it was encrypted). */
  readonly body: Buffer;
  /**
   * The transport certificate: the sender's for a `queue` hop, the TLS client certificate
   * the gateway attests for an `https` hop. Validated by the trust store.
   */
  readonly certificate: Certificate;
  /** Its validated chain, leaf first. */
  readonly chain: readonly Certificate[];
  /** The certificate that made the signature (the sender, or the gateway). */
  readonly signer: Certificate;
  readonly hop: 'queue' | 'https';
  readonly sentAt: Date;
  readonly ttlMs: number | undefined;
  readonly encrypted: boolean;
}

/** The parts of a queued message transport verification reads. */
export interface TransportMessage {
  readonly id: string;
  readonly body: Uint8Array;
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * Verify a message's transport signature, then its destination and times, then the transport
 * certificate, then decrypt. Runs before anything else looks at the body.
 * @throws CertificateError `CertificateRequired` (no transport signature, or a gateway
 *   attestation without a client certificate), `CertificateUntrusted` (also: a gateway not
 *   trusted), `CertificateExpired`, `CertificateRevoked`, `CertificateNotValidForPurpose`.
 * @throws WsseqError `UnsupportedAlgorithm`, `UnsupportedSecurityToken` (not a certificate),
 *   `MalformedMessage` (a missing or bad property), `SignatureInvalid`, `PolicyViolation`
 *   (received from another queue than the signed destination), `MessageExpired` (TTL passed,
 *   or sent in the future), `DecryptionFailed` (one uniform error).
 */
export async function verifyTransportMessage(
  message: TransportMessage,
  options: VerifyTransportOptions,
): Promise<VerifiedTransportMessage> {
  checkVerifyTransportOptions(options);
  const props = message.properties;
  const signatureB64 = props[TRANSPORT_PROPERTY.signature];
  if (signatureB64 === undefined) {
    throw new CertificateError('CertificateRequired', 'the message carries no transport signature');
  }
  const algorithm = props[TRANSPORT_PROPERTY.algorithm];
  if (algorithm !== TRANSPORT_SIGNATURE_ALGORITHM) {
    throw new PolicyError(
      'UnsupportedAlgorithm',
      `transport signature algorithm ${String(algorithm)}`,
    );
  }
  const signer = Certificate.fromDer(base64Property(props, TRANSPORT_PROPERTY.certificate));
  if (signer.publicKey.asymmetricKeyType !== 'rsa') {
    throw new PolicyError('UnsupportedAlgorithm', 'the transport certificate has no RSA key');
  }
  const destination = requiredProperty(props, TRANSPORT_PROPERTY.destination);
  const sentAtText = requiredProperty(props, TRANSPORT_PROPERTY.sentAt);
  const hop = props[TRANSPORT_PROPERTY.hop];
  if (hop !== 'queue' && hop !== 'https') {
    throw reject('MalformedMessage', `unknown transport hop ${String(hop)}`);
  }
  const ok = verify(
    'sha256',
    transportSignedBytes(message.id, message.body, props),
    { key: signer.publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(signatureB64, 'base64'),
  );
  if (!ok) throw reject('SignatureInvalid', 'the transport signature does not verify');

  if (destination !== options.queueName) {
    throw new PolicyError(
      'PolicyViolation',
      `the message was sent to queue "${destination}" but received from "${options.queueName}"`,
    );
  }
  const sentAt = new Date(sentAtText);
  if (Number.isNaN(sentAt.getTime())) throw reject('MalformedMessage', 'bad wsseq-sent-at');
  const ttlText = props[TRANSPORT_PROPERTY.ttlMs];
  const ttlMs = ttlText === undefined ? undefined : Number(ttlText);
  if (ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && ttlMs > 0)) {
    throw reject('MalformedMessage', 'bad wsseq-ttl-ms');
  }
  const skewMs = (options.maxClockSkewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
  const now = options.now.getTime();
  if (sentAt.getTime() > now + skewMs) {
    throw reject('MessageExpired', `the message was sent in the future (${sentAtText})`);
  }
  if (ttlMs !== undefined && now > sentAt.getTime() + ttlMs + skewMs) {
    throw reject('MessageExpired', `the message's time to live (${ttlMs} ms) has passed`);
  }

  let certificate = signer;
  if (hop === 'https') {
    if (!(options.trustedGateways ?? []).some((g) => g.equals(signer))) {
      throw new CertificateError('CertificateUntrusted', 'the HTTPS gateway is not trusted', {
        thumbprint: signer.thumbprintSha256,
      });
    }
    const client = props[TRANSPORT_PROPERTY.hopClientCertificate];
    if (client === undefined) {
      throw new CertificateError(
        'CertificateRequired',
        'the HTTPS hop carried no client certificate',
      );
    }
    certificate = Certificate.fromDer(Buffer.from(client, 'base64'));
  }
  const validated = await options.trust.validate(certificate, [], options.now, 'client');

  const encryption = props[TRANSPORT_PROPERTY.encryption];
  let body: Buffer = Buffer.from(message.body);
  if (encryption !== undefined) {
    if (encryption !== TRANSPORT_ENCRYPTION_ALGORITHM) {
      throw new PolicyError('UnsupportedAlgorithm', `transport encryption ${encryption}`);
    }
    body = decryptBody(message.id, body, props, signer, options.keys ?? []);
  }
  return {
    body,
    certificate,
    chain: validated.chain,
    signer,
    hop,
    sentAt,
    ttlMs,
    encrypted: encryption !== undefined,
  };
}

function decryptBody(
  id: string,
  body: Buffer,
  props: Readonly<Record<string, string>>,
  signer: Certificate,
  keys: readonly ServiceKey[],
): Buffer {
  try {
    const recipient = props[TRANSPORT_PROPERTY.recipient];
    const key = keys.find((k) => k.certificate.thumbprintSha256 === recipient);
    if (!key) throw new Error(`no key for recipient ${String(recipient)}`);
    const contentKey = privateDecrypt(
      { key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      base64Property(props, TRANSPORT_PROPERTY.encryptedKey),
    );
    const iv = base64Property(props, TRANSPORT_PROPERTY.iv);
    const tag = base64Property(props, TRANSPORT_PROPERTY.tag);
    if (contentKey.length !== 32 || iv.length !== 12 || tag.length !== 16) {
      throw new Error('bad key, IV or tag length');
    }
    const decipher = createDecipheriv('aes-256-gcm', contentKey, iv);
    decipher.setAAD(additionalData(id, props, signer));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    throw new DecryptionError({ cause });
  }
}

function additionalData(
  id: string,
  props: Readonly<Record<string, string>>,
  signer: Certificate,
): Buffer {
  const p = (name: string): string => props[name] ?? '';
  return lengthPrefixed([
    AAD_LABEL,
    id,
    p(TRANSPORT_PROPERTY.destination),
    p(TRANSPORT_PROPERTY.sentAt),
    p(TRANSPORT_PROPERTY.ttlMs),
    p(TRANSPORT_PROPERTY.recipient),
    createHash('sha256').update(signer.der).digest('hex'),
  ]);
}

function lengthPrefixed(fields: readonly (string | Uint8Array)[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : Buffer.from(field);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}

function requiredProperty(props: Readonly<Record<string, string>>, name: string): string {
  const value = props[name];
  if (value === undefined || value === '') throw reject('MalformedMessage', `missing ${name}`);
  return value;
}

function base64Property(props: Readonly<Record<string, string>>, name: string): Buffer {
  return Buffer.from(requiredProperty(props, name), 'base64');
}
