/**
 * The sender pipeline: parse → Security header → Timestamp → credential token → sign and
 * encrypt in the policy's order → serialize.
 */
import { randomUUID } from 'node:crypto';
import type { SenderCredential } from '../credentials/types.js';
import { createSignature } from '../dsig/sign.js';
import { KEY_TRANSPORT } from '../policy/algorithms.js';
import { resolveSenderPolicy } from '../policy/policy.js';
import type { ResolvedSenderPolicy, SenderPolicy } from '../policy/policy.js';
import type { Certificate } from '../trust/certificate.js';
import { createTimestamp } from '../wss/timestamp.js';
import { createSecurityTokenReference } from '../wss/token-reference.js';
import { createElement, declareNamespace } from '../xml/build.js';
import { serialize } from '../xml/dom.js';
import { parseUntrusted } from '../xml/parse.js';
import type { Document, Element } from '../xml/dom.js';
import { idsOf } from '../xml/ids.js';
import { NS, PREFIX } from '../xml/ns.js';
import { locateEnvelope, mustUnderstandValue } from '../xml/soap.js';
import type { SoapEnvelope } from '../xml/soap.js';
import { generateContentKey } from '../xenc/cipher.js';
import { createEncryptedKey, encryptContent, encryptElement } from '../xenc/encrypt.js';

export interface SecureOptions {
  /** The client credential (for example {@link certificateCredential}). */
  readonly credential: SenderCredential;
  /** The service's certificate, held out of band. Required for EncryptAndSign. */
  readonly serviceCertificate?: Certificate;
  readonly policy?: SenderPolicy;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/** A reusable, checked sender. */
export interface Securer {
  /** Secure one envelope (string, bytes or an xmldom Document, which is changed in place). */
  secure(envelope: string | Uint8Array | Document): string;
}

/**
 * Check options once and return a sender.
 * @throws TypeError for misuse (EncryptAndSign without a service certificate, a bad policy).
 * @example
 * const securer = createSecurer({ credential: certificateCredential(client), serviceCertificate });
 * const wire = securer.secure(envelopeXml);
 */
export function createSecurer(options: SecureOptions): Securer {
  const policy = resolveSenderPolicy(options.policy);
  if (policy.protectionLevel === 'EncryptAndSign' && !options.serviceCertificate) {
    throw new TypeError('EncryptAndSign needs the service certificate');
  }
  const now = options.now ?? (() => new Date());
  return Object.freeze({
    secure: (envelope: string | Uint8Array | Document) => {
      const doc =
        typeof envelope === 'string' || envelope instanceof Uint8Array
          ? parseInput(envelope)
          : envelope;
      secureDocument(doc, options, policy, now());
      return serialize(doc);
    },
  });
}

/**
 * Secure one envelope. See {@link createSecurer}; prefer that when securing many messages.
 */
export function secureEnvelope(
  envelope: string | Uint8Array | Document,
  options: SecureOptions,
): string {
  return createSecurer(options).secure(envelope);
}

function parseInput(input: string | Uint8Array): Document {
  try {
    return parseUntrusted(input).document;
  } catch (cause) {
    throw new TypeError('the envelope to secure is not well-formed XML within the limits', {
      cause,
    });
  }
}

function secureDocument(
  doc: Document,
  options: SecureOptions,
  policy: ResolvedSenderPolicy,
  now: Date,
): void {
  let env: SoapEnvelope;
  try {
    env = locateEnvelope(doc);
  } catch (cause) {
    throw new TypeError('the input is not a SOAP 1.1 or 1.2 envelope', { cause });
  }
  const newId = (prefix: string): string => `${prefix}-${randomUUID()}`;
  const header = env.header ?? insertHeader(doc, env);
  const security = createElement(doc, NS.wsse, `${PREFIX.wsse}:Security`);
  declareNamespace(security, PREFIX.wsse, NS.wsse);
  declareNamespace(security, PREFIX.wsu, NS.wsu);
  declareNamespace(security, PREFIX.ds, NS.ds);
  declareNamespace(security, PREFIX.xenc, NS.xenc);
  const soapPrefix = env.envelope.prefix ?? 'soap';
  security.setAttributeNS(
    env.soapNs,
    `${soapPrefix}:mustUnderstand`,
    mustUnderstandValue(env.version),
  );
  if (policy.actor !== undefined) {
    security.setAttributeNS(
      env.soapNs,
      `${soapPrefix}:${env.version === '1.1' ? 'actor' : 'role'}`,
      policy.actor,
    );
  }
  header.insertBefore(security, header.firstChild);

  const timestamp = createTimestamp(doc, now, policy.timestampTtlSeconds, newId('TS'));
  security.appendChild(timestamp);
  const signing = options.credential.attach({ document: doc, security, newId });
  ensureBodyId(env.body, newId);

  const signTargets = [env.body, timestamp, ...(policy.signTokens ? signing.tokens : [])];
  const sign = (): Element => {
    const signature = createSignature(doc, {
      references: signTargets,
      signatureAlgorithm: policy.suite.asymmetricSignature,
      digestAlgorithm: policy.suite.digest,
      key: signing.privateKey,
      keyInfo: signing.keyInfo,
      id: newId('SIG'),
    });
    security.appendChild(signature);
    return signature;
  };

  if (policy.protectionLevel === 'Sign') {
    sign();
    return;
  }
  const service = options.serviceCertificate;
  if (!service) throw new TypeError('EncryptAndSign needs the service certificate');
  const cek = generateContentKey(policy.suite.encryption);
  const encryptKey = (dataIds: string[]): Element =>
    createEncryptedKey(doc, {
      id: newId('EK'),
      transport: {
        algorithm:
          policy.keyTransport === 'rsa-oaep' ? KEY_TRANSPORT.rsaOaep : policy.suite.keyTransport,
      },
      recipient: service,
      keyInfo: createSecurityTokenReference(doc, policy.serviceKeyReference, service),
      key: cek,
      dataIds,
    });
  const encryptBody = (): string => {
    const id = newId('ED');
    encryptContent(env.body, policy.suite.encryption, cek, id);
    return id;
  };

  switch (policy.protectionOrder) {
    case 'SignBeforeEncrypt': {
      const signature = sign();
      const ek = encryptKey([encryptBody()]);
      security.insertBefore(ek, signature);
      break;
    }
    case 'SignBeforeEncryptAndEncryptSignature': {
      const signature = sign();
      const bodyDataId = encryptBody();
      const sigDataId = newId('ED');
      const ek = encryptKey([bodyDataId, sigDataId]);
      security.insertBefore(ek, signature);
      encryptElement(signature, policy.suite.encryption, cek, sigDataId);
      break;
    }
    case 'EncryptBeforeSign': {
      const ek = encryptKey([encryptBody()]);
      security.appendChild(ek);
      const signature = sign();
      security.insertBefore(signature, ek);
      break;
    }
  }
}

function insertHeader(doc: Document, env: SoapEnvelope): Element {
  const prefix = env.envelope.prefix;
  const header = doc.createElementNS(env.soapNs, prefix ? `${prefix}:Header` : 'Header');
  env.envelope.insertBefore(header, env.body);
  return header;
}

function ensureBodyId(body: Element, newId: (prefix: string) => string): void {
  if (idsOf(body).length > 0) return;
  declareNamespace(body, PREFIX.wsu, NS.wsu);
  body.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, newId('Body'));
}
