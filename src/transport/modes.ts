/**
 * The security modes of a queued service, by WCF's names (NetMsmqSecurityMode).
 */

/**
 * - `None`: plain SOAP, nothing checked. **Dangerous outside a closed, trusted network.**
 * - `Transport`: the whole queued message is protected for one hop (a detached signature by
 *   the sender's transport certificate in the message properties, optionally encrypted for
 *   the destination; or an HTTPS hop through a gateway that attests the TLS client).
 * - `Message`: WS-Security inside the envelope, end to end.
 * - `Both`: message and transport security, where the certificate that authenticated the
 *   transport and the certificate that signed the message are the same certificate.
 */
export type SecurityMode = 'None' | 'Transport' | 'Message' | 'Both';

const MODES: readonly SecurityMode[] = ['None', 'Transport', 'Message', 'Both'];

/** True when the mode carries transport security (`Transport`, `Both`). */
export function hasTransportSecurity(mode: SecurityMode): boolean {
  return mode === 'Transport' || mode === 'Both';
}

/** True when the mode carries message security (`Message`, `Both`). */
export function hasMessageSecurity(mode: SecurityMode): boolean {
  return mode === 'Message' || mode === 'Both';
}

/**
 * Check a mode given by a caller.
 * @throws TypeError when `mode` is not one of the four modes.
 */
export function assertSecurityMode(mode: unknown): asserts mode is SecurityMode {
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    throw new TypeError(
      `unknown security mode ${String(mode)}: use None, Transport, Message or Both`,
    );
  }
}
