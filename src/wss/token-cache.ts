/**
 * The certificates carried in BinarySecurityTokens repeat from message to message (the same
 * clients sign again and again): parse each distinct token value once.
 */
import { Certificate } from '../trust/certificate.js';

const MAX_ENTRIES = 1024;

/** A bounded cache of parsed certificates keyed by their base64 text. */
export class CertificateCache {
  readonly #entries = new Map<string, Certificate>();

  /** The certificate for this base64 DER, parsed on first sight. */
  fromBase64(base64: string): Certificate {
    const found = this.#entries.get(base64);
    if (found) return found;
    const cert = Certificate.fromDer(Buffer.from(base64, 'base64'));
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(base64, cert);
    return cert;
  }
}
