/**
 * Receiver: endorsing signatures (WS-SecurityPolicy EndorsingSupportingTokens, WCF's
 * symmetric binding with a client certificate).
 *
 * Under a symmetric binding the primary signature (over Body, Timestamp, addressing headers) is
 * an HMAC keyed by an EncryptedKey — or a key derived from it — that the sender made for the
 * service. Anyone holding the service certificate can make such a key, so the primary signature
 * proves integrity only. The sender's identity comes from the endorsing signature: an RSA
 * signature by the client certificate over the primary ds:Signature element. Because that
 * element holds the SignedInfo (every digest) and the SignatureValue, the endorsing key vouches
 * for everything the primary signature covers.
 *
 * So, when the Body signature is symmetric: every other signature must cover the primary
 * signature element (else `PolicyViolation`), the X.509 endorsing signatures must agree on one
 * certificate, and that certificate becomes the Body signature's certificate — the one the
 * Certificate credential validates, the context's `signingCertificate`, and the one compared to
 * the transport certificate under `Both`. Without an endorsing signature the Body signature has
 * no certificate: only a credential token (a UsernameToken) can then authenticate the message.
 */
import type { SignatureEvidence } from '../credentials/types.js';
import { reject } from '../errors.js';
import type { Element } from '../xml/dom.js';
import type { ProcessedHeader } from './process-header.js';

/**
 * Apply the endorsing signatures of `header` to the Body signature's evidence.
 * @throws WsseqError `PolicyViolation` when a signature beside a symmetric Body signature does
 *   not cover it, or when the endorsing signatures name different certificates.
 */
export function applyEndorsingSignatures(
  header: ProcessedHeader,
  body: Element,
  bodySignature: SignatureEvidence | undefined,
): SignatureEvidence | undefined {
  if (!bodySignature) return bodySignature;
  const primary = header.signatures.find((s) => s.verified.covered.includes(body));
  if (primary?.signer.kind !== 'symmetric') return bodySignature;
  const others = header.signatures.filter((s) => !s.verified.covered.includes(body));
  for (const s of others) {
    if (!s.verified.covered.includes(primary.verified.element)) {
      throw reject(
        'PolicyViolation',
        'an endorsing signature does not cover the primary signature',
      );
    }
  }
  const endorsing = others.flatMap((s) =>
    s.signer.kind === 'x509'
      ? [{ certificate: s.signer.certificate, token: s.signer.token, covered: s.verified.covered }]
      : [],
  );
  const [first] = endorsing;
  if (!first) return bodySignature;
  if (endorsing.some((s) => !s.certificate.equals(first.certificate))) {
    throw reject(
      'PolicyViolation',
      'the primary signature is endorsed by more than one certificate',
    );
  }
  const covered = [...bodySignature.covered];
  for (const s of endorsing) {
    for (const el of s.covered) {
      if (el !== primary.verified.element && !covered.includes(el)) covered.push(el);
    }
  }
  return {
    covered,
    certificate: first.certificate,
    token: first.token,
    signatureValue: bodySignature.signatureValue,
  };
}
