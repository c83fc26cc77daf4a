/**
 * Receiver stage: enforce the policy on what was verified — the Body (by position) signed by
 * the authenticating signature, the Timestamp ours and signed and fresh, the Body encrypted
 * where required, tokens signed where required.
 */
import { reject } from '../errors.js';
import type { ResolvedReceiverPolicy } from '../policy/policy.js';
import { checkTimestamp } from '../wss/timestamp.js';
import type { ParsedMessage } from './parse-message.js';
import type { ProcessedHeader, SignatureResult } from './process-header.js';

/**
 * The signature that authenticates the message: the one covering the Envelope's own Body.
 * @throws WsseqError `PolicyViolation` when no signature, or signatures by different keys,
 *   cover the Body.
 */
export function findBodySignature(msg: ParsedMessage, header: ProcessedHeader): SignatureResult {
  const covering = header.signatures.filter((s) => s.verified.covered.includes(msg.soap.body));
  const first = covering[0];
  if (!first) {
    if (!msg.security) throw reject('PolicyViolation', 'the message has no Security header');
    throw reject('PolicyViolation', 'the SOAP Body is not covered by a signature');
  }
  if (covering.some((s) => !s.signer.certificate.equals(first.signer.certificate))) {
    throw reject('PolicyViolation', 'the Body is signed by more than one certificate');
  }
  return first;
}

/**
 * @throws WsseqError `PolicyViolation`, `MessageExpired`.
 */
export function enforcePolicy(
  msg: ParsedMessage,
  header: ProcessedHeader,
  primary: SignatureResult,
  policy: ResolvedReceiverPolicy,
  now: Date,
): void {
  const ts = header.timestamp;
  if (!ts) {
    if (policy.requireTimestamp)
      throw reject('PolicyViolation', 'the Security header has no Timestamp');
  } else {
    if (policy.requireSignedTimestamp && !primary.verified.covered.includes(ts.element)) {
      throw reject('PolicyViolation', 'the Timestamp is not covered by the message signature');
    }
    checkTimestamp(ts.value, {
      now,
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
  if (
    policy.requireSignedTokens &&
    primary.signer.token &&
    !primary.verified.covered.includes(primary.signer.token)
  ) {
    throw reject(
      'PolicyViolation',
      'the signing token is not covered by the signature (ProtectTokens)',
    );
  }
}
