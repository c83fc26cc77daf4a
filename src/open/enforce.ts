/**
 * Receiver stages after decryption: what the verified signatures cover, bound to their keys
 * (VerifiedMessage), then the policy enforced on it — the Body (by position) signed, the
 * Timestamp ours and signed and fresh, the Body encrypted where required, tokens signed where
 * required (EnforcedMessage).
 */
import type { MessageEvidence, SignatureEvidence } from '../credentials/types.js';
import { reject } from '../errors.js';
import type { ResolvedReceiverPolicy } from '../policy/policy.js';
import { checkTimestamp } from '../wss/timestamp.js';
import { childElements, textOf } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import { applyEndorsingSignatures } from './endorsing.js';
import type { ParsedMessage } from './parse-message.js';
import type { DecryptedMessage } from './process-header.js';

/** The decrypted message and what its verified signatures cover, bound to their keys. */
export interface VerifiedMessage extends DecryptedMessage {
  readonly evidence: MessageEvidence;
}

/** A verified message that meets the policy; `evidence` carries the validation time. */
export interface EnforcedMessage extends VerifiedMessage {
  readonly enforced: true;
  /** The Timestamp is present and covered by the Body signature. */
  readonly timestampSigned: boolean;
}

/**
 * Receiver stage: turn the processed header into what the credential plug-ins read.
 * @throws WsseqError `PolicyViolation` (the Body signed with two keys, endorsing rules).
 */
export function collectEvidence(decrypted: DecryptedMessage, now: Date): VerifiedMessage {
  const { message: msg, header } = decrypted;
  const signatures: SignatureEvidence[] = header.signatures.map((s) => ({
    covered: s.verified.covered,
    certificate: s.signer.kind === 'x509' ? s.signer.certificate : undefined,
    token: s.signer.token,
    keyToken: s.signer.kind === 'symmetric' ? s.signer.origin : s.signer.token,
    signatureValue: s.verified.signatureValue,
  }));
  const covering = signatures.filter((s) => s.covered.includes(msg.soap.body));
  const first = covering[0];
  if (
    first &&
    covering.some((s) => s.certificate !== first.certificate || s.token !== first.token)
  ) {
    throw reject('PolicyViolation', 'the Body is signed with more than one key');
  }
  const evidence: MessageEvidence = {
    bodySignature: applyEndorsingSignatures(header, msg.soap.body, first),
    signatures,
    tokens: header.otherTokens,
    encrypted: header.decrypted.map((d) => d.element),
    certificates: [...header.tokens.values()],
    timestamp: header.timestamp?.value,
    now,
  };
  return { ...decrypted, evidence };
}

/**
 * Receiver stage: enforce the policy on what was verified.
 * @throws WsseqError `PolicyViolation`, `MessageExpired`.
 */
export function enforcePolicy(
  verified: VerifiedMessage,
  policy: ResolvedReceiverPolicy,
): EnforcedMessage {
  const { message: msg, header, evidence } = verified;
  const body = evidence.bodySignature;
  if (policy.protectionLevel !== 'None') {
    if (!msg.security) throw reject('PolicyViolation', 'the message has no Security header');
    if (!body) throw reject('PolicyViolation', 'the SOAP Body is not covered by a signature');
  }
  const ts = header.timestamp;
  if (!ts) {
    if (policy.requireTimestamp)
      throw reject('PolicyViolation', 'the Security header has no Timestamp');
  } else {
    if (
      policy.protectionLevel !== 'None' &&
      policy.requireSignedTimestamp &&
      !body?.covered.includes(ts.element)
    ) {
      throw reject('PolicyViolation', 'the Timestamp is not covered by the message signature');
    }
    checkTimestamp(ts.value, {
      now: evidence.now,
      maxClockSkewSeconds: policy.maxClockSkewSeconds,
      maxMessageAgeSeconds: policy.maxMessageAgeSeconds,
      requireExpires: policy.requireExpires,
    });
  }
  if (policy.protectionLevel === 'EncryptAndSign') {
    const bodyEncrypted = header.decrypted.some(
      (d) => d.type === 'Content' && d.element === msg.soap.body,
    );
    if (!bodyEncrypted) throw reject('PolicyViolation', 'the SOAP Body content is not encrypted');
  }
  if (policy.requireAddressTo !== undefined)
    checkAddressTo(msg, body?.covered ?? [], policy.requireAddressTo);
  if (policy.requireSignedTokens && body?.token && !body.covered.includes(body.token)) {
    throw reject(
      'PolicyViolation',
      'the signing token is not covered by the signature (ProtectTokens)',
    );
  }
  const timestampSigned = ts !== undefined && body?.covered.includes(ts.element) === true;
  return {
    ...verified,
    evidence: withValidationTime(evidence, timestampSigned, ts?.value.created, policy),
    enforced: true,
    timestampSigned,
  };
}

/** Under AtSignedTime, credentials are validated at the signed Created (age already bounded). */
function withValidationTime(
  evidence: MessageEvidence,
  timestampSigned: boolean,
  created: Date | undefined,
  policy: ResolvedReceiverPolicy,
): MessageEvidence {
  if (policy.credentialValidation !== 'AtSignedTime' || !created || !timestampSigned) {
    return evidence;
  }
  const at = Math.min(created.getTime(), evidence.now.getTime());
  return { ...evidence, validationTime: new Date(at) };
}

/** WS-Addressing namespaces whose `To` header names the destination. */
const WSA_NAMESPACES: ReadonlySet<string> = new Set([
  NS.wsa,
  'http://schemas.xmlsoap.org/ws/2004/08/addressing',
]);

/**
 * The message names this service: one wsa:To header with exactly `address`, covered by the
 * Body signature.
 * @throws WsseqError `PolicyViolation`.
 */
function checkAddressTo(msg: ParsedMessage, covered: readonly Element[], address: string): void {
  const to = msg.soap.header
    ? childElements(msg.soap.header).filter(
        (c) => c.localName === 'To' && WSA_NAMESPACES.has(c.namespaceURI ?? ''),
      )
    : [];
  const [only] = to;
  if (to.length !== 1 || !only) {
    throw reject('PolicyViolation', `the message must carry one wsa:To header (${address})`);
  }
  if (!covered.includes(only)) throw reject('PolicyViolation', 'the wsa:To header is not signed');
  if (textOf(only).trim() !== address) {
    throw reject(
      'PolicyViolation',
      `the message is addressed to ${textOf(only).trim()}, not ${address}`,
    );
  }
}
