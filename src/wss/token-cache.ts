/**
 * The certificates carried in BinarySecurityTokens repeat from message to message (the same
 * clients sign again and again): check and parse each distinct token value once.
 */
import type { Certificate } from '../trust/certificate.js';

const MAX_ENTRIES = 1024;

/** A bounded cache of parsed certificates keyed by the token's text exactly as it came. */
export class CertificateCache {
  readonly #entries = new Map<string, Certificate>();

  /**
   * The certificate for this token text: `read` (which checks and parses it, or throws) runs
   * on first sight only. A text `read` refused is never cached, so it is refused every time.
   */
  fromText(text: string, read: (text: string) => Certificate): Certificate {
    const found = this.#entries.get(text);
    if (found) return found;
    const cert = read(text);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(text, cert);
    return cert;
  }
}
