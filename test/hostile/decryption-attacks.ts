/**
 * The decryption attacks, shared by their own test files and by the uniform-error test
 * (every decryption failure must look the same: no padding or tag oracle). Not a test file.
 */
import { createSecurer } from '../../src/secure/secure-envelope.js';
import { certificateCredential } from '../../src/credentials/x509.js';
import { TEST_NOW, orderEnvelope, secureAs } from '../helpers.js';
import type { TestPki } from '../helpers.js';
import { NS, find, flipBase64, open, serialize } from './attacker.js';

/** An honest wire message and the attacked one. */
export interface DecryptionAttack {
  readonly honest: string;
  readonly attacked: string;
}

function bodyCipherValue(w: ReturnType<typeof open>): ReturnType<typeof find> {
  return find(find(w.body, NS.xenc, 'EncryptedData'), NS.xenc, 'CipherValue');
}

/** AES-GCM: one ciphertext byte flipped (after the 12-byte IV). */
export function gcmCiphertextFlip(pki: TestPki): DecryptionAttack {
  const honest = secureAs(pki, orderEnvelope());
  const w = open(honest);
  flipBase64(bodyCipherValue(w), 20);
  return { honest, attacked: serialize(w.doc) };
}

/** AES-GCM: one bit of the 16-byte tag (the last bytes) flipped. */
export function gcmTagFlip(pki: TestPki): DecryptionAttack {
  const honest = secureAs(pki, orderEnvelope());
  const w = open(honest);
  flipBase64(bodyCipherValue(w), -1);
  return { honest, attacked: serialize(w.doc) };
}

/** AES-CBC (Basic256Sha256): one byte of the second ciphertext block flipped. */
export function cbcBlockFlip(pki: TestPki): DecryptionAttack {
  const honest = secureAs(pki, orderEnvelope(), { algorithmSuite: 'Basic256Sha256' });
  const w = open(honest);
  flipBase64(bodyCipherValue(w), 16 + 16 + 3);
  return { honest, attacked: serialize(w.doc) };
}

/**
 * AES-CBC: one bit of the IV flipped, which flips the same bit of the first plaintext byte
 * only. The Body starts with text, so the plaintext still parses; only the signature can tell.
 */
export function cbcIvFlip(pki: TestPki): DecryptionAttack {
  const envelope = orderEnvelope().replace('<soap:Body>', '<soap:Body>0123456789abcdef');
  const honest = secureAs(pki, envelope, { algorithmSuite: 'Basic256Sha256' });
  const w = open(honest);
  flipBase64(bodyCipherValue(w), 0);
  return { honest, attacked: serialize(w.doc) };
}

/** The RSA-OAEP wrapped key: one byte flipped. */
export function encryptedKeyFlip(pki: TestPki): DecryptionAttack {
  const honest = secureAs(pki, orderEnvelope());
  const w = open(honest);
  flipBase64(find(find(w.security, NS.xenc, 'EncryptedKey'), NS.xenc, 'CipherValue'), 100);
  return { honest, attacked: serialize(w.doc) };
}

/** A message encrypted for service2, delivered to a receiver holding only service's key. */
export function encryptedForAnotherService(pki: TestPki): DecryptionAttack {
  const attacked = createSecurer({
    credential: certificateCredential({
      certificate: pki.client.certificate,
      privateKey: pki.client.privateKey,
    }),
    serviceCertificate: pki.service2.certificate,
    now: () => TEST_NOW,
  }).secure(orderEnvelope());
  return { honest: secureAs(pki, orderEnvelope()), attacked };
}
