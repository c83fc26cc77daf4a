/**
 * Receiver stage: enforce the policy on what was verified — the Body (by position) signed,
 * the Timestamp ours and signed and fresh, the Body encrypted where required, tokens signed
 * where required.
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
import type { ProcessedHeader } from './process-header.js';

/** Turn the processed header into what the credential plug-ins read. */
export function collectEvidence(
  msg: ParsedMessage,
  header: ProcessedHeader,
  now: Date,
): MessageEvidence {
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
  return {
    bodySignature: applyEndorsingSignatures(header, msg.soap.body, first),
    signatures,
    tokens: header.otherTokens,
    encrypted: header.decrypted.map((d) => d.element),
    certificates: [...header.tokens.values()],
    timestamp: header.timestamp?.value,
    now,
  };
}

/**
 * @throws WsseqError `PolicyViolation`, `MessageExpired`.
 */
export function enforcePolicy(
  msg: ParsedMessage,
  header: ProcessedHeader,
  evidence: MessageEvidence,
  policy: ResolvedReceiverPolicy,
): void {
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
