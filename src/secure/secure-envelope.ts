/**
 * The sender pipeline: parse → Security header → Timestamp → credential token → sign and
 * encrypt in the policy's order → serialize.
 */
import { logSecure } from '../log.js';
import type { Logger } from '../log.js';
import type { KeyObject } from 'node:crypto';
import { readEnvelopeToSecure } from './body-text.js';
import {
  createAddressingHeader,
  createDirectReference,
  ensureWsuId,
  signWithSuite,
} from './builders.js';
import type { BodyText } from './body-text.js';
import { createSecurityElement, envelopeDocument, envelopeToSecure, newId } from './scaffold.js';
import type { SenderCredential } from '../credentials/types.js';
import { KEY_TRANSPORT, NODE_HASH } from '../policy/algorithms.js';
import { resolveSenderPolicy } from '../policy/policy.js';
import { checkMessageInput, checkSecureOptions } from '../policy/pipeline-options.js';
import type { ResolvedSenderPolicy, SenderPolicy } from '../policy/policy.js';
import type { Certificate } from '../trust/certificate.js';
import { createTimestamp } from '../wss/timestamp.js';
import { createSecurityTokenReference } from '../wss/token-reference.js';
import { childElements, serialize, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { NS, VALUE_TYPE } from '../xml/ns.js';
import { generateContentKey } from '../xenc/cipher.js';
import {
  createEncryptedKey,
  encryptContent,
  encryptElement,
  encryptPartsAsContent,
} from '../xenc/encrypt.js';
import type { SoapEnvelope } from '../xml/soap.js';

export interface SecureOptions {
  /** The client credential (for example {@link certificateCredential}). */
  readonly credential: SenderCredential;
  /** The service's certificate, held out of band. Required for EncryptAndSign. */
  readonly serviceCertificate?: Certificate;
  readonly policy?: SenderPolicy;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** A structured line per secured message (see docs/logging.md). */
  readonly logger?: Logger;
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
  checkSecureOptions(options);
  const policy = resolveSenderPolicy(options.policy);
  if (policy.protectionLevel === 'EncryptAndSign' && !options.serviceCertificate) {
    throw new TypeError('EncryptAndSign needs the service certificate');
  }
  const now = options.now ?? (() => new Date());
  return Object.freeze({
    secure: (envelope: string | Uint8Array | Document) => {
      checkMessageInput(envelope, 'envelope', true);
      return logSecure(options.logger, () => {
        if (typeof envelope !== 'string' && !(envelope instanceof Uint8Array)) {
          secureDocument(envelopeDocument(envelope), options, policy, now(), undefined);
          return serialize(envelope);
        }
        const { document, bodyText } = readInput(envelope, policy);
        secureDocument(document, options, policy, now(), bodyText);
        const wire = serialize(document);
        return bodyText ? bodyText.splice(wire) : wire;
      });
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

/** @throws TypeError when the input is not well-formed XML within the sender's limits. */
function readInput(
  input: string | Uint8Array,
  policy: ResolvedSenderPolicy,
): ReturnType<typeof readEnvelopeToSecure> {
  try {
    return readEnvelopeToSecure(input, policy.limits, { digestHash: earlyDigestHash(policy) });
  } catch (cause) {
    throw new TypeError('the envelope to secure is not well-formed XML within the limits', {
      cause,
    });
  }
}

/**
 * The hash to digest the Body with while it is read, when the Body is signed before it is
 * encrypted (otherwise the signature covers its EncryptedData and the digest would be wasted).
 */
function earlyDigestHash(policy: ResolvedSenderPolicy): string | undefined {
  if (policy.protectionLevel === 'None') return undefined;
  if (policy.protectionLevel === 'EncryptAndSign' && policy.protectionOrder === 'EncryptBeforeSign')
    return undefined;
  return NODE_HASH[policy.suite.digest];
}

function secureDocument(
  doc: Document,
  options: SecureOptions,
  policy: ResolvedSenderPolicy,
  now: Date,
  bodyText: BodyText | undefined,
): void {
  const { env, header } = envelopeToSecure(doc);
  bodyText?.attach(env.body);
  const security = createSecurityElement(doc, env, policy.actor);
  header.insertBefore(security, header.firstChild);

  const timestamp = createTimestamp(doc, now, policy.timestampTtlSeconds, newId('TS'));
  security.appendChild(timestamp);
  const attachment = options.credential.attach({
    document: doc,
    security,
    newId,
    now,
    protectionLevel: policy.protectionLevel,
  });
  const signingKey = attachment.signingKey;
  ensureWsuId(env.body, bodyText ? bodyText.bodyId : newId('Body'));
  if (policy.protectionLevel === 'None') return;

  const addressTo =
    policy.addressTo === undefined ? [] : [addressingTo(doc, env, header, policy.addressTo)];
  const signTargets: Element[] = [
    ...addressTo,
    env.body,
    timestamp,
    ...(policy.signTokens && signingKey ? signingKey.tokens : []),
    ...(attachment.signedTokens ?? []),
  ];
  const sign = (key: KeyObject | Buffer, keyInfo: Element): Element => {
    const signature = signWithSuite(doc, {
      targets: signTargets,
      suite: policy.suite,
      key,
      keyInfo,
      id: newId('SIG'),
      streamedDigest: (target, hash) =>
        bodyText?.holds(target) ? bodyText.digest(hash) : undefined,
    });
    security.appendChild(signature);
    return signature;
  };

  if (policy.protectionLevel === 'Sign') {
    if (!signingKey) throw new TypeError('Sign needs a credential with a signing key');
    sign(signingKey.privateKey, signingKey.keyInfo);
    return;
  }
  const service = options.serviceCertificate;
  if (!service) throw new TypeError('EncryptAndSign needs the service certificate');
  if (!signingKey && policy.protectionOrder === 'EncryptBeforeSign') {
    throw new TypeError('EncryptBeforeSign needs a credential with a signing key');
  }
  const cek = generateContentKey(policy.suite.encryption);
  const ekId = newId('EK');
  const encryptedTokens = attachment.encryptedTokens ?? [];
  // Without a client key the message is signed with the content key (HMAC), referring to the
  // EncryptedKey: it proves integrity, while the credential (a UsernameToken) authenticates.
  const signWithKey = (): Element =>
    signingKey
      ? sign(signingKey.privateKey, signingKey.keyInfo)
      : sign(cek, createDirectReference(doc, ekId, VALUE_TYPE.encryptedKeyToken));
  const encryptParts = (): string[] => {
    const id = newId('ED');
    if (bodyText?.holds(env.body)) {
      // Spliced into the output, unless a signature still to be made covers the Body.
      const defer = policy.protectionOrder !== 'EncryptBeforeSign';
      const { cipherValue } = encryptPartsAsContent(
        env.body,
        bodyText.takePlaintextParts(),
        policy.suite.encryption,
        cek,
        id,
        defer ? bodyText.cipherPlaceholder : undefined,
      );
      if (defer) bodyText.deferCipherValue(cipherValue);
    } else {
      encryptContent(env.body, policy.suite.encryption, cek, id);
    }
    const ids = [id];
    for (const token of encryptedTokens) {
      const tokenId = newId('ED');
      const ed = encryptElement(token, policy.suite.encryption, cek, tokenId);
      const at = signTargets.indexOf(token);
      if (at >= 0) signTargets[at] = ed;
      ids.push(tokenId);
    }
    return ids;
  };
  const encryptedKey = (dataIds: string[]): Element =>
    createEncryptedKey(doc, {
      id: ekId,
      transport: {
        algorithm:
          policy.keyTransport === 'rsa-oaep' ? KEY_TRANSPORT.rsaOaep : policy.suite.keyTransport,
      },
      recipient: service,
      keyInfo: createSecurityTokenReference(doc, policy.serviceKeyReference, service),
      key: cek,
      dataIds,
    });

  switch (policy.protectionOrder) {
    case 'SignBeforeEncrypt': {
      signWithKey();
      security.insertBefore(encryptedKey(encryptParts()), timestamp.nextSibling);
      break;
    }
    case 'SignBeforeEncryptAndEncryptSignature': {
      const signature = signWithKey();
      const ids = encryptParts();
      const sigDataId = newId('ED');
      security.insertBefore(encryptedKey([...ids, sigDataId]), timestamp.nextSibling);
      encryptElement(signature, policy.suite.encryption, cek, sigDataId);
      break;
    }
    case 'EncryptBeforeSign': {
      const ek = encryptedKey(encryptParts());
      signWithKey();
      // Verified before decrypted: the key comes after the signature.
      security.appendChild(ek);
      break;
    }
  }
}

/**
 * The envelope's wsa:To header (WS-Addressing 1.0), added with `address` when missing, with a
 * wsu:Id so the signature can cover it.
 * @throws TypeError when the envelope already names another address.
 */
function addressingTo(doc: Document, env: SoapEnvelope, header: Element, address: string): Element {
  let to = childElements(header).find((c) => c.namespaceURI === NS.wsa && c.localName === 'To');
  if (to) {
    if (textOf(to).trim() !== address) {
      throw new TypeError(`the envelope's wsa:To is not ${address}`);
    }
  } else {
    to = createAddressingHeader(doc, 'wsa', 'To', address);
    header.appendChild(to);
  }
  ensureWsuId(to, newId('To'));
  return to;
}
